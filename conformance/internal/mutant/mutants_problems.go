package mutant

import (
	"encoding/json"
	"net/http"

	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// Mutants of schemas/CONTRACT.md §6: problem bodies, their correlation id
// and which problem type answers what. notFound is the 404 each method
// documents.
func problemMutants(notFound func(method string) schemas.ProblemKind) []Mutant {
	return []Mutant{{
		Name: "problem-status-number",
		Hint: []string{"authentication.feature"},
		Rule: "§6: a problem's status is a string (\"404\")",
		How:  "writes status as a JSON number in every problem body",
		Wrap: onProblem(func(m map[string]any) {
			if s, ok := m["status"].(string); ok {
				m["status"] = json.Number(s)
			}
		}),
	}, {
		Name: "problem-content-type-json",
		Hint: []string{"authentication.feature"},
		Rule: "§6: problems are sent as application/problem+json",
		How:  "sends problem bodies with Content-Type application/json",
		Wrap: onAnswer(func(_ *http.Request, a *answer) {
			if wire.MediaType(a.header.Get("Content-Type")) == schemas.ProblemMediaType {
				a.header.Set("Content-Type", "application/json")
			}
		}),
	}, {
		Name: "correlation-id-missing",
		Hint: []string{"http.feature"},
		Rule: "§6 [policy]: every problem carries correlationID",
		How:  "deletes correlationID from problem bodies (the X-Request-ID header stays)",
		Wrap: onProblem(func(m map[string]any) { delete(m, "correlationID") }),
	}, {
		Name: "correlation-id-mismatch",
		Hint: []string{"http.feature", "authentication.feature"},
		Rule: "§6 [policy]: correlationID equals the X-Request-ID header",
		How:  "puts a fresh random UUID in correlationID of problem bodies",
		Wrap: onProblem(func(m map[string]any) {
			if _, ok := m["correlationID"]; ok {
				m["correlationID"] = newUUID()
			}
		}),
	}, {
		Name: "client-request-id-ignored",
		Hint: []string{"http.feature"},
		Rule: "§6 [policy]: a client's valid X-Request-ID is used as the correlation id",
		How:  "removes X-Request-ID from requests (the mock makes up its own)",
		Wrap: onRequest(func(r *http.Request) { r.Header.Del("X-Request-ID") }),
	}, {
		Name: "get-missing-token-type1",
		Hint: []string{"paths.feature"},
		Rule: "§1 note: GET of a missing token answers 404 type 2 (collection), not 1",
		How:  "turns 404 type 2 on GET of one token into type 1",
		Wrap: retype(schemas.ProblemCollectionNotFound, schemas.ProblemResourceNotFound, isItemGet),
	}, {
		Name: "delete-missing-token-type2",
		Hint: []string{"paths.feature"},
		Rule: "§1 note: DELETE of a missing token answers 404 type 1 (resource), not 2",
		How:  "turns 404 type 1 on DELETE of a token path into type 2",
		Wrap: retype(schemas.ProblemResourceNotFound, schemas.ProblemCollectionNotFound, func(r *http.Request) bool {
			rt, ok := parseRoute(r.URL.Path)
			return ok && rt.item && r.Method == http.MethodDelete
		}),
	}, {
		Name: "malformed-id-404",
		Hint: []string{"paths.feature"},
		Rule: "§6 [policy]: a malformed user, group or token id → 400 type 35",
		How:  "turns 400 type 35 into the method's 404 (2 for GET/POST, 1 for PUT/DELETE)",
		Wrap: onAnswer(func(r *http.Request, a *answer) {
			if a.problemKind() == schemas.ProblemInvalidResourceID {
				a.becomeProblem(notFound(r.Method), nil)
			}
		}),
	}, {
		Name: "invalid-json-type8",
		Hint: []string{"request-bodies.feature"},
		Rule: "§5: a body that is not JSON → 400 type 7",
		How:  "turns 400 type 7 into type 8 with a schemaValidationFailure",
		Wrap: onAnswer(func(_ *http.Request, a *answer) {
			if a.problemKind() == schemas.ProblemInvalidJSON {
				a.becomeProblem(schemas.ProblemSchemaViolation, map[string]any{"schemaValidationFailure": "the body is not a JSON object"})
			}
		}),
	}}
}
