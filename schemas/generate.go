package schemas

// The problem catalogue of CONTRACT.md is generated from problem.json;
// contract_test.go fails when it is stale.
//go:generate go run ./internal/contractdoc -f CONTRACT.md

// bundled/openapi.yaml is openapi.yaml bundled from the schema files;
// TestTheBundledDocumentIsFresh fails when it is stale.
//go:generate go run ./internal/bundledoc -o bundled/openapi.yaml
