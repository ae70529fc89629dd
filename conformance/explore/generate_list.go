package explore

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// list reads a collection: with every list parameter of
// schemas/CONTRACT.md §4, valid and malformed; following an earlier page's
// continue token, sometimes tampered with or sent with another query. A
// paged or projected query is preceded by the unpaged list it is judged
// against, when the run has not just read it.
func (g *generator) list() Step {
	if len(g.lists) > 0 && g.chance(0.35) {
		return g.nextPage()
	}
	owner := g.owner()
	st := Step{Kind: "list", Auth: g.caller(owner), Method: http.MethodGet, Path: g.collection(owner)}
	if g.chance(0.2) {
		query, o := g.malformedQuery()
		st.Kind, st.Query = "list, malformed query", query
		return g.twist(g.expect(st, owner, o))
	}
	q := g.listQuery()
	st.List = q
	st = g.expect(st, owner, &outcome{status: http.StatusOK})
	if g.chance(0.25) {
		st = g.twist(st)
	}
	if g.chance(0.25) {
		return st
	}
	// The unpaged lists it is judged against: the objects without
	// include, then the projection, then the page.
	var before []Step
	if len(q.Include) > 0 {
		objects := *q
		objects.Include, objects.Limit, objects.Skip, objects.Count = nil, 0, 0, false
		before = append(before, g.expect(Step{Kind: "list", Auth: Auth{Persona: owner}, Method: http.MethodGet, Path: st.Path, List: &objects}, owner, &outcome{status: http.StatusOK}))
	}
	if !q.Unpaged() {
		whole := *q
		whole.Limit, whole.Skip, whole.Count = 0, 0, false
		before = append(before, g.expect(Step{Kind: "list", Auth: Auth{Persona: owner}, Method: http.MethodGet, Path: st.Path, List: &whole}, owner, &outcome{status: http.StatusOK}))
	}
	if len(before) == 0 {
		return st
	}
	g.queue = append(append(before[1:], st), g.queue...)
	return before[0]
}

// listQuery makes a well-formed list query.
func (g *generator) listQuery() *ListQuery {
	q := &ListQuery{}
	for n := g.rnd.IntN(5); n > 2 && len(q.Filters) < 3; n-- {
		q.Filters = append(q.Filters, g.filter())
	}
	if g.chance(0.4) {
		q.Filters = append(q.Filters, g.filter())
	}
	if g.chance(0.4) {
		q.OrderBy = pick(g.rnd, "name", "id", "userID", "type", "version")
		q.Desc = g.chance(0.5)
	}
	if g.chance(0.25) {
		fields := []string{"type", "version", "id", "name", "userID", "metadata"}
		g.rnd.Shuffle(len(fields), func(i, j int) { fields[i], fields[j] = fields[j], fields[i] })
		q.Include = fields[:1+g.rnd.IntN(3)]
	}
	if g.chance(0.45) {
		q.Limit = 1 + g.rnd.IntN(4)
	}
	if g.chance(0.2) {
		q.Skip = 1 + g.rnd.IntN(3)
	}
	q.Count = g.chance(0.25)
	if g.reference && q.idOrdered() {
		q.Limit, q.Skip = 0, 0
	}
	return q
}

// filter makes a filter over every field the contract names, with every
// operator, mostly selecting some of the run's tokens.
func (g *generator) filter() Filter {
	var ids []string
	for _, t := range g.tokens {
		ids = append(ids, fmt.Sprintf("{$id%d}", t.step))
	}
	if len(ids) == 0 {
		ids = append(ids, g.uuid())
	}
	ops := []string{"eq", "lt", "gt", "lte", "gte", "in"}
	return weighted(g.rnd,
		choice[func() Filter]{8, func() Filter { return Filter{"name", "in", "{run}"} }},
		choice[func() Filter]{3, func() Filter {
			return Filter{"name", pick(g.rnd, ops...), "{run} " + pick(g.rnd, "c", "d", "ops-", "job_", "Snapshot")}
		}},
		choice[func() Filter]{1, func() Filter { return Filter{"name", "in", "Snapshot"} }},
		choice[func() Filter]{2, func() Filter { return Filter{"id", pick(g.rnd, "eq", "lt", "gte"), pick(g.rnd, ids...)} }},
		choice[func() Filter]{1, func() Filter { return Filter{"userID", "eq", "{" + pick(g.rnd, g.personas...) + "}"} }},
		choice[func() Filter]{2, func() Filter {
			return Filter{"metadata.labels[*].name", pick(g.rnd, "eq", "in"), pick(g.rnd, "team", "env", "e")}
		}},
		choice[func() Filter]{2, func() Filter {
			return Filter{"metadata.labels[*].value", pick(g.rnd, ops...), pick(g.rnd, "qa", "prod", "d", "a b")}
		}},
		choice[func() Filter]{1, func() Filter { return Filter{"type", "eq", g.kind.typ} }},
		choice[func() Filter]{1, func() Filter { return Filter{"version", pick(g.rnd, "eq", "gt"), g.kind.version} }},
		choice[func() Filter]{2, func() Filter {
			return Filter{pick(g.rnd, "metadata.creationTimestamp", "metadata.modificationTimestamp"), pick(g.rnd, ops[:5]...),
				pick(g.rnd, "2022-10-06T20:58:17Z", "2022-10-06T20:58:17.305662Z", "2030-01-01T00:00:00Z")}
		}},
		choice[func() Filter]{1, func() Filter { return Filter{"metadata.createdBy", "eq", "{" + pick(g.rnd, g.personas...) + "}"} }},
		choice[func() Filter]{1, func() Filter { return Filter{"metadata.modifiedBy", "eq", "{" + pick(g.rnd, g.personas...) + "}"} }},
	)()
}

// malformedQuery is a list query the contract refuses, already encoded:
// values failing their patterns (the boundaries most often: 400 type 5,
// a policy), unknown fields and parameters (type 6, documented), query
// strings that do not parse; and the answer.
func (g *generator) malformedQuery() (string, *outcome) {
	query := weighted(g.rnd,
		choice[string]{3, "limit=0"}, choice[string]{2, "skip=0"}, choice[string]{1, "limit=-1"},
		choice[string]{1, "limit=abc"}, choice[string]{1, "limit=01"}, choice[string]{1, "count=false"},
		choice[string]{1, "count=TRUE"}, choice[string]{1, "orderBy=name%20asc"}, choice[string]{1, "orderBy=colour"},
		choice[string]{1, "orderBy=token"}, choice[string]{1, "orderBy=name%20desc%20desc"}, choice[string]{1, "include=token"},
		choice[string]{1, "include="}, choice[string]{1, "include=id,,name"}, choice[string]{1, "include=id%20name"},
		choice[string]{1, "include=colour"}, choice[string]{1, "filter=name%20like%20%27x%27"}, choice[string]{1, "filter=name%20eq%20x"},
		choice[string]{1, "filter=colour%20eq%20%27x%27"}, choice[string]{1, "filter=name%20eq%20%27%27"},
		choice[string]{1, "filter=name%20eq%20%27it%27s%27"}, choice[string]{1, "filter=metadata.labels.name%20eq%20%27a%27"},
		choice[string]{2, "Limit=2"}, choice[string]{2, "foo=bar"}, choice[string]{1, "limit=1;x"}, choice[string]{1, "limit=%zz"},
		choice[string]{1, "limit=%2"}, choice[string]{1, "filter=name%20eq%20%27%ff%27"}, choice[string]{1, "continue=abc"},
		choice[string]{1, "continue=Zm9v"}, choice[string]{1, "continue="}, choice[string]{1, "limit=2&foo=1&bar=2"},
	)
	switch query {
	case "Limit=2", "foo=bar", "limit=2&foo=1&bar=2":
		return query, problem(schemas.ProblemUnsupportedQuery, false)
	case "continue=", "filter=metadata.labels.name%20eq%20%27a%27":
		return query, nil // an empty token, a label field without [*]: not for the generator to say
	}
	return query, problem(schemas.ProblemInvalidQuery, true)
}

// nextPage follows an earlier page's metadata.continue: with the same
// query (the next page), or another query or collection (refused), or a
// tampered token.
func (g *generator) nextPage() Step {
	l := g.lists[len(g.lists)-1]
	if g.chance(0.3) {
		l = pick(g.rnd, g.lists...)
	}
	q := l.q
	q.Continue = l.step
	q.Count = g.chance(0.2)
	st := Step{Kind: "list, next page", Auth: Auth{Persona: l.owner}, Method: http.MethodGet, Path: l.path, List: &q}
	if l.owner == "" {
		st.Auth = Auth{Persona: "member"}
	}
	switch n := g.rnd.IntN(20); {
	case n < 2:
		other := *g.listQuery()
		other.Continue, other.Limit = l.step, max(other.Limit, 1)
		st.Kind, st.List = "list, next page of another query", &other
	case n < 3:
		st.Kind, st.Path = "list, next page of another collection", g.collection(g.owner())
	case n < 4:
		tampered := q
		tampered.Continue = 0
		st.Kind, st.List = "list, tampered continue", nil
		st.Query = strings.TrimPrefix(tampered.encode()+"&continue="+fmt.Sprintf("{$cont%d}", l.step)+pick(g.rnd, "x", "%3D", "A"), "&")
	case n < 5:
		// Skip applies to the first page only.
		q.Skip = 1 + g.rnd.IntN(2)
	}
	if st.Kind == "list, next page" && g.chance(0.7) {
		// Walk on: the next page is the likeliest to be asked next.
		g.lists = slices.DeleteFunc(g.lists, func(x *genList) bool { return x == l })
	}
	return st
}
