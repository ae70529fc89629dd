package conformance_test

import (
	"bytes"
	"testing"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/mocktest"
)

// mockConfig is the suite's configuration for a fresh mock (mocktest's,
// admin API included) with every identity of the default fixtures.
func mockConfig(t *testing.T) *conformance.Config {
	t.Helper()
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := conformance.ConfigFromFixtures(mocktest.Start(t).URL, set)
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

// runFeature runs one feature file's text against cfg's target with
// Suite.Run in format and returns the suite, the status and what the
// formats wrote.
func runFeature(t *testing.T, cfg *conformance.Config, format, feature string) (*conformance.Suite, int, string) {
	t.Helper()
	suite, err := conformance.NewSuite(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	status := suite.Run(godog.Options{
		Format:          format,
		NoColors:        true,
		Strict:          true,
		Output:          &out,
		FeatureContents: []godog.Feature{{Name: "test.feature", Contents: []byte(feature)}},
	})
	t.Logf("-format %s:\n%s", format, out.String())
	return suite, status, out.String()
}
