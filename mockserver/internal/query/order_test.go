package query

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseOrderByAccepts(t *testing.T) {
	tests := []struct {
		name, in string
		want     Order
		str      string
	}{
		{"id sorts ascending", "id", Order{Field: "id"}, "id"},
		{"name sorts ascending", "name", Order{Field: "name"}, "name"},
		{"type is orderable", "type", Order{Field: "type"}, "type"},
		{"version is orderable", "version", Order{Field: "version"}, "version"},
		{"userID is orderable", "userID", Order{Field: "userID"}, "userID"},
		{"desc after a space sorts descending", "name desc", Order{Field: "name", Desc: true}, "name desc"},
		{"desc after a literal %20 sorts descending", "name%20desc", Order{Field: "name", Desc: true}, "name desc"},
		{"userID desc sorts descending", "userID desc", Order{Field: "userID", Desc: true}, "userID desc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseOrderBy(tt.in)
			if err != nil {
				t.Fatalf("ParseOrderBy(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseOrderBy(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
		})
	}
}

func TestParseOrderByRefuses(t *testing.T) {
	tests := []struct{ name, in, reason string }{
		{"an empty value is refused", "", "must be a field name"},
		{"asc is refused", "name asc", `only " desc" may follow the field, got "asc"`},
		{"DESC in capitals is refused", "name DESC", `got "DESC"`},
		{"two spaces are refused", "name  desc", `got " desc"`},
		{"a trailing space is refused", "name ", `got ""`},
		{"a space after desc is refused", "name desc ", `got "desc "`},
		{"a literal %20 after desc is refused", "name desc%20", `got "desc "`},
		{"a leading space is refused", " name", "must be a field name"},
		{"two fields are refused", "name,id", "must be a field name"},
		{"a dotted path is refused", "metadata.creationTimestamp", "must be a field name"},
		{"a hyphen is refused", "user-id", "must be a field name"},
		{"field names are case-sensitive", "Name", `unknown field "Name"`},
		{"an unknown field is refused", "foo", `unknown field "foo"`},
		{"creationTimestamp is not a top-level field", "creationTimestamp", `unknown field "creationTimestamp"`},
		{"desc alone is an unknown field", "desc", `unknown field "desc"`},
		{"metadata is not orderable", "metadata", `cannot order by "metadata"`},
		{"the secret is not orderable", "token desc", `cannot order by "token"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseOrderBy(tt.in)
			if err == nil {
				t.Fatalf("ParseOrderBy(%q) = %v, want an error", tt.in, o)
			}
			checkError(t, err, "orderBy", tt.reason)
		})
	}
}

func TestZeroOrderIsTheDefault(t *testing.T) {
	if s := (Order{}).String(); s != "" {
		t.Errorf("Order{}.String() = %q, want \"\"", s)
	}
}
