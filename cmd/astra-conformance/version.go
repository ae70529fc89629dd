package main

// stampedVersion is the version stamped in at build time, as make image and
// make dist do:
//
//	go build -ldflags "-X main.stampedVersion=v1.2.3" ./cmd/astra-conformance
//
// Empty in a plain go build or go run; -version then prints the module
// version of the build, else "devel" (buildinfo.Version).
var stampedVersion string
