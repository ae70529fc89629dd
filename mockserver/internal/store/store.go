// Package store keeps the mock's state in memory: the directory of accounts,
// users and groups it is built with, and the tokens. Tokens are found by id
// and by credential hash through maps; each user's tokens are also kept in
// three ordered B-trees, one per sort order a list supports, so that a page
// of a list is a seek and a short walk, never a sort of the whole collection.
//
// Writes are serialised. A user's trees are copy-on-write: a write clones
// them (lazily: only the nodes on the changed path are copied) and publishes
// the clones, so a list walks a snapshot that no later write changes. A read
// waits for a write only while the write swaps map entries, never for the
// write's checks, and never sees half of a write. Stored tokens are
// immutable; updates store a copy.
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

	"github.com/google/btree"

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
	members   map[string]bool
}

// HasMember reports whether the user is a member of g.
func (g *Group) HasMember(userID string) bool { return g.members[userID] }

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

// Store is the mock's state. Its directory (accounts, users, groups) is fixed
// when it is made; its tokens change through Create, Update and Delete.
type Store struct {
	accounts    []*Account
	accountByID map[string]*Account
	users       map[string]*User
	free        *btree.FreeListG[*token.Token]

	// write serialises writers: a writer holds it from its first look at
	// the tokens to its last change, so checks made on the current token
	// cannot race with another writer. Writers read the maps below under
	// write alone and change byID and bySecret under mu as well; lists,
	// and the collections in it that no reader has taken, are read and
	// changed under write alone (readers take a collection under write).
	write sync.Mutex
	mu    sync.RWMutex
	byID  map[string]*token.Token
	// bySecret finds a token by its SecretHash.
	bySecret map[string]*token.Token
	// lists holds each user's tokens in every order; a published
	// collection is never changed.
	lists map[string]*collection
}

// New builds a store holding st. It copies the directory and keeps the
// tokens themselves, which must not change afterwards.
func New(st State) (*Store, error) {
	s := &Store{
		accountByID: make(map[string]*Account, len(st.Accounts)),
		users:       map[string]*User{},
		free:        btree.NewFreeListG[*token.Token](btree.DefaultFreeListSize),
		byID:        make(map[string]*token.Token, len(st.Tokens)),
		bySecret:    make(map[string]*token.Token, len(st.Tokens)),
		lists:       map[string]*collection{},
	}
	for i := range st.Accounts {
		src := &st.Accounts[i]
		a := &Account{ID: src.ID, Name: src.Name, Users: slices.Clone(src.Users), Groups: slices.Clone(src.Groups),
			users: make(map[string]*User, len(src.Users)), groups: make(map[string]*Group, len(src.Groups))}
		for j := range a.Users {
			u := &a.Users[j]
			u.AccountID = a.ID
			a.users[u.ID] = u
			s.users[u.ID] = u
		}
		for j := range a.Groups {
			g := &a.Groups[j]
			g.AccountID = a.ID
			g.Members = slices.Clone(g.Members)
			g.members = make(map[string]bool, len(g.Members))
			for _, m := range g.Members {
				g.members[m] = true
			}
			a.groups[g.ID] = g
		}
		s.accounts = append(s.accounts, a)
		s.accountByID[a.ID] = a
	}
	byUser := map[string][]*token.Token{}
	for _, t := range st.Tokens {
		if s.byID[t.ID] != nil || s.bySecret[t.SecretHash] != nil {
			return nil, fmt.Errorf("store: fixture token %s: %w", t.ID, ErrExists)
		}
		s.byID[t.ID] = t
		s.bySecret[t.SecretHash] = t
		byUser[t.UserID] = append(byUser[t.UserID], t)
	}
	for user := range byUser {
		s.lists[user] = newCollection(s.free)
	}
	// Each order's trees are built at once, each from its tokens sorted in
	// that order: inserting in order keeps the B-tree's path in the cache,
	// where tokens in random order miss it at nearly every comparison.
	var wg sync.WaitGroup
	for o := range orders {
		wg.Go(func() {
			var sorted []*token.Token
			for user, ts := range byUser {
				sorted = append(sorted[:0], ts...)
				slices.SortFunc(sorted, o.compare)
				tree := s.lists[user].trees[o]
				for _, t := range sorted {
					tree.ReplaceOrInsert(t)
				}
			}
		})
	}
	wg.Wait()
	return s, nil
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
// of its id, not one each. t must not be visible to readers yet.
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

// insert adds t, whose id and credential must be new, to a store that
// may be in use by readers: the maps change under mu (see changeList).
// The caller holds write.
func (s *Store) insert(t *token.Token) error {
	if s.byID[t.ID] != nil || s.bySecret[t.SecretHash] != nil {
		return ErrExists
	}
	c := s.mutableList(t.UserID)
	c.insert(t)
	s.lists[t.UserID] = c
	s.mu.Lock()
	s.byID[t.ID] = t
	s.bySecret[t.SecretHash] = t
	s.mu.Unlock()
	return nil
}

// mutableList returns the user's collection ready to change: the
// collection itself when no reader has taken it (readers take collections
// under write, so none can while the caller holds it), else a clone, which
// the caller publishes in lists when it is done. The caller holds write.
func (s *Store) mutableList(userID string) *collection {
	c := s.lists[userID]
	switch {
	case c == nil:
		return newCollection(s.free)
	case c.seen.Load():
		return c.clone()
	}
	return c
}

// Create stores a new token. Its id and credential must be new. The store
// keeps t, which must not change afterwards, and may replace its user and
// account ids by equal strings it already holds.
func (s *Store) Create(t *token.Token) error {
	s.write.Lock()
	defer s.write.Unlock()
	s.intern(t)
	return s.insert(t)
}

// Update replaces the token with the given id by what change returns.
// Writers are serialised around change, so checks it makes on the current
// token (preconditions, conflicts) cannot race with another writer; an
// error from it aborts the update and is returned as is. change must not
// call the store (it holds the store's writer lock).
func (s *Store) Update(id string, change func(cur *token.Token) (*token.Token, error)) error {
	s.write.Lock()
	defer s.write.Unlock()
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
	c := s.mutableList(cur.UserID)
	c.delete(cur)
	c.insert(next)
	s.lists[cur.UserID] = c
	s.mu.Lock()
	s.byID[id] = next
	s.bySecret[next.SecretHash] = next
	s.mu.Unlock()
	return nil
}

// Delete removes the token with the given id, and with it its credential.
// check, if not nil, runs with writers serialised and may veto; like
// Update's change, it must not call the store.
func (s *Store) Delete(id string, check func(cur *token.Token) error) error {
	s.write.Lock()
	defer s.write.Unlock()
	cur := s.byID[id]
	if cur == nil {
		return ErrNotFound
	}
	if check != nil {
		if err := check(cur); err != nil {
			return err
		}
	}
	c := s.mutableList(cur.UserID)
	c.delete(cur)
	s.lists[cur.UserID] = c
	s.mu.Lock()
	delete(s.byID, id)
	delete(s.bySecret, cur.SecretHash)
	s.mu.Unlock()
	return nil
}

// collection returns the current collection of a user's tokens, or nil.
func (s *Store) collection(userID string) *collection {
	s.write.Lock()
	defer s.write.Unlock()
	c := s.lists[userID]
	if c != nil && !c.seen.Load() {
		c.seen.Store(true) // from now on, writes change a clone
	}
	return c
}
