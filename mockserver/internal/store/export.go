package store

import (
	"slices"
	"strings"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// byCreation orders tokens as Export lists them: creation time, then id.
func byCreation(a, b *token.Token) int {
	if c := a.CreationTimestamp.Compare(b.CreationTimestamp); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// Export returns the whole state from one consistent snapshot: the
// directory in the order it was given, and each account's tokens in creation
// order (ties by id), account after account. The directory is a copy; the
// tokens are the stored ones, which must not be changed.
func (s *Store) Export() State {
	byAccount := make(map[string][]*token.Token, len(s.accounts))
	s.mu.RLock()
	total := len(s.byID)
	for _, t := range s.byID {
		byAccount[t.AccountID] = append(byAccount[t.AccountID], t)
	}
	s.mu.RUnlock()

	st := State{Accounts: make([]Account, len(s.accounts)), Tokens: make([]*token.Token, 0, total)}
	for i, a := range s.accounts {
		st.Accounts[i] = *copyOf(a)
		tokens := byAccount[a.ID]
		slices.SortFunc(tokens, byCreation)
		st.Tokens = append(st.Tokens, tokens...)
	}
	return st
}
