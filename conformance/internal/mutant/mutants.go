package mutant

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// Mutant is one deliberately broken variant of the mock.
type Mutant struct {
	// Name is short and stable: the subtest name.
	Name string
	// Rule is the rule of schemas/CONTRACT.md the mutant breaks, with its section (§N).
	Rule string
	// How says what the wrapper does to the mock's traffic.
	How string
	// Wrap returns the broken handler around mock, a fresh mock serving
	// the fixtures All was given. Each call starts from a clean state.
	Wrap func(mock http.Handler) http.Handler
	// Hint names the feature files (base names) most likely to catch the
	// mutant. The harness runs them first and the rest only if they do
	// not: a hint saves time, a stale one costs it, neither changes a
	// verdict.
	Hint []string
}

// onAnswer forwards every request unchanged and lets edit change the
// answer before it goes out.
func onAnswer(edit func(r *http.Request, a *answer)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := serve(next, r)
			edit(r, a)
			a.send(w)
		})
	}
}

// onRequest lets edit change every request before the mock sees it.
func onRequest(edit func(r *http.Request)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			edit(r)
			next.ServeHTTP(w, r)
		})
	}
}

// onProblem edits the body of every problem answer.
func onProblem(edit func(a *answer, m map[string]any)) func(http.Handler) http.Handler {
	return onAnswer(func(r *http.Request, a *answer) {
		if !a.isProblem() {
			return
		}
		m, _ := a.object()
		edit(a, m)
		a.setObject(m)
	})
}

// onListPage edits the body of every successful list answer.
func onListPage(edit func(r *http.Request, page map[string]any)) func(http.Handler) http.Handler {
	return onAnswer(func(r *http.Request, a *answer) {
		if !isList(r) || a.status != http.StatusOK {
			return
		}
		if m, ok := a.object(); ok {
			edit(r, m)
			a.setObject(m)
		}
	})
}

// retype turns answers that are problem `from` into problem `to`, when
// when(r) holds.
func retype(from int, to func(r *http.Request) schemas.ProblemType, when func(r *http.Request) bool) func(http.Handler) http.Handler {
	return onAnswer(func(r *http.Request, a *answer) {
		if a.problemType() == from && (when == nil || when(r)) {
			a.becomeProblem(to(r), nil)
		}
	})
}

func kind(k schemas.ProblemType) func(*http.Request) schemas.ProblemType {
	return func(*http.Request) schemas.ProblemType { return k }
}

// withWorld gives a mutant a fresh world watching the mock.
func withWorld(set *fixtures.Set, build func(wld *world, inner http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(mock http.Handler) http.Handler {
		wld := newWorld(set)
		return build(wld, wld.watch(mock))
	}
}

// listParams are the seven query parameters of a list (schemas/CONTRACT.md §4).
var listParams = []string{"include", "limit", "skip", "count", "orderBy", "filter", "continue"}

// resourceOrder is the order of a token's fields in the mock's bodies.
var resourceOrder = []string{"type", "version", "id", "name", "userID", "token", "metadata"}

// forbiddenInNames are the sequences the name check refuses (schemas/CONTRACT.md §5),
// besides characters outside printable ASCII.
var forbiddenInNames = []string{"../", `..\`, "--", "/*", "*/", ";", "<", ">", `"`, "`"}

// sanitizeName makes a name pass the extended validation.
func sanitizeName(s string) string {
	for _, f := range forbiddenInNames {
		s = strings.ReplaceAll(s, f, "_")
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '_'
		}
		return r
	}, s)
}

// Passthrough runs the mock through the same plumbing the mutants use —
// request bodies and queries read and put back, every answer recorded and
// re-sent, token bodies decoded and re-encoded with their ETags
// recomputed, the world watching — without changing anything it means.
// The suite must pass against it, or the mutants' plumbing is itself a
// mutant.
func Passthrough(set *fixtures.Set) func(http.Handler) http.Handler {
	return func(mock http.Handler) http.Handler {
		wld := newWorld(set)
		inner := editTokens(true, func(*http.Request, map[string]any) {})(wld.watch(mock))
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			readBody(r)
			setParams(r, params(r))
			inner.ServeHTTP(w, r)
		})
	}
}

// All returns every mutant, for a mock serving set.
func All(set *fixtures.Set) []Mutant {
	return []Mutant{
		// §2 resources.
		{
			Name: "get-omits-userID",
			Hint: []string{"get.feature"},
			Rule: "§2 Token: userID is required in a GET body",
			How:  "deletes userID from the body of GET of one token",
			Wrap: editTokens(false, func(_ *http.Request, tok map[string]any) { delete(tok, "userID") }),
		},
		{
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
		},
		{
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
		},
		{
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
		},
		{
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
		},
		{
			Name: "put-keeps-modificationTimestamp",
			Hint: []string{"update.feature"},
			Rule: "§2 Metadata [policy]: PUT sets modificationTimestamp",
			How:  "in GET and list answers, a modified token (one with modifiedBy) shows modificationTimestamp = creationTimestamp, as if PUT never bumped it",
			Wrap: editTokens(true, func(_ *http.Request, tok map[string]any) {
				if md, ok := metadataOf(tok); ok {
					if _, modified := md["modifiedBy"]; modified {
						if c, ok := md["creationTimestamp"]; ok {
							md["modificationTimestamp"] = c
						}
					}
				}
			}),
		},
		{
			Name: "put-omits-modifiedBy",
			Hint: []string{"update.feature"},
			Rule: "§2 Metadata [policy]: PUT sets modifiedBy (the caller)",
			How:  "deletes metadata.modifiedBy from tokens in GET and list answers",
			Wrap: editTokens(true, func(_ *http.Request, tok map[string]any) {
				if md, ok := metadataOf(tok); ok {
					delete(md, "modifiedBy")
				}
			}),
		},

		// §6 errors.
		{
			Name: "problem-status-number",
			Hint: []string{"authentication.feature"},
			Rule: "§6: a problem's status is a string (\"404\")",
			How:  "writes status as a JSON number in every problem body",
			Wrap: onProblem(func(_ *answer, m map[string]any) {
				if s, ok := m["status"].(string); ok {
					m["status"] = json.Number(s)
				}
			}),
		},
		{
			Name: "problem-content-type-json",
			Hint: []string{"authentication.feature"},
			Rule: "§6: problems are sent as application/problem+json",
			How:  "sends problem bodies with Content-Type application/json",
			Wrap: onAnswer(func(_ *http.Request, a *answer) {
				if mediaType(a.header.Get("Content-Type")) == schemas.ProblemMediaType {
					a.header.Set("Content-Type", "application/json")
				}
			}),
		},
		{
			Name: "correlation-id-missing",
			Hint: []string{"http.feature"},
			Rule: "§6 [policy]: every problem carries correlationID",
			How:  "deletes correlationID from problem bodies (the X-Request-ID header stays)",
			Wrap: onProblem(func(_ *answer, m map[string]any) { delete(m, "correlationID") }),
		},
		{
			Name: "correlation-id-mismatch",
			Hint: []string{"http.feature", "authentication.feature"},
			Rule: "§6 [policy]: correlationID equals the X-Request-ID header",
			How:  "puts a fresh random UUID in correlationID of problem bodies",
			Wrap: onProblem(func(_ *answer, m map[string]any) {
				if _, ok := m["correlationID"]; ok {
					m["correlationID"] = newUUID()
				}
			}),
		},
		{
			Name: "client-request-id-ignored",
			Hint: []string{"http.feature"},
			Rule: "§6 [policy]: a client's valid X-Request-ID is used as the correlation id",
			How:  "removes X-Request-ID from requests (the mock makes up its own)",
			Wrap: onRequest(func(r *http.Request) { r.Header.Del("X-Request-ID") }),
		},
		{
			Name: "get-missing-token-type1",
			Hint: []string{"paths.feature"},
			Rule: "§1 note: GET of a missing token answers 404 type 2 (collection), not 1",
			How:  "turns 404 type 2 on GET of one token into type 1",
			Wrap: retype(2, kind(problemType(1) /* ResourceNotFound */), isItemGet),
		},
		{
			Name: "delete-missing-token-type2",
			Hint: []string{"paths.feature"},
			Rule: "§1 note: DELETE of a missing token answers 404 type 1 (resource), not 2",
			How:  "turns 404 type 1 on DELETE of a token path into type 2",
			Wrap: retype(1, kind(problemType(2) /* CollectionNotFound */), func(r *http.Request) bool {
				rt, ok := parseRoute(r.URL.Path)
				return ok && rt.item && r.Method == http.MethodDelete
			}),
		},
		{
			Name: "missing-credential-type4",
			Hint: []string{"authentication.feature"},
			Rule: "§3: no Authorization header → 401 type 3",
			How:  "turns every 401 type 3 into type 4",
			Wrap: retype(3, kind(problemType(4) /* InvalidBearerToken */), nil),
		},
		{
			Name: "non-bearer-as-missing",
			Hint: []string{"authentication.feature"},
			Rule: "§3 [policy]: an Authorization header that is not `Bearer <credential>` is invalid (type 4)",
			How:  "drops an Authorization header that is not Bearer before the mock sees it (→ type 3)",
			Wrap: onRequest(func(r *http.Request) {
				if _, present := r.Header["Authorization"]; present {
					if _, ok := bearer(r); !ok {
						r.Header.Del("Authorization")
					}
				}
			}),
		},
		{
			Name: "malformed-id-404",
			Hint: []string{"paths.feature"},
			Rule: "§6 [policy]: a malformed user, group or token id → 400 type 35",
			How:  "turns 400 type 35 into the method's 404 (2 for GET/POST, 1 for PUT/DELETE)",
			Wrap: retype(35, func(r *http.Request) schemas.ProblemType { return notFoundKind(r.Method) }, nil),
		},
		{
			Name: "invalid-json-type8",
			Hint: []string{"request-bodies.feature"},
			Rule: "§5: a body that is not JSON → 400 type 7",
			How:  "turns 400 type 7 into type 8 with a schemaValidationFailure",
			Wrap: onAnswer(func(_ *http.Request, a *answer) {
				if a.problemType() == 7 {
					a.becomeProblem(problemType(8) /* SchemaViolation */, map[string]any{"schemaValidationFailure": "the body is not a JSON object"})
				}
			}),
		},
		{
			Name: "method-not-allowed-404",
			Hint: []string{"http.feature"},
			Rule: "§7 [policy]: another method on a known path → 405 type 69 with Allow",
			How:  "turns 405 into 404 type 1 without Allow (a router's default)",
			Wrap: onAnswer(func(_ *http.Request, a *answer) {
				if a.status == http.StatusMethodNotAllowed {
					a.becomeProblem(problemType(1) /* ResourceNotFound */, nil)
					a.header.Del("Allow")
				}
			}),
		},

		// §1, §7 HTTP details.
		{
			Name: "create-answers-200",
			Hint: []string{"create.feature"},
			Rule: "§1: POST answers 201",
			How:  "turns 201 into 200",
			Wrap: onAnswer(func(r *http.Request, a *answer) {
				if r.Method == http.MethodPost && a.status == http.StatusCreated {
					a.status = http.StatusOK
				}
			}),
		},
		{
			Name: "location-missing",
			Hint: []string{"create.feature"},
			Rule: "§7: 201 carries Location",
			How:  "deletes the Location header of 201 answers",
			Wrap: onAnswer(func(r *http.Request, a *answer) {
				if a.status == http.StatusCreated {
					a.header.Del("Location")
				}
			}),
		},
		{
			Name: "location-user-scope",
			Hint: []string{"create.feature", "group-scope.feature"},
			Rule: "§7: Location is the new token's URL in the scope it was created through",
			How:  "rewrites the Location of tokens created through group scope to their user-scope URL",
			Wrap: onAnswer(func(r *http.Request, a *answer) {
				rt, ok := parseRoute(r.URL.Path)
				if !ok || rt.group == "" || a.status != http.StatusCreated {
					return
				}
				a.header.Set("Location", strings.Replace(a.header.Get("Location"), rt.groupCollection(), rt.userCollection(), 1))
			}),
		},
		{
			Name: "etag-missing",
			Hint: []string{"get.feature"},
			Rule: "§7: GET of a token carries ETag",
			How:  "deletes the ETag header of GET of one token",
			Wrap: onAnswer(func(r *http.Request, a *answer) {
				if isItemGet(r) {
					a.header.Del("ETag")
				}
			}),
		},
		{
			Name: "if-match-ignored",
			Hint: []string{"update.feature"},
			Rule: "§7: PUT honours If-Match (412 type 38 when it fails)",
			How:  "removes If-Match from PUT requests",
			Wrap: onRequest(func(r *http.Request) {
				if r.Method == http.MethodPut {
					r.Header.Del("If-Match")
				}
			}),
		},
		{
			Name: "accept-token-not-echoed",
			Hint: []string{"http.feature"},
			Rule: "§7: Accept application/astra-token+json → that type echoed for a token",
			How:  "sends application/json wherever the mock answers application/astra-token+json",
			Wrap: onAnswer(func(_ *http.Request, a *answer) {
				if mediaType(a.header.Get("Content-Type")) == "application/astra-token+json" {
					a.header.Set("Content-Type", "application/json")
				}
			}),
		},
		{
			Name: "accept-unchecked",
			Hint: []string{"http.feature"},
			Rule: "§7: an Accept that allows none of the types → 406 type 32",
			How:  "when the mock answers 406, asks it again without Accept and sends that answer",
			Wrap: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					body := readBody(r)
					a := serve(next, r)
					if a.status == http.StatusNotAcceptable {
						c := clone(r, body)
						c.Header.Del("Accept")
						a = serve(next, c)
					}
					a.send(w)
				})
			},
		},
		{
			Name: "list-refuses-token-accept",
			Hint: []string{"http.feature"},
			Rule: "§7 [policy]: on lists, Accept application/astra-token+json is accepted (answer application/json)",
			How:  "answers 406 type 32 to a list whose Accept names only application/astra-token+json",
			Wrap: onAnswer(func(r *http.Request, a *answer) {
				if !isList(r) || a.status != http.StatusOK {
					return
				}
				accept := r.Header.Get("Accept")
				if accept == "" {
					return
				}
				for _, rng := range strings.Split(accept, ",") {
					if mediaType(rng) != "application/astra-token+json" {
						return
					}
				}
				a.becomeProblem(problemType(32) /* NotAcceptable */, nil)
			}),
		},

		// §3 authentication and authorization.
		{
			Name: "delete-does-not-revoke",
			Hint: []string{"credentials.feature"},
			Rule: "§3 [doc]: DELETE revokes the credential at once and for good",
			How:  "remembers the secrets of deleted tokens and swaps them, in later Authorization headers, for a still-valid credential of the same user",
			Wrap: withWorld(set, func(wld *world, inner http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if cred, ok := bearer(r); ok {
						if c, ok := wld.revokedOwner(cred); ok {
							if s, ok := wld.credential(c.account, func(x caller) bool { return x.user == c.user }); ok {
								r.Header.Set("Authorization", "Bearer "+s)
							}
						}
					}
					inner.ServeHTTP(w, r)
				})
			}),
		},
		{
			Name: "foreign-account-404",
			Hint: []string{"authorization.feature"},
			Rule: "§3 [policy]: a caller of another account gets 403 type 11",
			How:  "turns 403 type 11 into the method's 404 when the caller's account is not the path's",
			Wrap: withWorld(set, func(wld *world, inner http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					a := serve(inner, r)
					if a.problemType() == 11 /* Forbidden */ {
						c, known := wld.who(r)
						rt, ok := parseRoute(r.URL.Path)
						if known && ok && c.account != rt.account {
							a.becomeProblem(notFoundKind(r.Method), nil)
						}
					}
					a.send(w)
				})
			}),
		},
		{
			Name: "viewer-read-only",
			Hint: []string{"authorization.feature"},
			Rule: "§3 [policy]: every user, viewers too, may create, modify and delete its own tokens",
			How:  "answers 403 type 11 to POST, PUT and DELETE by a viewer on its own tokens, without asking the mock",
			Wrap: withWorld(set, func(wld *world, inner http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodDelete {
						c, known := wld.who(r)
						rt, ok := parseRoute(r.URL.Path)
						if known && ok && c.role == fixtures.RoleViewer && c.account == rt.account && c.user == rt.user {
							newProblem(r, problemType(11) /* Forbidden */).send(w)
							return
						}
					}
					inner.ServeHTTP(w, r)
				})
			}),
		},
		{
			Name: "member-manages-others",
			Hint: []string{"authorization.feature"},
			Rule: "§3 [policy]: member and viewer may not touch other users' tokens (403 type 11)",
			How:  "when a member or viewer addresses another user of its account, swaps its credential for an admin's",
			Wrap: withWorld(set, func(wld *world, inner http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					c, known := wld.who(r)
					rt, ok := parseRoute(r.URL.Path)
					if known && ok && c.account == rt.account && c.user != rt.user && c.role.Rank() < fixtures.RoleAdmin.Rank() {
						if s, ok := wld.credential(rt.account, func(x caller) bool { return x.role.Rank() >= fixtures.RoleAdmin.Rank() }); ok {
							r.Header.Set("Authorization", "Bearer "+s)
						}
					}
					inner.ServeHTTP(w, r)
				})
			}),
		},
		{
			Name: "group-membership-unchecked",
			Hint: []string{"group-scope.feature"},
			Rule: "§2 Accounts, users, groups [policy]: group scope requires the user to be a member of the group (404 otherwise)",
			How:  "serves group-scope requests for a user outside the group as the user-scope request (Location rewritten back to group scope)",
			Wrap: withWorld(set, func(wld *world, inner http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					rt, ok := parseRoute(r.URL.Path)
					if ok && rt.group != "" {
						if member, known := wld.isMember(rt.account, rt.group, rt.user); known && !member {
							path := rt.userCollection()
							if rt.item {
								path += "/" + rt.token
							}
							r.URL.Path, r.URL.RawPath = path, ""
							r.RequestURI = r.URL.RequestURI()
							a := serve(inner, r)
							if loc := a.header.Get("Location"); loc != "" {
								a.header.Set("Location", strings.Replace(loc, rt.userCollection(), rt.groupCollection(), 1))
							}
							a.send(w)
							return
						}
					}
					inner.ServeHTTP(w, r)
				})
			}),
		},

		// §4 list queries.
		{
			Name: "limit-ignored",
			Hint: []string{"list-queries.feature"},
			Rule: "§4: limit returns at most this many items",
			How:  "removes limit from list requests",
			Wrap: onRequest(func(r *http.Request) {
				if isList(r) {
					dropParams(r, "limit")
				}
			}),
		},
		{
			Name: "limit-zero-accepted",
			Hint: []string{"list-queries.feature"},
			Rule: "§4: limit matches ^([1-9][0-9]*)$ — 0 is invalid (400 type 5)",
			How:  "removes limit=0 from list requests (0 taken as \"no limit\")",
			Wrap: onRequest(func(r *http.Request) {
				if isList(r) {
					editParams(r, func(p param) []param {
						if p.name() == "limit" && p.value() == "0" {
							return nil
						}
						return []param{p}
					})
				}
			}),
		},
		{
			Name: "skip-ignored",
			Hint: []string{"list-queries.feature"},
			Rule: "§4: skip skips this many matches after sorting",
			How:  "removes skip from list requests",
			Wrap: onRequest(func(r *http.Request) {
				if isList(r) {
					dropParams(r, "skip")
				}
			}),
		},
		{
			Name: "filter-ignored",
			Hint: []string{"list-queries.feature"},
			Rule: "§4: filter selects the matching tokens",
			How:  "removes filter from list requests",
			Wrap: onRequest(func(r *http.Request) {
				if isList(r) {
					dropParams(r, "filter")
				}
			}),
		},
		{
			Name: "desc-ignored",
			Hint: []string{"list-queries.feature"},
			Rule: "§4: orderBy `field desc` orders descending",
			How:  "removes \" desc\" from orderBy values",
			Wrap: onRequest(func(r *http.Request) {
				if !isList(r) {
					return
				}
				editParams(r, func(p param) []param {
					if p.name() != "orderBy" {
						return []param{p}
					}
					v := strings.TrimSuffix(strings.TrimSuffix(p.value(), " desc"), "%20desc")
					return []param{makeParam("orderBy", v)}
				})
			}),
		},
		{
			Name: "default-order-reversed",
			Hint: []string{"list-queries.feature"},
			Rule: "§4 [policy]: the default order is creationTimestamp, then id (oldest first)",
			How:  "reverses the items of list pages requested without orderBy",
			Wrap: onListPage(func(r *http.Request, page map[string]any) {
				if hasParam(r, "orderBy") {
					return
				}
				if items, ok := page["items"].([]any); ok {
					slices.Reverse(items)
				}
			}),
		},
		{
			Name: "include-order-ignored",
			Hint: []string{"list-queries.feature"},
			Rule: "§4: include makes each item an array of the fields' values in the requested order",
			How:  "reorders include fields into the resource's field order (type, version, id, name, userID, metadata) before the mock sees them",
			Wrap: onRequest(func(r *http.Request) {
				if !isList(r) {
					return
				}
				editParams(r, func(p param) []param {
					if p.name() != "include" {
						return []param{p}
					}
					fields := strings.Split(p.value(), ",")
					slices.SortStableFunc(fields, func(a, b string) int {
						ia, ib := slices.Index(resourceOrder, a), slices.Index(resourceOrder, b)
						if ia < 0 {
							ia = len(resourceOrder)
						}
						if ib < 0 {
							ib = len(resourceOrder)
						}
						return ia - ib
					})
					return []param{makeParam("include", strings.Join(fields, ","))}
				})
			}),
		},
		{
			Name: "count-ignores-filter",
			Hint: []string{"list-queries.feature"},
			Rule: "§4: metadata.count counts all matches after filter",
			How:  "replaces metadata.count of a filtered list by the count of the unfiltered collection",
			Wrap: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					a := serve(next, r)
					if v, _ := paramValue(r, "count"); isList(r) && a.status == http.StatusOK && v == "true" && hasParam(r, "filter") {
						c := clone(r, nil)
						setParams(c, []param{makeParam("count", "true")})
						all := serve(next, c)
						m, ok1 := a.object()
						allm, ok2 := all.object()
						if ok1 && ok2 {
							md, _ := m["metadata"].(map[string]any)
							allmd, _ := allm["metadata"].(map[string]any)
							if md != nil && allmd != nil && allmd["count"] != nil {
								md["count"] = allmd["count"]
								a.setObject(m)
							}
						}
					}
					a.send(w)
				})
			},
		},
		{
			Name: "continue-missing",
			Hint: []string{"list-queries.feature"},
			Rule: "§4 [policy]: metadata.continue appears when a limit page stops before the end",
			How:  "deletes metadata.continue from list pages",
			Wrap: onListPage(func(_ *http.Request, page map[string]any) {
				if md, ok := page["metadata"].(map[string]any); ok {
					delete(md, "continue")
				}
			}),
		},
		{
			Name: "continue-overlaps",
			Hint: []string{"list-queries.feature"},
			Rule: "§4 [policy]: paging with continue never makes an item appear twice",
			How:  "an inclusive cursor: each continued page starts again with the last item of the page before (the mock is asked for limit-1 items)",
			Wrap: func(next http.Handler) http.Handler {
				var mu sync.Mutex
				last := map[string]any{} // continue token → last item of the page that gave it
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if !isList(r) {
						next.ServeHTTP(w, r)
						return
					}
					cont, _ := paramValue(r, "continue")
					lim, _ := paramValue(r, "limit")
					n, err := strconv.Atoi(lim)
					mu.Lock()
					prev, known := last[cont]
					mu.Unlock()
					overlap := cont != "" && known && err == nil && n > 1
					if overlap {
						editParams(r, func(p param) []param {
							if p.name() == "limit" {
								return []param{makeParam("limit", strconv.Itoa(n-1))}
							}
							return []param{p}
						})
					}
					a := serve(next, r)
					if m, ok := a.object(); ok && a.status == http.StatusOK {
						items, _ := m["items"].([]any)
						if overlap {
							items = append([]any{prev}, items...)
							m["items"] = items
							a.setObject(m)
						}
						md, _ := m["metadata"].(map[string]any)
						if c, ok := md["continue"].(string); ok && len(items) > 0 {
							mu.Lock()
							last[c] = items[len(items)-1]
							mu.Unlock()
						}
					}
					a.send(w)
				})
			},
		},
		{
			Name: "bad-continue-restarts",
			Hint: []string{"list-queries.feature"},
			Rule: "§4 [policy]: a continue that is not ours, tampered with, or made for another query → 400 type 5",
			How:  "when the mock refuses only the continue parameter, asks again without it (the list restarts at the first page)",
			Wrap: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					a := serve(next, r)
					if isList(r) && a.problemType() == 5 /* InvalidQuery */ && onlyNames(a, "continue") {
						c := clone(r, nil)
						dropParams(c, "continue")
						a = serve(next, c)
					}
					a.send(w)
				})
			},
		},
		{
			Name: "unsupported-query-ignored",
			Hint: []string{"http.feature", "list-queries.feature"},
			Rule: "§4 [doc]: an unsupported query parameter → 400 type 6",
			How:  "removes every query parameter the endpoint does not support (all of them on POST and item endpoints)",
			Wrap: onRequest(func(r *http.Request) {
				rt, ok := parseRoute(r.URL.Path)
				switch {
				case !ok:
				case rt.item || r.Method == http.MethodPost:
					setParams(r, nil)
				case r.Method == http.MethodGet:
					editParams(r, func(p param) []param {
						if slices.Contains(listParams, p.name()) {
							return []param{p}
						}
						return nil
					})
				}
			}),
		},

		// §5 request bodies.
		{
			Name: "name-validation-off",
			Hint: []string{"request-bodies.feature"},
			Rule: "§5 [policy]: a name with <, >, \", `, ../, ..\\, --, ;, /*, */ or non-printable-ASCII characters → 400 type 9",
			How:  "stores such names: sanitises them on the way in so the mock accepts them, and shows the name as sent in 201, GET and list answers",
			Wrap: func(next http.Handler) http.Handler {
				var mu sync.Mutex
				original := map[string]string{} // sanitised → as sent
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
							if s := sanitizeName(n); s != n {
								mu.Lock()
								original[s] = n
								mu.Unlock()
								m["name"] = s
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
			},
		},
		{
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
		},
		{
			Name: "body-limit-off",
			Hint: []string{"request-bodies.feature"},
			Rule: "§5 [policy]: bodies over 64 KiB → 413 type 85",
			How:  "answers what a server without a size limit would: 400 type 8 (the long name breaks the schema) instead of 413",
			Wrap: onAnswer(func(_ *http.Request, a *answer) {
				if a.status == http.StatusRequestEntityTooLarge {
					a.becomeProblem(problemType(8) /* SchemaViolation */, map[string]any{"schemaValidationFailure": "/name: length must be <= 63"})
				}
			}),
		},
	}
}

// onlyNames reports whether every invalidParams entry of a problem names
// param.
func onlyNames(a *answer, param string) bool {
	m, ok := a.object()
	if !ok {
		return false
	}
	items, _ := m["invalidParams"].([]any)
	if len(items) == 0 {
		return false
	}
	for _, it := range items {
		if e, _ := it.(map[string]any); e == nil || e["name"] != param {
			return false
		}
	}
	return true
}
