package mutant

import (
	"net/http"
	"strings"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// Mutants of schemas/CONTRACT.md §3: who may call, as whom, on what.
// notFound is the 404 each method documents.
func authMutants(set *fixtures.Set, notFound func(method string) schemas.ProblemKind) []Mutant {
	isAdmin := func(c caller) bool { return c.role.Rank() >= fixtures.RoleAdmin.Rank() }
	return []Mutant{{
		Name: "missing-credential-type4",
		Hint: []string{"authentication.feature"},
		Rule: "§3: no Authorization header → 401 type 3",
		How:  "turns every 401 type 3 into type 4",
		Wrap: retype(schemas.ProblemMissingBearerToken, schemas.ProblemInvalidBearerToken, nil),
	}, {
		Name: "non-bearer-as-missing",
		Hint: []string{"authentication.feature"},
		Rule: "§3 [policy]: an Authorization header that is not `Bearer <credential>` is invalid (type 4)",
		How:  "drops an Authorization header that is not Bearer before the mock sees it (→ type 3)",
		Wrap: onRequest(func(r *http.Request) {
			if _, ok := bearer(r); !ok {
				r.Header.Del("Authorization")
			}
		}),
	}, {
		Name: "delete-does-not-revoke",
		Hint: []string{"credentials.feature"},
		Rule: "§3 [doc]: DELETE revokes the credential at once and for good",
		How:  "remembers the secrets of deleted tokens and swaps them, in later Authorization headers, for a still-valid credential of the same user",
		Wrap: withWorld(set, func(wld *world, inner http.Handler) http.Handler {
			return onRequest(func(r *http.Request) {
				cred, _ := bearer(r)
				if c, ok := wld.lookup(cred); ok && c.revoked {
					wld.switchCredential(r, c.account, func(x caller) bool { return x.user == c.user })
				}
			})(inner)
		}),
	}, {
		Name: "foreign-account-404",
		Hint: []string{"authorization.feature"},
		Rule: "§3 [policy]: a caller of another account gets 403 type 11",
		How:  "turns 403 type 11 into the method's 404 when the caller's account is not the path's",
		Wrap: withWorld(set, func(wld *world, inner http.Handler) http.Handler {
			return onAnswer(func(r *http.Request, a *answer) {
				if a.problemKind() != schemas.ProblemForbidden {
					return
				}
				if c, rt, ok := wld.callerOf(r); ok && c.account != rt.account {
					a.becomeProblem(notFound(r.Method), nil)
				}
			})(inner)
		}),
	}, {
		Name: "viewer-read-only",
		Hint: []string{"authorization.feature"},
		Rule: "§3 [policy]: every user, viewers too, may create, modify and delete its own tokens",
		How:  "answers 403 type 11 to POST, PUT and DELETE by a viewer on its own tokens, without asking the mock",
		Wrap: withWorld(set, func(wld *world, inner http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, rt, ok := wld.callerOf(r)
				write := r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodDelete
				if write && ok && c.role == fixtures.RoleViewer && c.account == rt.account && c.user == rt.user {
					newProblem(r, schemas.ProblemForbidden).send(w)
					return
				}
				inner.ServeHTTP(w, r)
			})
		}),
	}, {
		Name: "member-manages-others",
		Hint: []string{"authorization.feature"},
		Rule: "§3 [policy]: member and viewer may not touch other users' tokens (403 type 11)",
		How:  "when a member or viewer addresses another user of its account, swaps its credential for an admin's",
		Wrap: withWorld(set, func(wld *world, inner http.Handler) http.Handler {
			return onRequest(func(r *http.Request) {
				if c, rt, ok := wld.callerOf(r); ok && c.account == rt.account && c.user != rt.user && !isAdmin(c) {
					wld.switchCredential(r, rt.account, isAdmin)
				}
			})(inner)
		}),
	}, {
		Name: "group-membership-unchecked",
		Hint: []string{"group-scope.feature"},
		Rule: "§2 Accounts, users, groups [policy]: group scope requires the user to be a member of the group (404 otherwise)",
		How:  "serves group-scope requests for a user outside the group as the user-scope request (Location rewritten back to group scope)",
		Wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rt, ok := parseRoute(r.URL.Path)
				if member, known := isMember(set, rt.account, rt.group, rt.user); ok && rt.group != "" && known && !member {
					serveAsUserScope(next, rt, w, r)
					return
				}
				next.ServeHTTP(w, r)
			})
		},
	}}
}

// serveAsUserScope sends r, a group-scope request of route rt, to next as
// the same request in user scope, and its Location back in group scope.
func serveAsUserScope(next http.Handler, rt route, w http.ResponseWriter, r *http.Request) {
	path := rt.userCollection()
	if rt.item {
		path += "/" + rt.token
	}
	r.URL.Path, r.URL.RawPath = path, ""
	r.RequestURI = r.URL.RequestURI()
	a := serve(next, r)
	if loc := a.header.Get("Location"); loc != "" {
		a.header.Set("Location", strings.Replace(loc, rt.userCollection(), rt.groupCollection(), 1))
	}
	a.send(w)
}
