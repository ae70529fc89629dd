// Package mocktest starts the Astra Token API mock inside a Go test with one
// call: in-process, on a free port of 127.0.0.1, with the default fixtures
// (schemas/CONTRACT.md §8) or the ones given, and stopped by t.Cleanup. It
// hands back the base URL, a client, and the user ids and working
// credentials of the fixture identities by persona, and helpers for asserting
// on the request journal, injecting faults and resetting.
//
//	func TestClientCreatesOneToken(t *testing.T) {
//		m := mocktest.Start(t)
//		client := myclient.New(m.URL, m.Credential(t, mocktest.Member))
//		if _, err := client.CreateToken(t.Context(), "ci"); err != nil {
//			t.Fatal(err)
//		}
//		m.ExpectRequests(t, "POST", "/tokens$", 1)
//	}
//
// Path patterns are Go regular expressions matched anywhere in the request
// path, the same rule as the fault rules' path and the admin API's
// GET /__admin/requests?path=: "/tokens$" matches every collection,
// "^/accounts/A/core/v1/users/U/tokens$" one exactly (see Exactly).
//
// The mock is the one astra-mock serves, admin API included (under
// /__admin/ on the same URL; Mock.Stack reaches its parts directly).
package mocktest

import (
	"cmp"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/journal"
)

// Persona names a fixture identity by the part it plays in tests, as the
// conformance suite names its identities: fixtures.Persona, not the
// fixtures.Role a user has in its account.
type Persona = fixtures.Persona

// The personas Start looks for in the fixtures.
const (
	Admin        = fixtures.PersonaAdmin
	Member       = fixtures.PersonaMember
	Viewer       = fixtures.PersonaViewer
	SecondMember = fixtures.PersonaSecondMember
	ForeignAdmin = fixtures.PersonaForeignAdmin
)

// Mock is a running mock and the fixture identities it knows.
type Mock struct {
	// URL is the base URL, scheme, host and port without a trailing
	// slash: "http://127.0.0.1:38211".
	URL string
	// AccountID is the account of every identity but the foreign admin.
	AccountID string
	// GroupID is a group of AccountID that has the member (and, in the
	// default fixtures, the viewer) but not the second member; "" if no
	// group has the member.
	GroupID string
	// Stack is the whole mock: its server, journal, fault injector and
	// admin API.
	Stack *admin.Stack

	srv        *httptest.Server
	identities fixtures.Identities
}

type config struct {
	fixtures *fixtures.Set
	seed     *uint64
	clock    func() time.Time
	logger   *slog.Logger
}

// Option configures Start.
type Option func(*config)

// WithFixtures starts the mock with set instead of the default fixtures.
// The identities are read from set: see Start.
func WithFixtures(set *fixtures.Set) Option {
	return func(c *config) { c.fixtures = set }
}

// WithSeed makes ids, secrets, correlation ids and fault probabilities
// reproducible: with WithClock too, two mocks started alike answer the same
// requests with the same bytes. Its secrets are predictable, which is why
// it is for tests only.
func WithSeed(seed uint64) Option {
	return func(c *config) { c.seed = &seed }
}

// WithClock fixes the mock's clock at t: every timestamp it writes is t
// (in UTC). The journal keeps timing requests with the real clock.
func WithClock(t time.Time) Option {
	return func(c *config) { c.clock = mockserver.FixedClock(t) }
}

// WithLogger sends the mock's request log (one record per request) to l;
// without it the log is discarded. To see it with the test's output:
//
//	mocktest.WithLogger(slog.New(slog.NewTextHandler(t.Output(), nil)))
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// Start starts a mock for the test t and stops it when t and its subtests
// are done (t.Cleanup). It fails the test with t.Fatal if the mock cannot
// start.
//
// The identities come from the fixtures by fixtures.Set.Identities, the
// rule the conformance suite uses too: with the default fixtures, the
// users and credentials of schemas/CONTRACT.md §8; with others, such of
// the personas as they have users for (see Personas).
func Start(t testing.TB, opts ...Option) *Mock {
	t.Helper()
	var c config
	for _, o := range opts {
		o(&c)
	}
	set := c.fixtures
	if set == nil {
		var err error
		if set, err = fixtures.Default(); err != nil {
			t.Fatalf("mocktest: reading the default fixtures: %v", err)
		}
	}
	cfg := admin.Config{Mock: mockserver.Options{Fixtures: set, Clock: c.clock, Logger: c.logger}}
	if c.seed != nil {
		seeded := mockserver.SeededRandom(*c.seed)
		cfg.Mock.Random = seeded
		cfg.Faults.Random = seeded.Float64
	}
	stack, err := admin.NewStack(cfg)
	if err != nil {
		t.Fatalf("mocktest: starting the mock: %v", err)
	}
	// Listen on 127.0.0.1 only, whatever httptest's -httptest.serve flag
	// or the host's IPv6 set-up says.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mocktest: listening on 127.0.0.1: %v", err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: stack.Handler()}}
	srv.Start()
	t.Cleanup(srv.Close)

	ids := set.Identities()
	return &Mock{URL: srv.URL, AccountID: ids.AccountID, GroupID: ids.GroupID, Stack: stack, srv: srv, identities: ids}
}

// Client returns an HTTP client for the mock: its connections are closed
// when the test ends, with the mock.
func (m *Mock) Client() *http.Client { return m.srv.Client() }

// Personas returns the personas the fixtures have a user for, in the
// order Admin, Member, Viewer, SecondMember, ForeignAdmin.
func (m *Mock) Personas() []Persona {
	var out []Persona
	for _, p := range fixtures.Personas() {
		if _, ok := m.identities.Lookup(p); ok {
			out = append(out, p)
		}
	}
	return out
}

// User returns the id of p's user. It fails the test with t.Fatal if the
// fixtures have no user for p.
func (m *Mock) User(t testing.TB, p Persona) string {
	t.Helper()
	return m.identity(t, p).UserID
}

// identity returns p's identity. It fails the test with t.Fatal if the
// fixtures have no user for p.
func (m *Mock) identity(t testing.TB, p Persona) fixtures.Identity {
	t.Helper()
	id, ok := m.identities.Lookup(p)
	if !ok {
		t.Fatalf("mocktest: the fixtures have no %s (personas: %s)", p, m.personaList())
	}
	return id
}

// Credential returns a credential that authenticates as p's user, to send
// as "Authorization: Bearer <credential>". It fails the test with t.Fatal
// if the fixtures have no user for p, or no token of that user with a
// plain secret.
func (m *Mock) Credential(t testing.TB, p Persona) string {
	t.Helper()
	m.identity(t, p)
	id, err := m.identities.Get(p)
	if err != nil {
		t.Fatalf("mocktest: %v", err)
	}
	return id.Credential
}

// TokensPath returns the path of p's user's tokens,
// /accounts/{account}/core/v1/users/{user}/tokens, in the user's own
// account. It fails the test with t.Fatal if the fixtures have no user for
// p.
func (m *Mock) TokensPath(t testing.TB, p Persona) string {
	t.Helper()
	id := m.identity(t, p)
	return "/accounts/" + id.AccountID + "/core/v1/users/" + id.UserID + "/tokens"
}

// TokensURL returns the URL of p's user's tokens: URL + TokensPath(t, p).
func (m *Mock) TokensURL(t testing.TB, p Persona) string {
	t.Helper()
	return m.URL + m.TokensPath(t, p)
}

// Exactly returns the path pattern that matches path and nothing else,
// for Requests and ExpectRequests (or a fault rule): path with its
// regular-expression characters quoted, anchored at both ends.
func Exactly(path string) string { return "^" + regexp.QuoteMeta(path) + "$" }

// Requests returns the journal's entries for method (any if "") whose path
// matches pathPattern, oldest first. pathPattern is a Go regular
// expression matched anywhere in the path, as fault rules and the admin
// API's path= are ("/tokens$": requests to a tokens collection); anchor it
// with ^ and $, or use Exactly, to match a whole path. A leading m.URL is
// ignored, so a URL works as well as a path. It panics if pathPattern does
// not compile.
func (m *Mock) Requests(method, pathPattern string) []journal.Entry {
	entries, err := m.requests(method, pathPattern)
	if err != nil {
		panic(err)
	}
	return entries
}

// requests is Requests, with an error for a pattern that does not compile.
func (m *Mock) requests(method, pathPattern string) ([]journal.Entry, error) {
	p := pathPattern
	if rest, ok := strings.CutPrefix(p, "^"+regexp.QuoteMeta(m.URL)); ok {
		p = "^" + rest // Exactly of a URL
	}
	re, err := regexp.Compile(strings.TrimPrefix(p, m.URL))
	if err != nil {
		return nil, fmt.Errorf("mocktest: path pattern %q: %w", pathPattern, err)
	}
	entries := m.Stack.Journal.List(journal.Filter{Method: method, Path: re})
	slices.Reverse(entries)
	return entries, nil
}

// ExpectRequests checks that the journal holds exactly n requests for
// method (any if "") whose path matches pathPattern (as in Requests). If
// not, it reports an error with t.Errorf listing every request the journal
// holds; a pattern that does not compile is reported with t.Fatalf.
func (m *Mock) ExpectRequests(t testing.TB, method, pathPattern string, n int) {
	t.Helper()
	got, err := m.requests(method, pathPattern)
	if err != nil {
		t.Fatal(err)
		return
	}
	if len(got) == n {
		return
	}
	what := method
	if what == "" {
		what = "any method"
	}
	t.Errorf("mocktest: want %d %s request(s) to %s, got %d; the journal holds:\n%s",
		n, what, pathPattern, len(got), m.listing())
}

// listing renders the journal oldest first, one request a line.
func (m *Mock) listing() string {
	entries := m.Stack.Journal.List(journal.Filter{})
	if len(entries) == 0 {
		return "\t(no requests)"
	}
	var b strings.Builder
	for i, e := range slices.Backward(entries) {
		if i < len(entries)-1 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "\t#%d %s %s", e.ID, e.Method, e.Path)
		if e.Query != "" {
			b.WriteString("?" + e.Query)
		}
		if e.Status == 0 {
			b.WriteString(" → no answer")
		} else {
			fmt.Fprintf(&b, " → %d", e.Status)
		}
		if e.Fault != "" {
			fmt.Fprintf(&b, " (fault %s)", e.Fault)
		}
	}
	return b.String()
}

// Fail adds the fault rule r, so that the requests it matches fail as it
// says, and returns it as stored (with its ID). Its Path is a Go regular
// expression matched anywhere in the request path, as in Requests. It
// fails the test with t.Fatal if r is invalid.
//
//	m.Fail(t, fault.Rule{Method: "POST", Path: "/tokens$", Status: 503, Times: 1})
func (m *Mock) Fail(t testing.TB, r fault.Rule) fault.Rule {
	t.Helper()
	stored, err := m.Stack.Faults.Add(r)
	if err != nil {
		t.Fatalf("mocktest: fault rule: %v", err)
	}
	return stored
}

// Reset puts the mock back as it started, as POST /__admin/reset does:
// the parts named (admin.State, admin.Journal, admin.Faults), all of them
// when none is: the state back to the fixtures, the journal emptied and
// every fault rule removed. It fails the test with t.Fatal if the state
// cannot be restored.
func (m *Mock) Reset(t testing.TB, parts ...admin.Part) {
	t.Helper()
	if err := m.Stack.Reset(parts...); err != nil {
		t.Fatalf("mocktest: %v", err)
	}
}

func (m *Mock) personaList() string {
	var names []string
	for _, p := range m.Personas() {
		names = append(names, string(p))
	}
	return cmp.Or(strings.Join(names, ", "), "none")
}
