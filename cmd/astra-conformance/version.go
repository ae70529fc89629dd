package main

import "github.com/astra-contract/astra-token-kit/cmd/internal/buildinfo"

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
	return buildinfo.Version(stampedVersion)
}
