// Package problem defines the error responses of the Token API: RFC 7807
// style bodies with NetApp's numbered problem types, each with its fixed
// status, title and detail (CONTRACT.md §6). They are defined here once; the HTTP
// edge is the only place that writes them.
package problem

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
)

// ContentType is the media type of every problem body.
const ContentType = "application/problem+json"

// Kind is one documented problem type.
type Kind struct {
	N      int // the number at the end of the type URI
	Status int
	Title  string
	Detail string
}

// URI returns the problem type URI, https://astra.netapp.io/problems/N.
func (k Kind) URI() string { return "https://astra.netapp.io/problems/" + strconv.Itoa(k.N) }

// The documented problem types.
var (
	ResourceNotFound    = Kind{1, 404, "Resource not found", "The resource specified in the request URI wasn't found."}
	CollectionNotFound  = Kind{2, 404, "Collection not found", "The collection specified in the request URI wasn't found."}
	MissingBearerToken  = Kind{3, 401, "Missing bearer token", "The request is missing the required bearer token."}
	InvalidBearerToken  = Kind{4, 401, "Invalid bearer token", "The bearer token provided is invalid, revoked, or doesn't exist."}
	InvalidQuery        = Kind{5, 400, "Invalid query parameters", "The supplied query parameters are invalid."}
	UnsupportedQuery    = Kind{6, 400, "Query parameters not supported", "The supplied query parameters aren't supported for this endpoint."}
	InvalidJSON         = Kind{7, 400, "Invalid JSON payload", "The request body is not valid JSON."}
	SchemaViolation     = Kind{8, 400, "Invalid JSON resource", "The request body JSON doesn't conform to the schema."}
	ExtendedValidation  = Kind{9, 400, "Invalid JSON resource", "The request body JSON didn't pass extended validation."}
	Conflict            = Kind{10, 409, "JSON resource conflict", "The request body JSON contains a field that conflicts with an idempotent value."}
	Forbidden           = Kind{11, 403, "Operation not permitted", "The requested operation isn't permitted."}
	NotAcceptable       = Kind{32, 406, "Unsupported content type", "The response can't be returned in the requested format."}
	InvalidAccountID    = Kind{33, 400, "Invalid account ID", "The specified account ID isn't in the appropriate format."}
	InvalidResourceID   = Kind{35, 400, "Invalid resource ID", "The resource ID isn't in the appropriate format."}
	PreconditionFailed  = Kind{38, 412, "Precondition not met", "The conditional headers aren't satisfied."}
	MethodNotSupported  = Kind{69, 405, "Method not supported", "The requested method isn't supported for the specified resource."}
	RequestBodyTooLarge = Kind{85, 413, "Request body too large", "The request body is too large."}
)

// Kinds lists every documented problem type, in number order.
var Kinds = []Kind{
	ResourceNotFound, CollectionNotFound, MissingBearerToken, InvalidBearerToken,
	InvalidQuery, UnsupportedQuery, InvalidJSON, SchemaViolation, ExtendedValidation,
	Conflict, Forbidden, NotAcceptable, InvalidAccountID, InvalidResourceID,
	PreconditionFailed, MethodNotSupported, RequestBodyTooLarge,
}

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
	return &Problem{Type: k.URI(), Title: k.Title, Detail: k.Detail, Status: strconv.Itoa(k.Status)}
}

// Blank returns a problem for a status that has no documented type (a 500,
// or a 503 injected by a test): type about:blank, the reason phrase as title.
func Blank(status int) *Problem {
	text := http.StatusText(status)
	return &Problem{Type: "about:blank", Title: text, Detail: text + ".", Status: strconv.Itoa(status)}
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
	for _, it := range p.InvalidParams {
		s += "; " + it.Name + ": " + it.Reason
	}
	for _, it := range p.InvalidFields {
		s += "; " + it.Name + ": " + it.Reason
	}
	return s
}

// Write sends p with its status and the problem media type.
func (p *Problem) Write(w http.ResponseWriter) {
	body, err := json.Marshal(p)
	if err != nil { // cannot happen: every field is a string or a string slice
		body = []byte(`{"type":"about:blank","title":"Internal Server Error","detail":"Internal Server Error.","status":"500"}`)
	}
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
	if id := CorrelationID(r.Context()); id != "" {
		p.CorrelationID = id
	}
	p.Write(w)
}
