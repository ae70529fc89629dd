package admin

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/mux"
	"github.com/pb33f/go-yaml"

	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/reply"
	"github.com/astra-contract/astra-token-kit/mockserver/journal"
	"github.com/astra-contract/astra-token-kit/schemas"
)

func TestTheAdminDocumentLoadsWithItsFileReferences(t *testing.T) {
	doc, err := schemas.OpenAPISource(OpenAPIFile, references())
	if err != nil {
		t.Fatal(err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("BuildV3Model: %v", err)
	}
	if errs := model.Index.GetReferenceIndexErrors(); len(errs) > 0 {
		t.Errorf("reference errors: %v", errs)
	}
	if errs := model.Index.GetRolodex().GetCaughtErrors(); len(errs) > 0 {
		t.Errorf("rolodex errors: %v", errs)
	}
	if model.Model.Info.Version == "" || !strings.HasPrefix(model.Model.Version, "3.1") {
		t.Errorf("info.version %q, openapi %q", model.Model.Info.Version, model.Model.Version)
	}
}

func TestTheBundledAdminDocumentIsSelfContained(t *testing.T) {
	spec, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := yaml.Unmarshal(spec, &root); err != nil {
		t.Fatal(err)
	}
	var refs []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "$ref" {
					refs = append(refs, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(root)
	if len(refs) == 0 {
		t.Fatal("no references found")
	}
	for _, ref := range refs {
		pointer, ok := strings.CutPrefix(ref, "#/")
		if !ok {
			t.Errorf("reference %q is not local", ref)
			continue
		}
		var node any = root
		for _, seg := range strings.Split(pointer, "/") {
			m, ok := node.(map[string]any)
			if !ok {
				node = nil
				break
			}
			node = m[seg]
		}
		if node == nil {
			t.Errorf("reference %q resolves to nothing", ref)
		}
	}
	doc, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	if errs := model.Index.GetReferenceIndexErrors(); len(errs) > 0 {
		t.Errorf("reference errors: %v", errs)
	}
	if ok, errs := adminValidator.ValidateDocument(); !ok {
		t.Errorf("ValidateDocument:%s", describe(errs))
	}
}

// schemaProperties returns the property names of a component schema of
// the bundled document.
func schemaProperties(t *testing.T, name string) []string {
	t.Helper()
	doc, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	proxy, ok := model.Model.Components.Schemas.Get(name)
	if !ok {
		t.Fatalf("no component schema %s", name)
	}
	var names []string
	for k := range proxy.Schema().Properties.KeysFromOldest() {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// jsonNames returns the JSON member names of a struct type.
func jsonNames(v any) []string {
	var names []string
	typ := reflect.TypeOf(v)
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func TestTheDocumentsSchemasHaveTheMembersOfTheGoTypes(t *testing.T) {
	for _, tt := range []struct {
		component string
		value     any
	}{
		{"FaultRuleRequest", fault.Rule{}},
		{"FaultRule", fault.Rule{}},
		{"JournalEntry", journal.Entry{}},
		{"JournalList", journalList{}},
		{"FaultList", faultList{}},
		{"Health", healthBody{}},
	} {
		t.Run(tt.component, func(t *testing.T) {
			if diff := cmp.Diff(jsonNames(tt.value), schemaProperties(t, tt.component)); diff != "" {
				t.Errorf("members (-Go +document):\n%s", diff)
			}
		})
	}
}

func TestTheDocumentDescribesExactlyTheAdminRoutes(t *testing.T) {
	s := newStack(t)
	var routes []string
	err := s.Admin.(*admin).router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		path, err := route.GetPathTemplate()
		methods, ok := route.GetHandler().(reply.ByMethod)
		if err != nil || !ok {
			return nil // the 404 answer
		}
		for m := range methods {
			routes = append(routes, m+" "+path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for path, item := range model.Model.Paths.PathItems.FromOldest() {
		for method := range item.GetOperations().KeysFromOldest() {
			ops = append(ops, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(routes)
	slices.Sort(ops)
	if diff := cmp.Diff(routes, ops); diff != "" {
		t.Errorf("operations (-served +documented):\n%s", diff)
	}
}

func TestTheAdminDocumentIsEmbeddedWithTheSchemas(t *testing.T) {
	if _, err := schemas.Bytes(OpenAPIFile); err != nil {
		t.Fatal(err)
	}
}
