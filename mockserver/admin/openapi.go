package admin

import (
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"sync"
	"testing/fstest"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/bundler"
	"github.com/pb33f/libopenapi/datamodel"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// OpenAPIFile is the admin API's OpenAPI document inside schemas.FS.
const OpenAPIFile = "admin-openapi.yaml"

// virtualRoot is the directory the repository pretends to live in while
// libopenapi resolves the document's relative file references; nothing is
// read from the disk.
const virtualRoot = "/astra-token-kit"

// sourceFS lays out the files the admin document refers to as they are in
// the repository: schemas/*.json and schemas/admin-openapi.yaml from
// schemas.FS, and fixtures/schema.json (the fixtures document's schema,
// "../fixtures/schema.json" from the document, which itself refers to
// "../schemas/types.json").
func sourceFS() (fs.FS, []byte, error) {
	m := fstest.MapFS{}
	spec, err := schemas.FS.ReadFile(OpenAPIFile)
	if err != nil {
		return nil, nil, err
	}
	m["schemas/"+OpenAPIFile] = &fstest.MapFile{Data: spec}
	for _, name := range schemas.Names() {
		b, err := schemas.FS.ReadFile(name)
		if err != nil {
			return nil, nil, err
		}
		m["schemas/"+name] = &fstest.MapFile{Data: b}
	}
	m["fixtures/schema.json"] = &fstest.MapFile{Data: fixtures.SchemaJSON()}
	return m, spec, nil
}

// bundle makes the self-contained document: libopenapi's bundler turns
// every referenced file into a component schema named after it
// ("problem.json" becomes #/components/schemas/problem,
// "../fixtures/schema.json" #/components/schemas/schema), as
// schemas.BundledOpenAPI does for the Token API's document.
func bundle() ([]byte, error) {
	fsys, spec, err := sourceFS()
	if err != nil {
		return nil, fmt.Errorf("admin: reading %s: %w", OpenAPIFile, err)
	}
	cfg := datamodel.NewDocumentConfiguration()
	cfg.BasePath = virtualRoot
	cfg.SpecFilePath = "schemas/" + OpenAPIFile
	cfg.LocalFS = fsys
	cfg.AllowFileReferences = true
	cfg.AllowRemoteReferences = false
	cfg.ExtractRefsSequentially = true
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	out, err := bundler.BundleBytesComposed(spec, cfg, nil)
	if err != nil {
		return nil, fmt.Errorf("admin: bundle %s: %w", OpenAPIFile, err)
	}
	return out, nil
}

// The bundled document is made while the package initializes, before any
// goroutine of the program runs: libopenapi keeps package-level state that
// building documents concurrently would race on (schemas serializes its
// own builds with a lock this package cannot take), and NewStack is called
// from parallel tests.
var bundled, bundleErr = bundle()

// OpenAPI returns the admin API's OpenAPI document (schemas/admin-openapi.yaml)
// bundled into one self-contained document, as GET /__admin/openapi.yaml
// serves it. Callers must not modify it.
func OpenAPI() ([]byte, error) { return bundled, bundleErr }

var docMu sync.Mutex

// OpenAPIDocument parses OpenAPI() into a libopenapi document with its v3
// model built, ready for libopenapi-validator (build the validator with
// config.WithoutSecurityValidation()). Each call returns a new document.
// Calls are serialized with each other, but not with schemas.OpenAPI or
// mockserver.New: do not run them concurrently with those.
func OpenAPIDocument() (libopenapi.Document, error) {
	spec, err := OpenAPI()
	if err != nil {
		return nil, err
	}
	docMu.Lock()
	defer docMu.Unlock()
	cfg := datamodel.NewDocumentConfiguration()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	doc, err := libopenapi.NewDocumentWithConfiguration(spec, cfg)
	if err != nil {
		return nil, fmt.Errorf("admin: parse bundled %s: %w", OpenAPIFile, err)
	}
	if _, err := doc.BuildV3Model(); err != nil {
		return nil, fmt.Errorf("admin: build bundled %s: %w", OpenAPIFile, err)
	}
	return doc, nil
}
