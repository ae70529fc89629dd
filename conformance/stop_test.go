package conformance_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

const twoScenarios = `Feature: Two
  Scenario: First
    Given I am the member
    When I send GET to "{user tokens of member}"
    Then the response status is 200
    When I send GET to "{user tokens of member}"
    Then the response status is 200

  Scenario: Second
    Given I am the member
    When I send GET to "{user tokens of member}"
    Then the response status is 200
`

// TestStoppedRunLetsTheScenarioInFlightEnd: the run's context is canceled
// while the first scenario waits for an answer. That scenario runs to its
// end and passes; the second is not run, skipped with the cause.
func TestStoppedRunLetsTheScenarioInFlightEnd(t *testing.T) {
	t.Parallel()
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancelCause(context.Background())
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { stop(errors.New("interrupted by SIGINT")) })
		stack.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cfg := memberOnly(t)
	cfg.BaseURL = srv.URL

	suite, err := conformance.NewSuite(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	suite.Run(godog.Options{
		Format:          "progress",
		NoColors:        true,
		Strict:          true,
		Output:          &out,
		DefaultContext:  ctx,
		FeatureContents: []godog.Feature{{Name: "two.feature", Contents: []byte(twoScenarios)}},
	})
	t.Logf("godog:\n%s", out.String())
	var got []string
	for _, r := range suite.Results() {
		got = append(got, r.Name+": "+r.Outcome.String()+" "+r.Reason)
	}
	want := []string{"First: passed ", "Second: skipped not run: interrupted by SIGINT"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
