package main

// stampedVersion is the version stamped in at build time, as make image and
// make dist do:
//
//	go build -ldflags "-X main.stampedVersion=v1.2.3" ./cmd/astra-mock
//
// Empty in a plain go build or go run; version then falls back to the
// module version the build information records.
var stampedVersion string
