package mockserver

import (
	"errors"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/query"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/store"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// listQuery is a parsed, checked list query.
type listQuery struct {
	filters []query.Filter
	order   query.Order
	include []string
	after   string
	skip    int
	limit   int
	count   bool
	// scope is the collection the list reads.
	scope string
}

// parseListQuery checks the query of a list request: first against the
// OpenAPI document (patterns: 5; undeclared names: 6), then the meaning of
// each value (unknown fields, malformed filters, foreign cursors: 5). Every
// bad parameter is named once in invalidParams.
func (s *Server) parseListQuery(c *call) (*listQuery, error) {
	p, values, refused := s.contract.checkQuery(c.r, c.item, c.template)
	if p != nil && values == nil {
		return nil, p // undeclared or malformed: nothing to parse for meaning
	}
	if err := c.r.Context().Err(); err != nil {
		return nil, err
	}
	// Parameters that broke their pattern are already named; the others
	// are parsed for meaning, so that every bad parameter is named once.
	for name := range refused {
		delete(values, name)
	}
	q := &listQuery{}
	var bad []problem.Item
	if p != nil {
		bad = append(bad, p.InvalidParams...)
	}
	fail := func(err error) {
		if qe, ok := err.(*query.Error); ok {
			bad = append(bad, problem.Item{Name: qe.Param, Reason: qe.Reason})
			return
		}
		bad = append(bad, problem.Item{Name: "query", Reason: err.Error()})
	}
	single := func(name string) (string, bool) {
		vs, ok := values[name]
		if !ok {
			return "", false
		}
		if len(vs) > 1 {
			bad = append(bad, problem.Item{Name: name, Reason: "the parameter may be given only once"})
			return "", false
		}
		return vs[0], true
	}
	for _, f := range values["filter"] {
		parsed, err := query.ParseFilter(f)
		if err != nil {
			fail(err)
			break
		}
		q.filters = append(q.filters, parsed)
	}
	var err error
	if v, ok := single("orderBy"); ok {
		if q.order, err = query.ParseOrderBy(v); err != nil {
			fail(err)
		}
	}
	if v, ok := single("include"); ok {
		if q.include, err = query.ParseInclude(v); err != nil {
			fail(err)
		}
	}
	if v, ok := single("limit"); ok {
		if q.limit, err = query.ParsePositive("limit", v); err != nil {
			fail(err)
		}
	}
	if v, ok := single("skip"); ok {
		if q.skip, err = query.ParsePositive("skip", v); err != nil {
			fail(err)
		}
	}
	if v, ok := single("count"); ok {
		q.count = v == "true"
	}
	q.scope = c.account.ID + "/" + c.userID
	if v, ok := single("continue"); ok {
		// A fingerprint is only comparable when the query it covers parsed.
		var cur query.Cursor
		if len(bad) == 0 {
			cur, err = s.cursors.DecodeFor(v, q.fingerprint())
		} else {
			cur, err = s.cursors.Decode(v)
		}
		if err != nil {
			fail(err)
		} else {
			q.after = cur.After
		}
	}
	if len(bad) > 0 {
		p := problem.New(schemas.ProblemInvalidQuery)
		p.InvalidParams = bad
		return nil, p
	}
	return q, nil
}

// fingerprint binds continue tokens to the collection and the query. It is
// worked out only for a list that reads or writes one.
func (q *listQuery) fingerprint() string {
	return query.Fingerprint(q.scope, q.filters, q.order, q.include)
}

func (s *Server) list(c *call) error {
	q, err := s.parseListQuery(c)
	if err != nil {
		return err
	}
	media, ok := negotiateList(c.r.Header.Get("Accept"))
	if !ok {
		return problem.New(schemas.ProblemNotAcceptable)
	}
	var match func(*token.Token) bool
	if len(q.filters) > 0 {
		match = func(t *token.Token) bool {
			for _, f := range q.filters {
				if !f.Match(t, schemas.TimeLayout) {
					return false
				}
			}
			return true
		}
	}
	page, err := c.store.List(c.r.Context(), store.List{
		UserID: c.userID, OrderBy: q.order.Field, Desc: q.order.Desc,
		Match: match, After: q.after, Skip: q.skip, Limit: q.limit, Count: q.count,
	})
	if ctxErr := c.r.Context().Err(); ctxErr != nil && errors.Is(err, ctxErr) {
		return err
	}
	if err != nil {
		p := problem.New(schemas.ProblemInvalidQuery)
		p.InvalidParams = []problem.Item{{Name: "continue", Reason: "the token does not fit this collection"}}
		return p
	}
	var meta listMetadata
	if q.count {
		meta.Count = &page.Total
	}
	if page.Next != "" {
		meta.Continue = s.cursors.Encode(query.Cursor{After: page.Next, Fingerprint: q.fingerprint()})
	}
	lw := newListWriter(c.w, media)
	for _, t := range page.Items {
		r := resourceOf(t)
		var item any = r
		if q.include != nil {
			item = r.project(q.include)
		}
		if more, err := lw.item(item); err != nil || !more {
			return err // nil when the client has gone: nobody is left to answer
		}
	}
	return lw.finish(meta)
}
