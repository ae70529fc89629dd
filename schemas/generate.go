package schemas

// The problem catalogue of CONTRACT.md is generated from problem.json;
// contract_test.go fails when it is stale.
//go:generate go run ./internal/contractdoc -f CONTRACT.md
