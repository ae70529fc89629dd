package admin

import (
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/astra-contract/astra-token-kit/mockserver"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
	"github.com/astra-contract/astra-token-kit/schemas"
)

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
		mockserver.ShuttingDown().WriteFor(w, r)
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

func (a *admin) openAPI(w http.ResponseWriter, r *http.Request) {
	serveDocument(w, r, a.doc)
}

// serveDocument answers GET with an OpenAPI document, any other method
// 405 type 69.
func serveDocument(w http.ResponseWriter, r *http.Request, doc []byte) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		problem.New(problem.MethodNotSupported).WriteFor(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/yaml")
	h.Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	w.Write(doc)
}

// correlator gives requests outside the mock's own ServeHTTP (admin
// requests, GET /openapi.yaml) a correlation id the way the mock does: the
// client's X-Request-ID when it is a valid identifier, else a new v4 UUID.
//
// Its ids come from crypto/rand, never from the mock's Options.Random: with
// a seeded source (astra-mock -seed) the ids and secrets the mock issues
// must not depend on how often a CI job polled /__admin/health first.
type correlator struct {
	random     io.Reader
	identifier *jsonschema.Schema
}

func newCorrelator() (*correlator, error) {
	random := rand.Reader
	identifier, err := schemas.Compile(schemas.Types + "#/$defs/identifier")
	if err != nil {
		return nil, err
	}
	return &correlator{random: random, identifier: identifier}, nil
}

// tag sets the X-Request-ID response header and returns r with the id in
// its context, where problem.WriteFor finds it.
func (c *correlator) tag(w http.ResponseWriter, r *http.Request) *http.Request {
	id := r.Header.Get("X-Request-ID")
	if c.identifier.Validate(id) != nil {
		var err error
		if id, err = token.NewID(c.random); err != nil {
			id = "00000000-0000-0000-0000-000000000000"
		}
	}
	w.Header().Set("X-Request-ID", id)
	return r.WithContext(problem.WithCorrelationID(r.Context(), id))
}
