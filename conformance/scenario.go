package conformance

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance/internal/placeholder"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// created is a token the scenario made; the scenario deletes it afterwards,
// pass or fail.
type created struct {
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

	release func() // ends what start set up; nil: nothing
}

func (st *scenario) reset(name string) {
	*st = scenario{suite: st.suite, name: name, headers: http.Header{}, saved: map[string]string{}, tokens: map[string]*created{}}
}

func (st *scenario) cfg() *Config { return st.suite.cfg }

// mockOnly is the tag of the scenarios that need the mock: its admin API,
// its fixtures.
const mockOnly = "@mock-only"

// start runs before the scenario's first step, once its outcome is being
// recorded. A scenario is not run, and is skipped with the reason, when
// ctx is already done (the run was stopped: "not run: interrupted by
// SIGINT"), or when it is tagged @mock-only and the target has no admin
// API (Config.NoAdminAPI).
//
// A scenario that starts runs to its end: ctx being done cancels its
// requests only a grace period later, the time limit of one request, so
// that a stopped run lets the scenarios in flight finish and delete their
// tokens.
func (st *scenario) start(ctx context.Context, gs *godog.Scenario) (context.Context, error) {
	if ctx.Err() != nil {
		return ctx, st.skip("not run: " + context.Cause(ctx).Error())
	}
	for _, tag := range gs.Tags {
		if tag.Name == mockOnly {
			if err := st.needsMock(); err != nil {
				return ctx, err
			}
		}
	}
	run, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	grace := st.suite.client.Timeout
	if grace <= 0 {
		grace = 30 * time.Second
	}
	stop := context.AfterFunc(ctx, func() {
		time.AfterFunc(grace, func() { cancel(context.Cause(ctx)) })
	})
	st.release = func() { stop(); cancel(nil) }
	return run, nil
}

// needsMock returns the skip of a scenario that needs the mock (a request
// to its admin API, a fact of its fixtures) on a target without its admin
// API, or nil.
func (st *scenario) needsMock() error {
	if why := st.cfg().NoAdminAPI; why != "" {
		return st.skip(why)
	}
	return nil
}

// identity returns the configured identity of a role, or a skip.
func (st *scenario) identity(role string) (Identity, error) {
	if !slices.Contains(roleNames(), role) {
		return Identity{}, fmt.Errorf("unknown role %q%s", role, didYouMean("%q", nearest(role, roleNames())))
	}
	id, ok := st.cfg().Identities[fixtures.Persona(role)]
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

// expand replaces the placeholders of a body, header value or expected
// value: every form listed in Placeholders (placeholders.go, and the
// "Placeholders" section of STEPS.md); keep that list in step with value
// below. A placeholder it does not know is an error naming the nearest
// known ones. Other text in braces (JSON objects) is left alone.
func (st *scenario) expand(s string) (string, error) {
	return placeholder.Expand(s, st.value, nil)
}

// expandURL expands a request target, a path with an optional query, each
// value escaped for where it lands (placeholder.ExpandTarget). A space
// left in the result is an error: the target is written URL-encoded.
func (st *scenario) expandURL(target string) (string, error) {
	out, err := placeholder.ExpandTarget(target, st.value)
	if err == nil && strings.ContainsAny(out, " \t\n") {
		err = fmt.Errorf("the request target %q has a space: write it %%20, or list with the step `I list \"…\" with:` and a table of query parameters, which the suite encodes", target)
	}
	return out, err
}

func (st *scenario) value(key string) (string, error) {
	cfg := st.cfg()
	switch {
	case key == "account":
		return cfg.AccountID, nil
	case key == "run":
		return cfg.RunID, nil
	case key == "group":
		if cfg.GroupID == "" {
			return "", st.skip("no group is configured")
		}
		return cfg.GroupID, nil
	case key == "foreign account":
		id, err := st.identity(string(fixtures.PersonaForeignAdmin))
		return id.AccountID, err
	case strings.HasPrefix(key, "$"):
		v, ok := st.saved[key[1:]]
		if !ok {
			return "", fmt.Errorf("nothing was saved as %q%s", key[1:], didYouMean("{$%s}", nearest(key[1:], slices.Collect(maps.Keys(st.saved)))))
		}
		return v, nil
	case strings.HasPrefix(key, "user tokens of "):
		return st.tokensOf("user", strings.TrimPrefix(key, "user tokens of "))
	case strings.HasPrefix(key, "group tokens of "):
		return st.tokensOf("group", strings.TrimPrefix(key, "group tokens of "))
	case strings.HasPrefix(key, "fixture id of "):
		name := strings.TrimPrefix(key, "fixture id of ")
		if err := st.needsMock(); err != nil {
			return "", err
		}
		if cfg.Fixture == nil {
			return "", st.skip("the target's fixtures are not known (mock only)")
		}
		var names []string
		for _, a := range cfg.Fixture.Accounts {
			for _, t := range a.Tokens {
				if t.Name == name {
					return t.ID, nil
				}
				names = append(names, t.Name)
			}
		}
		return "", fmt.Errorf("the fixtures have no token named %q%s", name, didYouMean("%q", nearest(name, names)))
	}
	for _, field := range []string{"id", "secret", "name", "location"} {
		if short, ok := strings.CutPrefix(key, field+" of "); ok {
			t, ok := st.tokens[short]
			if !ok {
				return "", fmt.Errorf("the scenario has made no token called %q%s", short, didYouMean("%q", nearest(short, slices.Collect(maps.Keys(st.tokens)))))
			}
			return map[string]string{"id": t.ID, "secret": t.Secret, "name": t.Name, "location": t.Location}[field], nil
		}
	}
	if slices.Contains(roleNames(), key) {
		id, err := st.identity(key)
		return id.UserID, err
	}
	return "", fmt.Errorf("unknown placeholder {%s}%s (every placeholder is listed in conformance/STEPS.md)", key, didYouMean("{%s}", nearest(key, st.knownPlaceholders())))
}

// tokensOf returns the path of role's token collection in scope, "user" or
// "group" (the configured group).
func (st *scenario) tokensOf(scope, role string) (string, error) {
	id, err := st.identity(role)
	if err != nil {
		return "", err
	}
	s := st.suite
	if scope == "user" {
		return placeholder.Collection(s.userTokens, id.AccountID, "", id.UserID), nil
	}
	if s.cfg.GroupID == "" {
		return "", st.skip("no group is configured")
	}
	return placeholder.Collection(s.groupTokens, id.AccountID, s.cfg.GroupID, id.UserID), nil
}

// knownPlaceholders lists the placeholders the scenario could expand now,
// without braces.
func (st *scenario) knownPlaceholders() []string {
	known := []string{"account", "run", "group", "foreign account"}
	for _, role := range roleNames() {
		known = append(known, role, "user tokens of "+role, "group tokens of "+role)
	}
	for short := range st.tokens {
		for _, field := range []string{"id", "secret", "name", "location"} {
			known = append(known, field+" of "+short)
		}
	}
	for key := range st.saved {
		known = append(known, "$"+key)
	}
	if f := st.cfg().Fixture; f != nil {
		for _, a := range f.Accounts {
			for _, t := range a.Tokens {
				known = append(known, "fixture id of "+t.Name)
			}
		}
	}
	return known
}

// nearest returns the candidates nearest to s (as Suggest ranks steps):
// the nearest one, and up to two more that share at least half of s.
func nearest(s string, candidates []string) []string {
	candidates = slices.Clone(candidates)
	sort.Strings(candidates) // ties in a stable order
	sort.SliceStable(candidates, func(i, j int) bool { return distance(s, candidates[i]) < distance(s, candidates[j]) })
	var out []string
	for i, c := range candidates {
		if i == maxSuggestions || i > 0 && 2*distance(s, c) > max(len(s), len(c)) {
			break
		}
		out = append(out, c)
	}
	return out
}

// didYouMean returns "; did you mean A, B?" with each of forms written by
// format ("{%s}", "%q"), or "" when there are none.
func didYouMean(format string, forms []string) string {
	if len(forms) == 0 {
		return ""
	}
	for i, f := range forms {
		forms[i] = fmt.Sprintf(format, f)
	}
	return "; did you mean " + strings.Join(forms, ", ") + "?"
}

// send makes one request with the scenario's credential and headers, reads
// the whole answer and checks it against the contract. A response outside
// the contract fails the step that received it.
func (st *scenario) send(ctx context.Context, method, target string, body []byte) error {
	path, err := st.expandURL(target)
	if err != nil {
		return err
	}
	if path == "/__admin" || strings.HasPrefix(path, "/__admin/") {
		if err := st.needsMock(); err != nil {
			return err
		}
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
	maps.Copy(req.Header, st.headers.Clone())
	if st.auth != nil {
		req.Header.Set("Authorization", *st.auth)
	}
	resp, err := st.suite.client.Do(req)
	if err != nil && ctx.Err() != nil {
		// The run was stopped and the scenario's grace is over.
		return st.skip("not finished: " + context.Cause(ctx).Error())
	}
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
	if _, ok := schemas.FindOperation(req); resp.StatusCode >= 400 && !ok {
		// Outside the ten operations the contract still says: a problem.
		if err := st.suite.problem.Validate(st.doc); err != nil || st.docErr != nil {
			return st.failf("the error answer is not a problem body: %v", cmp.Or(st.docErr, err))
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

// cleanup deletes every token the scenario made and did not delete, with
// the token's own credential, which may always delete itself.
func (st *scenario) cleanup(ctx context.Context) error {
	if st.release != nil {
		defer st.release()
	}
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
