package mutant

import "net/http"

// Mutants of schemas/CONTRACT.md §7's ETag and If-Match.
func preconditionMutants() []Mutant {
	return []Mutant{{
		Name: "etag-missing",
		Hint: []string{"get.feature"},
		Rule: "§7: GET of a token carries ETag",
		How:  "deletes the ETag header of GET of one token",
		Wrap: onAnswer(func(r *http.Request, a *answer) {
			if isItemGet(r) {
				a.header.Del("ETag")
			}
		}),
	}, {
		Name: "if-match-ignored",
		Hint: []string{"update.feature"},
		Rule: "§7: PUT honours If-Match (412 type 38 when it fails)",
		How:  "removes If-Match from PUT requests",
		Wrap: onRequest(func(r *http.Request) {
			if r.Method == http.MethodPut {
				r.Header.Del("If-Match")
			}
		}),
	}}
}
