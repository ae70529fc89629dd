package explore

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// generator makes the steps of a run from a seeded source, weighted to
// build state and use it: it creates tokens, then reads, lists, updates
// and deletes those, and mixes in every kind of invalid request the
// contract describes. It learns from the target's answers (observe) which
// tokens exist and what they answered, so a run is reproducible from its
// seed against the same target.
type generator struct {
	rnd      *rand.Rand
	cfg      *conformance.Config
	kind     tokenKind
	personas []string // configured, in fixtures.Personas order
	// comparable is false when the reference was seeded from a real
	// deployment: requests whose answer depends on what the seeding
	// cannot copy (group membership of the admins) are not made.
	comparable bool
	// reference: the answers are compared with a reference, so no page is
	// asked whose items depend on the ids each side draws at random.
	reference bool
	nextID    int
	queue     []Step // steps to send before any new one
	tokens    []*genToken
	lists     []*genList
	names     int // names made so far, for unique suffixes
	// identifier is the pattern of ids (schemas/types.json).
	identifier *jsonschema.Schema
}

// genToken is a token the run created, as the generator knows it.
type genToken struct {
	step    int
	idValue string // the target's id for it
	owner   string // persona
	alive   bool
	etags   []int // steps whose answer carried its ETag, oldest first
	changed bool  // updated since its latest ETag
}

// genList is a list answer that carried metadata.continue.
type genList struct {
	step  int
	q     ListQuery
	path  string
	owner string
}

func newGenerator(seed uint64, cfg *conformance.Config, kind tokenKind, identifier *jsonschema.Schema, reference, comparable bool) *generator {
	g := &generator{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), cfg: cfg, kind: kind, identifier: identifier, reference: reference, comparable: comparable}
	for _, p := range fixtures.Personas() {
		if _, ok := cfg.Identities[p]; ok {
			g.personas = append(g.personas, string(p))
		}
	}
	return g
}

// weighted picks one of the choices by weight.
func weighted[T any](rnd *rand.Rand, choices ...struct {
	w int
	v T
}) T {
	total := 0
	for _, c := range choices {
		total += c.w
	}
	n := rnd.IntN(total)
	for _, c := range choices {
		if n < c.w {
			return c.v
		}
		n -= c.w
	}
	return choices[len(choices)-1].v
}

type choice[T any] = struct {
	w int
	v T
}

func pick[T any](rnd *rand.Rand, xs ...T) T { return xs[rnd.IntN(len(xs))] }

func (g *generator) chance(p float64) bool { return g.rnd.Float64() < p }

// next returns the next step.
func (g *generator) next() Step {
	var st Step
	if len(g.queue) > 0 {
		st, g.queue = g.queue[0], g.queue[1:]
	} else {
		// Creates and deletes balance around a few dozen live tokens:
		// enough for paging, few enough to keep lists short.
		create, remove := 22, 6
		if n := len(g.live()); n > 30 {
			create, remove = 8, 20
		}
		st = weighted(g.rnd,
			choice[func() Step]{create, g.create},
			choice[func() Step]{10, g.get},
			choice[func() Step]{24, g.list},
			choice[func() Step]{12, g.update},
			choice[func() Step]{remove, g.remove},
			choice[func() Step]{8, g.credential},
			choice[func() Step]{10, g.oddity},
		)()
	}
	g.nextID++
	st.ID = g.nextID
	return st
}

// queueFirst makes the generator send first, then st.
func (g *generator) queueFirst(first Step, st Step) Step {
	g.queue = append([]Step{st}, g.queue...)
	return first
}

// observe learns from the target's answer to st.
func (g *generator) observe(st *Step, a *answer) {
	if a == nil {
		return
	}
	obj, _ := a.doc.(map[string]any)
	addr := parseAddress(a.req)
	t := g.token(addr.token)
	switch {
	case a.req.Method == http.MethodPost && a.status == http.StatusCreated:
		if owner := g.persona(fmt.Sprint(obj["userID"])); owner != "" && obj["id"] != nil {
			g.tokens = append(g.tokens, &genToken{step: st.ID, idValue: fmt.Sprint(obj["id"]), owner: owner, alive: true})
		}
	case t == nil:
	case a.req.Method == http.MethodDelete && a.status == http.StatusNoContent:
		t.alive = false
	case a.req.Method == http.MethodPut && a.status == http.StatusNoContent:
		t.changed = true
	case a.req.Method == http.MethodGet && a.status == http.StatusOK && a.header.Get("ETag") != "":
		t.etags = append(t.etags, st.ID)
		t.changed = false
	}
	if md, ok := obj["metadata"].(map[string]any); ok && md["continue"] != nil && st.List != nil {
		g.lists = append(g.lists, &genList{step: st.ID, q: *st.List, path: st.Path, owner: g.persona(addr.user)})
		if len(g.lists) > 20 {
			g.lists = g.lists[1:]
		}
	}
}

// token returns the run's token with the target's id, or nil.
func (g *generator) token(id string) *genToken {
	if id == "" {
		return nil
	}
	for _, t := range g.tokens {
		if t.idValue == id {
			return t
		}
	}
	return nil
}

// persona returns the persona of a user id, or "".
func (g *generator) persona(userID string) string {
	for _, p := range g.personas {
		if g.cfg.Identities[fixtures.Persona(p)].UserID == userID {
			return p
		}
	}
	return ""
}

// live returns the live tokens the run created.
func (g *generator) live() []*genToken {
	var out []*genToken
	for _, t := range g.tokens {
		if t.alive {
			out = append(out, t)
		}
	}
	return out
}

// owner picks whose collection a step addresses: mostly the member.
func (g *generator) owner() string {
	return weighted(g.rnd,
		choice[string]{6, "member"},
		choice[string]{2, g.maybe("admin")},
		choice[string]{2, g.maybe("viewer")},
		choice[string]{1, g.maybe("second member")},
		choice[string]{1, g.maybe("foreign admin")},
	)
}

// maybe returns the persona if it is configured, else the member.
func (g *generator) maybe(p string) string {
	if _, ok := g.cfg.Identities[fixtures.Persona(p)]; ok {
		return p
	}
	return "member"
}

// caller picks who sends a step on owner's collection: mostly the owner,
// sometimes the admin or anyone else configured.
func (g *generator) caller(owner string) Auth {
	return weighted(g.rnd,
		choice[Auth]{14, Auth{Persona: owner}},
		choice[Auth]{3, Auth{Persona: g.maybe("admin")}},
		choice[Auth]{2, Auth{Persona: pick(g.rnd, g.personas...)}},
	)
}

// collection is the path of owner's collection, in user scope, or in the
// group scope when there is a group and the dice say so.
func (g *generator) collection(owner string) string {
	if g.cfg.GroupID != "" && g.chance(0.25) && (g.comparable || owner == "member" || owner == "viewer" || owner == "second member") {
		return "{group tokens of " + owner + "}"
	}
	return "{user tokens of " + owner + "}"
}

// tokenPath is the path of token t: through its owner's collection
// mostly, sometimes through another's.
func (g *generator) tokenPath(t *genToken) string {
	owner := t.owner
	if g.chance(0.08) {
		owner = pick(g.rnd, g.personas...)
	}
	return fmt.Sprintf("%s/{$id%d}", g.collection(owner), t.step)
}

// name returns a fresh token name: the run id, a space, a suffix.
func (g *generator) name() string {
	g.names++
	return fmt.Sprintf("{run} %s%d", pick(g.rnd, "ci", "deploy", "backup", "ops-", "Snapshot Script ", "job_"), g.names)
}

// oddName returns a name that probes the name rules (schemas/CONTRACT.md
// §2, §5): at and past the bounds, every forbidden character class,
// characters outside printable ASCII; and the answer to a create or
// update with it. Every one starts with the run id and is unique, so that
// no two tokens tie in an order by name.
func (g *generator) oddName() (string, *outcome) {
	g.names++
	n := fmt.Sprint(g.names)
	prefix := len("cf-00000000 ") + len(n) // the run id's length is fixed
	forbidden := schemas.TokenNameForbidden()
	refused := problem(schemas.ProblemExtendedValidation, true)
	suffix, o := weighted(g.rnd,
		choice[func() (string, *outcome)]{3, func() (string, *outcome) { return strings.Repeat("x", 63-prefix), &outcome{status: http.StatusCreated} }},
		choice[func() (string, *outcome)]{3, func() (string, *outcome) {
			return strings.Repeat("x", 64-prefix), problem(schemas.ProblemSchemaViolation, false)
		}},
		choice[func() (string, *outcome)]{6, func() (string, *outcome) { return " a" + pick(g.rnd, forbidden...) + "b", refused }},
		choice[func() (string, *outcome)]{2, func() (string, *outcome) { return " caf\u00e9", refused }},
		choice[func() (string, *outcome)]{1, func() (string, *outcome) { return " \u65e5\u672c", refused }},
		choice[func() (string, *outcome)]{1, func() (string, *outcome) { return " tab\there", refused }},
		choice[func() (string, *outcome)]{1, func() (string, *outcome) { return " bell\u0007", refused }},
		choice[func() (string, *outcome)]{1, func() (string, *outcome) {
			return " ci-token_2 (prod)", &outcome{status: http.StatusCreated, policy: true}
		}},
		choice[func() (string, *outcome)]{1, func() (string, *outcome) { return " a.b/c@d", &outcome{status: http.StatusCreated, policy: true} }},
	)()
	return "{run} " + n + suffix, o
}

// labels returns a labels array from a small vocabulary, so filters on
// labels select something.
func (g *generator) labels() []map[string]string {
	n := g.rnd.IntN(3)
	var out []map[string]string
	for range n {
		l := map[string]string{"name": pick(g.rnd, "team", "env", "tier"), "value": pick(g.rnd, "qa", "prod", "dev", "a b")}
		if !slices.ContainsFunc(out, func(o map[string]string) bool { return o["name"] == l["name"] && o["value"] == l["value"] }) {
			out = append(out, l)
		}
	}
	if out == nil {
		out = []map[string]string{}
	}
	return out
}

// member is one member of a JSON object as a body writes it.
type member struct {
	key   string
	value any
}

// object writes a JSON object with its members in order, HTML characters
// unescaped (a body a person can read in a repro).
func object(members ...member) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(jsonText(m.key) + ": " + jsonText(m.value))
	}
	b.WriteByte('}')
	return b.String()
}

func jsonText(v any) string {
	if r, ok := v.(rawJSON); ok {
		return string(r)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// rawJSON is JSON text written as is.
type rawJSON string

func (g *generator) kindMembers() []member {
	return []member{{"type", g.kind.typ}, {"version", g.kind.version}}
}

// createBody returns a create body, mostly valid, sometimes broken in one
// of the ways schemas/CONTRACT.md §5 lists, and the answer the contract
// prescribes for it (nil: it does not say).
func (g *generator) createBody() (*Body, *outcome) {
	base := g.kindMembers()
	var policy bool
	valid := func(name string) []member {
		ms := append(slices.Clone(base), member{"name", name})
		if g.chance(0.4) {
			md := []member{{"labels", g.labels()}}
			if g.chance(0.15) {
				// Ignored, by policy.
				md = append(md, member{"createdBy", "{viewer}"}, member{"creationTimestamp", "2001-01-01T00:00:00Z"})
				policy = true
			}
			ms = append(ms, member{"metadata", rawJSON(object(md...))})
		}
		return ms
	}
	if g.chance(0.72) {
		return &Body{Text: object(valid(g.name())...)}, &outcome{status: http.StatusCreated, policy: policy}
	}
	switch n := g.rnd.IntN(15); {
	case n < 5:
		name, o := g.oddName()
		body := &Body{Text: object(valid(name)...)}
		if o.status == http.StatusCreated {
			o.policy = o.policy || policy
		}
		return body, o
	case n < 8:
		text, o := g.badJSON()
		return &Body{Text: text}, o
	case n < 13:
		return &Body{Text: object(g.schemaBreak(valid(g.name()), true)...)}, problem(schemas.ProblemSchemaViolation, false)
	}
	return &Body{Pad: 70000}, problem(schemas.ProblemRequestBodyTooLarge, true)
}

// badJSON is a body that is not JSON, or not UTF-8, and what the contract
// says of it.
func (g *generator) badJSON() (string, *outcome) {
	notJSON := problem(schemas.ProblemInvalidJSON, false)
	return weighted(g.rnd,
		choice[func() (string, *outcome)]{1, func() (string, *outcome) { return `{"type": `, notJSON }},
		choice[func() (string, *outcome)]{1, func() (string, *outcome) { return `not json`, notJSON }},
		choice[func() (string, *outcome)]{1, func() (string, *outcome) { return ``, notJSON }},
		choice[func() (string, *outcome)]{1, func() (string, *outcome) { return `{"name": "{run} x",}`, notJSON }},
		choice[func() (string, *outcome)]{1, func() (string, *outcome) {
			return `{"type": "` + g.kind.typ + `", "version": "` + g.kind.version + `", "name": "{run} ` + "\xff\xfe" + `"}`, problem(schemas.ProblemInvalidJSON, true)
		}},
		choice[func() (string, *outcome)]{1, func() (string, *outcome) { return "\xef\xbb\xbf{}", nil }},
	)()
}

// schemaBreak breaks one rule of the body schema in ms: a wrong type, a
// missing or extra member, a member the operation does not allow.
func (g *generator) schemaBreak(ms []member, create bool) []member {
	drop := func(key string) []member {
		return slices.DeleteFunc(slices.Clone(ms), func(m member) bool { return m.key == key })
	}
	set := func(key string, v any) []member {
		out := drop(key)
		return append(out, member{key, v})
	}
	cases := []func() []member{
		func() []member { return drop("type") },
		func() []member { return drop("version") },
		func() []member { return set("type", "application/json") },
		func() []member { return set("version", "2.0") },
		func() []member { return set("version", rawJSON("1")) },
		func() []member { return set("name", rawJSON("42")) },
		func() []member { return set("name", rawJSON("null")) },
		func() []member { return set("colour", "blue") },
		func() []member { return set("metadata", rawJSON("[]")) },
		func() []member {
			return set("metadata", rawJSON(object(member{"labels", rawJSON(`[{"name": "team"}]`)})))
		},
		func() []member {
			return set("metadata", rawJSON(object(member{"labels", rawJSON(`[{"name": "team", "value": "qa"}, {"name": "team", "value": "qa"}]`)})))
		},
		func() []member {
			return set("metadata", rawJSON(object(member{"labels", rawJSON(`{"team": "qa"}`)})))
		},
		func() []member { return set("token", "c2VjcmV0") },
	}
	if create {
		cases = append(cases,
			func() []member { return drop("name") },
			func() []member { return set("id", "00000000-0000-0000-0000-000000000000") },
			func() []member { return set("userID", "{member}") },
		)
	}
	return pick(g.rnd, cases...)()
}

// create makes a token, mostly valid, for a persona's collection.
func (g *generator) create() Step {
	owner := g.owner()
	body, o := g.createBody()
	if o != nil && o.status == http.StatusCreated && owner == "viewer" {
		o.policy = true // viewers manage their own tokens: a policy
	}
	st := Step{Kind: "create", Auth: g.caller(owner), Method: http.MethodPost, Path: g.collection(owner), Body: body}
	return g.twist(g.expect(st, owner, o))
}

// someToken returns a live token, or a deleted one, or nil.
func (g *generator) someToken(deletedToo bool) *genToken {
	live := g.live()
	if deletedToo && len(g.tokens) > len(live) && g.chance(0.2) || len(live) == 0 {
		if len(g.tokens) == 0 {
			return nil
		}
		return pick(g.rnd, g.tokens...)
	}
	// The newest tokens are the likeliest to be used.
	if g.chance(0.5) {
		return live[len(live)-1]
	}
	return pick(g.rnd, live...)
}

// itemPath returns the path of a token to address: a token of the run,
// mostly, or an id it never made (unknown, malformed), then returned as
// bad.
func (g *generator) itemPath() (path, owner, bad string) {
	t := g.someToken(true)
	if t == nil || g.chance(0.08) {
		owner, bad = g.owner(), g.badID()
		return g.collection(owner) + "/" + bad, owner, bad
	}
	return g.tokenPath(t), t.owner, ""
}

// badID is an id that names no token: unknown, or malformed.
func (g *generator) badID() string {
	return pick(g.rnd,
		g.uuid(),
		"00000000-0000-0000-0000-000000000000",
		"not-an-id",
		strings.ToUpper(g.uuid()),
		"2c022490-0fa7-4f18-8f45-81d6f21d6b7",
	)
}

// uuid is a random version 4 UUID, from the run's source.
func (g *generator) uuid() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(g.rnd.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// get reads one token.
func (g *generator) get() Step {
	path, owner, bad := g.itemPath()
	st := Step{Kind: "get", Auth: g.caller(owner), Method: http.MethodGet, Path: path}
	switch {
	case bad == "":
	case g.malformed(bad):
		st = g.expect(st, owner, problem(schemas.ProblemInvalidResourceID, true))
	default:
		st = g.expect(st, owner, problem(schemas.ProblemCollectionNotFound, false))
	}
	return g.twist(st)
}

// update changes a token: its name, its labels, or in a broken way; with
// If-Match current, stale or malformed, sometimes. A token's ETag is read
// first when the run has none.
func (g *generator) update() Step {
	t := g.someToken(true)
	if t == nil {
		return g.create()
	}
	path := fmt.Sprintf("{user tokens of %s}/{$id%d}", t.owner, t.step)
	if len(t.etags) == 0 && t.alive && g.chance(0.5) {
		return g.queueFirst(Step{Kind: "get", Auth: Auth{Persona: t.owner}, Method: http.MethodGet, Path: path}, g.updateOf(t))
	}
	return g.updateOf(t)
}

func (g *generator) updateOf(t *genToken) Step {
	ms := g.kindMembers()
	if g.chance(0.7) {
		ms = append(ms, member{"name", g.name()})
	}
	switch n := g.rnd.IntN(10); {
	case n < 3:
		ms = append(ms, member{"metadata", rawJSON(object(member{"labels", g.labels()}))})
	case n < 4:
		ms = append(ms, member{"metadata", rawJSON(`{}`)})
	}
	switch n := g.rnd.IntN(12); {
	case n == 0:
		ms = append(ms, member{"id", fmt.Sprintf("{$id%d}", t.step)})
	case n == 1:
		ms = append(ms, member{"id", g.uuid()})
	case n == 2:
		ms = append(ms, member{"userID", "{" + t.owner + "}"})
	case n == 3:
		ms = append(ms, member{"userID", "{" + g.maybe("second member") + "}"})
	}
	// A broken body is refused before the token is looked up: the answer
	// does not depend on whether it still exists.
	body := &Body{Text: object(ms...)}
	var o *outcome
	switch n := g.rnd.IntN(40); {
	case n < 1:
		body, o = &Body{Pad: 70000}, problem(schemas.ProblemRequestBodyTooLarge, true)
	case n < 4:
		body.Text, o = g.badJSON()
	case n < 10:
		body.Text, o = object(g.schemaBreak(ms, false)...), problem(schemas.ProblemSchemaViolation, false)
	case n < 13:
		name, named := g.oddName()
		body.Text = object(append(g.kindMembers(), member{"name", name})...)
		if named.status >= 400 {
			o = named
		}
	}
	st := Step{Kind: "update", Auth: g.caller(t.owner), Method: http.MethodPut, Body: body}
	st.Path = g.tokenPath(t)
	if len(t.etags) > 0 && g.chance(0.5) {
		latest := t.etags[len(t.etags)-1]
		st.Headers = append(st.Headers, weighted(g.rnd,
			choice[Header]{6, Header{"If-Match", fmt.Sprintf("{$etag%d}", latest)}},
			choice[Header]{2, Header{"If-Match", fmt.Sprintf("{$etag%d}", t.etags[0])}},
			choice[Header]{1, Header{"If-Match", "00000000000000000000000000000000"}},
			choice[Header]{1, Header{"If-Match", "not-an-etag"}},
			choice[Header]{1, Header{"If-Unmodified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"}},
			choice[Header]{1, Header{"If-Unmodified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"}},
		))
	}
	return g.twist(g.expect(st, t.owner, o))
}

// remove deletes a token of the run (never another).
func (g *generator) remove() Step {
	t := g.someToken(true)
	if t == nil || len(g.live()) < 2 && g.chance(0.7) {
		return g.create()
	}
	return g.twist(Step{Kind: "delete", Auth: g.caller(t.owner), Method: http.MethodDelete, Path: g.tokenPath(t)})
}

// credential sends a request with a credential that is not a configured
// one: none, malformed, unknown, revoked, or the secret of a token the
// run created; to a collection or to a token of the run.
func (g *generator) credential() Step {
	owner := g.owner()
	st := Step{Kind: "credential", Method: http.MethodGet, Path: g.collection(owner)}
	if t := g.someToken(true); t != nil && g.chance(0.4) {
		owner = t.owner
		st.Method = pick(g.rnd, http.MethodGet, http.MethodGet, http.MethodPut, http.MethodDelete)
		st.Path = g.tokenPath(t)
		if st.Method == http.MethodPut {
			st.Body = &Body{Text: object(append(g.kindMembers(), member{"name", g.name()})...)}
		}
	} else if g.chance(0.3) {
		st.Method = http.MethodPost
		st.Body = &Body{Text: object(append(g.kindMembers(), member{"name", g.name()})...)}
	}
	st.Kind += " " + strings.ToLower(st.Method)
	switch n := g.rnd.IntN(10); {
	case n < 4 && len(g.tokens) > 0:
		// The secret of a token of the same user, live or revoked.
		t := pick(g.rnd, g.tokens...)
		for _, x := range g.tokens {
			if x.owner == owner && g.chance(0.5) {
				t = x
			}
		}
		st.Auth = Auth{Header: fmt.Sprintf("Bearer {$secret%d}", t.step)}
	case n < 6:
		st.Auth, st.want = Auth{}, problem(schemas.ProblemMissingBearerToken, false)
	default:
		header := pick(g.rnd, "Bearer not-a-credential", "Basic bWU6cHc=", "Bearer", "bearer mock-admin", "Token abc")
		st.Auth = Auth{Header: header}
		switch header {
		case "Bearer not-a-credential":
			st.want = problem(schemas.ProblemInvalidBearerToken, false)
		case "bearer mock-admin": // the scheme's case: not for the contract to say
		default:
			st.want = problem(schemas.ProblemInvalidBearerToken, true)
		}
	}
	return st
}

// oddity is a request outside the usual: a malformed or unknown account,
// user or group, another account, a method no path has, a query where
// none is taken, an unknown path; each with the answer the order of
// checks (schemas/CONTRACT.md §3) gives it.
func (g *generator) oddity() Step {
	owner := g.owner()
	auth := Auth{Persona: owner}
	method := pick(g.rnd, http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete)
	suffix, suffixID := "", ""
	if method == http.MethodPut || method == http.MethodDelete {
		suffixID = g.badID()
		suffix = "/" + suffixID
	}
	// notFound is the 404 of the method (CONTRACT.md §1 note), unless an
	// id of the path is malformed, which is found first.
	notFound := func(ids ...string) *outcome {
		for _, id := range append(ids, suffixID) {
			if id != "" && g.malformed(id) {
				return problem(schemas.ProblemInvalidResourceID, true)
			}
		}
		if owner == "foreign admin" {
			return nil // another account: 403 first
		}
		if method == http.MethodGet || method == http.MethodPost {
			return problem(schemas.ProblemCollectionNotFound, false)
		}
		return problem(schemas.ProblemResourceNotFound, false)
	}
	var want *outcome
	st := weighted(g.rnd,
		choice[func() Step]{2, func() Step {
			want = problem(schemas.ProblemInvalidAccountID, true)
			return Step{Path: "/accounts/" + pick(g.rnd, "not-an-account", strings.ToUpper(g.uuid())) + "/core/v1/users/{" + owner + "}/tokens" + suffix}
		}},
		choice[func() Step]{2, func() Step {
			id := g.badID()
			want = notFound(id)
			return Step{Path: "/accounts/{account}/core/v1/users/" + id + "/tokens" + suffix}
		}},
		choice[func() Step]{2, func() Step {
			if g.cfg.GroupID == "" || !g.comparable {
				return Step{Path: "{user tokens of " + owner + "}" + suffix}
			}
			id := g.badID()
			want = notFound(id)
			return Step{Path: "/accounts/{account}/core/v1/groups/" + id + "/users/{" + owner + "}/tokens" + suffix}
		}},
		choice[func() Step]{3, func() Step {
			// Another account: the path's, or the caller's; 403 whether
			// it exists or not, after the ids are checked.
			want = problem(schemas.ProblemForbidden, true)
			if suffixID != "" && g.malformed(suffixID) {
				want = problem(schemas.ProblemInvalidResourceID, true)
			}
			if _, ok := g.cfg.Identities[fixtures.PersonaForeignAdmin]; !ok {
				return Step{Path: "/accounts/" + g.uuid() + "/core/v1/users/{" + owner + "}/tokens" + suffix}
			}
			if g.chance(0.5) {
				auth = Auth{Persona: "foreign admin"}
				return Step{Path: "{user tokens of member}" + suffix}
			}
			if owner == "foreign admin" {
				want = nil // its own collection
			}
			return Step{Path: "/accounts/{foreign account}/core/v1/users/{foreign admin}/tokens" + suffix}
		}},
		choice[func() Step]{3, func() Step {
			method = pick(g.rnd, "PATCH", http.MethodPost)
			if method == "PATCH" && g.chance(0.5) {
				want = problem(schemas.ProblemMethodNotSupported, true)
				return Step{Path: g.collection(owner)}
			}
			path, _, bad := g.itemPath()
			if bad == "" {
				want = problem(schemas.ProblemMethodNotSupported, true)
			}
			return Step{Path: path}
		}},
		choice[func() Step]{3, func() Step {
			path, _, bad := g.itemPath()
			if method == http.MethodPost {
				path, bad = g.collection(owner), ""
			}
			query := pick(g.rnd, "limit=1", "foo=bar", "include=id", "x=%zz")
			if (bad == "" || !g.malformed(bad)) && strings.HasPrefix(path, "{user tokens of "+owner+"}") {
				want = problem(schemas.ProblemUnsupportedQuery, query == "x=%zz")
			}
			return Step{Path: path, Query: query}
		}},
		choice[func() Step]{1, func() Step {
			want = problem(schemas.ProblemResourceNotFound, true)
			return Step{Path: "/accounts/{account}/core/v1/users/{" + owner + "}/tokenz"}
		}},
		choice[func() Step]{2, func() Step {
			auth = Auth{Persona: pick(g.rnd, g.personas...)}
			return Step{Path: g.collection(owner) + suffix}
		}},
	)()
	st.Kind, st.Auth, st.Method, st.want = "oddity", auth, method, want
	if st.Method == http.MethodPost || st.Method == http.MethodPut || st.Method == "PATCH" {
		st.Body = &Body{Text: object(append(g.kindMembers(), member{"name", g.name()})...)}
	}
	return g.twist(st)
}

// malformed reports whether an id breaks the identifier pattern of
// schemas/types.json.
func (g *generator) malformed(id string) bool {
	return g.identifier.Validate(id) != nil
}

// twist adds, now and then, a header a client may send: Accept,
// Content-Type, X-Request-ID; an Accept that allows no JSON is refused
// (406) unless an earlier check fails.
func (g *generator) twist(st Step) Step {
	if g.chance(0.12) {
		accept := pick(g.rnd,
			"application/json", "*/*", "application/astra-token+json", "application/astra-token+json", "application/*",
			"text/html", "application/xml", "application/astra-token+json, application/json;q=0.5", "text/plain;q=0.1, */*;q=0.01")
		st.Headers = append(st.Headers, Header{"Accept", accept})
		switch w := st.want; {
		case w == nil, w.status == http.StatusUnauthorized:
		case !conformance.AcceptsJSON(accept) && w.status < 300:
			st.want = problem(schemas.ProblemNotAcceptable, false)
		case !conformance.AcceptsJSON(accept):
			st.want = nil // which check fails first is not for the generator to say
		case st.List != nil:
			w.policy = true // the singular type on a list: a policy
		}
	}
	if st.Body != nil && g.chance(0.1) {
		st.Headers = append(st.Headers, Header{"Content-Type", pick(g.rnd,
			"application/astra-token+json", "text/plain", "application/json; charset=utf-8", "application/x-www-form-urlencoded")})
		if st.want != nil {
			st.want.policy = true // Content-Type is not enforced: a policy
		}
	}
	if g.chance(0.08) {
		st.Headers = append(st.Headers, Header{"X-Request-ID", pick(g.rnd, g.uuid(), "not-a-request-id")})
	}
	return st
}
