package readmeexample_test

import (
	"flag"
	"os"
	"testing"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/features"
)

var opts = godog.Options{
	// The kit's built-in features (package astra-token-kit/features); for
	// your own features/ directory, Paths: []string{"features"} without FS.
	FS:          features.FS,
	Paths:       []string{"."},
	Tags:        "~@mock-only && ~@policy",
	Format:      "progress",
	Concurrency: 4,
	Strict:      true,
}

func TestMain(m *testing.M) {
	godog.BindFlags("godog.", flag.CommandLine, &opts) // -godog.tags, -godog.format, ...
	os.Exit(m.Run())
}

func TestAstraConformance(t *testing.T) {
	suite, err := conformance.NewSuite(conformance.ConfigFromEnv(nil))
	if err != nil {
		t.Skip(err) // ASTRA_* not set
	}
	suite.Test(t, opts)
	t.Log("\n" + conformance.FormatCoverage(suite.Coverage()))
}
