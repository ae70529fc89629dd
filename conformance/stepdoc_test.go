package conformance_test

import (
	"bytes"
	"os"
	"regexp"
	"testing"

	"github.com/astra-contract/astra-token-kit/conformance"
)

// TestStepReferenceIsCurrent regenerates STEPS.md in memory and compares.
func TestStepReferenceIsCurrent(t *testing.T) {
	got, err := os.ReadFile("STEPS.md")
	if err != nil {
		t.Fatalf("%v: run go generate ./conformance", err)
	}
	want := conformance.StepReference()
	if bytes.Equal(got, want) {
		return
	}
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			t.Fatalf("STEPS.md is stale (first difference at line %d:\n  file:      %q\n  generated: %q)\nrun go generate ./conformance", i+1, gl, wl)
		}
	}
}

// TestREADMEShowsTheExample: README.md's example of running the suite
// from a go test is the code of internal/readmeexample, which is compiled
// and run with the other tests.
func TestREADMEShowsTheExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("internal/readmeexample/readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, code, ok := bytes.Cut(example, []byte("\n)\n\n")) // after the imports
	if !ok {
		t.Fatal("internal/readmeexample/readme_test.go: no import block")
	}
	if !bytes.Contains(readme, append(append([]byte("```go\n"), code...), "```"...)) {
		t.Errorf("README.md does not show internal/readmeexample/readme_test.go (after its imports) as a go block:\n%s", code)
	}
}

// TestREADMEScenariosPass runs README.md's example scenarios (its gherkin
// blocks) against the mock: they work as written.
func TestREADMEScenariosPass(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```gherkin\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no gherkin example")
	}
	for i, b := range blocks {
		feature := "Feature: README example\n" + regexp.MustCompile(`(?m)^`).ReplaceAllString(string(b[1]), "  ")
		suite, status, _ := runFeature(t, mockConfig(t), "progress", feature)
		if passed, failed, skipped := suite.Counts(); status != 0 || passed == 0 || failed+skipped > 0 {
			t.Errorf("README example %d: status %d, %d passed, %d failed, %d skipped: %v", i+1, status, passed, failed, skipped, suite.Results())
		}
	}
}
