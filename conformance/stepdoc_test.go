package conformance_test

import (
	"bytes"
	"os"
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
