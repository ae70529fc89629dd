package mutant

import (
	"net/http"
	"sync"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// Mutants of schemas/CONTRACT.md §5: request bodies.
func bodyMutants() []Mutant {
	return []Mutant{{
		Name: "name-validation-off",
		Hint: []string{"request-bodies.feature"},
		Rule: "§5 [policy]: a name with <, >, \", `, ../, ..\\, --, ;, /*, */ or non-printable-ASCII characters → 400 type 9",
		How:  "stores such names: sanitises them on the way in so the mock accepts them, and shows the name as sent in 201, GET and list answers",
		Wrap: unvalidatedNames,
	}, {
		Name: "put-conflict-ignored",
		Hint: []string{"update.feature"},
		Rule: "§5 [policy]: a PUT whose id or userID differs from the path's → 409 type 10",
		How:  "deletes id and userID from PUT bodies (read-only fields silently ignored)",
		Wrap: onRequest(func(r *http.Request) {
			if rt, ok := parseRoute(r.URL.Path); ok && rt.item && r.Method == http.MethodPut {
				editBody(r, func(m map[string]any) {
					delete(m, "id")
					delete(m, "userID")
				})
			}
		}),
	}, {
		Name: "body-limit-off",
		Hint: []string{"request-bodies.feature"},
		Rule: "§5 [policy]: bodies over 64 KiB → 413 type 85",
		How:  "answers what a server without a size limit would: 400 type 8 (the long name breaks the schema) instead of 413",
		Wrap: onAnswer(func(_ *http.Request, a *answer) {
			if a.status == http.StatusRequestEntityTooLarge {
				a.becomeProblem(schemas.ProblemSchemaViolation, map[string]any{"schemaValidationFailure": "/name: length must be <= 63"})
			}
		}),
	}}
}

// unvalidatedNames stores names the mock would refuse: sanitised on the way
// in, shown as sent on the way out.
func unvalidatedNames(next http.Handler) http.Handler {
	var mu sync.Mutex
	original := map[string]string{} // sanitised → as sent
	// restore gives tok back the name it was sent with.
	restore := func(_ *http.Request, tok map[string]any) {
		if n, ok := tok["name"].(string); ok {
			mu.Lock()
			if o, ok := original[n]; ok {
				tok["name"] = o
			}
			mu.Unlock()
		}
	}
	inner := editTokens(true, restore)(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, ok := parseRoute(r.URL.Path)
		if !ok || r.Method != http.MethodPost && r.Method != http.MethodPut {
			inner.ServeHTTP(w, r)
			return
		}
		editBody(r, func(m map[string]any) {
			if n, ok := m["name"].(string); ok {
				if clean := sanitizeName(n); clean != n {
					mu.Lock()
					original[clean] = n
					mu.Unlock()
					m["name"] = clean
				}
			}
		})
		a := serve(inner, r)
		if r.Method == http.MethodPost && !rt.item && a.status == http.StatusCreated {
			if m, ok := a.object(); ok {
				restore(r, m)
				a.setObject(m)
			}
		}
		a.send(w)
	})
}
