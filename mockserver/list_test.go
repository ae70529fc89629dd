package mockserver

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// listItems returns the items of a 200 list answer.
func listItems(tb testing.TB, r res) []any {
	tb.Helper()
	if r.status != http.StatusOK {
		tb.Fatalf("status %d, want 200: %s", r.status, r.body)
	}
	m := r.obj(tb)
	items, ok := m["items"].([]any)
	if !ok {
		tb.Fatalf("items is not an array: %s", r.body)
	}
	return items
}

// listMeta returns the list metadata.
func listMeta(tb testing.TB, r res) map[string]any {
	tb.Helper()
	m, ok := r.obj(tb)["metadata"].(map[string]any)
	if !ok {
		tb.Fatalf("metadata is not an object: %s", r.body)
	}
	return m
}

// filterSet is the member's collection for the filter tests: the three
// seeded tokens and four more, created at chosen times.
type filterSet struct {
	h      *harness
	ids    map[string]string // label → id
	labels []string          // in creation order
}

func newFilterSet(t *testing.T) *filterSet {
	t.Helper()
	h := newHarness(t)
	fs := &filterSet{h: h, ids: map[string]string{
		"S1": tokScript, "S2": tokTaker, "S3": tokChecker,
	}, labels: []string{"S1", "S2", "S3"}}
	coll := userColl(acctA, memberID)
	for _, c := range []struct {
		label, cred, body string
		at                time.Time
	}{
		{"C1", credMember, `{"type":"application/astra-token","version":"1.0","name":"alpha","metadata":{"labels":[{"name":"env","value":"prod"},{"name":"team","value":"storage"}]}}`,
			time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"C2", credMember, `{"type":"application/astra-token","version":"1.0","name":"beta","metadata":{"labels":[{"name":"env","value":"dev"}]}}`,
			time.Date(2024, 1, 1, 0, 0, 0, 500_000_000, time.UTC)},
		{"C3", credAdmin, createJSON("Gamma"),
			time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
		{"C4", credMember, `{"type":"application/astra-token","version":"1.0","name":"beta","metadata":{"labels":[{"name":"env","value":"prod"}]}}`,
			time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)},
	} {
		h.clock.Set(c.at)
		fs.ids[c.label] = h.create(t, c.cred, coll, c.body)["id"].(string)
		fs.labels = append(fs.labels, c.label)
	}
	// The admin modifies Gamma a day later.
	h.clock.Set(time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC))
	if r := h.put(t, credAdmin, coll+"/"+fs.ids["C3"], createJSON("Gamma")); r.status != http.StatusNoContent {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	return fs
}

// label returns the test label of an id.
func (fs *filterSet) label(id string) string {
	for l, i := range fs.ids {
		if i == id {
			return l
		}
	}
	return "?" + id
}

// labelsOf returns the labels of the items of a list answer, in order.
func (fs *filterSet) labelsOf(tb testing.TB, r res) []string {
	tb.Helper()
	out := []string{}
	for _, it := range listItems(tb, r) {
		m, ok := it.(map[string]any)
		if !ok {
			tb.Fatalf("item %v is not a token object", it)
		}
		out = append(out, fs.label(m["id"].(string)))
	}
	return out
}

// byID sorts labels by the ids they stand for.
func (fs *filterSet) byID(labels ...string) []string {
	out := append([]string{}, labels...)
	sort.Slice(out, func(i, j int) bool { return fs.ids[out[i]] < fs.ids[out[j]] })
	return out
}

// TestListQueries runs filter, orderBy, limit, skip, count and include
// through HTTP in both scopes (CONTRACT.md §4).
func TestListQueries(t *testing.T) {
	fs := newFilterSet(t)
	h := fs.h
	betas := fs.byID("C2", "C4") // the two "beta" tokens, tied on name
	// Names in byte order: Gamma < Snapshot Script < Snapshot Taker <
	// Volume Checker < alpha < beta = beta.
	byName := append([]string{"C3", "S1", "S2", "S3", "C1"}, betas...)
	reversed := func(s []string) []string {
		out := make([]string, len(s))
		for i, v := range s {
			out[len(s)-1-i] = v
		}
		return out
	}
	cases := []struct {
		name  string
		query string // raw, after "?"
		want  []string
	}{
		{"without a query the order is creationTimestamp", "", []string{"S1", "S2", "S3", "C1", "C2", "C3", "C4"}},
		{"limit=2 gives the first two", "limit=2", []string{"S1", "S2"}},
		{"skip=2 skips the first two", "skip=2", []string{"S3", "C1", "C2", "C3", "C4"}},
		{"skip=2&limit=2 gives the third and fourth", "skip=2&limit=2", []string{"S3", "C1"}},
		{"a limit above the count gives all", "limit=100", []string{"S1", "S2", "S3", "C1", "C2", "C3", "C4"}},
		{"a skip past the end gives none", "skip=7", []string{}},
		{"a limit beyond any integer still matches its pattern and gives all", "limit=99999999999999999999", []string{"S1", "S2", "S3", "C1", "C2", "C3", "C4"}},
		{"a skip beyond any integer gives none", "skip=99999999999999999999", []string{}},
		{"orderBy=name sorts by name in byte order, ties by id", "orderBy=name", byName},
		{"orderBy=name desc (space as %20) reverses it", "orderBy=name%20desc", reversed(byName)},
		{"orderBy=name desc (space as +) reverses it", "orderBy=name+desc", reversed(byName)},
		{"orderBy=name%20desc written literally reverses it", "orderBy=name%2520desc", reversed(byName)},
		{"orderBy=name desc with skip and limit", "orderBy=name%20desc&skip=1&limit=3", reversed(byName)[1:4]},
		{"orderBy=id sorts by id", "orderBy=id", fs.byID("S1", "S2", "S3", "C1", "C2", "C3", "C4")},
		{"orderBy=id desc sorts by id descending", "orderBy=id%20desc", reversed(fs.byID("S1", "S2", "S3", "C1", "C2", "C3", "C4"))},
		{"orderBy=userID (the same for all) falls back to id", "orderBy=userID", fs.byID("S1", "S2", "S3", "C1", "C2", "C3", "C4")},

		{"name eq", "filter=name%20eq%20%27beta%27", []string{"C2", "C4"}},
		{"name eq is case-sensitive", "filter=name%20eq%20%27BETA%27", []string{}},
		{"name eq with a space in the value", "filter=name%20eq%20%27Snapshot%20Script%27", []string{"S1"}},
		{"name eq with + as spaces", "filter=name+eq+%27Volume+Checker%27", []string{"S3"}},
		{"name eq with the separators written %20 literally", "filter=name%2520eq%2520%27alpha%27", []string{"C1"}},
		{"name lt in byte order", "filter=name%20lt%20%27Snapshot%20Taker%27", []string{"S1", "C3"}},
		{"name gt in byte order", "filter=name%20gt%20%27Volume%20Checker%27", []string{"C1", "C2", "C4"}},
		{"name lte", "filter=name%20lte%20%27Gamma%27", []string{"C3"}},
		{"name gte", "filter=name%20gte%20%27beta%27", []string{"C2", "C4"}},
		{"name in is a substring match", "filter=name%20in%20%27napshot%27", []string{"S1", "S2"}},
		{"name in is case-sensitive", "filter=name%20in%20%27gamma%27", []string{}},
		{"id eq", "filter=id%20eq%20%27" + tokTaker + "%27", []string{"S2"}},
		{"userID eq", "filter=userID%20eq%20%27" + memberID + "%27", []string{"S1", "S2", "S3", "C1", "C2", "C3", "C4"}},
		{"userID eq another user", "filter=userID%20eq%20%27" + adminID + "%27", []string{}},
		{"type eq", "filter=type%20eq%20%27application/astra-token%27", []string{"S1", "S2", "S3", "C1", "C2", "C3", "C4"}},

		{"creationTimestamp eq compares times, not strings", "filter=metadata.creationTimestamp%20eq%20%272024-01-01T00:00:00Z%27", []string{"C1"}},
		{"creationTimestamp eq with nine fraction digits", "filter=metadata.creationTimestamp%20eq%20%272024-01-01T00:00:00.500000000Z%27", []string{"C2"}},
		{"creationTimestamp gt is time order", "filter=metadata.creationTimestamp%20gt%20%272024-01-01T00:00:00Z%27", []string{"C2", "C3", "C4"}},
		{"creationTimestamp lt is time order", "filter=metadata.creationTimestamp%20lt%20%272024-01-01T00:00:00.5Z%27", []string{"S1", "S2", "S3", "C1"}},
		{"creationTimestamp lte with a comma before the fraction", "filter=metadata.creationTimestamp%20lte%20%272024-01-01T00:00:00,5Z%27", []string{"S1", "S2", "S3", "C1", "C2"}},
		{"creationTimestamp gte a seeded time", "filter=metadata.creationTimestamp%20gte%20%272022-10-06T20:58:18.305662Z%27", []string{"S2", "S3", "C1", "C2", "C3", "C4"}},
		{"creationTimestamp in is a substring of the written time", "filter=metadata.creationTimestamp%20in%20%272022-10-06%27", []string{"S1", "S2", "S3"}},
		{"modificationTimestamp gt", "filter=metadata.modificationTimestamp%20gt%20%272024-01-03T00:00:00Z%27", []string{"C3"}},
		{"createdBy eq the admin", "filter=metadata.createdBy%20eq%20%27" + adminID + "%27", []string{"S1", "S2", "S3", "C3"}},
		{"modifiedBy eq the admin", "filter=metadata.modifiedBy%20eq%20%27" + adminID + "%27", []string{"C3"}},
		{"modifiedBy in '-' (every id has one) matches only modified tokens", "filter=metadata.modifiedBy%20in%20%27-%27", []string{"C3"}},

		{"labels[*].name eq", "filter=metadata.labels%5B%2A%5D.name%20eq%20%27team%27", []string{"C1"}},
		{"labels[*].name eq (unescaped brackets)", "filter=metadata.labels[*].name%20eq%20%27env%27", []string{"C1", "C2", "C4"}},
		{"labels[*].value eq", "filter=metadata.labels[*].value%20eq%20%27prod%27", []string{"C1", "C4"}},
		{"labels[*].value in", "filter=metadata.labels[*].value%20in%20%27o%27", []string{"C1", "C4"}},

		{"two filters are ANDed", "filter=metadata.labels[*].value%20eq%20%27prod%27&filter=name%20eq%20%27beta%27", []string{"C4"}},
		{"three filters are ANDed", "filter=name%20gte%20%27a%27&filter=name%20lt%20%27c%27&filter=metadata.labels[*].name%20eq%20%27team%27", []string{"C1"}},
		{"contradicting filters give none", "filter=name%20eq%20%27alpha%27&filter=name%20eq%20%27beta%27", []string{}},
		{"the same filter twice", "filter=name%20eq%20%27beta%27&filter=name%20eq%20%27beta%27", []string{"C2", "C4"}},
		{"filter, orderBy and limit together", "filter=name%20gt%20%27S%27&orderBy=name%20desc&limit=3", append(reversed(betas), "C1")},
	}
	for _, sc := range scopes {
		coll := sc.coll(acctA, memberID)
		t.Run("in the "+sc.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					target := coll
					if c.query != "" {
						target += "?" + c.query
					}
					r := h.get(t, credMember, target)
					if diff := cmp.Diff(c.want, fs.labelsOf(t, r)); diff != "" {
						t.Errorf("GET ?%s (-want +got):\n%s", c.query, diff)
					}
					if strings.Contains(c.query, "limit=") {
						return // TestListMetadata covers continue
					}
					if diff := cmp.Diff(map[string]any{}, listMeta(t, r)); diff != "" {
						t.Errorf("metadata has keys nobody asked for (-want +got):\n%s", diff)
					}
				})
			}
		})
	}
}

// TestListCount: count=true reports all matches after filter, ignoring
// limit and skip, in metadata.count, and nothing else is added.
func TestListCount(t *testing.T) {
	fs := newFilterSet(t)
	h := fs.h
	coll := userColl(acctA, memberID)
	for _, c := range []struct {
		name, query string
		count       float64
		items       int
		next        bool
	}{
		{"count=true counts all", "count=true", 7, 7, false},
		{"count ignores limit", "count=true&limit=2", 7, 2, true},
		{"count ignores skip", "count=true&skip=5", 7, 2, false},
		{"count ignores skip and limit", "count=true&skip=1&limit=1", 7, 1, true},
		{"count counts after filter", "count=true&filter=name%20eq%20%27beta%27", 2, 2, false},
		{"count of no match is 0", "count=true&filter=name%20eq%20%27nothing%27", 0, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.get(t, credMember, coll+"?"+c.query)
			if n := len(listItems(t, r)); n != c.items {
				t.Errorf("%d items, want %d", n, c.items)
			}
			meta := listMeta(t, r)
			want := []string{"count"}
			if c.next {
				want = []string{"continue", "count"}
			}
			if diff := cmp.Diff(want, sortedKeys(meta)); diff != "" {
				t.Errorf("metadata keys (-want +got):\n%s", diff)
			}
			if meta["count"] != c.count {
				t.Errorf("count = %v, want %v", meta["count"], c.count)
			}
		})
	}
}

// TestListInclude: with include each item is an array of the requested
// values in the requested order (CONTRACT.md §2 List, §4).
func TestListInclude(t *testing.T) {
	fs := newFilterSet(t)
	h := fs.h
	coll := userColl(acctA, memberID)
	full := listItems(t, h.get(t, credMember, coll))
	for _, c := range []struct {
		name, include string
		fields        []string
	}{
		{"include=id gives one-element arrays", "id", []string{"id"}},
		{"include=name,id keeps the requested order", "name,id", []string{"name", "id"}},
		{"include=id,name is the documented shape", "id,name", []string{"id", "name"}},
		{"include=metadata gives the metadata objects", "metadata", []string{"metadata"}},
		{"include of every field", "userID,version,type,metadata,name,id", []string{"userID", "version", "type", "metadata", "name", "id"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.get(t, credMember, coll+"?include="+c.include)
			var want []any
			for _, it := range full {
				m := it.(map[string]any)
				row := []any{}
				for _, f := range c.fields {
					row = append(row, m[f])
				}
				want = append(want, row)
			}
			if diff := cmp.Diff(want, listItems(t, r)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	t.Run("include with filter and orderBy projects the selected tokens in order", func(t *testing.T) {
		r := h.get(t, credMember, coll+"?include=name,id&filter=metadata.labels[*].name%20eq%20%27env%27&orderBy=name%20desc")
		betas := fs.byID("C2", "C4")
		want := []any{
			[]any{"beta", fs.ids[betas[1]]},
			[]any{"beta", fs.ids[betas[0]]},
			[]any{"alpha", fs.ids["C1"]},
		}
		if diff := cmp.Diff(want, listItems(t, r)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// TestListMetadata: metadata carries count only when asked and continue
// only when a limit page stops before the end (CONTRACT.md §2 List, policy).
func TestListMetadata(t *testing.T) {
	h := newHarness(t)
	coll := userColl(acctA, memberID) // three tokens
	for _, c := range []struct {
		query string
		keys  []string
	}{
		{"", []string{}},
		{"limit=3", []string{}},
		{"limit=4", []string{}},
		{"limit=2", []string{"continue"}},
		{"skip=1&limit=2", []string{}},
		{"skip=1&limit=1", []string{"continue"}},
		{"count=true", []string{"count"}},
		{"count=true&limit=1", []string{"continue", "count"}},
		{"include=id&limit=1", []string{"continue"}},
		{"filter=name%20in%20%27Snapshot%27&limit=2", []string{}},
		{"filter=name%20in%20%27Snapshot%27&limit=1", []string{"continue"}},
	} {
		t.Run("?"+c.query+" has metadata keys "+fmt.Sprint(c.keys), func(t *testing.T) {
			r := h.get(t, credMember, coll+"?"+c.query)
			if diff := cmp.Diff(c.keys, sortedKeys(listMeta(t, r))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	t.Run("the last page of a paging has no continue", func(t *testing.T) {
		r := h.get(t, credMember, coll+"?limit=2")
		cont := listMeta(t, r)["continue"].(string)
		if !base64Pattern.MatchString(cont) {
			t.Errorf("continue %q breaks the base64 pattern", cont)
		}
		r = h.get(t, credMember, coll+"?limit=2&continue="+cont)
		if n := len(listItems(t, r)); n != 1 {
			t.Errorf("second page has %d items, want 1", n)
		}
		if diff := cmp.Diff([]string{}, sortedKeys(listMeta(t, r))); diff != "" {
			t.Errorf("metadata keys (-want +got):\n%s", diff)
		}
	})
}

// pageAll walks a whole collection with limit, following continue, and
// returns the ids in the order received. between, if not nil, runs
// between pages with the page number and the last id received.
func pageAll(t *testing.T, h *harness, coll, query string, limit int, between func(n int, last string)) []string {
	t.Helper()
	var ids []string
	cont := ""
	for n := 0; ; n++ {
		if n > 100 {
			t.Fatal("paging does not end")
		}
		target := fmt.Sprintf("%s?limit=%d", coll, limit)
		if query != "" {
			target += "&" + query
		}
		if cont != "" {
			target += "&continue=" + cont
		}
		r := h.get(t, credMember, target)
		items := listItems(t, r)
		if len(items) > limit {
			t.Fatalf("page %d has %d items, limit is %d", n, len(items), limit)
		}
		for _, it := range items {
			switch v := it.(type) {
			case map[string]any:
				ids = append(ids, v["id"].(string))
			case []any:
				ids = append(ids, v[0].(string))
			}
		}
		next, _ := listMeta(t, r)["continue"].(string)
		if next == "" {
			return ids
		}
		if len(items) != limit {
			t.Errorf("page %d has %d items and a continue", n, len(items))
		}
		cont = next
		if between != nil {
			between(n, ids[len(ids)-1])
		}
	}
}

// bigCollection gives the member 25 tokens: the 3 seeded and 22 created,
// some at the same instant and some with the same name.
func bigCollection(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	for i := 0; i < 22; i++ {
		h.clock.Set(startTime.Add(time.Duration(i/3) * time.Second)) // three per instant
		h.create(t, credMember, userColl(acctA, memberID),
			fmt.Sprintf(`{"type":"application/astra-token","version":"1.0","name":"token %02d","metadata":{"labels":[{"name":"n","value":"%d"}]}}`, i%5, i%2))
	}
	return h
}

// TestContinuePaging: paging a collection of 25 with limit=4 gives every
// token exactly once and in the order of the unpaged list (CONTRACT.md §4).
func TestContinuePaging(t *testing.T) {
	h := bigCollection(t)
	for _, sc := range scopes {
		coll := sc.coll(acctA, memberID)
		for _, q := range []string{
			"",
			"orderBy=name",
			"orderBy=name%20desc",
			"orderBy=id%20desc",
			"include=id,name",
			"filter=metadata.labels[*].value%20eq%20%271%27",
			"filter=name%20gte%20%27token%2001%27&orderBy=name%20desc&include=id",
			"count=true",
		} {
			t.Run("in the "+sc.name+" with ?"+q, func(t *testing.T) {
				var want []string
				r := h.get(t, credMember, coll+"?"+q)
				for _, it := range listItems(t, r) {
					switch v := it.(type) {
					case map[string]any:
						want = append(want, v["id"].(string))
					case []any:
						want = append(want, v[0].(string))
					}
				}
				if q == "" && len(want) != 25 {
					t.Fatalf("the collection has %d tokens, want 25", len(want))
				}
				for _, limit := range []int{1, 4, 24, 25} {
					got := pageAll(t, h, coll, q, limit, nil)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("limit=%d: paged ids differ from the unpaged list (-want +got):\n%s", limit, diff)
					}
				}
			})
		}
	}
	t.Run("skip applies to the first page only", func(t *testing.T) {
		coll := userColl(acctA, memberID)
		all := pageAll(t, h, coll, "", 25, nil)
		got := pageAll(t, h, coll, "skip=3", 4, nil)
		if diff := cmp.Diff(all[3:], got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("count stays the total on every page", func(t *testing.T) {
		coll := userColl(acctA, memberID)
		r := h.get(t, credMember, coll+"?limit=4&count=true")
		cont := listMeta(t, r)["continue"].(string)
		r = h.get(t, credMember, coll+"?limit=4&count=true&continue="+cont)
		if got := listMeta(t, r)["count"]; got != float64(25) {
			t.Errorf("count on page 2 = %v, want 25", got)
		}
	})
}

// TestContinueIsKeysetBased: tokens created or deleted between pages never
// make a token that existed throughout appear twice or go missing (CONTRACT.md §4).
func TestContinueIsKeysetBased(t *testing.T) {
	for _, q := range []string{"", "orderBy=name", "orderBy=name%20desc", "orderBy=id"} {
		t.Run("with ?"+q, func(t *testing.T) {
			h := bigCollection(t)
			coll := userColl(acctA, memberID)
			initial := pageAll(t, h, coll, q, 25, nil)
			deleted := map[string]bool{}
			created := map[string]bool{}
			seen := map[string]int{}
			got := pageAll(t, h, coll, q, 4, func(n int, last string) {
				// Delete the last token of the page just read (the
				// position the continue points at) and one not yet read;
				// create two more, one sorting early and one late.
				victims := []string{last}
				if n < len(initial) {
					victims = append(victims, initial[len(initial)-1-n])
				}
				for _, id := range victims {
					if deleted[id] || id == tokScript { // tokScript is the credential in use
						continue
					}
					if r := h.delete(t, credMember, coll+"/"+id); r.status != http.StatusNoContent {
						t.Fatalf("DELETE: %d %s", r.status, r.body)
					}
					deleted[id] = true
				}
				for _, name := range []string{"a early", "z late"} {
					created[h.create(t, credMember, coll, createJSON(name))["id"].(string)] = true
				}
			})
			for _, id := range got {
				seen[id]++
			}
			for _, id := range initial {
				switch {
				case seen[id] > 1:
					t.Errorf("%s appears %d times", id, seen[id])
				case !deleted[id] && seen[id] != 1:
					t.Errorf("%s, which existed throughout, is missing", id)
				}
			}
			for id, n := range seen {
				if n > 1 {
					t.Errorf("%s appears %d times", id, n)
				}
				if !created[id] && !slices.Contains(initial, id) {
					t.Errorf("%s appeared from nowhere", id)
				}
			}
		})
	}
}

// TestBothScopesShowTheSameTokens: the group-scoped endpoints are a second
// view of the same tokens (CONTRACT.md §2 Accounts, users, groups).
func TestBothScopesShowTheSameTokens(t *testing.T) {
	h := newHarness(t)
	u, g := userColl(acctA, memberID), groupColl(acctA, groupID, memberID)
	viaG := h.create(t, credMember, g, createJSON("made through G"))["id"].(string)
	h.clock.Advance(time.Second)
	viaU := h.create(t, credMember, u, createJSON("made through U"))["id"].(string)
	for _, q := range []string{"", "?include=id,name", "?orderBy=name&count=true"} {
		ru, rg := h.get(t, credMember, u+q), h.get(t, credMember, g+q)
		if diff := jsonDiff(t, ru.body, rg.body); diff != "" {
			t.Errorf("GET %s differs between U and G (-U +G):\n%s", q, diff)
		}
	}
	ids := pageAll(t, h, g, "include=id", 100, nil)
	if !slices.Contains(ids, viaU) || !slices.Contains(ids, viaG) {
		t.Errorf("G lists %v, want both %s and %s", ids, viaU, viaG)
	}
	// Modify through G, read through U; delete through U, miss through G.
	if r := h.put(t, credMember, g+"/"+viaU, createJSON("renamed through G")); r.status != http.StatusNoContent {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	if name := h.get(t, credMember, u+"/"+viaU).obj(t)["name"]; name != "renamed through G" {
		t.Errorf("name through U = %v", name)
	}
	if r := h.delete(t, credMember, u+"/"+viaG); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	wantProblem(t, h.get(t, credMember, g+"/"+viaG), 2)
}
