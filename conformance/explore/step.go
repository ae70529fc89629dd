package explore

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Step is one generated request, written symbolically: what it refers to
// is a placeholder of the step library (schemas/CONTRACT.md's personas
// as {member}, {user tokens of member}, the run id as {run}) or a value an
// earlier step of the same run received ({$id7}: the id step 7 created;
// {$secret7}, {$etag7}, {$cont7}: its secret, the ETag and the
// metadata.continue of its answer). The runner binds them per side, so the
// same Step means the same request to the target and to the reference, and
// renders unchanged as a step of a feature file.
type Step struct {
	// ID numbers the step in the run that generated it; {$…N}
	// placeholders name steps by it. A shrunk sequence keeps the ids.
	ID int
	// Kind says what the generator meant ("create", "list", "update",
	// …), for reports.
	Kind string
	Auth Auth
	// Method is GET, POST, PUT, DELETE, or PATCH (a method no path has).
	Method string
	// Path is the request path with placeholders, without the query.
	Path string
	// List, when set, is a well-formed list query: Query is its encoding
	// and the list laws apply. Otherwise Query is sent as written.
	List  *ListQuery
	Query string
	// Headers are sent in this order; values may have placeholders.
	Headers []Header
	Body    *Body
	// want is the answer the contract prescribes, when the generator
	// knows it; nil otherwise.
	want *outcome
}

// Auth is how a step authenticates.
type Auth struct {
	// Persona is a configured identity whose credential is sent
	// ("member"), when not empty.
	Persona string
	// Header, when Persona is empty, is the exact Authorization header
	// (placeholders expanded), or none at all when empty.
	Header string
}

// Header is a request header sent with one step.
type Header struct{ Name, Value string }

// Body is a request body: Text with its placeholders expanded, or, with
// Pad, a token body of exactly Pad bytes (a long name). Text need not be
// UTF-8.
type Body struct {
	Text string
	Pad  int
}

// ListQuery is a list query written as the API's documentation writes
// it, one parameter per entry, values unencoded.
type ListQuery struct {
	Filters  []Filter
	OrderBy  string // a field, "" for the default order
	Desc     bool
	Include  []string
	Limit    int // 0: not sent
	Skip     int // 0: not sent
	Count    bool
	Continue int // the step whose metadata.continue is sent; 0: none
}

// Filter is one filter parameter: field op 'value'.
type Filter struct{ Field, Op, Value string }

func (f Filter) String() string { return f.Field + " " + f.Op + " '" + f.Value + "'" }

// Params returns the query's parameters in the order they are sent.
func (q *ListQuery) Params() [][2]string {
	var out [][2]string
	for _, f := range q.Filters {
		out = append(out, [2]string{"filter", f.String()})
	}
	if q.OrderBy != "" {
		v := q.OrderBy
		if q.Desc {
			v += " desc"
		}
		out = append(out, [2]string{"orderBy", v})
	}
	if len(q.Include) > 0 {
		out = append(out, [2]string{"include", strings.Join(q.Include, ",")})
	}
	if q.Limit > 0 {
		out = append(out, [2]string{"limit", strconv.Itoa(q.Limit)})
	}
	if q.Skip > 0 {
		out = append(out, [2]string{"skip", strconv.Itoa(q.Skip)})
	}
	if q.Count {
		out = append(out, [2]string{"count", "true"})
	}
	if q.Continue > 0 {
		out = append(out, [2]string{"continue", fmt.Sprintf("{$cont%d}", q.Continue)})
	}
	return out
}

// encode writes the query as the suite's `I list "…" with:` step sends
// it: each name and value escaped, a space as %20; placeholders are left
// for expansion, which escapes their values.
func (q *ListQuery) encode() string {
	var parts []string
	for _, p := range q.Params() {
		parts = append(parts, escapeLiteral(p[0])+"="+escapeLiteral(p[1]))
	}
	return strings.Join(parts, "&")
}

// Unpaged reports whether the query selects the whole list: no limit, skip
// or continue.
func (q *ListQuery) Unpaged() bool { return q.Limit == 0 && q.Skip == 0 && q.Continue == 0 }

// sameSelection reports whether two queries select and present the same
// items in the same order: the same filters (a set: they are ANDed),
// order and include.
func (q *ListQuery) sameSelection(o *ListQuery) bool {
	return sameFilters(q.Filters, o.Filters) && q.OrderBy == o.OrderBy && q.Desc == o.Desc && slices.Equal(q.Include, o.Include)
}

func sameFilters(a, b []Filter) bool {
	set := func(fs []Filter) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.String())
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(set(a), set(b))
}

// escapeLiteral query-escapes s except its placeholders.
func escapeLiteral(s string) string { return escapeAround(s, queryEscape) }

// escapeAround applies esc to the text of s between its placeholders.
func escapeAround(s string, esc func(string) string) string {
	var b strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(s, -1) {
		if !isPlaceholder(s[m[2]:m[3]]) {
			continue
		}
		b.WriteString(esc(s[last:m[0]]))
		b.WriteString(s[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(esc(s[last:]))
	return b.String()
}

// Target is the step's request target: the path and the query.
func (s *Step) Target() string {
	q := s.Query
	if s.List != nil {
		q = s.List.encode()
	}
	if q == "" {
		return s.Path
	}
	return s.Path + "?" + q
}

// refs returns the keys ({$KEY}) the step's placeholders read.
func (s *Step) refs() []string {
	var out []string
	texts := []string{s.Auth.Header, s.Target()}
	for _, h := range s.Headers {
		texts = append(texts, h.Value)
	}
	if s.Body != nil {
		texts = append(texts, s.Body.Text)
	}
	for _, t := range texts {
		for _, m := range savedRef.FindAllStringSubmatch(t, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// refStep returns the step id a saved key names ("id7" → 7).
func refStep(key string) int {
	m := savedKey.FindStringSubmatch(key)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

var (
	placeholder = regexp.MustCompile(`\{([^{}]+)\}`)
	savedRef    = regexp.MustCompile(`\{\$([a-z]+[0-9]+)\}`)
	savedKey    = regexp.MustCompile(`^([a-z]+)([0-9]+)$`)
)

// isPlaceholder tells a placeholder from other text in braces, as the step
// library does: JSON objects have quotes or colons, counts start with a
// digit.
func isPlaceholder(key string) bool {
	return key != "" && !strings.ContainsAny(key, `":`) &&
		(key[0] == '$' || unicode.IsLetter(rune(key[0])))
}

// queryEscape escapes a query parameter's name or value, a space as %20,
// as the step library does.
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// expander binds placeholders for one side of a run.
type expander struct {
	values func(key string) (string, bool) // the configuration's placeholders
	saved  map[string]string               // {$KEY}
}

// expand replaces the placeholders of s; esc escapes each value by the
// offset of its placeholder in s (nil: as is). An unknown placeholder is
// an error: a step that refers to a value its sequence did not save.
func (e *expander) expand(s string, esc func(at int, key, v string) string) (string, error) {
	var b strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(s, -1) {
		key := s[m[2]:m[3]]
		if !isPlaceholder(key) {
			continue
		}
		var v string
		var ok bool
		if k, isSaved := strings.CutPrefix(key, "$"); isSaved {
			v, ok = e.saved[k]
		} else {
			v, ok = e.values(key)
		}
		if !ok {
			return "", fmt.Errorf("%w {%s}", errUnbound, key)
		}
		b.WriteString(s[last:m[0]])
		if esc != nil {
			v = esc(m[0], key, v)
		}
		b.WriteString(v)
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

// expandTarget expands a request target as the step library does: a
// value is escaped as a path segment before the ?, as a query value after
// it, except the collection paths, which are paths.
func (e *expander) expandTarget(target string) (string, error) {
	queryAt := strings.IndexByte(target, '?')
	return e.expand(target, func(at int, key, v string) string {
		switch {
		case queryAt >= 0 && at > queryAt:
			return queryEscape(v)
		case strings.HasPrefix(key, "user tokens of "), strings.HasPrefix(key, "group tokens of "):
			return v
		}
		return url.PathEscape(v)
	})
}
