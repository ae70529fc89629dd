package problem

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// TestEveryKindMakesAProblemOfTheSchema checks that the problem built for
// each documented kind validates against problem.json.
func TestEveryKindMakesAProblemOfTheSchema(t *testing.T) {
	for _, k := range schemas.ProblemKinds() {
		p := New(k)
		p.CorrelationID = "2c022490-0fa7-4f18-8f45-81d6f21d6b7c"
		body, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := schemas.ValidateJSON(schemas.Problem, body); err != nil {
			t.Errorf("%s does not match problem.json: %v", body, err)
		}
		if p.StatusCode() != k.Status() {
			t.Errorf("Kind %d: status %d, want %d", k, p.StatusCode(), k.Status())
		}
	}
}

func TestWriteSendsStatusMediaTypeAndBody(t *testing.T) {
	w := httptest.NewRecorder()
	p := New(schemas.ProblemInvalidQuery)
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
