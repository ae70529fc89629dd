// Package problem defines the error responses of the Token API: RFC 7807
// style bodies with NetApp's numbered problem types, each with its fixed
// status, title and detail (CONTRACT.md §6), read from schemas/problem.json.
// The HTTP edge is the only place that writes them.
package problem

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// ContentType is the media type of every problem body.
const ContentType = schemas.ProblemMediaType

// Kind is one documented problem type: schemas.ProblemKind, whose
// constants (schemas.ProblemInvalidQuery, …) name them, with status, title
// and detail from schemas/problem.json.
type Kind = schemas.ProblemKind

// Item names one bad query parameter or body field and says why.
type Item struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Problem is a problem response body. The four documented members are
// always present; the extensions only where their type calls for them.
type Problem struct {
	Type                    string `json:"type"`
	Title                   string `json:"title"`
	Detail                  string `json:"detail"`
	Status                  string `json:"status"`
	CorrelationID           string `json:"correlationID,omitempty"`
	InvalidParams           []Item `json:"invalidParams,omitempty"`
	InvalidFields           []Item `json:"invalidFields,omitempty"`
	SchemaValidationFailure string `json:"schemaValidationFailure,omitempty"`
}

// New returns the problem of kind k.
func New(k Kind) *Problem {
	t := k.Type()
	return &Problem{Type: t.URI(), Title: t.Title, Detail: t.Detail, Status: t.Status}
}

// Blank returns a problem for a status that has no documented type (a 500,
// or a 503 injected by a test): type about:blank, the reason phrase as title.
func Blank(status int) *Problem {
	text := http.StatusText(status)
	return &Problem{Type: "about:blank", Title: text, Detail: text + ".", Status: strconv.Itoa(status)}
}

// ShuttingDown is the answer to a state change after the mock's Close: 503,
// about:blank, saying the request was not carried out. The API and the
// admin API both answer with it.
func ShuttingDown() *Problem {
	p := Blank(http.StatusServiceUnavailable)
	p.Detail = "The mock is shutting down; the request was not carried out."
	return p
}

// StatusCode returns the HTTP status of p.
func (p *Problem) StatusCode() int {
	n, err := strconv.Atoi(p.Status)
	if err != nil {
		return http.StatusInternalServerError
	}
	return n
}

// Error makes a Problem usable as an error value on its way to the edge.
func (p *Problem) Error() string {
	s := p.Status + " " + p.Title
	if p.SchemaValidationFailure != "" {
		s += ": " + p.SchemaValidationFailure
	}
	for _, it := range slices.Concat(p.InvalidParams, p.InvalidFields) {
		s += "; " + it.Name + ": " + it.Reason
	}
	return s
}

// Write sends p with its status and the problem media type.
func (p *Problem) Write(w http.ResponseWriter) {
	body, _ := json.Marshal(p) // every field is a string or a string slice: it cannot fail
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.StatusCode())
	w.Write(body)
}

type correlationKey struct{}

// WithCorrelationID returns a context carrying the request's correlation
// id, which every problem written for that request repeats.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, correlationKey{}, id)
}

// CorrelationID returns the correlation id of a request's context, or "".
func CorrelationID(ctx context.Context) string {
	id, _ := ctx.Value(correlationKey{}).(string)
	return id
}

// WriteFor sends p as the answer to r, carrying r's correlation id.
func (p *Problem) WriteFor(w http.ResponseWriter, r *http.Request) {
	p.CorrelationID = cmp.Or(CorrelationID(r.Context()), p.CorrelationID)
	p.Write(w)
}
