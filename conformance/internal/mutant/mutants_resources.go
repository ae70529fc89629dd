package mutant

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/astra-contract/astra-token-kit/fixtures"
)

// Mutants of schemas/CONTRACT.md §2: the token as created, read and updated.
func resourceMutants(set *fixtures.Set) []Mutant {
	return []Mutant{{
		Name: "get-omits-userID",
		Hint: []string{"get.feature"},
		Rule: "§2 Token: userID is required in a GET body",
		How:  "deletes userID from the body of GET of one token",
		Wrap: editTokens(false, func(_ *http.Request, tok map[string]any) { delete(tok, "userID") }),
	}, {
		Name: "secret-on-get",
		Hint: []string{"credentials.feature", "get.feature"},
		Rule: "§1 row 3, §3: GET of a token never returns the secret",
		How:  "remembers every secret (fixtures and 201 bodies) by token id and adds it as `token` to GET of that token",
		Wrap: withWorld(set, func(wld *world, inner http.Handler) http.Handler {
			return editTokens(false, func(_ *http.Request, tok map[string]any) {
				id, _ := tok["id"].(string)
				if s, ok := wld.secret(id); ok {
					tok["token"] = s
				}
			})(inner)
		}),
	}, {
		Name: "create-returns-hash",
		Hint: []string{"credentials.feature", "create.feature"},
		Rule: "§3: the secret returned by POST authenticates as the token's user right away",
		How:  "replaces `token` in 201 bodies by the base64 SHA-256 of the secret (the stored hash, not the credential)",
		Wrap: onAnswer(func(r *http.Request, a *answer) {
			if r.Method != http.MethodPost || a.status != http.StatusCreated {
				return
			}
			if m, ok := a.object(); ok {
				if s, ok := m["token"].(string); ok {
					sum := sha256.Sum256([]byte(s))
					m["token"] = base64.StdEncoding.EncodeToString(sum[:])
					a.setObject(m)
				}
			}
		}),
	}, {
		Name: "create-drops-labels",
		Hint: []string{"create.feature", "get.feature"},
		Rule: "§2 Metadata: client labels are kept on create",
		How:  "deletes metadata.labels from POST bodies before the mock reads them (tokens are created with empty labels)",
		Wrap: onRequest(func(r *http.Request) {
			if rt, ok := parseRoute(r.URL.Path); ok && !rt.item && r.Method == http.MethodPost {
				editBody(r, func(m map[string]any) {
					if md, ok := m["metadata"].(map[string]any); ok {
						delete(md, "labels")
					}
				})
			}
		}),
	}, {
		Name: "put-clears-labels",
		Hint: []string{"update.feature"},
		Rule: "§2 Metadata, §5: metadata absent on update keeps the labels",
		How:  "adds metadata.labels [] to PUT bodies that carry no labels",
		Wrap: onRequest(func(r *http.Request) {
			if rt, ok := parseRoute(r.URL.Path); ok && rt.item && r.Method == http.MethodPut {
				editBody(r, func(m map[string]any) {
					md, present := m["metadata"]
					if !present {
						m["metadata"] = map[string]any{"labels": []any{}}
						return
					}
					if md, ok := md.(map[string]any); ok {
						if _, has := md["labels"]; !has {
							md["labels"] = []any{}
						}
					}
				})
			}
		}),
	}, {
		Name: "put-keeps-modificationTimestamp",
		Hint: []string{"update.feature"},
		Rule: "§2 Metadata [policy]: PUT sets modificationTimestamp",
		How:  "in GET and list answers, a modified token (one with modifiedBy) shows modificationTimestamp = creationTimestamp, as if PUT never bumped it",
		Wrap: editTokens(true, func(_ *http.Request, tok map[string]any) {
			if md, ok := tok["metadata"].(map[string]any); ok {
				if _, modified := md["modifiedBy"]; modified {
					if c, ok := md["creationTimestamp"]; ok {
						md["modificationTimestamp"] = c
					}
				}
			}
		}),
	}, {
		Name: "put-omits-modifiedBy",
		Hint: []string{"update.feature"},
		Rule: "§2 Metadata [policy]: PUT sets modifiedBy (the caller)",
		How:  "deletes metadata.modifiedBy from tokens in GET and list answers",
		Wrap: editTokens(true, func(_ *http.Request, tok map[string]any) {
			if md, ok := tok["metadata"].(map[string]any); ok {
				delete(md, "modifiedBy")
			}
		}),
	}}
}
