// Command stepdoc writes the conformance step reference, STEPS.md, from
// conformance.StepDefinitions and conformance.Placeholders. It is run by
// `go generate ./conformance` (see ../../generate.go), in that directory.
//
//	go run ./internal/stepdoc [-o STEPS.md]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/astra-contract/astra-token-kit/conformance"
)

func main() {
	out := flag.String("o", "STEPS.md", "write the reference to `FILE`")
	flag.Parse()
	if err := os.WriteFile(*out, conformance.StepReference(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "stepdoc:", err)
		os.Exit(1)
	}
}
