package admin

import (
	"errors"
	"net/http"

	"github.com/astra-contract/astra-token-kit/mockserver"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/reply"
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
