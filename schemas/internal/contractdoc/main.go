// Command contractdoc regenerates the problem catalogue of CONTRACT.md from
// problem.json. It is run by `go generate ./schemas` (see ../../generate.go),
// in that directory.
//
//	go run ./internal/contractdoc [-f CONTRACT.md]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/astra-contract/astra-token-kit/schemas"
)

func main() {
	file := flag.String("f", schemas.ContractFile, "the contract document to update in place")
	flag.Parse()
	if err := update(*file); err != nil {
		fmt.Fprintln(os.Stderr, "contractdoc:", err)
		os.Exit(1)
	}
}

func update(file string) error {
	doc, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	out, err := schemas.UpdateContract(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(file, out, 0o644)
}
