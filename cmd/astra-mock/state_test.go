package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// bigState is the default fixtures with n more tokens for the first
// account's first user, each with a label and a hashed secret, as the state
// of a long-running mock holds them.
func bigState(tb testing.TB, n int) *fixtures.Set {
	tb.Helper()
	set, err := fixtures.Default()
	if err != nil {
		tb.Fatal(err)
	}
	a := &set.Accounts[0]
	user := a.Users[0].ID
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		at := start.Add(time.Duration(i) * time.Millisecond)
		a.Tokens = append(a.Tokens, fixtures.Token{ID: id, Name: fmt.Sprintf("bulk token %d", i),
			UserID: user, SecretHash: fixtures.HashSecret(id),
			Metadata: fixtures.Metadata{Labels: []fixtures.Label{{Name: "env", Value: "ci"}},
				CreationTimestamp: at, ModificationTimestamp: at, CreatedBy: user}})
	}
	return set
}

// TestSaveStateWritesWhatMarshalIndentGives: the -state file holds
// json.MarshalIndent(set, "", "  ") and a newline, as it always has, and
// nothing else is left in its directory.
func TestSaveStateWritesWhatMarshalIndentGives(t *testing.T) {
	def, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	varied := bigState(t, 3)
	a := &varied.Accounts[0]
	plain := &a.Tokens[len(a.Tokens)-1]
	plain.Secret, plain.SecretHash = "plain <secret> & \"quoted\"", ""
	plain.Metadata.Labels = append(plain.Metadata.Labels, fixtures.Label{Name: "team", Value: "qa\u2028\t"})
	plain.Metadata.ModificationTimestamp = plain.Metadata.CreationTimestamp.Add(time.Hour)
	plain.Metadata.ModifiedBy = a.Users[1].ID
	for _, tc := range []struct {
		name string
		set  *fixtures.Set
	}{
		{"the default fixtures", def},
		{"a state with labels, a secret, hashes and modifiedBy", varied},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.MarshalIndent(tc.set, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "state.json")
			if err := saveState(path, tc.set); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want)+"\n", string(got)); diff != "" {
				t.Errorf("saved state (-MarshalIndent +file):\n%s", diff)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("the directory holds %d entries after the save, want only state.json", len(entries))
			}
		})
	}
}

// BenchmarkSaveState100k is the -state save of 100,000 tokens (about
// 50 MB of indented JSON), fsync and rename included.
func BenchmarkSaveState100k(b *testing.B) {
	set := bigState(b, 100_000)
	path := filepath.Join(b.TempDir(), "state.json")
	b.ReportAllocs()
	for b.Loop() {
		if err := saveState(path, set); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshot100k is POST /__admin/snapshot on a mock holding
// 100,000 tokens with -state: what the client waits for, from taking the
// set out of the store to the renamed file. Stack.Close saves the same way.
func BenchmarkSnapshot100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "state.json")
	var cfg admin.Config
	cfg.Mock.Fixtures = bigState(b, 100_000)
	cfg.Snapshot = func(set *fixtures.Set) error { return saveState(path, set) }
	s, err := admin.NewStack(cfg)
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/__admin/snapshot", nil)
		r.Header.Set("Content-Type", "application/json") // the admin API demands it
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusNoContent {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
