// Command bundledoc writes bundled/openapi.yaml: openapi.yaml bundled with
// libopenapi's bundler from the embedded schema files (schemas.BundleOpenAPI).
// It is run by `go generate ./schemas` (see ../../generate.go), in that
// directory.
//
//	go run ./internal/bundledoc [-o bundled/openapi.yaml]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/astra-contract/astra-token-kit/schemas"
)

func main() {
	out := flag.String("o", schemas.BundledFile, "the file to write")
	flag.Parse()
	spec, err := schemas.BundleOpenAPI(schemas.OpenAPIFile, nil)
	if err == nil {
		err = os.WriteFile(*out, spec, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bundledoc:", err)
		os.Exit(1)
	}
}
