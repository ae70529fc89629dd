package query

import (
	"testing"

	"github.com/google/go-cmp/cmp"
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
