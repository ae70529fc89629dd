package main

import "runtime/debug"

// stampedVersion is the version stamped in at build time, as make image and
// make dist do:
//
//	go build -ldflags "-X main.stampedVersion=v1.2.3" ./cmd/astra-conformance
//
// Empty in a plain go build or go run.
var stampedVersion string

// version is the stamped version, else the module version of the build,
// else "devel".
func version() string {
	if stampedVersion != "" {
		return stampedVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
