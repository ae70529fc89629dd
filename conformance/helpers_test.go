package conformance_test

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// mockURL starts the mock, admin API included, on the default fixtures and
// returns its base URL; it stops with the test.
func mockURL(t *testing.T) string {
	t.Helper()
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// mockConfig is the suite's configuration for a fresh mock with every
// identity of the default fixtures.
func mockConfig(t *testing.T) *conformance.Config {
	t.Helper()
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := conformance.ConfigFromFixtures(mockURL(t), set)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// memberOnly is a configuration for a fresh mock with the member alone, as
// against a real deployment where only a member is known.
func memberOnly(t *testing.T) *conformance.Config {
	t.Helper()
	full := mockConfig(t)
	return &conformance.Config{
		BaseURL:    full.BaseURL,
		AccountID:  full.AccountID,
		Identities: map[fixtures.Persona]conformance.Identity{fixtures.PersonaMember: full.Identities[fixtures.PersonaMember]},
	}
}

// runFeature runs one feature file's text against cfg's target with godog
// format and returns the suite, godog's status and what the formatter wrote.
func runFeature(t *testing.T, cfg *conformance.Config, format, feature string) (*conformance.Suite, int, string) {
	t.Helper()
	suite, err := conformance.NewSuite(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	status := godog.TestSuite{
		Name:                "astra-token-api",
		ScenarioInitializer: suite.InitializeScenario,
		Options: &godog.Options{
			Format:          format,
			NoColors:        true,
			Strict:          true,
			Output:          &out,
			FeatureContents: []godog.Feature{{Name: "test.feature", Contents: []byte(feature)}},
		},
	}.Run()
	t.Logf("godog -format %s:\n%s", format, out.String())
	return suite, status, out.String()
}
