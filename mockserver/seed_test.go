package mockserver

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

func TestDefaultFixturesAuthenticate(t *testing.T) {
	st := benchServer(t).store.Load()
	const (
		admin  = "8f84cf09-8036-51e4-b579-bd30cb07b269"
		member = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b"
	)
	tests := []struct {
		secret, user string
		ok           bool
	}{
		{"mock-admin", admin, true},
		{"QSBKV1QgVG9rZW4gd291bGQgZ28gaGVyZS4=", member, true},
		{"mock-snapshot-taker", member, true},
		{"mock-admin ", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("credential %q authenticates: %v", tt.secret, tt.ok), func(t *testing.T) {
			_, u, ok := st.Authenticate(fixtures.HashSecret(tt.secret))
			if ok != tt.ok || ok && u.ID != tt.user {
				t.Fatalf("Authenticate(%q) = %v, %v", tt.secret, u, ok)
			}
		})
	}
}

// TestExportRoundTrips exports the default state plus a created token,
// reloads the document through the fixtures parser and exports again: the
// two exports are equal and the credentials still authenticate.
func TestExportRoundTrips(t *testing.T) {
	s := benchServer(t)
	created := time.Date(2024, 1, 1, 0, 0, 7, 0, time.UTC)
	tok := &token.Token{ID: "00000000-0000-4000-8000-000000000007", Name: "exported",
		AccountID: "5cef50e1-a468-4f74-98a6-832d4fd76096", UserID: "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b",
		SecretHash: fixtures.HashSecret("secret-7"), CreationTimestamp: created, ModificationTimestamp: created,
		CreatedBy: "8f84cf09-8036-51e4-b579-bd30cb07b269"}
	if err := s.store.Load().Create(tok); err != nil {
		t.Fatal(err)
	}
	first := s.State()
	data, err := json.Marshal(first)
	if err != nil {
		t.Fatal(err)
	}
	set, err := fixtures.Parse("export.json", data)
	if err != nil {
		t.Fatalf("the export is not a valid fixtures document: %v", err)
	}
	again, err := newStore(set)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, exportState(again)); diff != "" {
		t.Fatalf("export after reload differs (-first +again):\n%s", diff)
	}
	for _, secret := range []string{"mock-admin", "mock-snapshot-taker", "secret-7"} {
		if _, _, ok := again.Authenticate(fixtures.HashSecret(secret)); !ok {
			t.Errorf("%q no longer authenticates after export and reload", secret)
		}
	}
	if n := len(first.Accounts[0].Tokens); n != 7 {
		t.Fatalf("account A exports %d tokens, want 7", n)
	}
	for _, a := range first.Accounts {
		for _, tk := range a.Tokens {
			if tk.Secret != "" || len(tk.SecretHash) != 64 {
				t.Fatalf("token %s exports secret %q, hash %q", tk.ID, tk.Secret, tk.SecretHash)
			}
		}
	}
}

// bigFixtures is the default fixtures with 100k more tokens for the member.
func bigFixtures(b *testing.B) *fixtures.Set {
	set, err := fixtures.Default()
	if err != nil {
		b.Fatal(err)
	}
	a := &set.Accounts[0]
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 100_000; i++ {
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		at := created.Add(time.Duration(i) * time.Millisecond)
		a.Tokens = append(a.Tokens, fixtures.Token{ID: id, Name: fmt.Sprintf("token-%06d", (i*7919)%100_000),
			UserID: benchMember, SecretHash: fixtures.HashSecret(id),
			Metadata: fixtures.Metadata{Labels: []fixtures.Label{}, CreationTimestamp: at, ModificationTimestamp: at, CreatedBy: benchMember}})
	}
	return set
}

// BenchmarkSeed100k builds a store from a fixtures set of 100k tokens, as
// New, SetState and PUT /__admin/state do after parsing.
func BenchmarkSeed100k(b *testing.B) {
	set := bigFixtures(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := newStore(set); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportState100k exports a store of 100k tokens as a fixtures
// set, as State, GET /__admin/state and the -state save do before encoding.
func BenchmarkExportState100k(b *testing.B) {
	st, err := newStore(bigFixtures(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if set := exportState(st); len(set.Accounts[0].Tokens) != 100_006 {
			b.Fatal(len(set.Accounts[0].Tokens))
		}
	}
}
