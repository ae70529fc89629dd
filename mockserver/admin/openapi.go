package admin

import (
	"sync"

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

// bundled is the admin document, bundled on first use (the first GET
// /__admin/openapi.yaml, or a test), not at start-up: the mock needs it only
// to serve it. schemas serializes every libopenapi build, and the mock's
// own validator compilation, with one lock. libopenapi's bundler turns every
// referenced file into a component schema named after it ("problem.json"
// becomes #/components/schemas/problem, "../fixtures/schema.json"
// #/components/schemas/schema), as for the Token API's document.
var bundled = sync.OnceValues(func() ([]byte, error) {
	return schemas.BundleOpenAPI(OpenAPIFile, references())
})

// OpenAPI returns the admin API's OpenAPI document (schemas/admin-openapi.yaml)
// bundled into one self-contained document, as GET /__admin/openapi.yaml
// serves it. Callers must not modify it.
func OpenAPI() ([]byte, error) { return bundled() }

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
