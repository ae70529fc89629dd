package store

import (
	"sort"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// Export returns the whole state as a fixtures document: accounts, users
// and groups in the order they were loaded, each account's tokens in
// creation order. Credentials appear only as their hashes (secretHash), so
// the document can be stored or shown, and loaded again with the same
// credentials working.
func (s *Store) Export() *fixtures.Set {
	byAccount := map[string][]*token.Token{}
	it, err := s.db.Txn(false).Get(table, indexID)
	if err == nil {
		for raw := it.Next(); raw != nil; raw = it.Next() {
			t := raw.(*token.Token)
			byAccount[t.AccountID] = append(byAccount[t.AccountID], t)
		}
	}
	set := &fixtures.Set{Accounts: []fixtures.Account{}}
	for _, id := range s.accountOrder {
		a := s.accounts[id]
		fa := fixtures.Account{ID: a.ID, Name: a.Name, Users: []fixtures.User{}, Groups: []fixtures.Group{}, Tokens: []fixtures.Token{}}
		for _, uid := range a.userOrder {
			u := a.users[uid]
			fa.Users = append(fa.Users, fixtures.User{ID: u.ID, Name: u.Name, Role: u.Role})
		}
		for _, gid := range a.groupOrder {
			g := a.groups[gid]
			fa.Groups = append(fa.Groups, fixtures.Group{ID: g.ID, Name: g.Name, Members: append([]string{}, g.order...)})
		}
		tokens := byAccount[a.ID]
		sort.Slice(tokens, func(i, j int) bool {
			if c := tokens[i].CreationTimestamp.Compare(tokens[j].CreationTimestamp); c != 0 {
				return c < 0
			}
			return tokens[i].ID < tokens[j].ID
		})
		for _, t := range tokens {
			labels := make([]fixtures.Label, len(t.Labels))
			for i, l := range t.Labels {
				labels[i] = fixtures.Label{Name: l.Name, Value: l.Value}
			}
			fa.Tokens = append(fa.Tokens, fixtures.Token{
				ID: t.ID, Name: t.Name, UserID: t.UserID, SecretHash: t.SecretHash,
				Metadata: fixtures.Metadata{
					Labels:            labels,
					CreationTimestamp: t.CreationTimestamp, ModificationTimestamp: t.ModificationTimestamp,
					CreatedBy: t.CreatedBy, ModifiedBy: t.ModifiedBy,
				},
			})
		}
		set.Accounts = append(set.Accounts, fa)
	}
	return set
}
