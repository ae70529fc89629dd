package conformance_test

import (
	"net/http/httptest"
	"os"
	"testing"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// TestSuiteAgainstMock runs every feature against the mock started
// in-process: the suite's self-check.
func TestSuiteAgainstMock(t *testing.T) {
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.Handler())
	defer srv.Close()
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := conformance.ConfigFromFixtures(srv.URL, set)
	if err != nil {
		t.Fatal(err)
	}
	suite, err := conformance.NewSuite(cfg)
	if err != nil {
		t.Fatal(err)
	}
	status := godog.TestSuite{
		Name:                "astra-token-api",
		ScenarioInitializer: suite.InitializeScenario,
		Options: &godog.Options{
			Format:   "progress",
			NoColors: true,
			Paths:    []string{"../features"},
			Strict:   true,
			TestingT: t,
			Output:   os.Stdout,
		},
	}.Run()
	if status != 0 {
		t.Fatalf("the suite failed against the mock (status %d)", status)
	}
	t.Log("\n" + conformance.FormatCoverage(suite.Coverage()))
	if s := suite.Skipped(); len(s) > 0 {
		t.Errorf("scenarios skipped against the mock: %v", s)
	}
}
