package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEveryBadParameterIsNamedOnce mixes parameters that break their
// pattern (found by the OpenAPI validator) with ones whose meaning is wrong
// (found by the query parser): invalidParams must name each of them once.
func TestEveryBadParameterIsNamedOnce(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"limit=0&orderBy=colour", []string{"limit", "orderBy"}},
		{"skip=x&include=token&filter=nope%20eq%20%27x%27", []string{"filter", "include", "skip"}},
		{"count=false&continue=QUJD", []string{"continue", "count"}},
		{"limit=0&limit=1&orderBy=name", []string{"limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, benchBase+"?"+tt.query, nil)
			r.Header.Set("Authorization", benchAuth)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			var p struct {
				Type          string
				InvalidParams []struct{ Name, Reason string }
			}
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Code != http.StatusBadRequest {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			var names []string
			for _, it := range p.InvalidParams {
				names = append(names, it.Name)
			}
			sort.Strings(names)
			if diff := cmp.Diff(tt.want, names); diff != "" || p.Type != "https://astra.netapp.io/problems/5" {
				t.Fatalf("type %s, invalidParams names (-want +got):\n%s", p.Type, diff)
			}
		})
	}
}

// TestEncodedSlashIsNotASeparator: "tokens%2F<id>" is one unknown path
// segment, so the answer is an unknown path, not a malformed account id.
func TestEncodedSlashIsNotASeparator(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, benchBase+"%2F4e99da96-152e-4aee-9207-4b6d04d2238d", nil)
	r.Header.Set("Authorization", benchAuth)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "problems/1\"") {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
}
