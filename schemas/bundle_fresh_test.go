package schemas_test

import (
	"bytes"
	"testing"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// TestTheBundledDocumentIsFresh bundles openapi.yaml from the schema files
// now and requires the generated, embedded bundle to be those bytes.
func TestTheBundledDocumentIsFresh(t *testing.T) {
	fresh, err := schemas.BundleOpenAPI(schemas.OpenAPIFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := schemas.BundledOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, embedded) {
		t.Fatalf("%s is stale (%d bytes; bundling the sources now gives %d): run `go generate ./schemas`", schemas.BundledFile, len(embedded), len(fresh))
	}
}
