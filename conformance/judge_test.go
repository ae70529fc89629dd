package conformance_test

import (
	"testing"

	"github.com/astra-contract/astra-token-kit/conformance"
)

func TestAcceptsJSON(t *testing.T) {
	for accept, want := range map[string]bool{
		"":                                  true,
		"*/*":                               true,
		"application/*":                     true,
		"text/html, application/json;q=0.5": true,
		"Application/Astra-Token+JSON":      true,
		"text/html":                         false,
		"application/json;q=0":              false,
		"application/json;q=x, text/plain":  false,
		"application/xml, application/yaml": false,
	} {
		if got := conformance.AcceptsJSON(accept); got != want {
			t.Errorf("AcceptsJSON(%q) = %v, want %v", accept, got, want)
		}
	}
}

func TestFilterMatches(t *testing.T) {
	item := map[string]any{"name": "ci-token", "metadata": map[string]any{
		"creationTimestamp": "2022-10-06T20:58:17.5Z",
		"labels":            []any{map[string]any{"name": "team", "value": "qa"}},
	}}
	for _, c := range []struct {
		field, op, value string
		ok, known        bool
	}{
		{"name", "in", "ci-", true, true},
		{"name", "lt", "d", true, true},
		{"metadata.labels[*].value", "eq", "qa", true, true},
		{"metadata.labels[*].name", "eq", "env", false, true},
		// Timestamps compare as instants: .5 s is after the whole second.
		{"metadata.creationTimestamp", "gt", "2022-10-06T20:58:17Z", true, true},
		{"metadata.modifiedBy", "eq", "x", false, true},
		{"colour", "eq", "red", false, false},
		{"name", "like", "ci", false, false},
	} {
		ok, known := conformance.FilterMatches(item, c.field, c.op, c.value)
		if ok != c.ok || known != c.known {
			t.Errorf("%s %s '%s': %v, %v; want %v, %v", c.field, c.op, c.value, ok, known, c.ok, c.known)
		}
	}
}

func TestOutOfOrder(t *testing.T) {
	items := []any{map[string]any{"name": "a"}, map[string]any{"name": "c"}, map[string]any{"name": "b"}}
	if at, ok := conformance.OutOfOrder(items, "name", false); at != 2 || !ok {
		t.Errorf("ascending: %d, %v; want 2, true", at, ok)
	}
	if at, ok := conformance.OutOfOrder([]any{[]any{"b"}, []any{"a"}}, "0", true); at != -1 || !ok {
		t.Errorf("descending, projected: %d, %v; want -1, true", at, ok)
	}
	if _, ok := conformance.OutOfOrder(items, "id", false); ok {
		t.Error("a missing field says something")
	}
}
