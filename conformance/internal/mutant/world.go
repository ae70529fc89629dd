package mutant

import (
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/astra-contract/astra-token-kit/fixtures"
)

// caller is who a credential authenticates as.
type caller struct {
	account, user string
	role          fixtures.Role
}

// world is what a mutant learns of the mock's state by watching its
// traffic: which credential belongs to whom (the fixtures' secrets and
// those returned by 201s) and which were revoked by a DELETE. Mutants that
// act on the caller's identity use it; the real mock is never asked.
type world struct {
	set *fixtures.Set

	mu       sync.Mutex
	valid    map[string]caller // credential → identity
	secretOf map[string]string // token id → credential
	revoked  map[string]caller // credentials of deleted tokens
}

func newWorld(set *fixtures.Set) *world {
	w := &world{set: set, valid: map[string]caller{}, secretOf: map[string]string{}, revoked: map[string]caller{}}
	for _, a := range set.Accounts {
		for _, t := range a.Tokens {
			if t.Secret == "" {
				continue
			}
			w.valid[t.Secret] = caller{account: a.ID, user: t.UserID, role: w.role(a.ID, t.UserID)}
			w.secretOf[t.ID] = t.Secret
		}
	}
	return w
}

func (w *world) role(account, user string) fixtures.Role {
	if a, ok := w.set.Account(account); ok {
		if u, ok := a.User(user); ok {
			return u.Role
		}
	}
	return ""
}

// isMember reports whether the fixtures' group of account has user as a
// member; known is false when the account or group is not in the fixtures.
func (w *world) isMember(account, group, user string) (member, known bool) {
	a, ok := w.set.Account(account)
	if !ok {
		return false, false
	}
	g, ok := a.Group(group)
	if !ok {
		return false, false
	}
	for _, m := range g.Members {
		if m == user {
			return true, true
		}
	}
	return false, true
}

// observe learns from one exchange: a 201 adds a credential, a 204 to a
// DELETE revokes one.
func (w *world) observe(r *http.Request, a *answer) {
	rt, ok := parseRoute(r.URL.Path)
	if !ok {
		return
	}
	switch {
	case r.Method == http.MethodPost && a.status == http.StatusCreated:
		m, ok := a.object()
		if !ok {
			return
		}
		id, _ := m["id"].(string)
		secret, _ := m["token"].(string)
		user, _ := m["userID"].(string)
		if id == "" || secret == "" || user == "" {
			return
		}
		w.mu.Lock()
		w.valid[secret] = caller{account: rt.account, user: user, role: w.role(rt.account, user)}
		w.secretOf[id] = secret
		w.mu.Unlock()
	case r.Method == http.MethodDelete && a.status == http.StatusNoContent && rt.item:
		w.mu.Lock()
		if s, ok := w.secretOf[rt.token]; ok {
			if c, ok := w.valid[s]; ok {
				w.revoked[s] = c
				delete(w.valid, s)
			}
			delete(w.secretOf, rt.token)
		}
		w.mu.Unlock()
	}
}

// who returns the identity of r's credential, if it is a valid one.
func (w *world) who(r *http.Request) (caller, bool) {
	cred, ok := bearer(r)
	if !ok {
		return caller{}, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.valid[cred]
	return c, ok
}

// callerOf returns who r's credential authenticates as and the route r
// addresses, when the credential is valid and the path is one of the API's.
func (w *world) callerOf(r *http.Request) (caller, route, bool) {
	c, known := w.who(r)
	rt, ok := parseRoute(r.URL.Path)
	return c, rt, known && ok
}

// switchCredential makes r authenticate with a valid credential of a user
// of account accepted by pick, if there is one (see credential).
func (w *world) switchCredential(r *http.Request, account string, pick func(caller) bool) {
	if s, ok := w.credential(account, pick); ok {
		r.Header.Set("Authorization", "Bearer "+s)
	}
}

// revokedOwner returns the identity a revoked credential had.
func (w *world) revokedOwner(cred string) (caller, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.revoked[cred]
	return c, ok
}

// credential returns a valid credential of a user of account accepted by
// pick, preferring fixture credentials (the sorted first, for
// reproducibility).
func (w *world) credential(account string, pick func(caller) bool) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var found []string
	for s, c := range w.valid {
		if c.account == account && pick(c) {
			found = append(found, s)
		}
	}
	if len(found) == 0 {
		return "", false
	}
	sort.Slice(found, func(i, j int) bool {
		fi, fj := strings.HasPrefix(found[i], "mock-"), strings.HasPrefix(found[j], "mock-")
		if fi != fj {
			return fi
		}
		return found[i] < found[j]
	})
	return found[0], true
}

// secret returns the credential of a token, if known and not revoked.
func (w *world) secret(tokenID string) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s, ok := w.secretOf[tokenID]
	return s, ok
}

// watch wraps next, the mock, so that the world sees every exchange.
func (w *world) watch(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		a := serve(next, r)
		w.observe(r, a)
		a.send(rw)
	})
}
