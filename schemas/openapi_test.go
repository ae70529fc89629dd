package schemas

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
)

func mustModel(t *testing.T) (libopenapi.Document, *v3.Document) {
	t.Helper()
	doc, err := OpenAPI()
	if err != nil {
		t.Fatalf("OpenAPI(): %v", err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("BuildV3Model: %v", err)
	}
	return doc, &m.Model
}

func mustSourceModel(t *testing.T) *v3.Document {
	t.Helper()
	doc, err := OpenAPISource(OpenAPIFile, nil)
	if err != nil {
		t.Fatalf("OpenAPISource(OpenAPIFile, nil): %v", err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("BuildV3Model: %v", err)
	}
	return &m.Model
}

// fileRef maps a reference of the bundled document back to the schema file it
// was made from: "#/components/schemas/token" -> "token.json",
// "#/components/schemas/types__identifier" -> "types.json#/$defs/identifier".
// Other references are returned unchanged.
func fileRef(ref string) string {
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok {
		return ref
	}
	if file, def, ok := strings.Cut(name, "__"); ok {
		return file + ".json#/$defs/" + def
	}
	return name + ".json"
}

func TestOpenAPILoadsAndValidates(t *testing.T) {
	doc, model := mustModel(t)
	if got := doc.GetVersion(); got != "3.1.0" {
		t.Errorf("openapi version = %q, want 3.1.0", got)
	}
	if errs := doc.GetRolodex().GetCaughtErrors(); len(errs) > 0 {
		t.Errorf("rolodex errors: %v", errs)
	}
	// the source, with its file references resolved directly, loads too
	src, err := OpenAPISource(OpenAPIFile, nil)
	if err != nil {
		t.Fatalf("OpenAPISource(OpenAPIFile, nil): %v", err)
	}
	if errs := src.GetRolodex().GetCaughtErrors(); len(errs) > 0 {
		t.Errorf("source rolodex errors: %v", errs)
	}
	if model.Paths == nil || model.Paths.PathItems.Len() != 4 {
		t.Fatalf("want 4 paths")
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("NewValidator: %v", errs)
	}
	ok, verrs := v.ValidateDocument()
	if !ok || len(verrs) > 0 {
		for _, e := range verrs {
			t.Errorf("ValidateDocument: %v", e)
		}
	}
}

// The document must load from any working directory: nothing may be read from
// the disk.
func TestOpenAPIFromOtherDirectory(t *testing.T) {
	t.Chdir(t.TempDir())
	doc, model := mustModel(t)
	sch := model.Components.Responses.GetOrZero("Token").Content.GetOrZero("application/json").Schema.Schema()
	if sch == nil || sch.Properties == nil || sch.Properties.GetOrZero("userID") == nil {
		t.Fatalf("token.json did not resolve from the embedded FS")
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		t.Fatal(verrs)
	}
	if _, err := Compile(Token); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenAPISource(OpenAPIFile, nil); err != nil {
		t.Fatal(err)
	}
}

type opSpec struct {
	path, method string
	codes        []string
}

const (
	uColl = "/accounts/{account_id}/core/v1/users/{user_id}/tokens"
	uItem = uColl + "/{token_id}"
	gColl = "/accounts/{account_id}/core/v1/groups/{group_id}/users/{user_id}/tokens"
	gItem = gColl + "/{token_id}"
)

var wantOps = map[string]opSpec{
	"createUserToken":      {uColl, "post", []string{"201", "400", "401", "403", "404", "406", "409", "413"}},
	"listUserTokens":       {uColl, "get", []string{"200", "400", "401", "403", "404", "406"}},
	"getUserToken":         {uItem, "get", []string{"200", "400", "401", "403", "404", "406"}},
	"updateUserToken":      {uItem, "put", []string{"204", "400", "401", "403", "404", "409", "412", "413"}},
	"deleteUserToken":      {uItem, "delete", []string{"204", "400", "401", "403", "404"}},
	"createGroupUserToken": {gColl, "post", []string{"201", "400", "401", "403", "404", "406", "409", "413"}},
	"listGroupUserTokens":  {gColl, "get", []string{"200", "400", "401", "403", "404", "406"}},
	"getGroupUserToken":    {gItem, "get", []string{"200", "400", "401", "403", "404", "406"}},
	"updateGroupUserToken": {gItem, "put", []string{"204", "400", "401", "403", "404", "409", "412", "413"}},
	"deleteGroupUserToken": {gItem, "delete", []string{"204", "400", "401", "403", "404"}},
}

// problemTypes returns the enum of problem types a problem response allows
// (from its allOf restriction) and the status it pins.
func problemTypes(t *testing.T, r *v3.Response, norm func(string) string) ([]string, string) {
	t.Helper()
	mt := r.Content.GetOrZero("application/problem+json")
	if mt == nil || r.Content.Len() != 1 {
		t.Fatalf("problem response %q: want exactly application/problem+json", r.Description)
	}
	sch := mt.Schema.Schema()
	if len(sch.AllOf) != 2 || norm(sch.AllOf[0].GetReference()) != "problem.json" {
		t.Fatalf("problem response %q: want allOf [problem.json, restriction]", r.Description)
	}
	restr := sch.AllOf[1].Schema()
	var types []string
	for _, n := range restr.Properties.GetOrZero("type").Schema().Enum {
		types = append(types, strings.TrimPrefix(n.Value, "https://astra.netapp.io/problems/"))
	}
	status := restr.Properties.GetOrZero("status").Schema().Const.Value
	return types, status
}

func TestOpenAPIOperations(t *testing.T) {
	_, bundledModel := mustModel(t)
	t.Run("bundled", func(t *testing.T) { checkOperations(t, bundledModel, fileRef) })
	t.Run("source", func(t *testing.T) {
		checkOperations(t, mustSourceModel(t), func(ref string) string {
			if strings.HasPrefix(ref, "#/") {
				t.Errorf("the source refers to %q, not to a file", ref)
			}
			return ref
		})
	})
}

func checkOperations(t *testing.T, model *v3.Document, norm func(string) string) {
	seen := map[string]bool{}
	for path, item := range model.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			want, ok := wantOps[op.OperationId]
			if !ok {
				t.Errorf("%s %s: unexpected operationId %q", method, path, op.OperationId)
				continue
			}
			seen[op.OperationId] = true
			if want.path != path || want.method != method {
				t.Errorf("%s: at %s %s, want %s %s", op.OperationId, method, path, want.method, want.path)
			}
			var codes []string
			for code := range op.Responses.Codes.KeysFromOldest() {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			if !slices.Equal(codes, want.codes) {
				t.Errorf("%s: responses %v, want %v", op.OperationId, codes, want.codes)
			}
			if op.Responses.Default != nil {
				t.Errorf("%s: unexpected default response", op.OperationId)
			}
			// the problem types allowed per status (CONTRACT.md §1, §6)
			for code, r := range op.Responses.Codes.FromOldest() {
				if code[0] != '4' {
					continue
				}
				types, status := problemTypes(t, r, norm)
				if status != code {
					t.Errorf("%s %s: status const %q", op.OperationId, code, status)
				}
				var want []string
				switch {
				case code == "400" && (method == "post" || method == "put"):
					want = []string{"5", "6", "7", "8", "9", "33", "35"}
				case code == "400":
					want = []string{"5", "6", "33", "35"}
				case code == "401":
					want = []string{"3", "4"}
				case code == "403":
					want = []string{"11"}
				case code == "404" && (method == "post" || method == "get"):
					want = []string{"2"}
				case code == "404":
					want = []string{"1"}
				case code == "406":
					want = []string{"32"}
				case code == "409":
					want = []string{"10"}
				case code == "412":
					want = []string{"38"}
				case code == "413":
					want = []string{"85"}
				}
				if !slices.Equal(types, want) {
					t.Errorf("%s %s: problem types %v, want %v", op.OperationId, code, types, want)
				}
			}
			// every response documents X-Request-ID
			for code, r := range op.Responses.Codes.FromOldest() {
				if r.Headers.GetOrZero("X-Request-ID") == nil {
					t.Errorf("%s %s: no X-Request-ID header", op.OperationId, code)
				}
			}
			// path parameters: identifiers from types.json
			var pathParams []string
			for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
				if p.In != "path" {
					continue
				}
				pathParams = append(pathParams, p.Name)
				if ref := norm(p.Schema.GetReference()); ref != "types.json#/$defs/identifier" {
					t.Errorf("%s: path parameter %s refers to %q", op.OperationId, p.Name, ref)
				}
				if p.Required == nil || !*p.Required {
					t.Errorf("%s: path parameter %s not required", op.OperationId, p.Name)
				}
			}
			for _, name := range []string{"account_id", "group_id", "user_id", "token_id"} {
				if strings.Contains(path, "{"+name+"}") != slices.Contains(pathParams, name) {
					t.Errorf("%s: path parameter %s declared=%v", op.OperationId, name, slices.Contains(pathParams, name))
				}
			}
			// query parameters: exactly the seven on lists, none elsewhere
			var query []string
			for _, p := range op.Parameters {
				if p.In == "query" {
					query = append(query, p.Name)
				}
			}
			sort.Strings(query)
			wantQuery := []string(nil)
			if strings.HasPrefix(op.OperationId, "list") {
				wantQuery = []string{"continue", "count", "filter", "include", "limit", "orderBy", "skip"}
			}
			if !slices.Equal(query, wantQuery) {
				t.Errorf("%s: query parameters %v, want %v", op.OperationId, query, wantQuery)
			}
			// request bodies
			switch method {
			case "post", "put":
				rb := op.RequestBody
				if rb == nil || rb.Required == nil || !*rb.Required {
					t.Fatalf("%s: request body missing or not required", op.OperationId)
				}
				want := map[string]string{"post": CreateRequest, "put": UpdateRequest}[method]
				for _, ct := range []string{"application/json", "application/astra-token+json"} {
					mt := rb.Content.GetOrZero(ct)
					if mt == nil || norm(mt.Schema.GetReference()) != want {
						t.Errorf("%s: request %s does not refer to %s", op.OperationId, ct, want)
					}
				}
			default:
				if op.RequestBody != nil {
					t.Errorf("%s: unexpected request body", op.OperationId)
				}
			}
			// success bodies
			success := map[string]struct {
				code, schema string
				types        []string
				header       string
			}{
				"post":   {"201", CreatedToken, []string{"application/json", "application/astra-token+json"}, "Location"},
				"put":    {"204", "", nil, ""},
				"delete": {"204", "", nil, ""},
			}
			s, ok := success[method]
			if method == "get" {
				if strings.HasPrefix(op.OperationId, "list") {
					s = success["list"]
					s.code, s.schema, s.types = "200", TokenList, []string{"application/json"}
				} else {
					s.code, s.schema, s.types, s.header = "200", Token, []string{"application/json", "application/astra-token+json"}, "ETag"
				}
				ok = true
			}
			if !ok {
				continue
			}
			r := op.Responses.Codes.GetOrZero(s.code)
			if r == nil {
				t.Errorf("%s: no %s", op.OperationId, s.code)
				continue
			}
			if s.schema == "" {
				if r.Content != nil && r.Content.Len() > 0 {
					t.Errorf("%s: %s must have no content", op.OperationId, s.code)
				}
				continue
			}
			if r.Content.Len() != len(s.types) {
				t.Errorf("%s: %s has %d media types, want %v", op.OperationId, s.code, r.Content.Len(), s.types)
			}
			for _, ct := range s.types {
				mt := r.Content.GetOrZero(ct)
				if mt == nil || norm(mt.Schema.GetReference()) != s.schema {
					t.Errorf("%s: %s %s does not refer to %s", op.OperationId, s.code, ct, s.schema)
				}
			}
			if s.header != "" {
				h := r.Headers.GetOrZero(s.header)
				if h == nil || !h.Required {
					t.Errorf("%s: %s header %s missing or not required", op.OperationId, s.code, s.header)
				}
			}
		}
	}
	if len(seen) != len(wantOps) {
		t.Errorf("found operations %v, want all of %d", seen, len(wantOps))
	}
	// bearer security, globally
	bearer := model.Components.SecuritySchemes.GetOrZero("bearerAuth")
	if bearer == nil || bearer.Type != "http" || bearer.Scheme != "bearer" {
		t.Errorf("bearerAuth scheme: %+v", bearer)
	}
	if len(model.Security) != 1 {
		t.Fatalf("global security: %d requirements, want 1", len(model.Security))
	}
	if _, ok := model.Security[0].Requirements.Get("bearerAuth"); !ok {
		t.Errorf("global security requirement missing")
	}
}

// TestQueryParameterPatterns pins the CONTRACT.md §4 patterns, byte for byte.
func TestQueryParameterPatterns(t *testing.T) {
	_, model := mustModel(t)
	want := map[string]string{
		"include":  `^([0-9a-zA-Z]+)(,[0-9a-zA-Z]+)*$`,
		"limit":    `^([1-9][0-9]*)$`,
		"skip":     `^([1-9][0-9]*)$`,
		"count":    `^true$`,
		"orderBy":  `^(([0-9a-zA-Z]+)(( |%20)desc)?)$`,
		"filter":   `^[0-9a-zA-Z]+(\[\*\])?(\.[0-9a-zA-Z]+(\[\*\])?)*( |%20)(eq|lt|gt|lte|gte|in)( |%20)'([0-9a-zA-Z. :@{}",-_]|%20)+'$`,
		"continue": `^([A-Za-z0-9+/]{4})*(([A-Za-z0-9+/]{2})==|([A-Za-z0-9+/]{3})=)?$`,
	}
	for name, pattern := range want {
		p := model.Components.Parameters.GetOrZero(name)
		if p == nil {
			t.Errorf("no parameter %s", name)
			continue
		}
		sch := p.Schema.Schema()
		if len(sch.Type) != 1 || sch.Type[0] != "string" {
			t.Errorf("%s: type %v, want string", name, sch.Type)
		}
		if sch.Pattern != pattern {
			t.Errorf("%s: pattern %q, want %q", name, sch.Pattern, pattern)
		}
	}
}

// examplesOf lists the examples of a media type, parameter or header.
func examplesOf(example *yaml.Node, examples *orderedmap.Map[string, *base.Example]) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if example != nil {
		out["example"] = example
	}
	for name, ex := range examples.FromOldest() {
		out[name] = ex.Value
	}
	return out
}

func nodeJSON(t *testing.T, n *yaml.Node) []byte {
	t.Helper()
	var v any
	if err := n.Decode(&v); err != nil {
		t.Fatalf("decode example: %v", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal example: %v", err)
	}
	return b
}

// TestOpenAPIExamplesValidate walks the model and validates every example of
// every request body, response, parameter and header against its schema, with
// libopenapi-validator and, where the schema is (or starts with) a reference to
// one of our files, with jsonschema/v5 too.
func TestOpenAPIExamplesValidate(t *testing.T) {
	_, model := mustModel(t)
	sv := schema_validation.NewSchemaValidator()
	count := 0
	check := func(where string, proxy *base.SchemaProxy, examples map[string]*yaml.Node) {
		for name, node := range examples {
			count++
			payload := nodeJSON(t, node)
			ok, errs := sv.ValidateSchemaBytesWithVersion(proxy.Schema(), payload, 3.1)
			if !ok {
				for _, e := range errs {
					t.Errorf("%s example %q (libopenapi-validator): %v", where, name, e)
				}
			}
			ref := fileRef(proxy.GetReference())
			if ref == "" {
				if s := proxy.Schema(); s != nil && len(s.AllOf) > 0 {
					ref = fileRef(s.AllOf[0].GetReference())
				}
			}
			if ref != "" {
				if err := ValidateJSON(ref, payload); err != nil {
					t.Errorf("%s example %q (jsonschema/v5, %s): %v", where, name, ref, err)
				}
			}
		}
	}
	checkParams := func(where string, params []*v3.Parameter) {
		for _, p := range params {
			check(fmt.Sprintf("%s parameter %s", where, p.Name), p.Schema, examplesOf(p.Example, p.Examples))
		}
	}
	checkContent := func(where string, content *orderedmap.Map[string, *v3.MediaType]) {
		for ct, mt := range content.FromOldest() {
			ex := examplesOf(mt.Example, mt.Examples)
			if len(ex) == 0 {
				t.Errorf("%s %s: no example", where, ct)
			}
			check(where+" "+ct, mt.Schema, ex)
		}
	}
	for path, item := range model.Paths.PathItems.FromOldest() {
		checkParams(path, item.Parameters)
		for method, op := range item.GetOperations().FromOldest() {
			where := method + " " + path
			checkParams(where, op.Parameters)
			if op.RequestBody != nil {
				checkContent(where+" request", op.RequestBody.Content)
			}
			for code, r := range op.Responses.Codes.FromOldest() {
				checkContent(where+" "+code, r.Content)
				for hname, h := range r.Headers.FromOldest() {
					check(where+" "+code+" header "+hname, h.Schema, examplesOf(h.Example, h.Examples))
				}
			}
		}
	}
	for name, p := range model.Components.Parameters.FromOldest() {
		check("components parameter "+name, p.Schema, examplesOf(p.Example, p.Examples))
	}
	if count < 60 {
		t.Errorf("validated only %d examples; the walk is broken", count)
	}
	t.Logf("validated %d examples", count)

	// the check has teeth: a broken example fails
	token := model.Components.Responses.GetOrZero("Token").Content.GetOrZero("application/json")
	bad := []byte(`{"type":"application/astra-token","version":"1.0","id":"822fab12-c224-5d1f-8118-5fb5d2def8b9","name":"x","userID":"09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b","metadata":{},"token":"QUJD"}`)
	if ok, _ := sv.ValidateSchemaBytesWithVersion(token.Schema.Schema(), bad, 3.1); ok {
		t.Errorf("a token with the secret passed the GET schema")
	}
	unauth := model.Components.Responses.GetOrZero("Unauthorized").Content.GetOrZero("application/problem+json")
	bad = []byte(`{"type":"https://astra.netapp.io/problems/11","title":"Operation not permitted","detail":"The requested operation isn't permitted.","status":"403"}`)
	if ok, _ := sv.ValidateSchemaBytesWithVersion(unauth.Schema.Schema(), bad, 3.1); ok {
		t.Errorf("a 403 problem passed the 401 response schema")
	}
}
