package admin

import (
	"github.com/pb33f/libopenapi"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// OpenAPIFile is the admin API's OpenAPI document inside schemas.FS.
const OpenAPIFile = "admin-openapi.yaml"

// references are the files outside schemas/ the admin document refers to:
// the fixtures document's schema ("../fixtures/schema.json", which itself
// refers to "../schemas/types.json").
func references() map[string][]byte {
	return map[string][]byte{"fixtures/schema.json": fixtures.SchemaJSON()}
}

// The bundled document is made while the package initializes, before any
// goroutine of the program runs: schemas serializes libopenapi's builds
// (BundleOpenAPI, LoadOpenAPI), but mockserver.New compiles its validators'
// schemas outside that lock, and NewStack is called from parallel tests.
// libopenapi's bundler turns every referenced file into a component schema
// named after it ("problem.json" becomes #/components/schemas/problem,
// "../fixtures/schema.json" #/components/schemas/schema), as for the Token
// API's document.
var bundled, bundleErr = schemas.BundleOpenAPI(OpenAPIFile, references())

// OpenAPI returns the admin API's OpenAPI document (schemas/admin-openapi.yaml)
// bundled into one self-contained document, as GET /__admin/openapi.yaml
// serves it. Callers must not modify it.
func OpenAPI() ([]byte, error) { return bundled, bundleErr }

// OpenAPIDocument parses OpenAPI() into a libopenapi document with its v3
// model built, ready for libopenapi-validator (build the validator with
// config.WithoutSecurityValidation()). Each call returns a new document.
// Calls are serialized with schemas.OpenAPI's builds, but not with the
// validators mockserver.New builds: do not run them concurrently with it.
func OpenAPIDocument() (libopenapi.Document, error) {
	spec, err := OpenAPI()
	if err != nil {
		return nil, err
	}
	return schemas.LoadOpenAPI(spec)
}
