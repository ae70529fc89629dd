// Package store keeps the mock's state in memory: the directory of accounts,
// users and groups it is built with, and the tokens, found by id and by
// credential hash through maps. A list takes the user's matching tokens and
// sorts them (see List).
//
// One read-write lock guards the tokens. A writer holds it from its first
// look at the tokens to its last change, so checks made on the current token
// cannot race with another writer and a read never sees half of a write.
// Stored tokens are immutable; updates store a copy.
//
// The store knows nothing of files or HTTP: it is built from, and exported
// as, a State of its own types.
package store

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// Errors returned by the store; the HTTP edge maps them to problems.
var (
	ErrNotFound = errors.New("store: token not found")
	ErrExists   = errors.New("store: token id or credential already exists")
)

// User is a user of an account.
type User struct {
	ID        string
	Name      string
	AccountID string // set by New
	// Role names the user's role in its account as the state does
	// ("viewer", "member", "admin", "owner"). The store only keeps it: the
	// edge reads it as a fixtures.Role, which decides what the role may do.
	Role string
}

// Group is a group of users in an account.
type Group struct {
	ID        string
	Name      string
	AccountID string   // set by New
	Members   []string // user ids, in the order given
}

// HasMember reports whether the user is a member of g.
func (g *Group) HasMember(userID string) bool { return slices.Contains(g.Members, userID) }

// Account is an account with its users and groups, in the order given.
type Account struct {
	ID     string
	Name   string
	Users  []User
	Groups []Group
	users  map[string]*User
	groups map[string]*Group
}

// User returns the user of a with the given id, or nil.
func (a *Account) User(id string) *User { return a.users[id] }

// Group returns the group of a with the given id, or nil.
func (a *Account) Group(id string) *Group { return a.groups[id] }

// State is the whole content of a store: what New builds one from and what
// Export returns.
type State struct {
	// Accounts are the directory, in the order Export keeps.
	Accounts []Account
	// Tokens are the stored tokens. Export gives each account's tokens in
	// creation order (ties by id), account after account in the order of
	// Accounts; tokens of an account not in Accounts are not exported.
	Tokens []*token.Token
}

// Store is the mock's state. Its directory (accounts, users and groups) is
// fixed when it is made; its tokens change through Create, Update and Delete.
type Store struct {
	accounts    []*Account
	accountByID map[string]*Account
	users       map[string]*User

	mu       sync.RWMutex
	byID     map[string]*token.Token
	bySecret map[string]*token.Token // by SecretHash
}

// New builds a store holding st. It copies the directory and keeps the
// tokens themselves, which must not change afterwards.
func New(st State) (*Store, error) {
	s := &Store{
		accountByID: make(map[string]*Account, len(st.Accounts)),
		users:       map[string]*User{},
		byID:        make(map[string]*token.Token, len(st.Tokens)),
		bySecret:    make(map[string]*token.Token, len(st.Tokens)),
	}
	for i := range st.Accounts {
		a := copyOf(&st.Accounts[i])
		a.users = make(map[string]*User, len(a.Users))
		a.groups = make(map[string]*Group, len(a.Groups))
		for j := range a.Users {
			u := &a.Users[j]
			u.AccountID = a.ID
			a.users[u.ID] = u
			s.users[u.ID] = u
		}
		for j := range a.Groups {
			g := &a.Groups[j]
			g.AccountID = a.ID
			a.groups[g.ID] = g
		}
		s.accounts = append(s.accounts, a)
		s.accountByID[a.ID] = a
	}
	for _, t := range st.Tokens {
		if err := s.insert(t); err != nil {
			return nil, fmt.Errorf("store: fixture token %s: %w", t.ID, err)
		}
	}
	return s, nil
}

// copyOf returns a copy of a's directory that shares no slice with it,
// without a's indexes.
func copyOf(a *Account) *Account {
	c := &Account{ID: a.ID, Name: a.Name, Users: slices.Clone(a.Users), Groups: slices.Clone(a.Groups)}
	for i := range c.Groups {
		c.Groups[i].Members = slices.Clone(c.Groups[i].Members)
	}
	return c
}

// Account returns the account with the given id, or nil.
func (s *Store) Account(id string) *Account { return s.accountByID[id] }

// User returns the user with the given id in any account, or nil.
func (s *Store) User(id string) *User { return s.users[id] }

// Authenticate returns the token whose credential hashes to secretHash, and
// its user. Only hashes are stored; the final comparison is constant-time.
func (s *Store) Authenticate(secretHash string) (*token.Token, *User, bool) {
	s.mu.RLock()
	t := s.bySecret[secretHash]
	s.mu.RUnlock()
	if t == nil || subtle.ConstantTimeCompare([]byte(t.SecretHash), []byte(secretHash)) != 1 {
		return nil, nil, false
	}
	u := s.users[t.UserID]
	if u == nil {
		return nil, nil, false
	}
	return t, u, true
}

// Get returns the token with the given id.
func (s *Store) Get(id string) (*token.Token, bool) {
	s.mu.RLock()
	t, ok := s.byID[id]
	s.mu.RUnlock()
	return t, ok
}

// intern replaces the ids t shares with the directory by the directory's
// own strings, so that a hundred thousand tokens of one user hold one copy
// of its id, not one each (ids cut from a request path would also keep the
// whole path alive): the RSS-per-token floor needs it. t must not be
// visible to readers yet.
func (s *Store) intern(t *token.Token) {
	if a := s.accountByID[t.AccountID]; a != nil {
		t.AccountID = a.ID
	}
	for _, id := range []*string{&t.UserID, &t.CreatedBy, &t.ModifiedBy} {
		if u := s.users[*id]; u != nil {
			*id = u.ID
		}
	}
}

// insert adds t, whose id and credential must be new. The caller holds mu
// for writing, or is New.
func (s *Store) insert(t *token.Token) error {
	if s.byID[t.ID] != nil || s.bySecret[t.SecretHash] != nil {
		return ErrExists
	}
	s.intern(t)
	s.byID[t.ID] = t
	s.bySecret[t.SecretHash] = t
	return nil
}

// Create stores a new token. Its id and credential must be new. The store
// keeps t, which must not change afterwards.
func (s *Store) Create(t *token.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insert(t)
}

// Update replaces the token with the given id by what change returns.
// Writers are serialised around change, so checks it makes on the current
// token (preconditions, conflicts) cannot race with another writer; an
// error from it aborts the update and is returned as is. change must not
// call the store (it holds the store's lock).
func (s *Store) Update(id string, change func(cur *token.Token) (*token.Token, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.byID[id]
	if cur == nil {
		return ErrNotFound
	}
	next, err := change(cur)
	if err != nil {
		return err
	}
	if next.ID != cur.ID || next.SecretHash != cur.SecretHash || next.UserID != cur.UserID {
		return fmt.Errorf("store: update of %s may not change its id, owner or credential", id)
	}
	if next != cur {
		s.intern(next)
	}
	s.byID[id] = next
	s.bySecret[next.SecretHash] = next
	return nil
}

// Delete removes the token with the given id, and with it its credential.
// check, if not nil, runs with writers serialised and may veto; like
// Update's change, it must not call the store.
func (s *Store) Delete(id string, check func(cur *token.Token) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.byID[id]
	if cur == nil {
		return ErrNotFound
	}
	if check != nil {
		if err := check(cur); err != nil {
			return err
		}
	}
	delete(s.byID, id)
	delete(s.bySecret, cur.SecretHash)
	return nil
}
