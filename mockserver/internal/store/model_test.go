package store

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// modelList answers q the way a sorted index of whole keys (sort value, NUL,
// id) answers it: sort every key, walk past the position, filter, skip and
// fill the page. The store must agree with it on every page.
func modelList(all []*token.Token, q List) Page {
	o, err := orderOf(q.OrderBy)
	if err != nil {
		panic(err)
	}
	type keyed struct {
		key string
		t   *token.Token
	}
	var ks []keyed
	for _, t := range all {
		if t.UserID == q.UserID {
			ks = append(ks, keyed{o.position(t), t})
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	if q.Desc {
		slices.Reverse(ks)
	}
	var page Page
	if q.Count {
		for _, k := range ks {
			if q.Match == nil || q.Match(k.t) {
				page.Total++
			}
		}
	}
	skip := q.Skip
	if q.After != "" {
		skip = 0
	}
	for _, k := range ks {
		if q.After != "" && (!q.Desc && k.key <= q.After || q.Desc && k.key >= q.After) {
			continue
		}
		if q.Match != nil && !q.Match(k.t) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if q.Limit > 0 && len(page.Items) == q.Limit {
			page.Next = o.position(page.Items[len(page.Items)-1])
			break
		}
		page.Items = append(page.Items, k.t)
	}
	return page
}

// TestListAgreesWithSortedKeys checks random lists, with positions real and
// forged, filters, skips and limits, against modelList, while tokens are
// created, renamed and deleted.
func TestListAgreesWithSortedKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 13))
	s := defaultStore(t)
	names := []string{"a", "ab", "abc", "b", "b b", "ba", "z", "A", "~"}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	for i := 0; i < 300; i++ {
		tok := newToken(i, pick(names))
		// Equal creation times exercise the id tie-break.
		tok.CreationTimestamp = epoch.Add(time.Duration(rng.IntN(40)) * time.Millisecond)
		if err := s.Create(tok); err != nil {
			t.Fatal(err)
		}
		switch rng.IntN(6) {
		case 0:
			if err := s.Delete(newToken(rng.IntN(i+1), "").ID, nil); err != nil && err != ErrNotFound {
				t.Fatal(err)
			}
		case 1:
			err := s.Update(newToken(rng.IntN(i+1), "").ID, func(cur *token.Token) (*token.Token, error) {
				next := cur.Clone()
				next.Name = pick(names)
				return next, nil
			})
			if err != nil && err != ErrNotFound {
				t.Fatal(err)
			}
		}
	}
	all := s.Export().Tokens
	positions := func(o order) []string {
		ps := []string{"\x00", "a\x00", "ab\x00zzz", "abc\x00\xff", "2024-01-01T00:00:00.020000000Z\x00", "2024-01-01T00:00:00.02\x00x",
			"00000000-0000-4000-8000-000000000100\x00", "00000000-0000-4000-8000-000000000100\x00\xff", "\xff\x00"}
		for k := 0; k < 5; k++ {
			ps = append(ps, o.position(all[rng.IntN(len(all))]))
		}
		return ps
	}
	bounds := []string{"a", "ab", "b", "b b", "c", "", "00000000-0000-4000-8000-000000000150", "\xff"}
	for round := 0; round < 3000; round++ {
		q := List{UserID: member, OrderBy: pick([]string{"", "name", "id", "type"}), Desc: rng.IntN(2) == 0,
			Skip: rng.IntN(3) * rng.IntN(20), Limit: rng.IntN(3) * rng.IntN(30), Count: rng.IntN(2) == 0}
		o, _ := orderOf(q.OrderBy)
		if rng.IntN(3) == 0 {
			q.After = pick(positions(o))
		}
		switch rng.IntN(3) {
		case 0:
			// A range of sort values, as `name gte 'a'` and `name lte 'b'` make.
			lo, hi := pick(bounds), pick(bounds)
			q.Match = func(t *token.Token) bool {
				v, _, _ := strings.Cut(o.position(t), "\x00")
				return v >= lo && v <= hi
			}
		case 1:
			q.Match = func(t *token.Token) bool { return strings.HasPrefix(t.Name, "a") }
		}
		got, err := s.List(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		want := modelList(all, q)
		if diff := cmp.Diff(ids(want.Items), ids(got.Items)); diff != "" || got.Next != want.Next || got.Total != want.Total {
			t.Fatalf("round %d: %+v\nitems (-model +store):\n%s\nnext %q, model %q; total %d, model %d",
				round, q, diff, got.Next, want.Next, got.Total, want.Total)
		}
	}
}
