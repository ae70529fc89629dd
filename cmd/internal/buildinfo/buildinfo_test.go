package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestVersion(t *testing.T) {
	if got := Version("v1.2.3"); got != "v1.2.3" {
		t.Errorf("Version(stamped) = %q, want the stamp", got)
	}
	if got := Version(""); got == "" {
		t.Error("Version without a stamp is empty")
	}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"a module version", &debug.BuildInfo{Main: debug.Module{Version: "v0.4.0"}}, true, "v0.4.0"},
		{"a build in the module's own tree", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "devel"},
		{"no version recorded", &debug.BuildInfo{}, true, "devel"},
		{"no build information", nil, false, "devel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := moduleVersion(tc.bi, tc.ok); got != tc.want {
				t.Errorf("moduleVersion = %q, want %q", got, tc.want)
			}
		})
	}
}
