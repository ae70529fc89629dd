package problem

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// kinds lists every Kind constant the mock uses.
var kinds = []Kind{
	ResourceNotFound, CollectionNotFound, MissingBearerToken, InvalidBearerToken,
	InvalidQuery, UnsupportedQuery, InvalidJSON, SchemaViolation, ExtendedValidation,
	Conflict, Forbidden, NotAcceptable, InvalidAccountID, InvalidResourceID,
	PreconditionFailed, MethodNotSupported, RequestBodyTooLarge,
}

// TestKindsAreTheProblemSchemasTypes checks that every Kind constant is
// documented in schemas/problem.json (which fixes its title, detail and
// status) and that every documented type has a constant, and that the
// problem built for each validates against problem.json.
func TestKindsAreTheProblemSchemasTypes(t *testing.T) {
	documented, err := schemas.ProblemTypes()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, k := range kinds {
		if _, ok := schemas.LookupProblemType(int(k)); !ok {
			t.Errorf("Kind %d is not documented in problem.json", k)
			continue
		}
		seen[int(k)] = true
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
	for _, d := range documented {
		if !seen[d.N] {
			t.Errorf("problem.json documents type %d, which has no Kind constant", d.N)
		}
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
