// Package readmeexample holds, in readme_test.go, conformance/README.md's
// example of running the conformance suite from a go test, so that it is
// compiled and run: it skips without ASTRA_* in the environment.
// TestREADMEShowsTheExample (package conformance) keeps the README's copy
// the same.
package readmeexample
