// Package mockserver is a stateful in-memory mock of NetApp Astra's Token
// API as an http.Handler: the ten endpoints of CONTRACT.md §1 under one store, with
// the documented authentication, errors, list queries and HTTP details.
// Requests are checked against the embedded OpenAPI document with
// libopenapi-validator; its findings become the documented problem types.
package mockserver

import (
	"cmp"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/correlation"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/query"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/reply"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/store"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// MaxBodyBytes is the largest request body the mock reads; larger ones are
// answered with problem type 85.
const MaxBodyBytes = 64 << 10

// Options configure a Server. The zero value serves the default fixtures
// with the real clock and crypto/rand.
type Options struct {
	// Fixtures is the initial state; nil means fixtures.Default().
	Fixtures *fixtures.Set
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Random is the source of ids, secrets, correlation ids and the
	// continue-token key; nil means crypto/rand.Reader. It must be safe for
	// concurrent use.
	Random io.Reader
	// Logger receives one record per request; nil discards them.
	Logger *slog.Logger
	// Wrap, if not nil, wraps the API's router: middleware such as a
	// request journal or fault injection runs inside the mock's own
	// ServeHTTP, after the correlation id is set, so its answers carry it.
	Wrap func(http.Handler) http.Handler
}

// Server is the mock. It is safe for concurrent use.
type Server struct {
	// initial is the state loaded at start, for Reset.
	initial  *fixtures.Set
	store    atomic.Pointer[store.Store]
	contract *contract
	cursors  *query.Codec
	clock    func() time.Time
	random   io.Reader
	log      *slog.Logger
	router   http.Handler
	// ids tags each request with its correlation id, drawn from random.
	ids *correlation.IDs

	// gate lets Close wait for the writes committing now: each write holds
	// it for reading around its commit, Close for writing.
	gate   sync.RWMutex
	closed bool // guarded by gate
}

// ErrClosed is the error of a write (SetState, Reset) to a Server after
// Close. API writes after Close are answered 503.
var ErrClosed = errors.New("mockserver: the mock is shutting down and takes no more writes")

// Close stops the server taking writes, for a shutdown that saves the
// state: it waits for the writes committing now, then refuses every later
// one (an API write is answered 503, SetState and Reset return ErrClosed),
// so that a state exported after Close holds every write that was
// acknowledged, and no write is acknowledged that it misses. Reads go on.
func (s *Server) Close() {
	s.gate.Lock()
	s.closed = true
	s.gate.Unlock()
}

// write runs f, one write, unless the server is closed (ErrClosed): Close
// waits for the writes running now.
func (s *Server) write(f func() error) error {
	s.gate.RLock()
	defer s.gate.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return f()
}

// sharedContract is the request checker of every Server, built once:
// building it parses the document and compiles its schemas (most of a
// Server's start-up), and it is safe for concurrent use (its caches hold
// only what the document decides), as one Server's requests already use it.
var sharedContract = sync.OnceValues(newContract)

// New builds a Server from opts.
func New(opts Options) (*Server, error) {
	set := opts.Fixtures
	if set == nil {
		var err error
		if set, err = fixtures.Default(); err != nil {
			return nil, err
		}
	}
	st, err := newStore(set)
	if err != nil {
		return nil, err
	}
	c, err := sharedContract()
	if err != nil {
		return nil, err
	}
	s := &Server{initial: set, contract: c, clock: opts.Clock,
		random: cmp.Or(opts.Random, rand.Reader), log: cmp.Or(opts.Logger, slog.New(slog.DiscardHandler))}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.ids, err = correlation.New(s.random); err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := io.ReadFull(s.random, key); err != nil {
		return nil, fmt.Errorf("mockserver: reading cursor key: %w", err)
	}
	s.cursors = query.NewCodec(key)
	s.store.Store(st)
	ops, err := schemas.Operations()
	if err != nil {
		return nil, err
	}
	if s.router, err = s.routes(ops, handlers()); err != nil {
		return nil, err
	}
	if opts.Wrap != nil {
		s.router = opts.Wrap(s.router)
	}
	return s, nil
}

// handlers returns the mock's endpoints by the operationId openapi.yaml
// gives them: a new operation in the document needs its handler here.
func handlers() map[string]handler {
	return map[string]handler{
		"createUserToken": (*Server).create, "createGroupUserToken": (*Server).create,
		"listUserTokens": (*Server).list, "listGroupUserTokens": (*Server).list,
		"getUserToken": (*Server).get, "getGroupUserToken": (*Server).get,
		"updateUserToken": (*Server).update, "updateGroupUserToken": (*Server).update,
		"deleteUserToken": (*Server).remove, "deleteGroupUserToken": (*Server).remove,
	}
}

// routes routes each operation to its handler in byID (reply.Handle: any
// other method on an operation's path to 405 type 69 with Allow); any
// other path to 404 type 1. An operation without a handler, or a handler
// without an operation, is an error.
func (s *Server) routes(ops []schemas.Operation, byID map[string]handler) (http.Handler, error) {
	// Match on the path as sent: an encoded slash (tokens%2F…) is part of a
	// segment, not a separator, as the validator and the suite see it.
	r := mux.NewRouter().UseEncodedPath()
	var routes []reply.Op
	served := map[string]bool{}
	for _, op := range ops {
		h, ok := byID[op.ID]
		if !ok {
			return nil, fmt.Errorf("mockserver: no handler for %s (%s %s)", op.ID, op.Method, op.Template)
		}
		served[op.ID] = true
		routes = append(routes, reply.Op{Path: op.Template, Method: op.Method,
			Handler: s.operation(op.Template, s.contract.pathItem(op.Template), h)})
	}
	for id := range byID {
		if !served[id] {
			return nil, fmt.Errorf("mockserver: a handler for %s, which %s does not have", id, schemas.OpenAPIFile)
		}
	}
	reply.Handle(r, routes)
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		problem.New(schemas.ProblemResourceNotFound).WriteFor(w, r)
	})
	return r, nil
}

// ServeHTTP answers one request: it gives it a correlation id, routes it
// and logs the outcome.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	r = s.ids.Tag(w, r)
	// The Date header follows the mock's clock, so a fixed clock makes
	// whole answers, headers included, the same from run to run.
	w.Header().Set("Date", s.clock().UTC().Format(http.TimeFormat))
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.router.ServeHTTP(rec, r)
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", rec.status),
		slog.Duration("duration", time.Since(start)),
		slog.String("correlationID", problem.CorrelationID(r.Context())),
	)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Reset puts back the state the server started with.
func (s *Server) Reset() error { return s.SetState(s.initial) }

// State exports the current accounts, users, groups and tokens as a
// fixtures document, credentials only as hashes.
func (s *Server) State() *fixtures.Set { return exportState(s.store.Load()) }

// SetState replaces the whole state with set. A set the store cannot hold
// changes nothing. Requests in flight finish on the state they started
// with. After Close it returns ErrClosed.
func (s *Server) SetState(set *fixtures.Set) error {
	st, err := newStore(set)
	if err != nil {
		return err
	}
	return s.write(func() error {
		s.store.Store(st)
		return nil
	})
}
