// Package correlation gives every request the mock answers a correlation
// id: the client's X-Request-ID when it is a valid Astra identifier
// (schemas/types.json), else a new v4 UUID. The id is sent back as
// X-Request-ID and kept in the request's context, where every problem
// written for the request finds it (problem.WriteFor), so that the API and
// the admin API tag their requests the same way.
package correlation

import (
	"io"
	"net/http"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// Header is the request and response header carrying the id.
const Header = "X-Request-ID"

// fallback is the id of a request when the random source fails.
const fallback = "00000000-0000-0000-0000-000000000000"

// IDs tags requests with correlation ids drawn from its random source.
type IDs struct {
	random     io.Reader
	identifier *jsonschema.Schema
}

// New returns IDs drawing new ids from random, which must be safe for
// concurrent use.
func New(random io.Reader) (*IDs, error) {
	identifier, err := schemas.Compile(schemas.Types + "#/$defs/identifier")
	if err != nil {
		return nil, err
	}
	return &IDs{random: random, identifier: identifier}, nil
}

// Tag sets the X-Request-ID response header and returns r with the id in
// its context (problem.CorrelationID).
func (c *IDs) Tag(w http.ResponseWriter, r *http.Request) *http.Request {
	id := r.Header.Get(Header)
	// Most requests carry none: no identifier is empty, so the schema need
	// not say so.
	if id == "" || c.identifier.Validate(id) != nil {
		var err error
		if id, err = token.NewID(c.random); err != nil {
			id = fallback
		}
	}
	w.Header().Set(Header, id)
	return r.WithContext(problem.WithCorrelationID(r.Context(), id))
}

// Middleware tags every request with Tag before next serves it; it is a
// gorilla/mux MiddlewareFunc.
func (c *IDs) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, c.Tag(w, r))
	})
}
