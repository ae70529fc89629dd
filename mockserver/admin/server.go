package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/astra-contract/astra-token-kit/mockserver"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
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

// document serves an OpenAPI document: GET answers it, any other method
// 405 type 69.
type document func() ([]byte, error)

func (doc document) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		methodNotAllowed(http.MethodGet).ServeHTTP(w, r)
		return
	}
	body, err := doc()
	if err != nil { // the embedded documents bundle: tests check it
		problem.Blank(http.StatusInternalServerError).WriteFor(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/yaml")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
