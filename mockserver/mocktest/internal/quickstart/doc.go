// Package quickstart holds, in quickstart_test.go, the Go quick start of
// the repository's README.md, so that it is compiled and run with the other
// tests; TestREADMEShowsTheQuickStart keeps the README's copy the same.
package quickstart
