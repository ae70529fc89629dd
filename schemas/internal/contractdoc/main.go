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
	doc, err := os.ReadFile(*file)
	if err == nil {
		doc, err = schemas.UpdateContract(doc)
	}
	if err == nil {
		err = os.WriteFile(*file, doc, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "contractdoc:", err)
		os.Exit(1)
	}
}
