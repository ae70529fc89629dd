package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/reply"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/store"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// call is one request on its way through the checks of CONTRACT.md §3, in order:
// 401 → 400 path id → 403 account → 404 → 403 role → 400 query → 406 →
// 400 body → 404 token → 412 → 409.
type call struct {
	w        http.ResponseWriter
	r        *http.Request
	template string
	item     *v3.PathItem
	// store is the state this request sees from start to end, even if an
	// admin replaces the state meanwhile.
	store *store.Store

	caller  *store.User
	account *store.Account
	userID  string // the user of the path
	groupID string // empty in user scope
	tokenID string // empty on collections
}

// notFound is the 404 of the operation: GET and POST answer "collection
// not found" (2), PUT and DELETE "resource not found" (1), whatever it was
// that was not found.
func (c *call) notFound() *problem.Problem {
	if c.r.Method == http.MethodPut || c.r.Method == http.MethodDelete {
		return problem.New(schemas.ProblemResourceNotFound)
	}
	return problem.New(schemas.ProblemCollectionNotFound)
}

type handler func(s *Server, c *call) error

// operation wraps one endpoint with the checks every endpoint shares, up to
// and including the caller's right to act on the path's user. Query, body
// and token checks follow in the handler, in the documented order.
func (s *Server) operation(template string, item *v3.PathItem, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vars := mux.Vars(r)
		c := &call{w: w, r: r, template: template, item: item, store: s.store.Load(),
			userID: vars["user_id"], groupID: vars["group_id"], tokenID: vars["token_id"]}
		err := s.authorize(c, vars["account_id"])
		if err == nil {
			err = h(s, c)
		}
		if err == nil {
			return
		}
		if ctxErr := r.Context().Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			// The client has gone: the work stopped, and nobody is left
			// to answer (the journal records no status).
			s.log.DebugContext(r.Context(), "client gone", "err", err)
			return
		}
		p, ok := errors.AsType[*problem.Problem](err)
		if !ok {
			s.log.ErrorContext(r.Context(), "internal error", "err", err)
			p = problem.Blank(http.StatusInternalServerError)
		}
		p.WriteFor(w, r)
	})
}

// authorize runs the checks before the handler: credential, path ids,
// account, existence of group and user, membership, role.
func (s *Server) authorize(c *call, accountID string) error {
	header, present := c.r.Header["Authorization"]
	if !present {
		return problem.New(schemas.ProblemMissingBearerToken)
	}
	scheme, credential, ok := strings.Cut(header[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || credential == "" {
		return problem.New(schemas.ProblemInvalidBearerToken)
	}
	_, caller, ok := c.store.Authenticate(fixtures.HashSecret(credential))
	if !ok {
		return problem.New(schemas.ProblemInvalidBearerToken)
	}
	c.caller = caller
	if p := s.contract.checkPathIDs(c.r, c.item, c.template); p != nil {
		return p
	}
	if caller.AccountID != accountID {
		return problem.New(schemas.ProblemForbidden)
	}
	c.account = c.store.Account(accountID)
	if c.account == nil {
		return c.notFound()
	}
	if c.groupID != "" {
		g := c.account.Group(c.groupID)
		if g == nil || !g.HasMember(c.userID) {
			return c.notFound()
		}
	}
	if c.account.User(c.userID) == nil {
		return c.notFound()
	}
	if c.userID != caller.ID && fixtures.Role(caller.Role).Rank() < fixtures.RoleAdmin.Rank() {
		return problem.New(schemas.ProblemForbidden)
	}
	return nil
}

// forbiddenInNames are the sequences a token name may not hold, as the
// contract lists them.
var forbiddenInNames = schemas.TokenNameForbidden()

// noQuery refuses any query parameter: the item endpoints and POST take none.
func (s *Server) noQuery(c *call) error {
	if p, _, _ := s.contract.checkQuery(c.r, c.item, c.template); p != nil {
		return p
	}
	return nil
}

// readJSON reads the request body (at most MaxBodyBytes), checks that it
// is JSON in UTF-8 (7) and that it conforms to the operation's schema (8), and
// decodes it into v.
func (s *Server) readJSON(c *call, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, MaxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return problem.New(schemas.ProblemRequestBodyTooLarge)
		}
		return problem.New(schemas.ProblemInvalidJSON)
	}
	// encoding/json would take invalid UTF-8 and store U+FFFD in its
	// place: a body that is not UTF-8 is not JSON (RFC 8259 §8.1).
	if !json.Valid(body) || !utf8.Valid(body) {
		return problem.New(schemas.ProblemInvalidJSON)
	}
	if p := s.contract.checkBody(c.r, c.item, c.template, body); p != nil {
		return p
	}
	if err := json.Unmarshal(body, v); err != nil {
		// The schema admitted something the Go types cannot hold.
		p := problem.New(schemas.ProblemSchemaViolation)
		p.SchemaValidationFailure = err.Error()
		return p
	}
	return nil
}

// lookup returns the path's token if it belongs to the path's user.
func (s *Server) lookup(c *call) (*token.Token, error) {
	t, ok := c.store.Get(c.tokenID)
	if !ok || t.UserID != c.userID || t.AccountID != c.account.ID {
		return nil, c.notFound()
	}
	return t, nil
}

// now is the server clock at the precision the mock writes.
func (s *Server) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// createBody is the POST body after schema validation.
type createBody struct {
	Name     string        `json:"name"`
	Metadata *bodyMetadata `json:"metadata"`
}

// updateBody is the PUT body after schema validation.
type updateBody struct {
	ID       *string       `json:"id"`
	Name     *string       `json:"name"`
	UserID   *string       `json:"userID"`
	Metadata *bodyMetadata `json:"metadata"`
}

type bodyMetadata struct {
	Labels *[]token.Label `json:"labels"`
}

func nameInvalid(err error) *problem.Problem {
	p := problem.New(schemas.ProblemExtendedValidation)
	reason := err.Error()
	if ne, ok := errors.AsType[*token.NameError](err); ok {
		reason = ne.Reason
	}
	p.InvalidFields = []problem.Item{{Name: "name", Reason: reason}}
	return p
}

func (s *Server) create(c *call) error {
	if err := s.noQuery(c); err != nil {
		return err
	}
	media, ok := negotiateToken(c.r.Header.Get("Accept"))
	if !ok {
		return problem.New(schemas.ProblemNotAcceptable)
	}
	var body createBody
	if err := s.readJSON(c, &body); err != nil {
		return err
	}
	if err := token.ValidateName(body.Name, forbiddenInNames); err != nil {
		return nameInvalid(err)
	}
	id, err := token.NewID(s.random)
	if err != nil {
		return err
	}
	secret, err := token.NewSecret(s.random)
	if err != nil {
		return err
	}
	now := s.now()
	t := &token.Token{
		ID: id, Name: body.Name, AccountID: c.account.ID, UserID: c.userID,
		SecretHash:        fixtures.HashSecret(secret),
		Labels:            []token.Label{},
		CreationTimestamp: now, ModificationTimestamp: now,
		CreatedBy: c.caller.ID,
	}
	if body.Metadata != nil && body.Metadata.Labels != nil {
		t.Labels = *body.Metadata.Labels
	}
	if err := s.commit(c, func() error { return c.store.Create(t) }); err != nil {
		return err
	}
	res := resourceOf(t)
	res.Secret = secret
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	c.w.Header().Set("Location", scheme+"://"+c.r.Host+strings.TrimSuffix(c.r.URL.Path, "/")+"/"+t.ID)
	out, err := marshal(res)
	if err != nil {
		return err
	}
	reply.Body(c.w, http.StatusCreated, media, out)
	return nil
}

func (s *Server) get(c *call) error {
	if err := s.noQuery(c); err != nil {
		return err
	}
	media, ok := negotiateToken(c.r.Header.Get("Accept"))
	if !ok {
		return problem.New(schemas.ProblemNotAcceptable)
	}
	t, err := s.lookup(c)
	if err != nil {
		return err
	}
	body, etag, err := representation(t)
	if err != nil {
		return err
	}
	c.w.Header().Set("ETag", `"`+etag+`"`)
	reply.Body(c.w, http.StatusOK, media, body)
	return nil
}

func (s *Server) update(c *call) error {
	if err := s.noQuery(c); err != nil {
		return err
	}
	var body updateBody
	if err := s.readJSON(c, &body); err != nil {
		return err
	}
	if body.Name != nil {
		if err := token.ValidateName(*body.Name, forbiddenInNames); err != nil {
			return nameInvalid(err)
		}
	}
	if _, err := s.lookup(c); err != nil {
		return err
	}
	now := s.now()
	change := func(cur *token.Token) (*token.Token, error) {
		if cur.UserID != c.userID {
			return nil, c.notFound()
		}
		if p := checkPreconditions(c.r, cur); p != nil {
			return nil, p
		}
		var conflicts []problem.Item
		if body.ID != nil && *body.ID != cur.ID {
			conflicts = append(conflicts, problem.Item{Name: "id", Reason: "must equal the token id of the request URI, " + cur.ID})
		}
		if body.UserID != nil && *body.UserID != cur.UserID {
			conflicts = append(conflicts, problem.Item{Name: "userID", Reason: "must equal the id of the token's user, " + cur.UserID})
		}
		if len(conflicts) > 0 {
			p := problem.New(schemas.ProblemConflict)
			p.InvalidFields = conflicts
			return nil, p
		}
		next := cur.Clone()
		if body.Name != nil {
			next.Name = *body.Name
		}
		if body.Metadata != nil && body.Metadata.Labels != nil {
			next.Labels = append([]token.Label{}, *body.Metadata.Labels...)
		}
		next.ModificationTimestamp = now
		next.ModifiedBy = c.caller.ID
		return next, nil
	}
	if err := s.commit(c, func() error { return c.store.Update(c.tokenID, change) }); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkPreconditions applies If-Match (strong comparison; quoted or bare
// tags; "*") and If-Unmodified-Since to the current token.
func checkPreconditions(r *http.Request, cur *token.Token) *problem.Problem {
	if values := r.Header.Values("If-Match"); len(values) > 0 {
		_, current, err := representation(cur)
		if err != nil {
			return problem.Blank(http.StatusInternalServerError)
		}
		tags := strings.Split(strings.Join(values, ","), ",")
		if !slices.ContainsFunc(tags, func(tag string) bool {
			tag = strings.TrimSpace(tag)
			return tag == "*" || strings.Trim(tag, `"`) == current && !strings.HasPrefix(tag, "W/")
		}) {
			return problem.New(schemas.ProblemPreconditionFailed)
		}
		return nil // If-Match takes precedence (RFC 9110 §13.2.2)
	}
	if v := r.Header.Get("If-Unmodified-Since"); v != "" {
		since, err := http.ParseTime(v)
		if err == nil && cur.ModificationTimestamp.Truncate(time.Second).After(since) {
			return problem.New(schemas.ProblemPreconditionFailed)
		}
	}
	return nil
}

func (s *Server) remove(c *call) error {
	if err := s.noQuery(c); err != nil {
		return err
	}
	if _, err := s.lookup(c); err != nil {
		return err
	}
	check := func(cur *token.Token) error {
		if cur.UserID != c.userID {
			return c.notFound()
		}
		return nil
	}
	if err := s.commit(c, func() error { return c.store.Delete(c.tokenID, check) }); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// commit makes write, one change to the request's store, unless the server
// is closed (503): Close waits for the changes committing now. A token gone
// meanwhile (store.ErrNotFound) is the operation's 404.
func (s *Server) commit(c *call, write func() error) error {
	err := s.write(write)
	switch {
	case errors.Is(err, ErrClosed):
		return problem.ShuttingDown()
	case errors.Is(err, store.ErrNotFound):
		return c.notFound()
	}
	return err
}

// marshal returns v as the mock sends it: compact JSON, without HTML
// escaping ("<", ">" and "&" as they are).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes()[:buf.Len()-1], nil // without the encoder's newline
}
