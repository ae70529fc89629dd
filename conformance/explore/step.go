package explore

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/astra-contract/astra-token-kit/conformance/internal/placeholder"
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
		parts = append(parts, placeholder.EscapeAround(p[0], placeholder.QueryEscape)+"="+placeholder.EscapeAround(p[1], placeholder.QueryEscape))
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
	savedRef = regexp.MustCompile(`\{\$([a-z]+[0-9]+)\}`)
	savedKey = regexp.MustCompile(`^([a-z]+)([0-9]+)$`)
)
