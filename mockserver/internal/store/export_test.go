package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestExportGivesTheStateBackInOrder exports a store with a created token:
// the directory comes back as given, the tokens account by account in
// creation order, and a store built from the export exports the same.
func TestExportGivesTheStateBackInOrder(t *testing.T) {
	s := defaultStore(t)
	tok := newToken(7, "exported")
	if err := s.Create(tok); err != nil {
		t.Fatal(err)
	}
	first := s.Export()
	in := testState()
	ignore := cmpopts.IgnoreUnexported(Account{}, Group{}, User{})
	fill := func(a *Account) {
		for i := range a.Users {
			a.Users[i].AccountID = a.ID
		}
		for i := range a.Groups {
			a.Groups[i].AccountID = a.ID
		}
	}
	for i := range in.Accounts {
		fill(&in.Accounts[i])
	}
	if diff := cmp.Diff(in.Accounts, first.Accounts, ignore); diff != "" {
		t.Fatalf("directory (-given +exported):\n%s", diff)
	}
	wantNames := []string{"Admin Automation", "Snapshot Script", "Snapshot Taker", "Volume Checker", "exported"}
	if diff := cmp.Diff(wantNames, names(first.Tokens)); diff != "" {
		t.Fatalf("tokens (-want +got):\n%s", diff)
	}
	again, err := New(first)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, again.Export(), ignore); diff != "" {
		t.Fatalf("export after reload differs (-first +again):\n%s", diff)
	}
	first.Accounts[0].Users[0].Name = "changed"
	first.Accounts[0].Groups[0].Members[0] = "changed"
	if u := s.Account(accountA).User(admin); u.Name != "Ad" || !s.Account(accountA).Group(group).HasMember(member) {
		t.Fatal("changing an export changed the store's directory")
	}
}
