package schemas

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pb33f/go-yaml"
)

// normalizeRefs rewrites every "$ref" in v with fn and returns a JSON-shaped copy.
func normalizeRefs(t *testing.T, v any, fn func(string) string) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "$ref" {
					v[k] = fn(s)
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(out)
	return out
}

// TestBundleMatchesSources proves the bundled document (what OpenAPI serves)
// is made of the schema files, unchanged: each component schema equals its
// file (or $defs entry) once references are mapped back.
func TestBundleMatchesSources(t *testing.T) {
	spec, err := BundledOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]any `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	got := doc.Components.Schemas
	want := map[string]any{}
	for _, name := range Names() {
		b, _ := Bytes(name)
		var s map[string]any
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(name, ".json")
		local := func(ref string) string {
			if strings.HasPrefix(ref, "#") {
				return name + ref
			}
			return ref
		}
		if defs, ok := s["$defs"].(map[string]any); ok {
			for def, d := range defs {
				want[base+"__"+def] = normalizeRefs(t, d, local)
			}
			delete(s, "$defs")
		}
		if name != Types {
			want[base] = normalizeRefs(t, s, local)
		}
	}
	var gotNames, wantNames []string
	for k := range got {
		gotNames = append(gotNames, k)
	}
	for k := range want {
		wantNames = append(wantNames, k)
	}
	sort.Strings(gotNames)
	sort.Strings(wantNames)
	if !reflect.DeepEqual(gotNames, wantNames) {
		t.Fatalf("bundled component schemas %v, want %v", gotNames, wantNames)
	}
	for name, w := range want {
		g := normalizeRefs(t, got[name], fileRef)
		// the bundler leaves a (now unreferenced) copy of a file's $defs in its
		// component, besides the components it made of them
		if m, ok := g.(map[string]any); ok {
			delete(m, "$defs")
		}
		if !reflect.DeepEqual(g, w) {
			gb, _ := json.MarshalIndent(g, "", " ")
			wb, _ := json.MarshalIndent(w, "", " ")
			t.Errorf("component %s differs from its file:\n got %s\nwant %s", name, gb, wb)
		}
	}
	// openapi.yaml itself holds no schema components: they all come from files
	src, _ := Bytes(OpenAPIFile)
	var raw struct {
		Components map[string]any `yaml:"components"`
	}
	if err := yaml.Unmarshal(src, &raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw.Components["schemas"]; ok {
		t.Errorf("openapi.yaml has components/schemas; schemas belong in the *.json files")
	}
	// stable: computed once
	again, _ := BundledOpenAPI()
	if &again[0] != &spec[0] {
		t.Errorf("BundledOpenAPI is recomputed")
	}
}
