package problem

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// TestKindsAgreeWithTheProblemSchema checks the Go table against
// schemas/problem.json, which fixes title, detail and status per type:
// the two statements of CONTRACT.md §6 cannot drift apart.
func TestKindsAgreeWithTheProblemSchema(t *testing.T) {
	seen := map[int]bool{}
	for _, k := range Kinds {
		t.Run(k.URI(), func(t *testing.T) {
			if seen[k.N] {
				t.Fatalf("type %d listed twice", k.N)
			}
			seen[k.N] = true
			p := New(k)
			p.CorrelationID = "2c022490-0fa7-4f18-8f45-81d6f21d6b7c"
			body, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := schemas.ValidateJSON(schemas.Problem, body); err != nil {
				t.Fatalf("%s does not match problem.json: %v", body, err)
			}
		})
	}
	if len(seen) != 17 {
		t.Fatalf("%d problem types, CONTRACT.md §6 documents 17", len(seen))
	}
}

func TestWriteSendsStatusMediaTypeAndBody(t *testing.T) {
	w := httptest.NewRecorder()
	p := New(InvalidQuery)
	p.InvalidParams = []Item{{Name: "limit", Reason: "must be positive"}}
	p.Write(w)
	if w.Code != http.StatusBadRequest || w.Header().Get("Content-Type") != ContentType {
		t.Fatalf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	if err := schemas.ValidateJSON(schemas.Problem, w.Body.Bytes()); err != nil {
		t.Fatalf("%s: %v", w.Body, err)
	}
	if b := Blank(http.StatusServiceUnavailable); b.Type != "about:blank" || b.Status != "503" || b.Title != "Service Unavailable" {
		t.Fatalf("Blank(503) = %+v", b)
	}
}
