// Package admin assembles the mock for a client's CI: the Token API mock
// (package mockserver) with a request journal (package journal) and fault
// injection (package fault) around its router, and the admin API under
// /__admin/ that controls them, in the manner of WireMock's admin API.
//
// The admin API is described by its own OpenAPI document,
// schemas/admin-openapi.yaml (see OpenAPI); its errors use the Token API's
// problem format (schemas/CONTRACT.md §6).
//
//	POST   /__admin/reset[?what=]   state, journal and faults back       204, 400, 503
//	GET    /__admin/state           the state as a fixtures document     200
//	PUT    /__admin/state           replace the state                    204, 400, 413, 503
//	GET    /__admin/requests        the journal, newest first            200, 400
//	DELETE /__admin/requests        clear the journal                    204
//	GET    /__admin/faults          the fault rules                      200
//	POST   /__admin/faults          add a fault rule                     201, 400, 413
//	DELETE /__admin/faults          remove every fault rule              204
//	GET    /__admin/faults/{id}     one fault rule                       200, 404
//	DELETE /__admin/faults/{id}     remove one fault rule                204, 404
//	POST   /__admin/snapshot        save the state with Config.Snapshot  204, 409, 500, 503
//	GET    /__admin/health          {"status":"ok","version":...}        200
//	GET    /__admin/openapi.yaml    the admin API's OpenAPI document     200
//
// Every admin answer carries X-Request-ID (the client's, when it is a valid
// identifier); with Config.Token set, a request without the token gets 401.
// Without a token the admin API refuses what a web page could make a
// browser send: a Host that is not this machine's, an Origin that is not
// the mock's own (403), a POST or PUT without Content-Type:
// application/json (415). An unknown admin path is answered 404 type 1, a
// method a path does not support 405 type 69 with Allow. After Stack.Close
// state changes are answered 503.
package admin

import (
	"crypto/rand"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver"
	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/correlation"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/reply"
	"github.com/astra-contract/astra-token-kit/mockserver/journal"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// Prefix is the path prefix of the admin API.
const Prefix = "/__admin/"

// APIDocumentPath is where Stack.API serves the Token API's OpenAPI
// document (schemas.BundledOpenAPI).
const APIDocumentPath = "/openapi.yaml"

// errNoSnapshot is the error of Stack.save without Config.Snapshot.
var errNoSnapshot = errors.New("admin: " + SnapshotUnavailable)

// Config builds the mock with its CI features.
type Config struct {
	// Mock configures the Token API mock. NewStack sets its Wrap to the
	// journal's middleware around the fault injector's; a Wrap given here
	// is kept, innermost, next to the router.
	Mock mockserver.Options
	// JournalSize is how many requests the journal keeps; <= 0 means
	// journal.DefaultCapacity (1000).
	JournalSize int
	// Faults configures the fault injector (randomness, sleeping, global
	// latency).
	Faults fault.Options
	// Token is the admin API's bearer token; empty leaves the admin API
	// open.
	Token string
	// LoopbackOnly refuses admin requests from other hosts (403): what
	// astra-mock does when it has no Token, so that by default only this
	// machine may reset or rewrite the mock.
	LoopbackOnly bool
	// Snapshot saves the state for POST /__admin/snapshot (astra-mock
	// -state); nil answers that request 409.
	Snapshot func(*fixtures.Set) error
	// Version is what GET /__admin/health reports; empty means "devel".
	Version string
	// MaxStateBytes is the largest body PUT /__admin/state takes; <= 0
	// means DefaultMaxStateBytes (1 GiB).
	MaxStateBytes int64
}

// Stack is the mock, its journal and fault injector, and the admin API.
type Stack struct {
	// Server is the Token API mock; its router runs inside Journal's and
	// then Faults' middleware.
	Server *mockserver.Server
	// Journal records every request Server answers (not admin requests,
	// not GET /openapi.yaml).
	Journal *journal.Journal
	// Faults holds the fault rules applied to Server's requests.
	Faults *fault.Injector
	// Admin serves the admin API: requests whose path starts with
	// /__admin/ (any other path is answered 404 type 1), so it can be
	// mounted at /__admin/ or served on a listener of its own.
	Admin http.Handler
	// API serves the Token API (Server) and, at GET /openapi.yaml, the
	// Token API's OpenAPI document (neither journaled nor faulted).
	API http.Handler

	// snapshot is Config.Snapshot; saving holds saveMu, so that a
	// snapshot request never overwrites the last save of Close with an
	// older state.
	snapshot func(*fixtures.Set) error
	saveMu   sync.Mutex
	closed   bool // guarded by saveMu
}

// Close ends the stack's writes for a shutdown. It closes Server (waiting
// for the writes committing now; every later API write is answered 503,
// every later state change of the admin API too), then saves the state one
// last time with Config.Snapshot, if set: the save holds every write that
// was acknowledged. Later snapshot requests are answered 503. It returns
// the error of that save; calling it again does nothing.
func (s *Stack) Close() error {
	s.Server.Close()
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.snapshot == nil {
		return nil
	}
	return s.snapshot(s.Server.State())
}

// save is POST /__admin/snapshot: errNoSnapshot without Config.Snapshot,
// mockserver.ErrClosed after Close.
func (s *Stack) save() error {
	if s.snapshot == nil {
		return errNoSnapshot
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if s.closed {
		return mockserver.ErrClosed
	}
	return s.snapshot(s.Server.State())
}

// NewStack builds the mock, its journal and fault injector, and the admin
// API from cfg.
func NewStack(cfg Config) (*Stack, error) {
	j := journal.New(cfg.JournalSize, nil)
	in := fault.New(cfg.Faults)
	opts := cfg.Mock
	inner := opts.Wrap
	opts.Wrap = func(router http.Handler) http.Handler {
		if inner != nil {
			router = inner(router)
		}
		return j.Middleware(in.Middleware(router))
	}
	srv, err := mockserver.New(opts)
	if err != nil {
		return nil, err
	}
	// Admin requests and GET /openapi.yaml draw their correlation ids from
	// crypto/rand, never from the mock's Options.Random: with a seeded
	// source (astra-mock -seed) the ids and secrets the mock issues must not
	// depend on how often a CI job polled /__admin/health first.
	ids, err := correlation.New(rand.Reader)
	if err != nil {
		return nil, err
	}
	s := &Stack{Server: srv, Journal: j, Faults: in, snapshot: cfg.Snapshot}
	s.Admin = newAdmin(s, cfg, ids)
	// Stack.API: the Token API document at /openapi.yaml, everything else
	// to the mock.
	doc := ids.Middleware(reply.ByMethod{http.MethodGet: document(schemas.BundledOpenAPI)})
	s.API = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == APIDocumentPath {
			doc.ServeHTTP(w, r)
			return
		}
		srv.ServeHTTP(w, r)
	})
	return s, nil
}

// Handler serves everything on one listener: paths under /__admin/ (and
// /__admin itself) with Admin, every other path with API.
func (s *Stack) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAdminPath(r.URL.Path) {
			s.Admin.ServeHTTP(w, r)
			return
		}
		s.API.ServeHTTP(w, r)
	})
}

func isAdminPath(p string) bool {
	return p == strings.TrimSuffix(Prefix, "/") || strings.HasPrefix(p, Prefix)
}
