package mockserver

import (
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/store"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// newStore builds a store holding the accounts, users, groups and tokens of
// set. Credentials given in plain are kept only as their hashes.
func newStore(set *fixtures.Set) (*store.Store, error) {
	var st store.State
	for _, fa := range set.Accounts {
		a := store.Account{ID: fa.ID, Name: fa.Name, Users: make([]store.User, len(fa.Users)), Groups: make([]store.Group, len(fa.Groups))}
		for i, fu := range fa.Users {
			a.Users[i] = store.User{ID: fu.ID, Name: fu.Name, Role: string(fu.Role)}
		}
		for i, fg := range fa.Groups {
			a.Groups[i] = store.Group{ID: fg.ID, Name: fg.Name, Members: fg.Members}
		}
		st.Accounts = append(st.Accounts, a)
		for i := range fa.Tokens {
			st.Tokens = append(st.Tokens, tokenOf(fa.ID, &fa.Tokens[i]))
		}
	}
	return store.New(st)
}

// tokenOf converts a fixture token of the account.
func tokenOf(accountID string, ft *fixtures.Token) *token.Token {
	labels := make([]token.Label, len(ft.Metadata.Labels))
	for i, l := range ft.Metadata.Labels {
		labels[i] = token.Label{Name: l.Name, Value: l.Value}
	}
	modified := ft.Metadata.ModificationTimestamp
	if modified.IsZero() {
		modified = ft.Metadata.CreationTimestamp
	}
	return &token.Token{
		ID: ft.ID, Name: ft.Name, AccountID: accountID, UserID: ft.UserID, SecretHash: ft.CredentialHash(),
		Labels:            labels,
		CreationTimestamp: ft.Metadata.CreationTimestamp, ModificationTimestamp: modified,
		CreatedBy: ft.Metadata.CreatedBy, ModifiedBy: ft.Metadata.ModifiedBy,
	}
}

// exportState returns the state of st as a fixtures document: accounts,
// users and groups in the order they were loaded, each account's tokens in
// creation order. Credentials appear only as their hashes (secretHash), so
// the document can be stored or shown, and loaded again with the same
// credentials working.
func exportState(st *store.Store) *fixtures.Set {
	state := st.Export()
	set := &fixtures.Set{Accounts: make([]fixtures.Account, len(state.Accounts))}
	index := make(map[string]int, len(state.Accounts))
	tokens := map[string]int{}
	for _, t := range state.Tokens {
		tokens[t.AccountID]++
	}
	for i, a := range state.Accounts {
		fa := fixtures.Account{ID: a.ID, Name: a.Name, Users: make([]fixtures.User, len(a.Users)),
			Groups: make([]fixtures.Group, len(a.Groups)), Tokens: make([]fixtures.Token, 0, tokens[a.ID])}
		for j, u := range a.Users {
			fa.Users[j] = fixtures.User{ID: u.ID, Name: u.Name, Role: fixtures.Role(u.Role)}
		}
		for j, g := range a.Groups {
			fa.Groups[j] = fixtures.Group{ID: g.ID, Name: g.Name, Members: append([]string{}, g.Members...)}
		}
		set.Accounts[i] = fa
		index[a.ID] = i
	}
	for _, t := range state.Tokens {
		fa := &set.Accounts[index[t.AccountID]]
		fa.Tokens = append(fa.Tokens, fixtureOf(t))
	}
	return set
}

// fixtureOf converts a stored token; its credential only as its hash.
func fixtureOf(t *token.Token) fixtures.Token {
	labels := make([]fixtures.Label, len(t.Labels))
	for i, l := range t.Labels {
		labels[i] = fixtures.Label{Name: l.Name, Value: l.Value}
	}
	return fixtures.Token{
		ID: t.ID, Name: t.Name, UserID: t.UserID, SecretHash: t.SecretHash,
		Metadata: fixtures.Metadata{
			Labels:            labels,
			CreationTimestamp: t.CreationTimestamp, ModificationTimestamp: t.ModificationTimestamp,
			CreatedBy: t.CreatedBy, ModifiedBy: t.ModifiedBy,
		},
	}
}
