package store

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/fixtures"
)

// TestExportRoundTrips exports the default state plus a created token,
// reloads the document through the fixtures parser and exports again: the
// two exports are equal and the credentials still authenticate.
func TestExportRoundTrips(t *testing.T) {
	s := defaultStore(t)
	tok := newToken(7, "exported")
	tok.Labels = nil
	tok.ModificationTimestamp = tok.CreationTimestamp
	if err := s.Create(tok); err != nil {
		t.Fatal(err)
	}
	first := s.Export()
	data, err := json.Marshal(first)
	if err != nil {
		t.Fatal(err)
	}
	set, err := fixtures.Parse("export.json", data)
	if err != nil {
		t.Fatalf("the export is not a valid fixtures document: %v", err)
	}
	again, err := New(set)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, again.Export()); diff != "" {
		t.Fatalf("export after reload differs (-first +again):\n%s", diff)
	}
	for _, secret := range []string{"mock-admin", "mock-snapshot-taker", "secret-" + tok.ID} {
		if _, _, ok := again.Authenticate(secret); !ok {
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
