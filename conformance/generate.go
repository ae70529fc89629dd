package conformance

// STEPS.md, the step reference, is generated from the step definitions;
// stepdoc_test.go fails when it is stale.
//go:generate go run ./internal/stepdoc -o STEPS.md
