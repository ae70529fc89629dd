package explore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/conformance/internal/placeholder"
	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
	"github.com/astra-contract/astra-token-kit/fixtures"
)

// answer is one request a side sent and what came back.
type answer struct {
	req     *http.Request
	sent    []byte // the request body, nil for none
	status  int
	header  http.Header
	body    []byte
	doc     any // the body decoded, nil if it is not JSON
	jsonErr error
	// resp is the response with its body restored, for Contract.Check.
	resp *http.Response
}

// problemType returns the number of a documented problem type the answer
// carries, 0 for none.
func (a *answer) problemType() int {
	obj, _ := a.doc.(map[string]any)
	t, _ := obj["type"].(string)
	return wire.ProblemNumber(t)
}

// side is one implementation a run talks to: the target or the
// reference. Its placeholders are bound to what it answered.
type side struct {
	name   string // "target" or "reference"
	cfg    *conformance.Config
	client *http.Client
	runID  string
	// saved binds {$KEY}: what the side's answers gave (saved).
	saved map[string]string
	paths collections
	kind  tokenKind
	// made are the tokens this side created, for the cleanup.
	made []*made
	// names maps what the side bound to placeholders.
	names *names
}

// made is a token a side created.
type made struct {
	step    int
	id      string
	secret  string
	path    string // in the collection it was created in
	userID  string // the owner, from the 201
	deleted bool
}

// collections are the path templates of the token collections.
type collections struct{ user, group string }

// tokenKind is what every token body carries.
type tokenKind struct{ typ, version string }

func newSide(name string, cfg *conformance.Config, runID string, paths collections, kind tokenKind) *side {
	return &side{name: name, cfg: cfg, client: cfg.HTTPClient(), runID: runID, saved: map[string]string{}, paths: paths, kind: kind, names: newNames(cfg, runID)}
}

// value binds a placeholder: a value the side saved ({$KEY}), or one of
// the configuration's (those of the step library, conformance.Placeholders,
// that the explorer writes). Any other is errUnbound.
func (s *side) value(key string) (string, error) {
	if v, ok := s.lookup(key); ok {
		return v, nil
	}
	return "", fmt.Errorf("%w {%s}", errUnbound, key)
}

func (s *side) lookup(key string) (string, bool) {
	if k, ok := strings.CutPrefix(key, "$"); ok {
		v, ok := s.saved[k]
		return v, ok
	}
	switch key {
	case "run":
		return s.runID, true
	case "account":
		return s.cfg.AccountID, true
	case "group":
		return s.cfg.GroupID, s.cfg.GroupID != ""
	case "foreign account":
		id, ok := s.cfg.Identities[fixtures.PersonaForeignAdmin]
		return id.AccountID, ok
	}
	for _, p := range fixtures.Personas() {
		id, ok := s.cfg.Identities[p]
		switch key {
		case string(p):
			return id.UserID, ok
		case "user tokens of " + string(p):
			return placeholder.Collection(s.paths.user, id.AccountID, "", id.UserID), ok
		case "group tokens of " + string(p):
			return placeholder.Collection(s.paths.group, id.AccountID, s.cfg.GroupID, id.UserID), ok && s.cfg.GroupID != ""
		}
	}
	return "", false
}

// build makes the HTTP request of a step, as the step library would send
// it: Content-Type application/json with a body, then the step's headers,
// then the credential.
func (s *side) build(ctx context.Context, st *Step) (*http.Request, []byte, error) {
	target, err := placeholder.ExpandTarget(st.Target(), s.value)
	if err != nil {
		return nil, nil, err
	}
	var body []byte
	if st.Body != nil {
		if st.Body.Pad > 0 {
			body = s.paddedBody(st.Body.Pad)
		} else {
			text, err := placeholder.Expand(st.Body.Text, s.value, nil)
			if err != nil {
				return nil, nil, err
			}
			body = []byte(text)
		}
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, st.Method, s.cfg.BaseURL+target, rd)
	if err != nil {
		return nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range st.Headers {
		v, err := placeholder.Expand(h.Value, s.value, nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set(h.Name, v)
	}
	switch {
	case st.Auth.Persona != "":
		id, ok := s.cfg.Identities[fixtures.Persona(st.Auth.Persona)]
		if !ok {
			return nil, nil, fmt.Errorf("no %s identity is configured", st.Auth.Persona)
		}
		req.Header.Set("Authorization", "Bearer "+id.Credential)
	case st.Auth.Header != "":
		v, err := placeholder.Expand(st.Auth.Header, s.value, nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Authorization", v)
	}
	return req, body, nil
}

// paddedBody is the token body of n bytes the step `with a body of N
// bytes` sends: a name of x's as long as it takes.
func (s *side) paddedBody(n int) []byte {
	body := func(name string) []byte {
		b, _ := json.Marshal(struct {
			Name    string `json:"name"`
			Type    string `json:"type"`
			Version string `json:"version"`
		}{name, s.kind.typ, s.kind.version})
		return b
	}
	return body(strings.Repeat("x", max(n-len(body("")), 0)))
}

// do sends a step and reads the whole answer, then saves what later steps
// may refer to: the id and secret of a token it created, its ETag, its
// metadata.continue.
func (s *side) do(ctx context.Context, st *Step) (*answer, error) {
	req, sent, err := s.build(ctx, st)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", req.Method, req.URL, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	a := &answer{req: req, sent: sent, status: resp.StatusCode, header: resp.Header, body: data, resp: resp}
	if len(data) > 0 {
		a.jsonErr = json.Unmarshal(data, &a.doc)
	}
	s.save(st, a)
	return a, nil
}

func (s *side) save(st *Step, a *answer) {
	obj, _ := a.doc.(map[string]any)
	key := func(k string) string { return fmt.Sprintf("%s%d", k, st.ID) }
	// Any 2xx to a POST may have made a token (a 201 should have): the
	// cleanup deletes it.
	if a.req.Method == http.MethodPost && a.status/100 == 2 {
		m := &made{step: st.ID}
		m.id, _ = obj["id"].(string)
		m.secret, _ = obj["token"].(string)
		m.userID, _ = obj["userID"].(string)
		// The token's path is that of the collection it was created in,
		// never a Location the target could have got wrong.
		m.path = a.req.URL.EscapedPath() + "/" + url.PathEscape(m.id)
		s.made = append(s.made, m)
		if m.id != "" {
			s.saved[key("id")] = m.id
			s.names.exact[m.id] = "{$" + key("id") + "}"
		}
		if m.secret != "" {
			s.saved[key("secret")] = m.secret
			s.names.exact[m.secret] = "{$" + key("secret") + "}"
		}
	}
	if a.req.Method == http.MethodDelete && a.status == http.StatusNoContent {
		for _, m := range s.made {
			if strings.HasSuffix(a.req.URL.Path, "/"+m.id) {
				m.deleted = true
			}
		}
	}
	if tag := a.header.Get("ETag"); tag != "" {
		s.saved[key("etag")] = tag
	}
	if md, ok := obj["metadata"].(map[string]any); ok {
		if c, ok := md["continue"].(string); ok && c != "" {
			s.saved[key("cont")] = c
		}
	}
}

// cleanup deletes every token the side created and did not delete: with
// the token's own secret, which may always delete itself, or else as its
// owner or the admin, through the user scope. It touches no other token.
func (s *side) cleanup(ctx context.Context) []string {
	var failed []string
	for _, m := range s.made {
		if m.deleted || m.id == "" {
			continue
		}
		status, err := s.deleteMade(ctx, m)
		if err != nil || status != http.StatusNoContent && status != http.StatusNotFound {
			failed = append(failed, fmt.Sprintf("%s: token %s: status %d %v", s.name, m.id, status, err))
			continue
		}
		m.deleted = true
	}
	return failed
}

func (s *side) deleteMade(ctx context.Context, m *made) (int, error) {
	var creds []string
	if m.secret != "" {
		creds = append(creds, m.secret)
	}
	for _, id := range s.cfg.Identities {
		if id.UserID == m.userID {
			creds = append(creds, id.Credential)
		}
	}
	if admin, ok := s.cfg.Identities[fixtures.PersonaAdmin]; ok {
		creds = append(creds, admin.Credential)
	}
	target := s.cfg.BaseURL + m.path
	status, err := 0, fmt.Errorf("no credential can delete it")
	for _, c := range creds {
		req, rerr := http.NewRequestWithContext(ctx, http.MethodDelete, target, nil)
		if rerr != nil {
			return 0, rerr
		}
		req.Header.Set("Authorization", "Bearer "+c)
		resp, derr := s.client.Do(req)
		if derr != nil {
			status, err = 0, derr
			continue
		}
		resp.Body.Close()
		status, err = resp.StatusCode, nil
		if status == http.StatusNoContent || status == http.StatusNotFound {
			return status, nil
		}
	}
	return status, err
}
