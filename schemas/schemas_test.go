package schemas

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

var wantFiles = []string{
	CreateRequest, CreatedToken, Label, ListMetadata, Metadata,
	Problem, TokenList, Token, Types, UpdateRequest,
}

func TestNamesAndBytes(t *testing.T) {
	want := slices.Clone(wantFiles)
	slices.Sort(want)
	if got := Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	for _, name := range append(Names(), OpenAPIFile) {
		b, err := Bytes(name)
		if err != nil || len(b) == 0 {
			t.Errorf("Bytes(%q): %d bytes, %v", name, len(b), err)
		}
	}
	if _, err := Bytes("nope.json"); err == nil {
		t.Errorf("Bytes of a missing file: no error")
	}
}

// walk calls fn for every JSON Schema object in a schema document (the root,
// $defs, properties, items, allOf/anyOf/oneOf, if/then/else, ...).
func walk(path string, v any, fn func(path string, s map[string]any)) {
	s, ok := v.(map[string]any)
	if !ok {
		return
	}
	fn(path, s)
	for _, k := range []string{"$defs", "properties"} {
		if m, ok := s[k].(map[string]any); ok {
			for name, sub := range m {
				walk(path+"/"+k+"/"+name, sub, fn)
			}
		}
	}
	for _, k := range []string{"items", "additionalProperties", "not", "if", "then", "else", "contains"} {
		walk(path+"/"+k, s[k], fn)
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf", "prefixItems"} {
		if a, ok := s[k].([]any); ok {
			for i, sub := range a {
				walk(fmt.Sprintf("%s/%s/%d", path, k, i), sub, fn)
			}
		}
	}
}

// TestSchemaFilesConventions checks the rules every schema file follows:
// draft 2020-12 $schema, no $id, relative refs to files that exist, objects
// closed (except the problem root), RE2 patterns.
func TestSchemaFilesConventions(t *testing.T) {
	for _, name := range Names() {
		b, _ := Bytes(name)
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s: $schema = %v", name, doc["$schema"])
		}
		walk("#", doc, func(p string, s map[string]any) {
			if _, ok := s["$id"]; ok {
				t.Errorf("%s%s: has $id", name, p)
			}
			if ref, ok := s["$ref"].(string); ok {
				file, _, _ := strings.Cut(ref, "#")
				if strings.Contains(ref, "://") || strings.HasPrefix(ref, "/") {
					t.Errorf("%s%s: $ref %q is not relative", name, p, ref)
				} else if file != "" && !slices.Contains(wantFiles, file) {
					t.Errorf("%s%s: $ref %q names no schema file", name, p, ref)
				}
			}
			if pat, ok := s["pattern"].(string); ok {
				if _, err := regexp.Compile(pat); err != nil {
					t.Errorf("%s%s: pattern is not RE2: %v", name, p, err)
				}
			}
			if s["type"] == "object" {
				ap, ok := s["additionalProperties"]
				switch {
				case name == Problem && p == "#":
					if ap != true {
						t.Errorf("%s: the problem root must allow extra fields", name)
					}
				case !ok || ap != false:
					t.Errorf("%s%s: object not closed (additionalProperties: %v)", name, p, ap)
				}
			}
		})
	}
}

func TestCompileAll(t *testing.T) {
	for _, name := range Names() {
		if _, err := Compile(name); err != nil {
			t.Errorf("Compile(%q): %v", name, err)
		}
	}
	for _, def := range []string{"identifier", "timestamp", "base64", "tokenName", "mediaType", "version"} {
		if _, err := Compile(Types + "#/$defs/" + def); err != nil {
			t.Errorf("Compile(types.json#/$defs/%s): %v", def, err)
		}
	}
	if _, err := Compile("nope.json"); err == nil {
		t.Errorf("Compile of a missing file: no error")
	}
	if _, err := Compile("../go.mod"); err == nil {
		t.Errorf("Compile of a file outside the package: no error")
	}
	// a fresh compiler works too, and never goes to the network or disk
	if _, err := Compiler().Compile(ResourceBase + TokenList); err != nil {
		t.Errorf("Compiler(): %v", err)
	}
	if _, err := Compiler().Compile("https://example.com/x.json"); err == nil {
		t.Errorf("Compiler() loaded a remote schema")
	}
}

func TestCompileConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, name := range Names() {
				if err := ValidateJSON(name, []byte(`{}`)); err == nil && !slices.Contains([]string{Metadata, ListMetadata, Types}, name) {
					t.Errorf("%s: {} passed", name)
				}
			}
		}()
	}
	wg.Wait()
}

func TestValidateJSONErrors(t *testing.T) {
	if err := ValidateJSON(Token, []byte(`{"type":`)); err == nil || errors.As(err, new(*jsonschema.ValidationError)) {
		t.Errorf("truncated JSON: %v", err)
	}
	if err := ValidateJSON(Token, []byte(`{} {}`)); err == nil || errors.As(err, new(*jsonschema.ValidationError)) {
		t.Errorf("two values: %v", err)
	}
	err := ValidateJSON(Token, []byte(`{}`))
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("schema failure is not a *jsonschema.ValidationError: %v", err)
	}
}

type seedIndex struct {
	Examples []struct {
		File, Schema, Seed, Lines, Note string
	}
}

// TestSeedExamples validates every JSON body copied from the seeds (see
// testdata/seed-examples/index.json for where each comes from).
func TestSeedExamples(t *testing.T) {
	dir := filepath.Join("testdata", "seed-examples")
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx seedIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{"index.json": true}
	for _, ex := range idx.Examples {
		listed[ex.File] = true
		t.Run(ex.File, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, ex.File))
			if err != nil {
				t.Fatal(err)
			}
			if ex.Seed == "" || ex.Lines == "" {
				t.Errorf("no seed reference")
			}
			if err := ValidateJSON(ex.Schema, body); err != nil {
				t.Errorf("%s (seed %s lines %s) against %s: %v", ex.File, ex.Seed, ex.Lines, ex.Schema, err)
			}
		})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("%s is not listed in index.json", e.Name())
		}
	}
	if len(idx.Examples) < 11 {
		t.Errorf("only %d seed examples", len(idx.Examples))
	}
}
