package mutant

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// Mutants of schemas/CONTRACT.md §4: list queries and paging.
func listMutants() []Mutant {
	return []Mutant{{
		Name: "limit-ignored",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: limit returns at most this many items",
		How:  "removes limit from list requests",
		Wrap: dropListParam("limit"),
	}, {
		Name: "limit-zero-accepted",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: limit matches ^([1-9][0-9]*)$ — 0 is invalid (400 type 5)",
		How:  "removes limit=0 from list requests (0 taken as \"no limit\")",
		Wrap: editListQuery(func(name, value string) (string, bool) {
			return value, name != "limit" || value != "0"
		}),
	}, {
		Name: "skip-ignored",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: skip skips this many matches after sorting",
		How:  "removes skip from list requests",
		Wrap: dropListParam("skip"),
	}, {
		Name: "filter-ignored",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: filter selects the matching tokens",
		How:  "removes filter from list requests",
		Wrap: dropListParam("filter"),
	}, {
		Name: "desc-ignored",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: orderBy `field desc` orders descending",
		How:  "removes \" desc\" from orderBy values",
		Wrap: editListQuery(func(name, value string) (string, bool) {
			if name == "orderBy" {
				value = strings.TrimSuffix(strings.TrimSuffix(value, " desc"), "%20desc")
			}
			return value, true
		}),
	}, {
		Name: "default-order-reversed",
		Hint: []string{"list-queries.feature"},
		Rule: "§4 [policy]: the default order is creationTimestamp, then id (oldest first)",
		How:  "reverses the items of list pages requested without orderBy",
		Wrap: onListPage(func(r *http.Request, page map[string]any) {
			if _, ordered := queryValue(r, "orderBy"); !ordered {
				items, _ := page["items"].([]any)
				slices.Reverse(items)
			}
		}),
	}, {
		Name: "include-order-ignored",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: include makes each item an array of the fields' values in the requested order",
		How:  "reorders include fields into the resource's field order (type, version, id, name, userID, metadata) before the mock sees them",
		Wrap: editListQuery(func(name, value string) (string, bool) {
			if name != "include" {
				return value, true
			}
			fields := strings.Split(value, ",")
			slices.SortStableFunc(fields, func(a, b string) int { return resourceRank(a) - resourceRank(b) })
			return strings.Join(fields, ","), true
		}),
	}, {
		Name: "count-ignores-filter",
		Hint: []string{"list-queries.feature"},
		Rule: "§4: metadata.count counts all matches after filter",
		How:  "replaces metadata.count of a filtered list by the count of the unfiltered collection",
		Wrap: func(next http.Handler) http.Handler {
			return onListPage(func(r *http.Request, page map[string]any) {
				count, _ := queryValue(r, "count")
				if _, filtered := queryValue(r, "filter"); count == "true" && filtered {
					countAll(next, r, page)
				}
			})(next)
		},
	}, {
		Name: "continue-missing",
		Hint: []string{"list-queries.feature"},
		Rule: "§4 [policy]: metadata.continue appears when a limit page stops before the end",
		How:  "deletes metadata.continue from list pages",
		Wrap: onListPage(func(_ *http.Request, page map[string]any) {
			if md, ok := page["metadata"].(map[string]any); ok {
				delete(md, "continue")
			}
		}),
	}, {
		Name: "continue-overlaps",
		Hint: []string{"list-queries.feature"},
		Rule: "§4 [policy]: paging with continue never makes an item appear twice",
		How:  "an inclusive cursor: each continued page starts again with the last item of the page before (the mock is asked for limit-1 items)",
		Wrap: overlappingPages,
	}, {
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
	}, {
		Name: "unsupported-query-ignored",
		Hint: []string{"http.feature", "list-queries.feature"},
		Rule: "§4 [doc]: an unsupported query parameter → 400 type 6",
		How:  "removes every query parameter the endpoint does not support (all of them on POST and item endpoints)",
		Wrap: onRequest(func(r *http.Request) {
			rt, ok := parseRoute(r.URL.Path)
			switch {
			case !ok:
			case rt.item || r.Method == http.MethodPost:
				setQuery(r, "")
			case r.Method == http.MethodGet:
				supported := queryParameters(r)
				editQuery(r, func(name, value string) (string, bool) { return value, slices.Contains(supported, name) })
			}
		}),
	}}
}

// editListQuery is a mutant's Wrap that rewrites the query of list
// requests (see editQuery).
func editListQuery(edit func(name, value string) (string, bool)) func(http.Handler) http.Handler {
	return onRequest(func(r *http.Request) {
		if isList(r) {
			editQuery(r, edit)
		}
	})
}

// dropListParam is a mutant's Wrap that removes a query parameter from
// list requests.
func dropListParam(name string) func(http.Handler) http.Handler {
	return editListQuery(func(n, value string) (string, bool) { return value, n != name })
}

// resourceRank is the place of a field in resourceOrder; unknown fields
// come last.
func resourceRank(field string) int {
	if i := slices.Index(resourceOrder, field); i >= 0 {
		return i
	}
	return len(resourceOrder)
}

// countAll puts in page, the answer to a counted list r, the count of the
// whole collection, as next answers it without the other parameters.
func countAll(next http.Handler, r *http.Request, page map[string]any) {
	c := clone(r, nil)
	setQuery(c, "count=true")
	all, _ := serve(next, c).object()
	md, _ := page["metadata"].(map[string]any)
	allmd, _ := all["metadata"].(map[string]any)
	if md != nil && allmd["count"] != nil {
		md["count"] = allmd["count"]
	}
}

// overlappingPages serves list pages that each start again with the last
// item of the page before.
func overlappingPages(next http.Handler) http.Handler {
	var mu sync.Mutex
	last := map[string]any{} // continue token → last item of the page that gave it
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isList(r) {
			next.ServeHTTP(w, r)
			return
		}
		cont, _ := queryValue(r, "continue")
		lim, _ := queryValue(r, "limit")
		n, err := strconv.Atoi(lim)
		mu.Lock()
		prev, known := last[cont]
		mu.Unlock()
		overlap := cont != "" && known && err == nil && n > 1
		if overlap {
			editQuery(r, func(name, value string) (string, bool) {
				if name == "limit" {
					return strconv.Itoa(n - 1), true
				}
				return value, true
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
}

// onlyNames reports whether every invalidParams entry of a problem names
// param.
func onlyNames(a *answer, param string) bool {
	m, _ := a.object()
	items, _ := m["invalidParams"].([]any)
	for _, it := range items {
		if e, _ := it.(map[string]any); e == nil || e["name"] != param {
			return false
		}
	}
	return len(items) > 0
}
