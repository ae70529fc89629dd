package explore

import (
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
	"github.com/astra-contract/astra-token-kit/fixtures"
)

// normalizer maps what differs between two correct implementations to
// what must agree: ids and secrets to the step that created them,
// timestamps and ETags to the order they were first seen in (with, on
// first sight, the timestamp's rank among those seen before), the
// correlation id to whether it is the request's. One per side.
type normalizer struct {
	times []string // distinct timestamps seen, sorted
	seen  map[string]int
	etags map[string]int
	// frozen: timestamps not seen before are not numbered.
	frozen bool
}

func newNormalizer() *normalizer {
	return &normalizer{seen: map[string]int{}, etags: map[string]int{}}
}

// normal is an answer after normalisation: what the reference's and the
// target's must agree on.
type normal struct {
	Status      int
	ContentType string
	Location    string
	ETag        string
	Allow       string
	RequestID   string
	Body        any
}

var timestamp = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.,][0-9]{1,9})?Z$`)

// normalize normalizes an answer of side s to step st.
func (n *normalizer) normalize(s *side, st *Step, a *answer) normal {
	names := s.names
	out := normal{
		Status:      a.status,
		ContentType: wire.MediaType(a.header.Get("Content-Type")),
		Allow:       sortedList(a.header.Get("Allow")),
	}
	if loc := a.header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			loc = u.EscapedPath()
		}
		out.Location = names.text(loc)
	}
	if tag := a.header.Get("ETag"); tag != "" {
		if _, ok := n.etags[tag]; !ok {
			n.etags[tag] = len(n.etags) + 1
		}
		out.ETag = fmt.Sprintf("etag#%d", n.etags[tag])
	}
	sentID := a.req.Header.Get("X-Request-ID")
	switch got := a.header.Get("X-Request-ID"); {
	case got == "":
	case got == sentID:
		out.RequestID = "the request's"
	default:
		out.RequestID = "fresh"
	}
	switch {
	case len(a.body) == 0:
	case a.jsonErr != nil:
		out.Body = fmt.Sprintf("(%d bytes, not JSON)", len(a.body))
	case st.List != nil && st.List.idOrdered():
		out.Body = n.unordered(a.doc, st.List, names, a.header.Get("X-Request-ID"))
	default:
		out.Body = n.value(a.doc, "", names, a.header.Get("X-Request-ID"))
	}
	return out
}

// idOrdered reports whether the items a query selects, or their order,
// depend on the ids, which two implementations draw at random: orderBy
// id, or a field every item shares (ties are broken by id); a filter
// comparing ids.
func (q *ListQuery) idOrdered() bool {
	return slices.Contains([]string{"id", "userID", "type", "version"}, q.OrderBy) || q.idSelected()
}

// idSelected reports whether a filter compares ids other than by
// equality.
func (q *ListQuery) idSelected() bool {
	return slices.ContainsFunc(q.Filters, func(f Filter) bool { return f.Field == "id" && f.Op != "eq" })
}

// unordered normalizes a list whose order depends on the ids: the whole
// list as a sorted multiset of items, whose timestamps are not numbered
// (the order they would be seen in depends on the ids); a page, or a
// selection by id, without its items, count and continue (the laws judge
// those on the target alone).
func (n *normalizer) unordered(doc any, q *ListQuery, names *names, requestID string) any {
	obj, ok := doc.(map[string]any)
	if _, isList := obj["items"].([]any); !ok || !isList {
		return n.value(doc, "", names, requestID)
	}
	if !q.Unpaged() || q.idSelected() {
		out := map[string]any{}
		for k, v := range obj {
			out[k] = v
		}
		out["items"] = "(depends on the ids)"
		if md, ok := obj["metadata"].(map[string]any); ok {
			kept := map[string]any{}
			for k, v := range md {
				if k != "continue" && k != "count" {
					kept[k] = v
				}
			}
			out["metadata"] = kept
		}
		return n.value(out, "", names, requestID)
	}
	n.frozen = true
	norm := n.value(obj, "", names, requestID).(map[string]any)
	n.frozen = false
	sorted := slices.Clone(norm["items"].([]any))
	slices.SortFunc(sorted, func(a, b any) int { return strings.Compare(compact(a), compact(b)) })
	norm["items"] = sorted
	return norm
}

// value normalizes a JSON value found at path.
func (n *normalizer) value(v any, path string, names *names, requestID string) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		// In key order: timestamps are numbered in the order first seen.
		for _, k := range slices.Sorted(maps.Keys(v)) {
			x := v[k]
			p := joinPath(path, k)
			switch {
			case p == "correlationID":
				if x == requestID {
					out[k] = "(the X-Request-ID header)"
				} else {
					out[k] = "(not the X-Request-ID header)"
				}
			case p == "invalidParams" || p == "invalidFields":
				out[k] = entryNames(x)
			case p == "schemaValidationFailure" || p == "metadata.continue":
				out[k] = "(present)"
			default:
				out[k] = n.value(x, p, names, requestID)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = n.value(x, fmt.Sprintf("%s[%d]", path, i), names, requestID)
		}
		return out
	case string:
		if timestamp.MatchString(v) {
			return n.time(v)
		}
		return names.text(v)
	}
	return v
}

// time maps a timestamp to the order it was first seen in; on first sight
// it also says how many timestamps seen before are earlier, so that two
// sides agree only if their timestamps are ordered alike.
func (n *normalizer) time(v string) string {
	if i, ok := n.seen[v]; ok {
		return fmt.Sprintf("time#%d", i)
	}
	if n.frozen {
		return "time (not seen before)"
	}
	rank, _ := slices.BinarySearch(n.times, v)
	n.times = slices.Insert(n.times, rank, v)
	n.seen[v] = len(n.seen) + 1
	return fmt.Sprintf("time#%d (new, after %d of those seen)", n.seen[v], rank)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// entryNames returns the names of invalidParams or invalidFields, sorted:
// the reasons are free text.
func entryNames(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	var out []string
	for _, e := range list {
		m, _ := e.(map[string]any)
		out = append(out, fmt.Sprint(m["name"]))
	}
	slices.Sort(out)
	return out
}

func sortedList(h string) string {
	if h == "" {
		return ""
	}
	parts := strings.Split(h, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// names maps the values a side bound to the placeholders that stand for
// them: {$id3} for the id step 3 created, {member} for the member's user
// id, {run} for the run id.
type names struct {
	exact map[string]string // a whole value, or a path segment
	runID string
}

// newNames returns the names of what the configuration binds; the side
// adds those of the ids and secrets it saves.
func newNames(cfg *conformance.Config, runID string) *names {
	ns := &names{exact: map[string]string{}, runID: runID}
	for _, p := range fixtures.Personas() {
		if id, ok := cfg.Identities[p]; ok {
			ns.exact[id.UserID] = "{" + string(p) + "}"
		}
	}
	ns.exact[cfg.AccountID] = "{account}"
	if id, ok := cfg.Identities[fixtures.PersonaForeignAdmin]; ok {
		ns.exact[id.AccountID] = "{foreign account}"
	}
	if cfg.GroupID != "" {
		ns.exact[cfg.GroupID] = "{group}"
	}
	return ns
}

// text writes s with placeholders for what is bound: the whole value, each
// segment of a path, the run id within a name.
func (ns *names) text(s string) string {
	if name, ok := ns.exact[s]; ok {
		return name
	}
	if strings.Contains(s, "/") {
		parts := strings.Split(s, "/")
		for i, p := range parts {
			if name, ok := ns.exact[p]; ok {
				parts[i] = name
			}
		}
		s = strings.Join(parts, "/")
	}
	if ns.runID != "" {
		s = strings.ReplaceAll(s, ns.runID, "{run}")
	}
	return s
}

// value writes every string of a JSON value as text does.
func (ns *names) value(v any) any {
	switch v := v.(type) {
	case string:
		return ns.text(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = ns.value(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = ns.value(x)
		}
		return out
	}
	return v
}

// compare compares the normalized answers of the target (t) and the
// reference (r) to one step, and returns what differs, or nil.
func compareAnswers(st *Step, ta, ra *answer, t, r normal) *Finding {
	var diffs []string
	var expect []check
	if t.Status != r.Status {
		diffs = append(diffs, fmt.Sprintf("status %d, the reference %d", t.Status, r.Status))
		expect = append(expect, check{kind: "status", n: r.Status})
	}
	if n := ra.problemType(); n != ta.problemType() {
		if n > 0 {
			expect = append(expect, check{kind: "problem", n: n})
		}
		diffs = append(diffs, fmt.Sprintf("problem type %d, the reference %d", ta.problemType(), n))
	}
	for _, h := range []struct{ name, t, r, raw string }{
		{"Content-Type", t.ContentType, r.ContentType, r.ContentType},
		{"Location", t.Location, r.Location, r.Location},
		{"ETag", t.ETag, r.ETag, ra.header.Get("ETag")},
		{"Allow", t.Allow, r.Allow, ra.header.Get("Allow")},
		{"X-Request-ID", t.RequestID, r.RequestID, ra.header.Get("X-Request-ID")},
	} {
		if h.t == h.r {
			continue
		}
		diffs = append(diffs, fmt.Sprintf("header %s %q, the reference %q", h.name, h.t, h.r))
		switch {
		case h.r == "":
			expect = append(expect, check{kind: "no header", path: h.name})
		case h.name == "ETag":
			if h.t == "" {
				expect = append(expect, check{kind: "header present", path: h.name})
			}
		case h.name == "Location":
			expect = append(expect, check{kind: "header ends", path: h.name, value: h.raw})
		case h.name == "X-Request-ID" && r.RequestID == "the request's":
			expect = append(expect, check{kind: "header", path: h.name, value: h.raw})
		case h.name != "X-Request-ID":
			expect = append(expect, check{kind: "header", path: h.name, value: h.raw})
		}
	}
	var paths []string
	diffJSON(t.Body, r.Body, "", &paths)
	for _, p := range paths {
		tv, tok, _ := wire.Lookup(t.Body, p)
		rv, rok, _ := wire.Lookup(r.Body, p)
		diffs = append(diffs, fmt.Sprintf("%s %s, the reference %s", orBody(p), compact(tv), compact(rv)))
		raw, _, _ := wire.Lookup(ra.doc, p)
		traw, _, _ := wire.Lookup(ta.doc, p)
		rarr, rIsArr := raw.([]any)
		tarr, tIsArr := traw.([]any)
		switch {
		case p == "":
		case !rok:
			expect = append(expect, check{kind: "absent", path: p})
		case !tok:
			expect = append(expect, check{kind: "present", path: p})
		case p == "correlationID":
			// It must equal the X-Request-ID header, which the problem
			// check asserts.
			if n := ra.problemType(); n > 0 {
				expect = append(expect, check{kind: "problem", n: n})
			}
		case rIsArr && tIsArr && len(rarr) != len(tarr):
			expect = append(expect, check{kind: "length", path: p, n: len(rarr)})
		case isMarker(rv):
		case !containsTime(raw):
			expect = append(expect, check{kind: "json", path: p, value: raw})
		default:
			expect = append(expect, check{kind: "json", path: p, value: raw}) // its leaves that are not times
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	if t.Status == r.Status && len(expect) > 0 && expect[0].kind != "status" {
		expect = append([]check{{kind: "status", n: r.Status}}, expect...)
	}
	return &Finding{Family: FamilyReference, Step: st.ID, Message: strings.Join(diffs, "; "), expect: expect}
}

// isMarker reports whether a normalized value stands for something the
// repro cannot write literally: "(present)", "(depends on the ids)".
func isMarker(v any) bool {
	s, ok := v.(string)
	return ok && strings.HasPrefix(s, "(")
}

func orBody(p string) string {
	if p == "" {
		return "the body"
	}
	return p
}

// containsTime reports whether a JSON value holds a timestamp, which a
// repro cannot assert literally.
func containsTime(v any) bool {
	switch v := v.(type) {
	case string:
		return timestamp.MatchString(v)
	case map[string]any:
		for _, x := range v {
			if containsTime(x) {
				return true
			}
		}
	case []any:
		return slices.ContainsFunc(v, containsTime)
	}
	return false
}

// diffJSON appends to out the paths (in the step library's form:
// items[0].name) where a and b differ, at most five: the deepest that
// differ, or an array whose lengths differ.
func diffJSON(a, b any, path string, out *[]string) {
	if len(*out) >= 5 || reflect.DeepEqual(a, b) {
		return
	}
	switch av := a.(type) {
	case map[string]any:
		if bv, ok := b.(map[string]any); ok {
			keys := slices.Concat(slices.Collect(maps.Keys(av)), slices.Collect(maps.Keys(bv)))
			slices.Sort(keys)
			for _, k := range slices.Compact(keys) {
				diffJSON(av[k], bv[k], joinPath(path, k), out)
			}
			return
		}
	case []any:
		if bv, ok := b.([]any); ok && len(av) == len(bv) {
			for i := range av {
				diffJSON(av[i], bv[i], fmt.Sprintf("%s[%d]", path, i), out)
			}
			return
		}
	}
	*out = append(*out, path)
}
