// Package store keeps the mock's state in memory: the directory of accounts,
// users and groups loaded from fixtures, and the tokens, which live in a
// go-memdb database with one ordered index per sort order so that a page of
// a list is a seek and a short walk, never a sort of the whole collection.
//
// Read transactions are snapshots: a list or a get never blocks a write and
// never sees half of one. Stored tokens are immutable; updates store a copy.
package store

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/go-memdb"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// Errors returned by the store; the HTTP edge maps them to problems.
var (
	ErrNotFound = errors.New("store: token not found")
	ErrExists   = errors.New("store: token id or credential already exists")
)

// Role is a user's role in its account.
type Role = fixtures.Role

// User is a user of an account.
type User struct {
	ID        string
	Name      string
	AccountID string
	Role      Role
}

// Group is a group of users in an account.
type Group struct {
	ID        string
	Name      string
	AccountID string
	members   map[string]bool
	order     []string // members as loaded, for export
}

// HasMember reports whether the user is a member of g.
func (g *Group) HasMember(userID string) bool { return g.members[userID] }

// Account is an account with its users and groups.
type Account struct {
	ID     string
	Name   string
	users  map[string]*User
	groups map[string]*Group
	// userOrder and groupOrder keep the fixtures' order for export.
	userOrder, groupOrder []string
}

// User returns the user of a with the given id, or nil.
func (a *Account) User(id string) *User { return a.users[id] }

// Group returns the group of a with the given id, or nil.
func (a *Account) Group(id string) *Group { return a.groups[id] }

// Store is the mock's state. Its directory (accounts, users, groups) is fixed
// when it is made; its tokens change through Create, Update and Delete.
type Store struct {
	accounts     map[string]*Account
	accountOrder []string
	users        map[string]*User
	db           *memdb.MemDB
}

const table = "tokens"

// Index names.
const (
	indexID      = "id"
	indexSecret  = "secret"
	indexCreated = "created"
	indexName    = "name"
	indexByID    = "byid"
)

// sortableTime writes t with a fixed width, so that byte order is time order.
func sortableTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// orderKey builds the key of t in an ordered index: the owner, then the sort
// value, then the id as tie-breaker. Names are printable ASCII, ids and times
// have no NUL, so NUL separates the parts without ambiguity and keeps
// "ab" before "abc".
func orderKey(userID, value, id string) []byte {
	b := make([]byte, 0, len(userID)+len(value)+len(id)+2)
	b = append(b, userID...)
	b = append(b, 0)
	b = append(b, value...)
	b = append(b, 0)
	return append(b, id...)
}

// sortValue returns the value of t that an order sorts by.
func sortValue(index string, t *token.Token) string {
	switch index {
	case indexCreated:
		return sortableTime(t.CreationTimestamp)
	case indexName:
		return t.Name
	default:
		return t.ID
	}
}

// keyIndexer indexes tokens by a key computed from the whole token.
type keyIndexer func(t *token.Token) []byte

func (k keyIndexer) FromObject(raw interface{}) (bool, []byte, error) {
	t, ok := raw.(*token.Token)
	if !ok {
		return false, nil, fmt.Errorf("store: indexing %T, want *token.Token", raw)
	}
	return true, k(t), nil
}

func (k keyIndexer) FromArgs(args ...interface{}) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("store: index takes one argument, got %d", len(args))
	}
	switch a := args[0].(type) {
	case string:
		return []byte(a), nil
	case []byte:
		return a, nil
	}
	return nil, fmt.Errorf("store: index argument %T, want string or []byte", args[0])
}

func orderedIndex(name string) *memdb.IndexSchema {
	return &memdb.IndexSchema{Name: name, Unique: true, Indexer: keyIndexer(func(t *token.Token) []byte {
		return orderKey(t.UserID, sortValue(name, t), t.ID)
	})}
}

func schema() *memdb.DBSchema {
	return &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		table: {Name: table, Indexes: map[string]*memdb.IndexSchema{
			indexID:      {Name: indexID, Unique: true, Indexer: keyIndexer(func(t *token.Token) []byte { return []byte(t.ID) })},
			indexSecret:  {Name: indexSecret, Unique: true, Indexer: keyIndexer(func(t *token.Token) []byte { return []byte(t.SecretHash) })},
			indexCreated: orderedIndex(indexCreated),
			indexName:    orderedIndex(indexName),
			indexByID:    orderedIndex(indexByID),
		}},
	}}
}

// New builds a store holding the accounts, users, groups and tokens of set.
func New(set *fixtures.Set) (*Store, error) {
	db, err := memdb.NewMemDB(schema())
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s := &Store{accounts: map[string]*Account{}, users: map[string]*User{}, db: db}
	txn := db.Txn(true)
	defer txn.Abort()
	for _, fa := range set.Accounts {
		a := &Account{ID: fa.ID, Name: fa.Name, users: map[string]*User{}, groups: map[string]*Group{}}
		s.accounts[a.ID] = a
		s.accountOrder = append(s.accountOrder, a.ID)
		for _, fu := range fa.Users {
			u := &User{ID: fu.ID, Name: fu.Name, AccountID: a.ID, Role: fu.Role}
			a.users[u.ID] = u
			a.userOrder = append(a.userOrder, u.ID)
			s.users[u.ID] = u
		}
		for _, fg := range fa.Groups {
			g := &Group{ID: fg.ID, Name: fg.Name, AccountID: a.ID, members: map[string]bool{}, order: append([]string(nil), fg.Members...)}
			for _, m := range fg.Members {
				g.members[m] = true
			}
			a.groups[g.ID] = g
			a.groupOrder = append(a.groupOrder, g.ID)
		}
		for _, ft := range fa.Tokens {
			labels := make([]token.Label, len(ft.Metadata.Labels))
			for i, l := range ft.Metadata.Labels {
				labels[i] = token.Label{Name: l.Name, Value: l.Value}
			}
			modified := ft.Metadata.ModificationTimestamp
			if modified.IsZero() {
				modified = ft.Metadata.CreationTimestamp
			}
			t := &token.Token{
				ID: ft.ID, Name: ft.Name, AccountID: a.ID, UserID: ft.UserID, SecretHash: ft.CredentialHash(),
				Labels:            labels,
				CreationTimestamp: ft.Metadata.CreationTimestamp, ModificationTimestamp: modified,
				CreatedBy: ft.Metadata.CreatedBy, ModifiedBy: ft.Metadata.ModifiedBy,
			}
			if err := insert(txn, t); err != nil {
				return nil, fmt.Errorf("store: fixture token %s: %w", t.ID, err)
			}
		}
	}
	txn.Commit()
	return s, nil
}

// Account returns the account with the given id, or nil.
func (s *Store) Account(id string) *Account { return s.accounts[id] }

// User returns the user with the given id in any account, or nil.
func (s *Store) User(id string) *User { return s.users[id] }

// Authenticate returns the token whose credential is secret and its user.
// Only hashes are stored; the final comparison is constant-time.
func (s *Store) Authenticate(secret string) (*token.Token, *User, bool) {
	hash := token.HashSecret(secret)
	raw, err := s.db.Txn(false).First(table, indexSecret, hash)
	if err != nil || raw == nil {
		return nil, nil, false
	}
	t := raw.(*token.Token)
	if subtle.ConstantTimeCompare([]byte(t.SecretHash), []byte(hash)) != 1 {
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
	raw, err := s.db.Txn(false).First(table, indexID, id)
	if err != nil || raw == nil {
		return nil, false
	}
	return raw.(*token.Token), true
}

func insert(txn *memdb.Txn, t *token.Token) error {
	for _, idx := range []struct{ name, key string }{{indexID, t.ID}, {indexSecret, t.SecretHash}} {
		existing, err := txn.First(table, idx.name, idx.key)
		if err != nil {
			return err
		}
		if existing != nil {
			return ErrExists
		}
	}
	return txn.Insert(table, t)
}

// Create stores a new token. Its id and credential must be new.
func (s *Store) Create(t *token.Token) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	if err := insert(txn, t); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// Update replaces the token with the given id by what change returns. change
// runs inside the write transaction, so checks it makes on the current token
// (preconditions, conflicts) cannot race with another writer; an error from
// it aborts the update and is returned as is.
func (s *Store) Update(id string, change func(cur *token.Token) (*token.Token, error)) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	raw, err := txn.First(table, indexID, id)
	if err != nil {
		return err
	}
	if raw == nil {
		return ErrNotFound
	}
	cur := raw.(*token.Token)
	next, err := change(cur)
	if err != nil {
		return err
	}
	if next.ID != cur.ID || next.SecretHash != cur.SecretHash || next.UserID != cur.UserID {
		return fmt.Errorf("store: update of %s may not change its id, owner or credential", id)
	}
	if err := txn.Delete(table, cur); err != nil {
		return err
	}
	if err := txn.Insert(table, next); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// Delete removes the token with the given id, and with it its credential.
// check, if not nil, runs inside the write transaction and may veto.
func (s *Store) Delete(id string, check func(cur *token.Token) error) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	raw, err := txn.First(table, indexID, id)
	if err != nil {
		return err
	}
	if raw == nil {
		return ErrNotFound
	}
	if check != nil {
		if err := check(raw.(*token.Token)); err != nil {
			return err
		}
	}
	if err := txn.Delete(table, raw); err != nil {
		return err
	}
	txn.Commit()
	return nil
}
