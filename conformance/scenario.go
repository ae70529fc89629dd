package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// created is a token the scenario made; the scenario deletes it afterwards,
// pass or fail.
type created struct {
	Short    string // the name the scenario calls it by ("ci")
	Name     string // the name sent: run id + short name
	ID       string
	Secret   string
	Location string
	Owner    string // role of the owner, "" if made by raw request
	deleted  bool
}

// scenario is the state of one scenario.
type scenario struct {
	suite      *Suite
	name       string
	skipReason string // why the scenario is skipped, once it is

	auth    *string // Authorization header; nil: none
	headers http.Header

	req    *http.Request
	resp   *http.Response
	body   []byte
	doc    any
	docErr error

	saved   map[string]string
	tokens  map[string]*created // by short name
	created []*created          // every 201, for cleanup

	mu sync.Mutex
}

func (st *scenario) reset(name string) {
	*st = scenario{suite: st.suite, name: name, headers: http.Header{}, saved: map[string]string{}, tokens: map[string]*created{}}
}

func (st *scenario) cfg() *Config { return st.suite.cfg }

// identity returns the configured identity of a role, or a skip.
func (st *scenario) identity(role string) (Identity, error) {
	id, ok := st.cfg().Identities[role]
	if !ok {
		return Identity{}, st.skip(fmt.Sprintf("no %s identity is configured", role))
	}
	return id, nil
}

func (st *scenario) actAs(role string) error {
	id, err := st.identity(role)
	if err != nil {
		return err
	}
	h := "Bearer " + id.Credential
	st.auth = &h
	return nil
}

var placeholder = regexp.MustCompile(`\{([^{}]+)\}`)

// expand replaces the placeholders of a path or body template: every form
// listed in Placeholders (placeholders.go, and the "Placeholders" section of
// STEPS.md); keep that list in step with value below. Anything else in
// braces (JSON objects in bodies) is left alone.
func (st *scenario) expand(s string) (string, error) {
	var firstErr error
	out := placeholder.ReplaceAllStringFunc(s, func(m string) string {
		v, ok, err := st.value(m[1 : len(m)-1])
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if !ok {
			return m
		}
		return v
	})
	return out, firstErr
}

func (st *scenario) value(key string) (string, bool, error) {
	cfg := st.cfg()
	switch {
	case key == "account":
		return cfg.AccountID, true, nil
	case key == "run":
		return cfg.RunID, true, nil
	case key == "group":
		if cfg.GroupID == "" {
			return "", true, st.skip("no group is configured")
		}
		return cfg.GroupID, true, nil
	case key == "foreign account":
		id, err := st.identity(ForeignAdmin)
		return id.AccountID, true, err
	case strings.HasPrefix(key, "$"):
		v, ok := st.saved[key[1:]]
		if !ok {
			return "", true, fmt.Errorf("nothing was saved as %q", key[1:])
		}
		return v, true, nil
	case strings.HasPrefix(key, "user tokens of "):
		id, err := st.identity(strings.TrimPrefix(key, "user tokens of "))
		return "/accounts/" + id.AccountID + "/core/v1/users/" + id.UserID + "/tokens", true, err
	case strings.HasPrefix(key, "group tokens of "):
		id, err := st.identity(strings.TrimPrefix(key, "group tokens of "))
		if err != nil {
			return "", true, err
		}
		if cfg.GroupID == "" {
			return "", true, st.skip("no group is configured")
		}
		return "/accounts/" + id.AccountID + "/core/v1/groups/" + cfg.GroupID + "/users/" + id.UserID + "/tokens", true, nil
	case strings.HasPrefix(key, "fixture id of "):
		name := strings.TrimPrefix(key, "fixture id of ")
		if cfg.Fixture == nil {
			return "", true, st.skip("the target's fixtures are not known (mock only)")
		}
		for _, a := range cfg.Fixture.Accounts {
			for _, t := range a.Tokens {
				if t.Name == name {
					return t.ID, true, nil
				}
			}
		}
		return "", true, fmt.Errorf("the fixtures have no token named %q", name)
	}
	for _, field := range []string{"id", "secret", "name", "location"} {
		if short, ok := strings.CutPrefix(key, field+" of "); ok {
			t, ok := st.tokens[short]
			if !ok {
				return "", true, fmt.Errorf("the scenario has made no token called %q", short)
			}
			return map[string]string{"id": t.ID, "secret": t.Secret, "name": t.Name, "location": t.Location}[field], true, nil
		}
	}
	for _, role := range Roles {
		if key == role {
			id, err := st.identity(role)
			return id.UserID, true, err
		}
	}
	return "", false, nil
}

// send makes one request with the scenario's credential and headers, reads
// the whole answer and checks it against the contract. A response outside
// the contract fails the step that received it.
func (st *scenario) send(ctx context.Context, method, target string, body []byte) error {
	path, err := st.expand(target)
	if err != nil {
		return err
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, st.cfg().BaseURL+path, rd)
	if err != nil {
		return fmt.Errorf("building %s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range st.headers {
		req.Header[k] = append([]string(nil), vs...)
	}
	if st.auth != nil {
		req.Header.Set("Authorization", *st.auth)
	}
	resp, err := st.suite.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, req.URL, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	st.req, st.resp, st.body, st.doc, st.docErr = req, resp, data, nil, nil
	if len(data) > 0 {
		st.docErr = json.Unmarshal(data, &st.doc)
	}
	st.track()
	if err := st.suite.contract.Check(req, resp); err != nil {
		return st.failf("%v", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	if resp.StatusCode >= 400 && endpointFor(method, req.URL.Path) == nil {
		// Outside the ten operations the contract still says: a problem.
		if err := st.suite.problem.Validate(st.doc); err != nil || st.docErr != nil {
			return st.failf("the error answer is not a problem body: %v", firstNonNil(st.docErr, err))
		}
	}
	return nil
}

func firstNonNil(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// track remembers tokens created (201 with Location) for cleanup, and
// forgets those deleted.
func (st *scenario) track() {
	switch {
	case st.req.Method == http.MethodPost && st.resp.StatusCode == http.StatusCreated:
		obj, _ := st.doc.(map[string]any)
		c := &created{Location: st.resp.Header.Get("Location")}
		c.ID, _ = obj["id"].(string)
		c.Secret, _ = obj["token"].(string)
		c.Name, _ = obj["name"].(string)
		if c.Location == "" {
			c.Location = st.req.URL.String() + "/" + c.ID
		}
		st.created = append(st.created, c)
	case st.req.Method == http.MethodDelete && st.resp.StatusCode == http.StatusNoContent:
		for _, c := range st.created {
			if strings.HasSuffix(st.req.URL.Path, "/"+c.ID) {
				c.deleted = true
			}
		}
	}
}

// lastCreated returns the token made by the latest request.
func (st *scenario) lastCreated() *created {
	if len(st.created) == 0 {
		return nil
	}
	return st.created[len(st.created)-1]
}

// cleanup deletes every token the scenario made and did not delete, with
// the token's own credential, which may always delete itself.
func (st *scenario) cleanup(ctx context.Context) error {
	var failed []string
	for _, c := range st.created {
		if c.deleted || c.Secret == "" || c.Location == "" {
			continue
		}
		req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodDelete, st.onTarget(c.Location), nil)
		if err != nil {
			failed = append(failed, c.ID+": "+err.Error())
			continue
		}
		req.Header.Set("Authorization", "Bearer "+c.Secret)
		resp, err := st.suite.client.Do(req)
		if err != nil {
			failed = append(failed, c.ID+": "+err.Error())
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotFound {
			failed = append(failed, fmt.Sprintf("%s: DELETE answered %d", c.ID, resp.StatusCode))
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("cleanup left tokens behind: %s", strings.Join(failed, "; "))
	}
	return nil
}

// failf is an assertion failure with what a reader needs to reproduce it:
// the request, the status, the correlation id and the start of the body.
func (st *scenario) failf(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if st.req == nil {
		return fmt.Errorf("%s\n  (no request was sent yet)", msg)
	}
	body := string(st.body)
	if len(body) > 600 {
		body = body[:600] + "…"
	}
	return fmt.Errorf("%s\n  request:       %s %s\n  status:        %d\n  correlationID: %s\n  body:          %s",
		msg, st.req.Method, st.req.URL, st.resp.StatusCode, st.correlationID(), body)
}

func (st *scenario) correlationID() string {
	if id := st.resp.Header.Get("X-Request-ID"); id != "" {
		return id
	}
	if obj, ok := st.doc.(map[string]any); ok {
		if id, ok := obj["correlationID"].(string); ok {
			return id
		}
	}
	return "(none)"
}

// onTarget returns the path of a URL the target sent (a Location) on the
// configured base URL: behind a proxy, the host a target names may not be
// the one the suite can reach.
func (st *scenario) onTarget(location string) string {
	u, err := url.Parse(location)
	if err != nil || u.Path == "" {
		return location
	}
	return st.cfg().BaseURL + u.EscapedPath()
}
