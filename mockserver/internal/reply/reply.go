// Package reply holds what the API and the admin API answer alike: a body
// sent with its Content-Length, and routes that dispatch a path's requests
// on their method, answering any other method 405 type 69 with Allow.
package reply

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// Body sends body as media with Content-Length. An error writing it means
// the client went away: nothing is left to tell it.
func Body(w http.ResponseWriter, status int, media string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", media)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// Op is one operation: the path template it is routed by, its method and
// its handler.
type Op struct {
	Path, Method string
	Handler      http.Handler
}

// Handle routes each path of ops to a ByMethod of its operations, the paths
// in the order ops first names them: a path's pattern is matched once, not
// once per operation.
func Handle(r *mux.Router, ops []Op) {
	var paths []string
	byPath := map[string]ByMethod{}
	for _, op := range ops {
		if byPath[op.Path] == nil {
			paths = append(paths, op.Path)
			byPath[op.Path] = ByMethod{}
		}
		byPath[op.Path][op.Method] = op.Handler
	}
	for _, path := range paths {
		r.Handle(path, byPath[path])
	}
}

// ByMethod is the handler of each operation on one path, by method. Any
// other method is answered 405 type 69, with the path's methods in Allow.
type ByMethod map[string]http.Handler

// methodOrder lists methods in Allow as NetApp does: GET, POST, PUT, DELETE.
func methodOrder(m string) int {
	return slices.Index([]string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete}, m)
}

func (m ByMethod) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := m[r.Method]; ok {
		h.ServeHTTP(w, r)
		return
	}
	allow := slices.SortedFunc(maps.Keys(m), func(a, b string) int { return methodOrder(a) - methodOrder(b) })
	w.Header().Set("Allow", strings.Join(allow, ", "))
	problem.New(schemas.ProblemMethodNotSupported).WriteFor(w, r)
}
