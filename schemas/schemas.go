package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/bundler"
	"github.com/pb33f/libopenapi/datamodel"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// OpenAPIFile is the name of the OpenAPI document inside FS.
const OpenAPIFile = "openapi.yaml"

// VirtualBasePath is the directory the embedded files pretend to live in when
// libopenapi resolves the OpenAPI document's relative file references. It is
// never read from disk: every file is served from FS.
const VirtualBasePath = "/astra-token-kit/schemas"

// ResourceBase is the URL prefix under which every embedded *.json file is
// registered with the jsonschema compiler; relative refs such as
// "types.json#/$defs/identifier" resolve against it.
const ResourceBase = "file:///schemas/"

// Schema file names, for Compile, ValidateJSON and Bytes.
const (
	Types         = "types.json"
	Label         = "label.json"
	Metadata      = "metadata.json"
	ListMetadata  = "list-metadata.json"
	Token         = "token.json"
	CreatedToken  = "created-token.json"
	TokenList     = "token-list.json"
	CreateRequest = "create-request.json"
	UpdateRequest = "update-request.json"
	Problem       = "problem.json"
)

// Bytes returns the embedded bytes of one file (a schema file name such as
// "token.json", or OpenAPIFile).
func Bytes(name string) ([]byte, error) {
	return FS.ReadFile(name)
}

// Names lists the embedded JSON Schema files (*.json), sorted.
func Names() []string {
	names, _ := fs.Glob(FS, "*.json") // fails only for a malformed pattern
	slices.Sort(names)
	return names
}

// sourceConfig returns the libopenapi configuration that resolves the
// relative file references of the document name of FS as they resolve in
// the repository, and the document's bytes. FS is the repository's schemas
// directory, at VirtualBasePath; extra holds the files the document refers
// to elsewhere in the repository, by their path there
// ("fixtures/schema.json"). Nothing is read from the disk.
func sourceConfig(name string, extra map[string][]byte) (*datamodel.DocumentConfiguration, []byte, error) {
	spec, err := FS.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	root := path.Dir(VirtualBasePath)
	dir := path.Base(VirtualBasePath)
	repo := fstest.MapFS{path.Join(dir, name): {Data: spec}}
	for _, f := range Names() {
		b, _ := FS.ReadFile(f) // listed by Names: embedded
		repo[path.Join(dir, f)] = &fstest.MapFile{Data: b}
	}
	for f, b := range extra {
		repo[f] = &fstest.MapFile{Data: b}
	}
	cfg := datamodel.NewDocumentConfiguration()
	cfg.BasePath = root
	cfg.SpecFilePath = path.Join(dir, name)
	cfg.LocalFS = repo
	cfg.AllowFileReferences = true
	cfg.AllowRemoteReferences = false
	cfg.ExtractRefsSequentially = true
	cfg.Logger = slog.New(slog.DiscardHandler)
	return cfg, spec, nil
}

// buildMu is the lock of every libopenapi build (see BundleOpenAPI).
var buildMu sync.Mutex

// WithBuildLock runs f holding the lock every libopenapi build of this
// package holds, for other work on libopenapi documents that must not run
// beside a build: libopenapi-validator compiling (rendering) a document's
// schemas, as mockserver.New does.
func WithBuildLock(f func() error) error {
	buildMu.Lock()
	defer buildMu.Unlock()
	return f()
}

// BundledFile is where `go generate ./schemas` writes the bundled
// openapi.yaml, relative to this directory.
const BundledFile = "bundled/openapi.yaml"

// BundledOpenAPI returns openapi.yaml as one self-contained document, made by
// libopenapi's bundler from the embedded files: every referenced schema file
// becomes a component schema named after the file, and the refs point there
// ("token.json" becomes "#/components/schemas/token",
// "types.json#/$defs/identifier" becomes
// "#/components/schemas/types__identifier", "problem.json#/$defs/invalidParam"
// becomes "#/components/schemas/problem__invalidParam"). Nothing is copied by
// hand: the schema files stay the single source, and the bundle is generated
// from them by `go generate ./schemas` (BundledFile, embedded), so that no
// program bundles at start-up; a test fails when it is stale. Callers must
// not modify the result.
func BundledOpenAPI() ([]byte, error) {
	return slices.Clip(bundledSpec), nil
}

// BundleOpenAPI bundles the OpenAPI document name of FS (OpenAPIFile,
// "admin-openapi.yaml") into one self-contained document, as BundledOpenAPI
// does for openapi.yaml. Its relative file references resolve as in the
// repository: to the files of FS, and to extra, the files the document
// refers to outside the schemas directory, by their path in the repository
// ("../fixtures/schema.json" is extra["fixtures/schema.json"]).
//
// Every libopenapi build of this package, bundling or parsing, holds one
// lock: libopenapi keeps package-level state (schema hash maps cleared on
// every model build) that concurrent builds would race on.
func BundleOpenAPI(name string, extra map[string][]byte) ([]byte, error) {
	cfg, spec, err := sourceConfig(name, extra)
	if err != nil {
		return nil, fmt.Errorf("schemas: reading %s: %w", name, err)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	out, err := bundler.BundleBytesComposed(spec, cfg, nil)
	if err != nil {
		return nil, fmt.Errorf("schemas: bundle %s: %w", name, err)
	}
	return out, nil
}

// OpenAPI returns the contract as a libopenapi document with its v3 model
// already built (doc.BuildV3Model() returns it again without rebuilding), ready
// for validator.NewValidator. It is the bundled form (see BundledOpenAPI), so
// it holds no file references and never touches the disk: it loads the same
// from any working directory.
//
// Why bundled: with the file references resolved directly (libopenapi's rolodex
// over FS, which does load without errors), libopenapi-validator v0.16.2
// intermittently fails to compile response schemas that are a $ref to a file
// ("The response schema for status code '200' failed to compile: schema node
// was not found in its root document" for getUserToken in roughly two of three
// freshly built validators), and then recompiles them on every call, racing
// inside libopenapi's renderer. The bundled document has no such failures.
//
// Each call returns a new document, safe to hand to one validator.
func OpenAPI() (libopenapi.Document, error) {
	spec, err := BundledOpenAPI()
	if err != nil {
		return nil, err
	}
	return LoadOpenAPI(spec)
}

// LoadOpenAPI parses a bundled OpenAPI document (BundledOpenAPI,
// BundleOpenAPI) into a new libopenapi document with its v3 model built,
// holding the lock of BundleOpenAPI while it builds.
func LoadOpenAPI(spec []byte) (libopenapi.Document, error) {
	cfg := datamodel.NewDocumentConfiguration()
	cfg.Logger = slog.New(slog.DiscardHandler)
	return newDocument("bundled document", spec, cfg)
}

// OpenAPISource loads the OpenAPI document name of FS with its file
// references resolved directly, not bundled (extra as for BundleOpenAPI),
// and builds its v3 model, under the lock of BundleOpenAPI. The tests use
// it to check the sources' own references.
func OpenAPISource(name string, extra map[string][]byte) (libopenapi.Document, error) {
	cfg, spec, err := sourceConfig(name, extra)
	if err != nil {
		return nil, err
	}
	return newDocument(name, spec, cfg)
}

// newDocument parses spec and builds its v3 model under the lock of
// BundleOpenAPI; errors name the document as what.
func newDocument(what string, spec []byte, cfg *datamodel.DocumentConfiguration) (libopenapi.Document, error) {
	buildMu.Lock()
	defer buildMu.Unlock()
	doc, err := libopenapi.NewDocumentWithConfiguration(spec, cfg)
	if err != nil {
		return nil, fmt.Errorf("schemas: parse %s: %w", what, err)
	}
	if _, err := doc.BuildV3Model(); err != nil {
		return nil, fmt.Errorf("schemas: build %s: %w", what, err)
	}
	return doc, nil
}

// Compiler returns a new draft 2020-12 jsonschema compiler holding every
// embedded *.json file as a resource at ResourceBase+name, so relative refs
// between the files resolve without touching the disk or the network.
// Patterns are compiled with Go's regexp (RE2), as the mock and suite use them.
func Compiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schemas: refusing to load %q: only embedded schemas are available", s)
	}
	for _, name := range Names() {
		b, _ := FS.ReadFile(name) // listed by Names: embedded
		if err := c.AddResource(ResourceBase+name, bytes.NewReader(b)); err != nil {
			// The files are embedded and covered by tests: a failure here is a
			// programming error, like regexp.MustCompile.
			panic(fmt.Sprintf("schemas: add %s: %v", name, err))
		}
	}
	return c
}

// compiler compiles every schema Compile returns; a jsonschema compiler
// keeps what it compiled, but is not safe for concurrent use.
var (
	compileMu sync.Mutex
	compiler  *jsonschema.Compiler
)

// Compile returns the compiled schema of one embedded file, e.g.
// Compile("token.json") or Compile("types.json#/$defs/identifier"). Results
// are cached; a *jsonschema.Schema is safe for concurrent use.
func Compile(name string) (*jsonschema.Schema, error) {
	file, _, _ := strings.Cut(name, "#")
	if _, err := fs.Stat(FS, path.Clean(file)); err != nil || path.Ext(file) != ".json" {
		return nil, fmt.Errorf("schemas: no schema file %q", file)
	}
	compileMu.Lock()
	defer compileMu.Unlock()
	if compiler == nil {
		compiler = Compiler()
	}
	return compiler.Compile(ResourceBase + name)
}

// ValidateJSON decodes body as JSON and validates it against the named schema.
// A body that is not JSON gives an error that is not a
// *jsonschema.ValidationError; a schema failure gives a
// *jsonschema.ValidationError (use errors.As), whose Error() is a readable
// one-line-per-cause description.
func ValidateJSON(name string, body []byte) error {
	s, err := Compile(name)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("schemas: not JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("schemas: not JSON: data after the top-level value")
	}
	return s.Validate(v)
}
