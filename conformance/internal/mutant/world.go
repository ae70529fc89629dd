package mutant

import (
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/astra-contract/astra-token-kit/fixtures"
)

// caller is who a credential authenticates as.
type caller struct {
	account, user string
	role          fixtures.Role
}

// credential is what the world knows of one secret.
type credential struct {
	caller
	token   string // the id of the token it is the secret of
	revoked bool   // by a DELETE of the token
}

// world is what a mutant learns of the mock's state by watching its
// traffic: which credential belongs to whom (the fixtures' secrets and
// those returned by 201s) and which were revoked by a DELETE. Mutants that
// act on the caller's identity use it; the real mock is never asked.
type world struct {
	set *fixtures.Set

	mu    sync.Mutex
	creds map[string]credential // by secret
}

func newWorld(set *fixtures.Set) *world {
	w := &world{set: set, creds: map[string]credential{}}
	for _, a := range set.Accounts {
		for _, t := range a.Tokens {
			if t.Secret != "" {
				w.learn(t.Secret, a.ID, t.UserID, t.ID)
			}
		}
	}
	return w
}

// learn records that secret authenticates as user of account, for token.
func (w *world) learn(secret, account, user, token string) {
	var role fixtures.Role
	if a, ok := w.set.Account(account); ok {
		if u, ok := a.User(user); ok {
			role = u.Role
		}
	}
	w.mu.Lock()
	w.creds[secret] = credential{caller: caller{account: account, user: user, role: role}, token: token}
	w.mu.Unlock()
}

// isMember reports whether the group of account in set has user as a
// member; known is false when the account or group is not in set.
func isMember(set *fixtures.Set, account, group, user string) (member, known bool) {
	if a, ok := set.Account(account); ok {
		if g, ok := a.Group(group); ok {
			return slices.Contains(g.Members, user), true
		}
	}
	return false, false
}

// observe learns from one exchange: a 201 adds a credential, a 204 to a
// DELETE revokes one.
func (w *world) observe(r *http.Request, a *answer) {
	rt, ok := parseRoute(r.URL.Path)
	switch {
	case !ok:
	case r.Method == http.MethodPost && a.status == http.StatusCreated:
		m, _ := a.object()
		id, _ := m["id"].(string)
		secret, _ := m["token"].(string)
		user, _ := m["userID"].(string)
		if id != "" && secret != "" && user != "" {
			w.learn(secret, rt.account, user, id)
		}
	case r.Method == http.MethodDelete && a.status == http.StatusNoContent && rt.item:
		w.mu.Lock()
		for s, c := range w.creds {
			if c.token == rt.token {
				c.revoked = true
				w.creds[s] = c
			}
		}
		w.mu.Unlock()
	}
}

// lookup returns what the world knows of a credential.
func (w *world) lookup(secret string) (credential, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.creds[secret]
	return c, ok
}

// callerOf returns who r's credential authenticates as and the route r
// addresses, when the credential is valid and the path is one of the API's.
func (w *world) callerOf(r *http.Request) (caller, route, bool) {
	secret, _ := bearer(r)
	c, known := w.lookup(secret)
	rt, ok := parseRoute(r.URL.Path)
	return c.caller, rt, known && !c.revoked && ok
}

// secret returns the credential of a token, if known and not revoked.
func (w *world) secret(tokenID string) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for s, c := range w.creds {
		if c.token == tokenID && !c.revoked {
			return s, true
		}
	}
	return "", false
}

// switchCredential makes r authenticate with a valid credential of a user
// of account accepted by pick, if there is one (the first in preferred's
// order, for reproducibility).
func (w *world) switchCredential(r *http.Request, account string, pick func(caller) bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var best string
	for s, c := range w.creds {
		if !c.revoked && c.account == account && pick(c.caller) && (best == "" || preferred(s, best)) {
			best = s
		}
	}
	if best != "" {
		r.Header.Set("Authorization", "Bearer "+best)
	}
}

// preferred orders credentials: the fixtures' (mock-…) first, then by
// value.
func preferred(a, b string) bool {
	if fa, fb := strings.HasPrefix(a, "mock-"), strings.HasPrefix(b, "mock-"); fa != fb {
		return fa
	}
	return a < b
}

// watch wraps next, the mock, so that the world sees every exchange.
func (w *world) watch(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		a := serve(next, r)
		w.observe(r, a)
		a.send(rw)
	})
}
