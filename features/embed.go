// Package features holds the conformance suite's feature files, embedded so
// that cmd/astra-conformance runs them from anywhere.
package features

import "embed"

// FS holds every *.feature file of this directory.
//
//go:embed *.feature
var FS embed.FS
