package explore

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// model is what a run knows of the target's state, from its own requests
// and the target's answers: the tokens it created and what became of them,
// and the lists it read. The laws (schemas/CONTRACT.md §1–§5) are judged
// against it; they need no reference.
type model struct {
	cfg   *conformance.Config
	runID string
	// expand binds the placeholders of a filter's value as the target's
	// side does.
	expand func(string) (string, error)
	tokens map[string]*token // by id
	byStep map[int]*token
	// writes counts the answers that changed the state (201, and 204 to
	// PUT and DELETE); a list is compared only with lists read since the
	// last write.
	writes int
	// renames counts the updates the target accepted: an update may move
	// a token in an order by name.
	renames int
	lists   map[int]*listRead // by step id
	// fresh are the lists read since the last write, newest last.
	fresh []*listRead
}

// token is a token the run created, as the target should now show it.
type token struct {
	step     int
	id       string
	userID   string
	name     string
	labels   any // the JSON array
	created  string
	creator  string
	modTime  string // the last modificationTimestamp seen, or the 201's
	modifier string // modifiedBy; "" while never modified
	// changed: a PUT succeeded since modTime was seen.
	changed bool
	deleted bool
	// updates counts the PUTs that succeeded; etags maps the steps whose
	// GET answered its ETag to updates then.
	updates int
	etags   map[int]int
}

// listRead is a list answer the run read.
type listRead struct {
	step   *Step
	user   string // the collection's user id
	scope  string // "user" or "group"
	writes int    // model.writes when it was read
	items  []any
	// whole is the unpaged list of the same selection this page is a part
	// of, and next the offset in it after this page; nil when unknown.
	whole *listRead
	next  int
	// walk holds the ids of the items of this page and of the pages
	// before it in its continue walk, and renames model.renames when the
	// walk began.
	walk    []string
	renames int
}

func newModel(cfg *conformance.Config, runID string) *model {
	return &model{cfg: cfg, runID: runID, tokens: map[string]*token{}, byStep: map[int]*token{}, lists: map[int]*listRead{}}
}

// tokenPath matches a token path: account, group (empty in user scope),
// user, token id (empty for the collection).
var tokenPath = regexp.MustCompile(`^/accounts/([^/]+)/core/v1/(?:groups/([^/]+)/)?users/([^/]+)/tokens(?:/([^/]+))?$`)

type address struct {
	account, group, user, token string
	ok                          bool
}

func (a address) scope() string {
	if a.group != "" {
		return "group"
	}
	return "user"
}

func parseAddress(r *http.Request) address {
	m := tokenPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return address{}
	}
	return address{account: m[1], group: m[2], user: m[3], token: m[4], ok: true}
}

// caller returns the user id and account a step authenticates as, when the
// run knows it: a configured persona, or the secret of a live token the
// run created.
func (m *model) caller(st *Step) (user, account string, ok bool) {
	if st.Auth.Persona != "" {
		id, ok := m.cfg.Identities[fixtures.Persona(st.Auth.Persona)]
		return id.UserID, id.AccountID, ok
	}
	if t := m.secretOf(st); t != nil && !t.deleted {
		for _, id := range m.cfg.Identities {
			if id.UserID == t.userID {
				return t.userID, id.AccountID, true
			}
		}
	}
	return "", "", false
}

// secretOf returns the token whose secret the step sends as its bearer
// credential, or nil.
func (m *model) secretOf(st *Step) *token {
	var n int
	if _, err := fmt.Sscanf(st.Auth.Header, "Bearer {$secret%d}", &n); err != nil || st.Auth.Header != fmt.Sprintf("Bearer {$secret%d}", n) {
		return nil
	}
	return m.byStep[n]
}

// judge checks the laws on the target's answer to st, and updates the
// model with what the answer did. It returns the first broken law, or nil.
func (m *model) judge(st *Step, a *answer) *Finding {
	addr := parseAddress(a.req)
	if f := m.credentialLaw(st, a, addr); f != nil {
		return f
	}
	var t *token
	if addr.token != "" {
		t = m.tokens[addr.token]
	}
	method := a.req.Method
	switch {
	case method == http.MethodPost && a.status == http.StatusCreated:
		return m.created(st, a)
	case t != nil && t.deleted:
		return m.deletedLaw(st, a, addr, t)
	case t != nil && a.status/100 == 2 && addr.user != t.userID:
		return &Finding{Family: FamilyDelete, Step: st.ID,
			Message: fmt.Sprintf("token %s of user %s answered %d through the collection of user %s", t.id, t.userID, a.status, addr.user),
			expect:  []check{{kind: "not status", n: a.status}}}
	case t != nil && method == http.MethodGet && a.status == http.StatusOK:
		if a.header.Get("ETag") != "" {
			t.etags[st.ID] = t.updates
		}
		return m.readBack(st, a, t, "", a.doc)
	case t != nil && method == http.MethodPut:
		if f := m.ifMatchLaw(st, a, addr, t); f != nil {
			return f
		}
		if a.status == http.StatusNoContent {
			m.updated(st, a, t)
		}
	case t != nil && method == http.MethodDelete && a.status == http.StatusNoContent:
		t.deleted = true
		m.writes++
	case st.List != nil && addr.ok && addr.token == "" && method == http.MethodGet:
		return m.listLaws(st, a, addr)
	}
	return nil
}

// credentialLaw: a created token's secret authenticates at once, and
// never again once the token is deleted (schemas/CONTRACT.md §3).
func (m *model) credentialLaw(st *Step, a *answer, addr address) *Finding {
	t := m.secretOf(st)
	if t == nil || !addr.ok {
		return nil
	}
	switch {
	case t.deleted && (a.status != http.StatusUnauthorized || a.problemType() != 4):
		return &Finding{Family: FamilyCredential, Step: st.ID,
			Message: fmt.Sprintf("the secret of deleted token %s was answered %d, not 401 problem 4", t.id, a.status),
			expect:  []check{{kind: "problem", n: 4}}}
	case !t.deleted && a.status == http.StatusUnauthorized:
		return &Finding{Family: FamilyCredential, Step: st.ID,
			Message: fmt.Sprintf("the secret returned when token %s was created does not authenticate (401)", t.id),
			expect:  []check{{kind: "not status", n: http.StatusUnauthorized}}}
	}
	return nil
}

// created records a token the target created, after checking that the
// 201 shows what was sent: the name, and the labels (none when none were
// sent).
func (m *model) created(st *Step, a *answer) *Finding {
	obj, _ := a.doc.(map[string]any)
	md, _ := obj["metadata"].(map[string]any)
	t := &token{step: st.ID, etags: map[int]int{}}
	t.id, _ = obj["id"].(string)
	t.userID, _ = obj["userID"].(string)
	t.name, _ = obj["name"].(string)
	t.labels = md["labels"]
	t.created, _ = md["creationTimestamp"].(string)
	t.creator, _ = md["createdBy"].(string)
	t.modTime, _ = md["modificationTimestamp"].(string)
	m.writes++
	if t.id == "" {
		return nil // outside the contract: Contract.Check says so
	}
	m.tokens[t.id] = t
	m.byStep[st.ID] = t
	var sent map[string]any
	if json.Unmarshal(a.sent, &sent) != nil {
		return nil
	}
	if name, ok := sent["name"].(string); ok && name != t.name {
		return &Finding{Family: FamilyReadBack, Step: st.ID,
			Message: fmt.Sprintf("created with the name %q, the 201 shows %q", name, t.name),
			expect:  []check{{kind: "json", path: "name", value: name}}}
	}
	want := any([]any{})
	if smd, ok := sent["metadata"].(map[string]any); ok && smd["labels"] != nil {
		want = smd["labels"]
	}
	if !reflect.DeepEqual(want, t.labels) {
		return &Finding{Family: FamilyReadBack, Step: st.ID,
			Message: fmt.Sprintf("created with the labels %s, the 201 shows %s", compact(want), compact(t.labels)),
			expect:  []check{{kind: "json", path: "metadata.labels", value: want}}}
	}
	return nil
}

// updated applies a PUT the target accepted (schemas/CONTRACT.md §5): a
// name given replaces the name, labels given replace the labels; the
// caller becomes modifiedBy.
func (m *model) updated(st *Step, a *answer, t *token) {
	m.writes++
	m.renames++
	t.changed, t.updates = true, t.updates+1
	if user, _, ok := m.caller(st); ok {
		t.modifier = user
	} else {
		t.modifier = "?"
	}
	var sent map[string]any
	if json.Unmarshal(a.sent, &sent) != nil {
		return
	}
	if name, ok := sent["name"].(string); ok {
		t.name = name
	}
	if md, ok := sent["metadata"].(map[string]any); ok && md["labels"] != nil {
		t.labels = md["labels"]
	}
}

// readBack checks a token as GET or a list shows it (prefix: where in
// the list) against the model: as created, with every update applied.
func (m *model) readBack(st *Step, a *answer, t *token, prefix string, v any) *Finding {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil // outside the contract
	}
	md, _ := obj["metadata"].(map[string]any)
	family := FamilyReadBack
	if t.modifier != "" {
		family = FamilyUpdate
	}
	fail := func(path string, want any, msg string) *Finding {
		c := check{kind: "json", path: prefix + path, value: want}
		if want == nil {
			c = check{kind: "absent", path: prefix + path}
		}
		return &Finding{Family: family, Step: st.ID, Message: fmt.Sprintf("token %s: %s", t.id, msg), expect: []check{c}}
	}
	for _, f := range []struct {
		path string
		got  any
		want any
	}{
		{"id", obj["id"], t.id},
		{"name", obj["name"], t.name},
		{"userID", obj["userID"], t.userID},
		{"metadata.labels", md["labels"], t.labels},
		{"metadata.creationTimestamp", md["creationTimestamp"], t.created},
		{"metadata.createdBy", md["createdBy"], t.creator},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			return fail(f.path, f.want, fmt.Sprintf("%s is %s, want %s", f.path, compact(f.got), compact(f.want)))
		}
	}
	modifier, _ := md["modifiedBy"].(string)
	switch {
	case t.modifier == "" && md["modifiedBy"] != nil:
		return fail("metadata.modifiedBy", nil, fmt.Sprintf("never modified, yet metadata.modifiedBy is %s", compact(md["modifiedBy"])))
	case t.modifier != "" && t.modifier != "?" && modifier != t.modifier:
		return fail("metadata.modifiedBy", t.modifier, fmt.Sprintf("modified by %s, yet metadata.modifiedBy is %s", t.modifier, compact(md["modifiedBy"])))
	}
	mod, _ := md["modificationTimestamp"].(string)
	switch {
	case !t.changed && mod != t.modTime:
		return fail("metadata.modificationTimestamp", t.modTime, fmt.Sprintf("not modified since, yet metadata.modificationTimestamp went from %s to %s", t.modTime, mod))
	case t.changed && !later(mod, t.modTime, false):
		return &Finding{Family: FamilyUpdate, Step: st.ID,
			Message: fmt.Sprintf("token %s: updated, yet metadata.modificationTimestamp %s is not after %s", t.id, mod, t.modTime),
			expect:  []check{{kind: "time after creation", path: prefix + "metadata.modificationTimestamp", n: t.step}}}
	case t.modifier != "" && !later(mod, t.created, true):
		return &Finding{Family: FamilyUpdate, Step: st.ID,
			Message: fmt.Sprintf("token %s: updated, yet metadata.modificationTimestamp %s is not after its creation, %s", t.id, mod, t.created),
			expect:  []check{{kind: "time after creation", path: prefix + "metadata.modificationTimestamp", n: t.step}}}
	}
	t.modTime, t.changed = mod, false
	return nil
}

// later reports whether the time a is after b (or equal, unless strict).
func later(a, b string, strict bool) bool {
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	if err1 != nil || err2 != nil {
		return false
	}
	return ta.After(tb) || !strict && ta.Equal(tb)
}

// deletedLaw: a deleted token is never served again; asked for plainly
// (its owner or the admin, through its own collection, nothing else in
// the request), it is answered 404.
func (m *model) deletedLaw(st *Step, a *answer, addr address, t *token) *Finding {
	if a.status/100 == 2 {
		return &Finding{Family: FamilyDelete, Step: st.ID,
			Message: fmt.Sprintf("token %s was deleted, yet %s answered %d", t.id, a.req.Method, a.status),
			expect:  []check{{kind: "status", n: http.StatusNotFound}}}
	}
	user, account, ok := m.caller(st)
	plain := ok && (user == t.userID || st.Auth.Persona == string(fixtures.PersonaAdmin)) &&
		addr.scope() == "user" && addr.user == t.userID && addr.account == account &&
		a.req.URL.RawQuery == "" && len(st.Headers) == 0 && (a.req.Method == http.MethodGet || a.req.Method == http.MethodDelete)
	if plain && a.status != http.StatusNotFound {
		return &Finding{Family: FamilyDelete, Step: st.ID,
			Message: fmt.Sprintf("token %s was deleted; %s by its owner answered %d, not 404", t.id, a.req.Method, a.status),
			expect:  []check{{kind: "status", n: http.StatusNotFound}}}
	}
	return nil
}

// ifMatchLaw: a PUT of a token with If-Match set to an ETag a GET of it
// answered. Once an update made that ETag stale, the PUT is refused 412
// problem 38, unless a check before the conditional headers refuses it
// first: so never 2xx, nor 409, a later check (schemas/CONTRACT.md §3,
// §7). While the ETag is current, never 412.
func (m *model) ifMatchLaw(st *Step, a *answer, addr address, t *token) *Finding {
	i := slices.IndexFunc(st.Headers, func(h Header) bool { return h.Name == "If-Match" })
	var n int
	if i < 0 || addr.user != t.userID {
		return nil
	}
	if _, err := fmt.Sscanf(st.Headers[i].Value, "{$etag%d}", &n); err != nil {
		return nil
	}
	seen, ok := t.etags[n]
	switch {
	case !ok:
	case seen != t.updates && (a.status/100 == 2 || a.status == http.StatusConflict):
		return &Finding{Family: FamilyAnswer, Step: st.ID,
			Message: fmt.Sprintf("If-Match with the ETag of step %d, stale since an update of token %s, answered %d; schemas/CONTRACT.md prescribes 412 problem 38", n, t.id, a.status),
			expect:  []check{{kind: "status", n: http.StatusPreconditionFailed}, {kind: "problem", n: int(schemas.ProblemPreconditionFailed)}}}
	case seen == t.updates && a.status == http.StatusPreconditionFailed:
		return &Finding{Family: FamilyAnswer, Step: st.ID,
			Message: fmt.Sprintf("If-Match with the current ETag of token %s (step %d) answered 412", t.id, n),
			expect:  []check{{kind: "not status", n: http.StatusPreconditionFailed}}}
	}
	return nil
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil || v == nil {
		return "absent"
	}
	return string(b)
}

// listLaws checks a list answer: its items against the model, the
// run's tokens it must hold, its order, its filter, its projection, and
// its paging against the unpaged list it is a part of.
func (m *model) listLaws(st *Step, a *answer, addr address) *Finding {
	q := st.List
	if q.Continue > 0 && a.status == http.StatusOK {
		if prev := m.lists[q.Continue]; prev != nil && (!prev.step.List.sameSelection(q) || prev.user != addr.user) {
			return &Finding{Family: FamilyPaging, Step: st.ID,
				Message: fmt.Sprintf("a continue token made for another query or collection (step %d) was accepted", q.Continue),
				expect:  []check{{kind: "status", n: http.StatusBadRequest}}}
		}
	}
	if a.status != http.StatusOK {
		return nil
	}
	obj, _ := a.doc.(map[string]any)
	items, ok := obj["items"].([]any)
	if !ok {
		return nil // outside the contract
	}
	md, _ := obj["metadata"].(map[string]any)
	_, more := md["continue"]
	read := &listRead{step: st, user: addr.user, scope: addr.scope(), writes: m.writes, items: items}
	m.lists[st.ID] = read
	if len(m.fresh) > 0 && m.fresh[0].writes != m.writes {
		m.fresh = nil
	}
	m.fresh = append(m.fresh, read)
	read.renames = m.renames
	if prev := m.lists[q.Continue]; prev != nil {
		read.walk, read.renames = slices.Clone(prev.walk), prev.renames
	}
	// Keyset paging: tokens created or deleted between pages never make
	// one that existed throughout appear twice; an update may move a token
	// in an order by name.
	moved := q.OrderBy == "name" && read.renames != m.renames
	for i, it := range items {
		id := itemID(it, q.Include)
		if id != "" && !moved && slices.Contains(read.walk, id) {
			return &Finding{Family: FamilyPaging, Step: st.ID,
				Message: fmt.Sprintf("items[%d] (%s) was on an earlier page of this continue walk", i, id),
				expect:  []check{{kind: "lacks", value: id}}}
		}
		read.walk = append(read.walk, id)
	}
	for i, it := range items {
		if o, ok := it.(map[string]any); ok {
			if t := m.tokens[fmt.Sprint(o["id"])]; t != nil {
				if t.deleted {
					return &Finding{Family: FamilyListContents, Step: st.ID,
						Message: fmt.Sprintf("deleted token %s is still listed (items[%d])", t.id, i),
						expect:  []check{{kind: "lacks", value: t.id}}}
				}
				if f := m.readBack(st, a, t, fmt.Sprintf("items[%d].", i), o); f != nil {
					return f
				}
			}
		}
	}
	if q.OrderBy != "" {
		if f := m.orderLaw(st, q, items); f != nil {
			return f
		}
	}
	if len(q.Include) == 0 {
		for i, it := range items {
			for _, f := range q.Filters {
				if ok, known := matches(it, f, m.expand); known && !ok {
					id, _ := it.(map[string]any)["id"].(string)
					return &Finding{Family: FamilyFilter, Step: st.ID,
						Message: fmt.Sprintf("items[%d] (%s) does not satisfy the filter %s", i, id, f),
						expect:  []check{{kind: "lacks", value: id}}}
				}
			}
		}
	}
	if q.Count {
		if f := m.countLaw(st, q, md, items, more, addr); f != nil {
			return f
		}
	}
	if q.Unpaged() && len(q.Filters) == 0 && len(q.Include) == 0 && !more {
		if f := m.exactLaw(st, items, addr); f != nil {
			return f
		}
	}
	if f := m.pagingLaw(st, read, more); f != nil {
		return f
	}
	if len(q.Include) > 0 {
		return m.includeLaw(st, read)
	}
	return nil
}

// itemCheck is the check that items[i] is item: by its id where it has
// one, else by its values.
func itemCheck(i int, item any, include []string) check {
	id := itemID(item, include)
	switch {
	case id == "":
		return check{kind: "json", path: fmt.Sprintf("items[%d]", i), value: item}
	case len(include) > 0:
		return check{kind: "json", path: fmt.Sprintf("items[%d][%d]", i, slices.Index(include, "id")), value: id}
	}
	return check{kind: "json", path: fmt.Sprintf("items[%d].id", i), value: id}
}

// itemID returns the id of a list item: an object's, or the element of a
// projected array include puts it at; "" when it is not there.
func itemID(item any, include []string) string {
	key := "id"
	if len(include) > 0 {
		i := slices.Index(include, "id")
		if i < 0 {
			return ""
		}
		key = fmt.Sprint(i)
	}
	id, _ := wire.Field(item, key)
	return id
}

// exactLaw: the whole list holds exactly the live tokens the run created
// for the collection's user, among those named with the run id.
func (m *model) exactLaw(st *Step, items []any, addr address) *Finding {
	var got, want []string
	for _, it := range items {
		o, _ := it.(map[string]any)
		if name, _ := o["name"].(string); strings.HasPrefix(name, m.runID+" ") {
			got = append(got, fmt.Sprint(o["id"]))
		}
	}
	for _, t := range m.tokens {
		if !t.deleted && t.userID == addr.user {
			want = append(want, t.id)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if slices.Equal(got, want) {
		return nil
	}
	f := &Finding{Family: FamilyListContents, Step: st.ID,
		Message: fmt.Sprintf("the list holds the run's tokens %v, want the live ones %v", got, want)}
	for _, id := range want {
		if !slices.Contains(got, id) {
			f.expect = append(f.expect, check{kind: "contains", value: id})
		}
	}
	for _, id := range got {
		if !slices.Contains(want, id) {
			f.expect = append(f.expect, check{kind: "lacks", value: id})
		}
	}
	return f
}

// orderLaw: orderBy sorts the items by the field, in byte order.
func (m *model) orderLaw(st *Step, q *ListQuery, items []any) *Finding {
	key := q.OrderBy
	if len(q.Include) > 0 {
		i := slices.Index(q.Include, q.OrderBy)
		if i < 0 {
			return nil
		}
		key = fmt.Sprint(i)
	}
	i, ok := conformance.OutOfOrder(items, key, q.Desc)
	if !ok || i < 0 {
		return nil // in order; or outside the contract, or not a string field
	}
	v, _ := wire.Field(items[i], key)
	prev, _ := wire.Field(items[i-1], key)
	return &Finding{Family: FamilyOrder, Step: st.ID,
		Message: fmt.Sprintf("items[%d] (%s %q) is out of order after %q", i, q.OrderBy, v, prev),
		expect:  []check{{kind: "ordered", path: key, desc: q.Desc}}}
}

// whole returns the latest unpaged list of the same collection and
// selection (include too unless anyInclude) read since the last write.
func (m *model) whole(read *listRead, anyInclude bool) *listRead {
	var best *listRead
	for _, l := range m.fresh {
		q, want := l.step.List, read.step.List
		if l == read || !q.Unpaged() || l.user != read.user || l.scope != read.scope || l.writes != m.writes {
			continue
		}
		same := q.sameSelection(want)
		if anyInclude {
			same = len(q.Include) == 0 && sameFilters(q.Filters, want.Filters) && q.OrderBy == want.OrderBy && q.Desc == want.Desc
		}
		if same && (best == nil || l.step.ID > best.step.ID) {
			best = l
		}
	}
	return best
}

// countLaw: metadata.count is the number of all matches, whatever limit
// and skip say.
func (m *model) countLaw(st *Step, q *ListQuery, md map[string]any, items []any, more bool, addr address) *Finding {
	n := -1
	if q.Unpaged() && !more {
		n = len(items)
	} else if w := m.whole(&listRead{step: st, user: addr.user, scope: addr.scope()}, false); w != nil {
		n = len(w.items)
	}
	if n < 0 {
		return nil
	}
	if got, ok := md["count"].(float64); !ok || int(got) != n {
		return &Finding{Family: FamilyPaging, Step: st.ID,
			Message: fmt.Sprintf("metadata.count is %s, and the list has %d items in all", compact(md["count"]), n),
			expect:  []check{{kind: "json", path: "metadata.count", value: float64(n)}}}
	}
	return nil
}

// pagingLaw: a page of a limit, skip or continue query is the part of the
// unpaged list it stands for, and says whether more follow.
func (m *model) pagingLaw(st *Step, read *listRead, more bool) *Finding {
	q := read.step.List
	if q.Unpaged() {
		read.whole, read.next = read, len(read.items)
		return nil
	}
	offset := q.Skip
	read.whole = m.whole(read, false)
	if q.Continue > 0 {
		prev := m.lists[q.Continue]
		if prev == nil || prev.whole == nil || prev.writes != m.writes {
			read.whole = nil
			return nil
		}
		read.whole, offset = prev.whole, prev.next
	}
	if read.whole == nil {
		return nil
	}
	all := read.whole.items
	want := all[min(offset, len(all)):]
	if q.Limit > 0 && len(want) > q.Limit {
		want = want[:q.Limit]
	}
	read.next = offset + len(read.items)
	wantMore := q.Limit > 0 && offset+q.Limit < len(all)
	fail := func(msg string, expect ...check) *Finding {
		return &Finding{Family: FamilyPaging, Step: st.ID,
			Message: fmt.Sprintf("%s (the unpaged list of step %d has %d items; this page starts at %d)", msg, read.whole.step.ID, len(all), offset),
			expect:  expect}
	}
	if len(read.items) != len(want) {
		return fail(fmt.Sprintf("the page has %d items, want %d", len(read.items), len(want)), check{kind: "items", n: len(want)})
	}
	for i := range want {
		if !reflect.DeepEqual(read.items[i], want[i]) {
			return fail(fmt.Sprintf("items[%d] is %s, want %s", i, compact(read.items[i]), compact(want[i])), itemCheck(i, want[i], q.Include))
		}
	}
	if more != wantMore {
		if wantMore {
			return fail("the page stops before the end without metadata.continue", check{kind: "present", path: "metadata.continue"})
		}
		return fail("the page reaches the end, yet has metadata.continue", check{kind: "absent", path: "metadata.continue"})
	}
	return nil
}

// includeLaw: with include, each item is the array of the fields asked
// for, in that order, of the item the same query without include lists.
func (m *model) includeLaw(st *Step, read *listRead) *Finding {
	q := read.step.List
	objects := m.whole(read, true)
	if objects == nil || read.whole == nil {
		return nil
	}
	offset := read.next - len(read.items)
	for i, it := range read.items {
		if offset+i >= len(objects.items) {
			return nil
		}
		o, _ := objects.items[offset+i].(map[string]any)
		want := make([]any, len(q.Include))
		for k, f := range q.Include {
			want[k] = o[f]
		}
		if !reflect.DeepEqual(it, want) {
			return &Finding{Family: FamilyInclude, Step: st.ID,
				Message: fmt.Sprintf("items[%d] is %s; include=%s of the item the list without include shows is %s", i, compact(it), strings.Join(q.Include, ","), compact(want)),
				expect:  []check{{kind: "json", path: fmt.Sprintf("items[%d]", i), value: want}}}
		}
	}
	return nil
}
