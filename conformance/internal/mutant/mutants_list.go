package mutant

import (
	"github.com/astra-contract/astra-token-kit/schemas"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Mutants of schemas/CONTRACT.md §4: list queries and paging.

// dropListParam is a mutant's Wrap that removes a query parameter from
// list requests.
func dropListParam(name string) func(http.Handler) http.Handler {
	return onRequest(func(r *http.Request) {
		if isList(r) {
			dropParams(r, name)
		}
	})
}

func limitIgnored() Mutant {
	return Mutant{
		Name: "limit-ignored",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: limit returns at most this many items",
		How:  "removes limit from list requests",
		Wrap: dropListParam("limit"),
	}
}

func limitZeroAccepted() Mutant {
	return Mutant{
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
	}
}

func skipIgnored() Mutant {
	return Mutant{
		Name: "skip-ignored",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: skip skips this many matches after sorting",
		How:  "removes skip from list requests",
		Wrap: dropListParam("skip"),
	}
}

func filterIgnored() Mutant {
	return Mutant{
		Name: "filter-ignored",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: filter selects the matching tokens",
		How:  "removes filter from list requests",
		Wrap: dropListParam("filter"),
	}
}

func descIgnored() Mutant {
	return Mutant{
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
	}
}

func defaultOrderReversed() Mutant {
	return Mutant{
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
	}
}

func includeOrderIgnored() Mutant {
	return Mutant{
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
				slices.SortStableFunc(fields, func(a, b string) int { return resourceRank(a) - resourceRank(b) })
				return []param{makeParam("include", strings.Join(fields, ","))}
			})
		}),
	}
}

// resourceRank is the place of a field in resourceOrder; unknown fields
// come last.
func resourceRank(field string) int {
	if i := slices.Index(resourceOrder, field); i >= 0 {
		return i
	}
	return len(resourceOrder)
}

func countIgnoresFilter() Mutant {
	return Mutant{
		Name: "count-ignores-filter",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: metadata.count counts all matches after filter",
		How:  "replaces metadata.count of a filtered list by the count of the unfiltered collection",
		Wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := serve(next, r)
				if v, _ := paramValue(r, "count"); isList(r) && a.status == http.StatusOK && v == "true" && hasParam(r, "filter") {
					countAll(next, r, a)
				}
				a.send(w)
			})
		},
	}
}

// countAll puts in a, the answer to a counted list r, the count of the
// whole collection, as next answers it without the other parameters.
func countAll(next http.Handler, r *http.Request, a *answer) {
	c := clone(r, nil)
	setParams(c, []param{makeParam("count", "true")})
	all := serve(next, c)
	m, ok1 := a.object()
	allm, ok2 := all.object()
	if !ok1 || !ok2 {
		return
	}
	md, _ := m["metadata"].(map[string]any)
	allmd, _ := allm["metadata"].(map[string]any)
	if md != nil && allmd != nil && allmd["count"] != nil {
		md["count"] = allmd["count"]
		a.setObject(m)
	}
}

func continueMissing() Mutant {
	return Mutant{
		Name: "continue-missing",
		Hint: []string{"list-queries.feature"},
		Rule: "§4 [policy]: metadata.continue appears when a limit page stops before the end",
		How:  "deletes metadata.continue from list pages",
		Wrap: onListPage(func(_ *http.Request, page map[string]any) {
			if md, ok := page["metadata"].(map[string]any); ok {
				delete(md, "continue")
			}
		}),
	}
}

func continueOverlaps() Mutant {
	return Mutant{
		Name: "continue-overlaps",
		Hint: []string{"list-queries.feature"},
		Rule: "§4 [policy]: paging with continue never makes an item appear twice",
		How:  "an inclusive cursor: each continued page starts again with the last item of the page before (the mock is asked for limit-1 items)",
		Wrap: func(next http.Handler) http.Handler {
			return &overlappingPages{next: next, last: map[string]any{}}
		},
	}
}

// overlappingPages serves list pages that each start again with the last
// item of the page before.
type overlappingPages struct {
	next http.Handler

	mu   sync.Mutex
	last map[string]any // continue token → last item of the page that gave it
}

func (o *overlappingPages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !isList(r) {
		o.next.ServeHTTP(w, r)
		return
	}
	cont, _ := paramValue(r, "continue")
	lim, _ := paramValue(r, "limit")
	n, err := strconv.Atoi(lim)
	o.mu.Lock()
	prev, known := o.last[cont]
	o.mu.Unlock()
	overlap := cont != "" && known && err == nil && n > 1
	if overlap {
		editParams(r, func(p param) []param {
			if p.name() == "limit" {
				return []param{makeParam("limit", strconv.Itoa(n-1))}
			}
			return []param{p}
		})
	}
	a := serve(o.next, r)
	if m, ok := a.object(); ok && a.status == http.StatusOK {
		items, _ := m["items"].([]any)
		if overlap {
			items = append([]any{prev}, items...)
			m["items"] = items
			a.setObject(m)
		}
		md, _ := m["metadata"].(map[string]any)
		if c, ok := md["continue"].(string); ok && len(items) > 0 {
			o.mu.Lock()
			o.last[c] = items[len(items)-1]
			o.mu.Unlock()
		}
	}
	a.send(w)
}

func badContinueRestarts() Mutant {
	return Mutant{
		Name: "bad-continue-restarts",
		Hint: []string{"list-queries.feature"},
		Rule: "§4 [policy]: a continue that is not ours, tampered with, or made for another query → 400 type 5",
		How:  "when the mock refuses only the continue parameter, asks again without it (the list restarts at the first page)",
		Wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := serve(next, r)
				if isList(r) && a.problemKind() == schemas.ProblemInvalidQuery && onlyNames(a, "continue") {
					c := clone(r, nil)
					dropParams(c, "continue")
					a = serve(next, c)
				}
				a.send(w)
			})
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

func unsupportedQueryIgnored() Mutant {
	return Mutant{
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
				supported := queryParameters(r)
				editParams(r, func(p param) []param {
					if slices.Contains(supported, p.name()) {
						return []param{p}
					}
					return nil
				})
			}
		}),
	}
}
