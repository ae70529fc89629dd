package main

import (
	"strings"
	"testing"
)

func TestVersionPrintsTheStampedVersionAndRunsNothing(t *testing.T) {
	for _, tc := range []struct{ stamped, want string }{
		{"", "astra-conformance "},
		{"v1.2.3", "astra-conformance v1.2.3\n"},
	} {
		t.Run("stamped "+tc.stamped, func(t *testing.T) {
			defer func(old string) { stampedVersion = old }(stampedVersion)
			stampedVersion = tc.stamped
			code, out, _ := command(t, nil, "-version")
			if code != exitPass || !strings.HasPrefix(out, tc.want) {
				t.Fatalf("-version: exit %d, printed %q; want 0 and %q", code, out, tc.want)
			}
		})
	}
}
