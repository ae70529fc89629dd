package conformance_test

import (
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/conformance"
)

func TestMadeBySuite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"cf-1a2b3c4d ci", true},
		{conformance.NewRunID() + " page1", true},
		{"cf-1a2b3c4d", false}, // no space: not a name the suite gives
		{"cf-prod deploy key", false},
		{"cf-1A2B3C4D ci", false},
		{"cf-1a2b3c4 ci", false},
		{"cf-1a2b3c4de ci", false},
		{"my cf-1a2b3c4d ci", false},
	} {
		if got := conformance.MadeBySuite(tc.name); got != tc.want {
			t.Errorf("MadeBySuite(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRunIDHasTheFormCleanupFinds(t *testing.T) {
	t.Parallel()
	if id := conformance.NewRunID(); !conformance.IsRunID(id) || !conformance.MadeBySuite(id+" x") {
		t.Errorf("NewRunID() = %q, not the form cleanup finds", id)
	}
	cfg := mockConfig(t)
	cfg.RunID = "cf-nightly"
	if _, err := conformance.NewSuite(cfg); err == nil || !strings.Contains(err.Error(), "eight lowercase hex digits") {
		t.Errorf("NewSuite with run id cf-nightly: %v, want an error", err)
	}
}
