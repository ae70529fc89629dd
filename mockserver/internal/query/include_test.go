package query

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

func TestParseIncludeAccepts(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"one field is read", "name", []string{"name"}},
		{"two fields keep their order", "name,id", []string{"name", "id"}},
		{"metadata may be included", "id,metadata", []string{"id", "metadata"}},
		{"every includable field may be named once", "metadata,userID,name,id,version,type",
			[]string{"metadata", "userID", "name", "id", "version", "type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseInclude(tt.in)
			if err != nil {
				t.Fatalf("ParseInclude(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseInclude(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseIncludeRefuses(t *testing.T) {
	tests := []struct{ name, in, reason string }{
		{"an empty value is refused", "", "must be field names"},
		{"a lone comma is refused", ",", "must be field names"},
		{"a trailing comma is refused", "id,", "must be field names"},
		{"a leading comma is refused", ",id", "must be field names"},
		{"an empty field between commas is refused", "id,,name", "must be field names"},
		{"a space after a comma is refused", "id, name", "must be field names"},
		{"a dotted path is refused", "metadata.labels", "must be field names"},
		{"the secret is refused", "token", `unknown field "token"`},
		{"the secret is refused among others", "id,token", `unknown field "token"`},
		{"an unknown field is refused", "id,foo", `unknown field "foo"`},
		{"field names are case-sensitive", "ID", `unknown field "ID"`},
		{"a field named twice is refused", "id,name,id", `field "id" is named twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseInclude(tt.in)
			if err == nil {
				t.Fatalf("ParseInclude(%q) = %q, want an error", tt.in, got)
			}
			checkError(t, err, "include", tt.reason)
		})
	}
}

func TestProject(t *testing.T) {
	r := labelled.Resource()
	tests := []struct {
		name   string
		r      token.Resource
		fields []string
		want   []any
	}{
		{"fields come in the requested order", r, []string{"name", "id"},
			[]any{"Snapshot Script", labelled.ID}},
		{"type and version are the constants", r, []string{"version", "type"},
			[]any{token.Version, token.MediaType}},
		{"userID is the owner", r, []string{"userID"}, []any{memberID}},
		{"metadata is the metadata object", r, []string{"id", "metadata"},
			[]any{labelled.ID, labelled.Metadata()}},
		{"metadata with nil labels gets empty labels", token.Resource{ID: "x"}, []string{"metadata"},
			[]any{token.Metadata{Labels: []token.Label{}}}},
		{"no fields give an empty item", r, nil, []any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Project(tt.r, tt.fields)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Project mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProjectEncodesAsTheDocumentedArray(t *testing.T) {
	fields, err := ParseInclude("id,name,metadata")
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(Project(bare.Resource(), fields))
	if err != nil {
		t.Fatal(err)
	}
	want := `["43ab09af-e558-4b1b-a6d5-49df7c39f22c","Zeta",` +
		`{"labels":[],"creationTimestamp":"2022-10-06T20:58:16.305662Z",` +
		`"modificationTimestamp":"2022-10-06T20:58:16.305662Z","createdBy":"` + adminID + `"}]`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("JSON mismatch (-want +got):\n%s", diff)
	}
}
