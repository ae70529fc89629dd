package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

const (
	accountA = "5cef50e1-a468-4f74-98a6-832d4fd76096"
	accountB = "28d13515-3af2-46d8-9a55-87b89e3eccb4"
	admin    = "8f84cf09-8036-51e4-b579-bd30cb07b269"
	member   = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b"
	group    = "d5b8b0d4-3a6f-4c5e-9a53-0e2f7e4c9b11"
)

// hash is the credential hash the HTTP edge computes (fixtures.HashSecret).
func hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// testState is a small directory: an account with an admin and a member who
// holds three tokens, the admin one, and a second account.
func testState() State {
	seeded := func(id, user, name string, i int) *token.Token {
		at := epoch.Add(-time.Hour + time.Duration(i)*time.Second)
		return &token.Token{ID: id, Name: name, AccountID: accountA, UserID: user, SecretHash: hash("seed-" + name),
			CreationTimestamp: at, ModificationTimestamp: at, CreatedBy: admin}
	}
	return State{
		Accounts: []Account{
			{ID: accountA, Name: "A", Users: []User{{ID: admin, Name: "Ad", Role: "admin"}, {ID: member, Name: "Me", Role: "member"}},
				Groups: []Group{{ID: group, Name: "G", Members: []string{member}}}},
			{ID: accountB, Name: "B"},
		},
		Tokens: []*token.Token{
			seeded("4e99da96-152e-4aee-9207-4b6d04d2238d", member, "Snapshot Script", 1),
			seeded("2c022490-0fa7-4f18-8f45-81d6f21d6b7c", admin, "Admin Automation", 0),
			seeded("cca48856-9e25-4170-b49a-d32265c5e5f1", member, "Volume Checker", 3),
			seeded("43ab09af-e558-4b1b-a6d5-49df7c39f22c", member, "Snapshot Taker", 2),
		},
	}
}

func defaultStore(t testing.TB) *Store {
	t.Helper()
	s, err := New(testState())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newToken makes a token for the member with a predictable id and name.
func newToken(i int, name string) *token.Token {
	id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
	return &token.Token{
		ID: id, Name: name, AccountID: accountA, UserID: member,
		SecretHash:        hash("secret-" + id),
		CreationTimestamp: epoch.Add(time.Duration(i) * time.Second), ModificationTimestamp: epoch,
		CreatedBy: admin,
	}
}

func names(ts []*token.Token) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

func TestAuthenticateByCredentialHash(t *testing.T) {
	s := defaultStore(t)
	if _, u, ok := s.Authenticate(hash("seed-Snapshot Taker")); !ok || u.ID != member {
		t.Fatalf("the member's credential authenticates as %v, %v", u, ok)
	}
	for _, h := range []string{hash("seed-Snapshot Taker "), "", strings.ToUpper(hash("seed-Snapshot Taker"))} {
		if tok, _, ok := s.Authenticate(h); ok {
			t.Errorf("hash %q authenticates as token %s", h, tok.ID)
		}
	}
}

func TestListDefaultOrderIsCreationThenID(t *testing.T) {
	s := defaultStore(t)
	page, err := s.List(context.Background(), List{UserID: member})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Snapshot Script", "Snapshot Taker", "Volume Checker"}
	if diff := cmp.Diff(want, names(page.Items)); diff != "" {
		t.Fatalf("order (-want +got):\n%s", diff)
	}
}

func TestListOrdersSkipsLimitsAndCounts(t *testing.T) {
	s := defaultStore(t)
	tests := []struct {
		name string
		q    List
		want []string
		more bool
	}{
		{"name descending", List{OrderBy: "name", Desc: true}, []string{"Volume Checker", "Snapshot Taker", "Snapshot Script"}, false},
		{"limit 2 leaves more", List{Limit: 2}, []string{"Snapshot Script", "Snapshot Taker"}, true},
		{"limit 3 leaves none", List{Limit: 3}, []string{"Snapshot Script", "Snapshot Taker", "Volume Checker"}, false},
		{"skip 1 limit 1", List{Skip: 1, Limit: 1}, []string{"Snapshot Taker"}, true},
		{"skip past the end", List{Skip: 5}, []string{}, false},
		{"filter keeps matches only", List{Match: func(t *token.Token) bool { return strings.HasPrefix(t.Name, "Snap") }, Count: true}, []string{"Snapshot Script", "Snapshot Taker"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.UserID = member
			page, err := s.List(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, names(page.Items)); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if (page.Next != "") != tt.more {
				t.Errorf("Next = %q, want more=%v", page.Next, tt.more)
			}
			if tt.q.Count && page.Total != len(tt.want) {
				t.Errorf("Total = %d, want %d", page.Total, len(tt.want))
			}
		})
	}
}

func TestListRefusesForeignPosition(t *testing.T) {
	s := defaultStore(t)
	if _, err := s.List(context.Background(), List{UserID: member, After: "no separator"}); !errors.Is(err, ErrBadPosition) {
		t.Fatalf("err = %v, want ErrBadPosition", err)
	}
}

// pageAll walks a whole collection page by page.
func pageAll(t *testing.T, s *Store, q List) []*token.Token {
	t.Helper()
	var all []*token.Token
	for i := 0; ; i++ {
		if i > 10000 {
			t.Fatal("paging does not end")
		}
		page, err := s.List(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			return all
		}
		q.After = page.Next
	}
}

func TestPagingVisitsEveryTokenOnceInEveryOrder(t *testing.T) {
	s := defaultStore(t)
	for i := 0; i < 57; i++ {
		// Duplicate names exercise the id tie-breaker.
		if err := s.Create(newToken(i, fmt.Sprintf("tok-%02d", i%10))); err != nil {
			t.Fatal(err)
		}
	}
	for _, order := range []struct {
		field string
		desc  bool
	}{{"", false}, {"", true}, {"name", false}, {"name", true}, {"id", false}, {"id", true}, {"type", false}} {
		t.Run(fmt.Sprintf("orderBy %q desc=%v", order.field, order.desc), func(t *testing.T) {
			whole, err := s.List(context.Background(), List{UserID: member, OrderBy: order.field, Desc: order.desc})
			if err != nil {
				t.Fatal(err)
			}
			paged := pageAll(t, s, List{UserID: member, OrderBy: order.field, Desc: order.desc, Limit: 4})
			if diff := cmp.Diff(ids(whole.Items), ids(paged)); diff != "" {
				t.Fatalf("paged order differs from the whole list (-whole +paged):\n%s", diff)
			}
			if len(paged) != 60 {
				t.Fatalf("got %d tokens, want 60", len(paged))
			}
		})
	}
}

func ids(ts []*token.Token) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func TestUpdateAndDelete(t *testing.T) {
	s := defaultStore(t)
	tok := newToken(1, "before")
	if err := s.Create(tok); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(newToken(1, "same id")); !errors.Is(err, ErrExists) {
		t.Fatalf("second create with the same id: err = %v, want ErrExists", err)
	}
	veto := errors.New("veto")
	if err := s.Update(tok.ID, func(cur *token.Token) (*token.Token, error) { return nil, veto }); !errors.Is(err, veto) {
		t.Fatalf("vetoed update: err = %v", err)
	}
	if err := s.Update(tok.ID, func(cur *token.Token) (*token.Token, error) {
		next := cur.Clone()
		next.Name = "after"
		return next, nil
	}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(tok.ID)
	if got.Name != "after" || tok.Name != "before" {
		t.Fatalf("after update: stored %q, original %q", got.Name, tok.Name)
	}
	page, _ := s.List(context.Background(), List{UserID: member, OrderBy: "name", Match: func(t *token.Token) bool { return t.ID == tok.ID }})
	if len(page.Items) != 1 || page.Items[0].Name != "after" {
		t.Fatalf("name index not updated: %v", names(page.Items))
	}
	if err := s.Delete(tok.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := s.Authenticate(hash("secret-" + tok.ID)); ok {
		t.Fatal("deleted token still authenticates")
	}
	if err := s.Delete(tok.ID, nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: err = %v, want ErrNotFound", err)
	}
}

// TestConcurrentPagingNeverLosesOrRepeats has writers create and delete
// tokens while readers page through the collection. Tokens that exist for
// the whole walk must each be listed exactly once; no token may appear twice.
func TestConcurrentPagingNeverLosesOrRepeats(t *testing.T) {
	s := defaultStore(t)
	const stable = 200
	stableIDs := map[string]bool{}
	for i := 0; i < stable; i++ {
		tok := newToken(i, fmt.Sprintf("stable-%03d", i))
		stableIDs[tok.ID] = true
		if err := s.Create(tok); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for i := 0; i < 400; i++ {
				select {
				case <-stop:
					return
				default:
				}
				tok := newToken(100000*(w+1)+i, fmt.Sprintf("churn-%d", rng.IntN(1000)))
				if err := s.Create(tok); err != nil {
					t.Error(err)
					return
				}
				if rng.IntN(2) == 0 {
					if err := s.Delete(tok.ID, nil); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}(w)
	}
	var readers sync.WaitGroup
	for r := 0; r < 4; r++ {
		readers.Add(1)
		go func(r int) {
			defer readers.Done()
			orders := []string{"", "name", "id"}
			for round := 0; round < 6; round++ {
				q := List{UserID: member, OrderBy: orders[(r+round)%3], Desc: round%2 == 1, Limit: 7}
				seen := map[string]int{}
				for pages := 0; ; pages++ {
					if pages > 100000 {
						t.Error("paging does not end")
						return
					}
					page, err := s.List(context.Background(), q)
					if err != nil {
						t.Error(err)
						return
					}
					for _, it := range page.Items {
						seen[it.ID]++
					}
					if page.Next == "" {
						break
					}
					q.After = page.Next
				}
				for id, n := range seen {
					if n > 1 {
						t.Errorf("token %s listed %d times", id, n)
					}
				}
				for id := range stableIDs {
					if seen[id] != 1 {
						t.Errorf("stable token %s listed %d times", id, seen[id])
					}
				}
			}
		}(r)
	}
	readers.Wait()
	close(stop)
	wg.Wait()
}

// TestListIsASnapshot renames tokens while whole lists by name are read:
// every list holds every token once, in order, as some single moment had
// them.
func TestListIsASnapshot(t *testing.T) {
	s := defaultStore(t)
	var all []string
	for i := 0; i < 300; i++ {
		tok := newToken(i, fmt.Sprintf("n-%03d", i))
		all = append(all, tok.ID)
		if err := s.Create(tok); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		rng := rand.New(rand.NewPCG(1, 2))
		for {
			select {
			case <-stop:
				return
			default:
			}
			err := s.Update(all[rng.IntN(len(all))], func(cur *token.Token) (*token.Token, error) {
				next := cur.Clone()
				next.Name = fmt.Sprintf("n-%03d", rng.IntN(1000))
				return next, nil
			})
			if err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for round := 0; round < 200; round++ {
		page, err := s.List(context.Background(), List{UserID: member, OrderBy: "name", Desc: round%2 == 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != len(all)+3 {
			t.Fatalf("round %d: %d tokens listed, want %d", round, len(page.Items), len(all)+3)
		}
		seen := map[string]bool{}
		for i, tk := range page.Items {
			if seen[tk.ID] {
				t.Fatalf("round %d: token %s listed twice", round, tk.ID)
			}
			seen[tk.ID] = true
			if i > 0 {
				prev := page.Items[i-1]
				if inOrder := prev.Name < tk.Name || prev.Name == tk.Name && prev.ID < tk.ID; inOrder == (round%2 == 1) {
					t.Fatalf("round %d: %q before %q", round, prev.Name, tk.Name)
				}
			}
		}
	}
	close(stop)
	<-done
}
