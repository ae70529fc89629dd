// Package buildinfo tells the kit's commands their version.
package buildinfo

import "runtime/debug"

// Version is the version a command reports: stamped when the build set it
// (make image and make dist link each command with
// -ldflags "-X main.stampedVersion=…" and pass that variable here), else
// the main module's version from the build information (go install
// …@v1.2.3), else "devel".
func Version(stamped string) string {
	if stamped != "" {
		return stamped
	}
	return moduleVersion(debug.ReadBuildInfo())
}

func moduleVersion(bi *debug.BuildInfo, ok bool) string {
	if ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
