package admin

import (
	"cmp"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/correlation"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/query"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/reply"
	"github.com/astra-contract/astra-token-kit/mockserver/journal"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// MaxBodyBytes is the largest fault rule the admin API reads; larger ones
// are answered 413 type 85.
const MaxBodyBytes = 8 << 20

// DefaultMaxStateBytes is the largest state document PUT /__admin/state
// reads unless Config.MaxStateBytes says otherwise (larger ones are
// answered 413 type 85): 1 GiB, about 2.7 million tokens as GET
// /__admin/state writes them, so that whatever the mock exported it takes
// back.
const DefaultMaxStateBytes = 1 << 30

// StateDocumentName is the file name fixtures.Parse gives the body of
// PUT /__admin/state in its messages.
const StateDocumentName = "request body"

// realm is the WWW-Authenticate challenge of a 401.
const realm = `Bearer realm="astra-mock admin"`

// admin is Stack.Admin.
type admin struct {
	stack    *Stack
	token    *[sha256.Size]byte // nil: open
	loopback bool               // answer loopback clients only
	maxState int64              // the largest PUT /__admin/state body
	version  string
	router   *mux.Router
}

// operations are the admin API's operations, by the path templates of
// admin-openapi.yaml.
func (a *admin) operations() []reply.Op {
	return []reply.Op{
		{Path: "/__admin/reset", Method: http.MethodPost, Handler: http.HandlerFunc(a.reset)},
		{Path: "/__admin/state", Method: http.MethodGet, Handler: http.HandlerFunc(a.getState)},
		{Path: "/__admin/state", Method: http.MethodPut, Handler: http.HandlerFunc(a.putState)},
		{Path: "/__admin/requests", Method: http.MethodGet, Handler: http.HandlerFunc(a.listRequests)},
		{Path: "/__admin/requests", Method: http.MethodDelete, Handler: http.HandlerFunc(a.clearRequests)},
		{Path: "/__admin/faults", Method: http.MethodGet, Handler: http.HandlerFunc(a.listFaults)},
		{Path: "/__admin/faults", Method: http.MethodPost, Handler: http.HandlerFunc(a.addFault)},
		{Path: "/__admin/faults", Method: http.MethodDelete, Handler: http.HandlerFunc(a.clearFaults)},
		{Path: "/__admin/faults/{fault_id}", Method: http.MethodGet, Handler: http.HandlerFunc(a.getFault)},
		{Path: "/__admin/faults/{fault_id}", Method: http.MethodDelete, Handler: http.HandlerFunc(a.removeFault)},
		{Path: "/__admin/snapshot", Method: http.MethodPost, Handler: http.HandlerFunc(a.saveSnapshot)},
		{Path: "/__admin/health", Method: http.MethodGet, Handler: http.HandlerFunc(a.health)},
		{Path: "/__admin/openapi.yaml", Method: http.MethodGet, Handler: document(OpenAPI)},
	}
}

func newAdmin(s *Stack, cfg Config, ids *correlation.IDs) *admin {
	a := &admin{stack: s, version: cmp.Or(cfg.Version, "devel"), loopback: cfg.LoopbackOnly}
	if cfg.Token != "" {
		sum := sha256.Sum256([]byte(cfg.Token))
		a.token = &sum
	}
	a.maxState = cfg.MaxStateBytes
	if a.maxState <= 0 {
		a.maxState = DefaultMaxStateBytes
	}
	a.router = a.routes(ids)
	return a
}

// routes builds the admin router. Every request goes through the
// correlation id and the guards first, whatever it asks for; then the
// operations (reply.Handle), each behind the last browser guard
// (formGuard, without a token), a method a path does not support
// answered 405 type 69 with Allow; then, for any other path, 404 type 1.
//
// Unlike the API, the admin API routes the decoded path (a fault id holding
// an encoded slash is no fault id: 404), and it does not redirect a path
// that is not clean ("/__admin//state" is unknown: 404).
func (a *admin) routes(ids *correlation.IDs) *mux.Router {
	r := mux.NewRouter().SkipClean(true)
	r.Use(ids.Middleware, a.guard)
	ops := a.operations()
	if a.token == nil {
		for i := range ops {
			ops[i].Handler = formGuard(ops[i].Handler)
		}
	}
	reply.Handle(r, ops)
	// A route, not NotFoundHandler, so that the middleware runs first.
	r.NewRoute().HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		problem.New(schemas.ProblemResourceNotFound).WriteFor(w, r)
	})
	return r
}

func (a *admin) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.router.ServeHTTP(w, r) }

// guard answers, before any routing, a client that is not on this machine
// (Config.LoopbackOnly) 403, a request without the admin token (when there
// is one) 401, and without a token what refuseBrowsers refuses.
func (a *admin) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.loopback && !fromLoopback(r) {
			p := problem.Blank(http.StatusForbidden)
			p.Detail = "The admin API answers loopback clients only; start the mock with -admin-token to open it to others."
			p.WriteFor(w, r)
			return
		}
		if p := a.authenticate(r); p != nil {
			w.Header().Set("WWW-Authenticate", realm)
			p.WriteFor(w, r)
			return
		}
		if a.token == nil {
			if p := refuseBrowsers(r); p != nil {
				p.WriteFor(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// formGuard is the last guard of refuseBrowsers, for a request that
// reached an operation: a POST or PUT needs Content-Type: application/json.
func formGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if (r.Method == http.MethodPost || r.Method == http.MethodPut) && (err != nil || media != "application/json") {
			p := problem.Blank(http.StatusUnsupportedMediaType)
			p.Detail = "A POST or PUT to the admin API needs Content-Type: application/json, which a web page cannot send cross-site (start the mock with -admin-token to lift this)."
			p.WriteFor(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate checks the admin token, if there is one: no Authorization
// header is type 3, anything but "Bearer <token>" type 4. The credential
// is compared in constant time (as SHA-256 sums, so its length does not
// show either).
func (a *admin) authenticate(r *http.Request) *problem.Problem {
	if a.token == nil {
		return nil
	}
	header, present := r.Header["Authorization"]
	if !present {
		return problem.New(schemas.ProblemMissingBearerToken)
	}
	scheme, credential, ok := strings.Cut(header[0], " ")
	if !ok || len(header) != 1 || !strings.EqualFold(scheme, "Bearer") || credential == "" {
		return problem.New(schemas.ProblemInvalidBearerToken)
	}
	sum := sha256.Sum256([]byte(credential))
	if subtle.ConstantTimeCompare(sum[:], a.token[:]) != 1 {
		return problem.New(schemas.ProblemInvalidBearerToken)
	}
	return nil
}

// badRequest is a 400 of the admin API: about:blank, with detail saying
// what is wrong.
func badRequest(detail string) *problem.Problem {
	p := problem.Blank(http.StatusBadRequest)
	p.Detail = detail
	return p
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		p := problem.Blank(http.StatusInternalServerError)
		p.Detail = "encoding the answer: " + err.Error()
		p.Write(w)
		return
	}
	reply.Body(w, status, "application/json", append(body, '\n'))
}

// readBody reads at most limit bytes of r's body; a larger body gives a
// 413 type 85 problem.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *problem.Problem) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, problem.New(schemas.ProblemRequestBodyTooLarge)
		}
		return nil, badRequest("reading the request body: " + err.Error())
	}
	return body, nil
}

// reset puts back what the what parameter names (state, journal, faults;
// all of them without it), answering 400 for any other parameter or part.
func (a *admin) reset(w http.ResponseWriter, r *http.Request) {
	var parts []Part
	for name, values := range r.URL.Query() {
		var err error
		switch {
		case name != "what":
			err = errors.New("unknown parameter; use what")
		case len(values) != 1:
			err = errors.New("give it once")
		default:
			parts, err = ParseParts(values[0])
		}
		if err != nil {
			p := badRequest("invalid query parameter " + name + ": " + err.Error())
			p.InvalidParams = []problem.Item{{Name: name, Reason: err.Error()}}
			p.WriteFor(w, r)
			return
		}
	}
	if err := a.stack.Reset(parts...); err != nil {
		p := problem.Blank(http.StatusInternalServerError)
		if errors.Is(err, mockserver.ErrClosed) {
			p = problem.ShuttingDown()
		}
		p.Detail = err.Error() // Stack.Reset's error names the part
		p.WriteFor(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *admin) getState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.stack.Server.State())
}

func (a *admin) putState(w http.ResponseWriter, r *http.Request) {
	body, p := readBody(w, r, a.maxState)
	if p != nil {
		p.WriteFor(w, r)
		return
	}
	set, err := fixtures.Parse(StateDocumentName, body)
	if err == nil {
		err = a.stack.Server.SetState(set)
	}
	if errors.Is(err, mockserver.ErrClosed) {
		problem.ShuttingDown().WriteFor(w, r)
		return
	}
	if err != nil {
		// Several problems come joined by newlines; the detail is one line.
		p := badRequest(strings.ReplaceAll(err.Error(), "\n", "; "))
		p.InvalidFields = fixtureFields(err)
		p.WriteFor(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// fixtureFields lists the fields fixtures.Parse found wrong, once each.
func fixtureFields(err error) []problem.Item {
	var items []problem.Item
	var walk func(error)
	walk = func(err error) {
		if fe, ok := err.(*fixtures.Error); ok {
			if fe.Field != "" {
				items = appendItem(items, problem.Item{Name: fe.Field, Reason: fe.Msg})
			}
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return items
}

// appendItem appends it unless items holds it already (problem.json wants
// unique items).
func appendItem(items []problem.Item, it problem.Item) []problem.Item {
	if slices.Contains(items, it) {
		return items
	}
	return append(items, it)
}

// journalList is the body of GET /__admin/requests.
type journalList struct {
	Requests []journal.Entry `json:"requests"`
	// Total is how many entries match, Requests holding the newest of
	// them up to the limit; Truncated says that it holds fewer than Total.
	Total     int  `json:"total"`
	Truncated bool `json:"truncated"`
}

func (a *admin) listRequests(w http.ResponseWriter, r *http.Request) {
	pairs, malformed := query.ParseRaw(r.URL.RawQuery)
	var bad []*journal.ParamError
	for _, e := range malformed {
		bad = append(bad, &journal.ParamError{Name: e.Param, Reason: e.Reason})
	}
	var f journal.Filter
	if len(bad) == 0 {
		var err error
		if f, err = journal.ParseFilter(query.Values(pairs)); err != nil {
			bad = paramErrors(err)
		}
	}
	if len(bad) > 0 {
		var params []problem.Item
		var names, errs []string
		for _, e := range bad {
			params = appendItem(params, problem.Item{Name: e.Name, Reason: e.Reason})
			names = append(names, e.Name)
			errs = append(errs, e.Error())
		}
		detail := "invalid query parameter " + strings.Join(errs, "\n")
		if len(params) > 1 {
			detail = "invalid query parameters " + strings.Join(names, ", ") + ": " + strings.ReplaceAll(strings.Join(errs, "\n"), "\n", "; ")
		}
		p := badRequest(detail)
		p.InvalidParams = params
		p.WriteFor(w, r)
		return
	}
	entries, total := a.stack.Journal.Page(f)
	writeJSON(w, http.StatusOK, journalList{Requests: entries, Total: total, Truncated: total > len(entries)})
}

// paramErrors returns the *journal.ParamError values of ParseFilter's
// error, in order.
func paramErrors(err error) []*journal.ParamError {
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	var out []*journal.ParamError
	for _, e := range errs {
		if pe, ok := errors.AsType[*journal.ParamError](e); ok {
			out = append(out, pe)
		}
	}
	return out
}

func (a *admin) clearRequests(w http.ResponseWriter, r *http.Request) {
	a.stack.Journal.Clear()
	w.WriteHeader(http.StatusNoContent)
}

// SnapshotUnavailable is the detail of the 409 answering POST
// /__admin/snapshot on a mock without a snapshot hook.
const SnapshotUnavailable = "the mock was started without -state"

func (a *admin) saveSnapshot(w http.ResponseWriter, r *http.Request) {
	err := a.stack.save()
	switch {
	case errors.Is(err, errNoSnapshot):
		p := problem.Blank(http.StatusConflict)
		p.Detail = SnapshotUnavailable
		p.WriteFor(w, r)
		return
	case errors.Is(err, mockserver.ErrClosed):
		problem.ShuttingDown().WriteFor(w, r)
		return
	case err != nil:
		p := problem.Blank(http.StatusInternalServerError)
		p.Detail = "saving the state: " + err.Error()
		p.WriteFor(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// healthBody is the body of GET /__admin/health.
type healthBody struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}

func (a *admin) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, healthBody{Status: "ok", Version: a.version})
}

// document serves an OpenAPI document.
type document func() ([]byte, error)

func (doc document) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := doc()
	if err != nil { // the embedded documents bundle: tests check it
		problem.Blank(http.StatusInternalServerError).WriteFor(w, r)
		return
	}
	reply.Body(w, http.StatusOK, "application/yaml", body)
}

// refuseBrowsers guards an admin API without a token against what a web
// page the developer opens could make their browser send: a request whose
// Host is not this machine's (DNS rebinding: attacker.example resolved to
// 127.0.0.1), a request from another site (Origin, Sec-Fetch-Site), and a
// POST or PUT without Content-Type: application/json (a form or a no-cors
// fetch can send text/plain cross-site without asking; application/json
// needs a CORS preflight, which the admin API never grants). DELETE cannot
// be sent cross-site without a preflight either. The last check is
// formGuard's, made once the request has reached an operation, so that an
// unknown path or method is answered as such first. It returns the problem
// that says why, or nil.
func refuseBrowsers(r *http.Request) *problem.Problem {
	if !ownHost(r) {
		p := problem.Blank(http.StatusForbidden)
		p.Detail = fmt.Sprintf("The admin API answers requests for this machine only (Host localhost, a loopback address or the address it listens on), not Host %q; start the mock with -admin-token to open it to others.", r.Host)
		return p
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		p := problem.Blank(http.StatusForbidden)
		p.Detail = fmt.Sprintf("The admin API refuses requests a browser sends from another site (Sec-Fetch-Site: %s).", site)
		return p
	}
	if origin, ok := r.Header["Origin"]; ok {
		u, err := url.Parse(origin[0])
		if err != nil || len(origin) != 1 || u.Host != r.Host || u.Scheme != "http" && u.Scheme != "https" {
			p := problem.Blank(http.StatusForbidden)
			p.Detail = fmt.Sprintf("The admin API refuses requests from another origin (Origin %q is not http://%s).", origin[0], r.Host)
			return p
		}
	}
	return nil
}

// ownHost reports whether r's Host names this machine: localhost, a
// loopback address, or the address the connection came in on.
func ownHost(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	l, err := netip.ParseAddrPort(local.String())
	return err == nil && l.Addr().Unmap() == ip.Unmap()
}

// fromLoopback reports whether r came from this machine.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}
