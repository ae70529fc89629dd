package mutant

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// answer is a response of the wrapped mock, held so that a mutant can
// change it before it goes out.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// serve runs r through next and keeps the whole answer.
func serve(next http.Handler, r *http.Request) *answer {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	res := rec.Result()
	return &answer{status: res.StatusCode, header: res.Header.Clone(), body: rec.Body.Bytes()}
}

// send writes a to w, with a Content-Length fitting the (possibly changed)
// body.
func (a *answer) send(w http.ResponseWriter) {
	h := w.Header()
	for k, vs := range a.header {
		h[k] = vs
	}
	h.Del("Content-Length")
	if a.status != http.StatusNoContent && a.status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(a.body)))
	}
	w.WriteHeader(a.status)
	w.Write(a.body)
}

// object decodes the body as a JSON object (numbers kept as written).
func (a *answer) object() (map[string]any, bool) {
	v, ok := decodeJSON(a.body)
	m, isObj := v.(map[string]any)
	return m, ok && isObj
}

// setObject replaces the body with m, encoded the way the mock encodes.
func (a *answer) setObject(m map[string]any) { a.body = encodeJSON(m) }

func decodeJSON(b []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

// encodeJSON is compact JSON without HTML escaping, as the mock writes it.
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("mutant: encoding %T: %v", v, err))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// problemKind returns the type of a documented problem answer, 0
// otherwise.
func (a *answer) problemKind() schemas.ProblemKind {
	m, ok := a.object()
	if !ok {
		return 0
	}
	s, _ := m["type"].(string)
	n, err := strconv.Atoi(strings.TrimPrefix(s, schemas.ProblemTypeBase))
	if !strings.HasPrefix(s, schemas.ProblemTypeBase) || err != nil {
		return 0
	}
	return schemas.ProblemKind(n)
}

// isProblem reports whether a is a problem body (documented or not).
func (a *answer) isProblem() bool {
	m, ok := a.object()
	if !ok || a.status < 400 {
		return false
	}
	_, hasType := m["type"].(string)
	_, hasTitle := m["title"].(string)
	return hasType && hasTitle
}

// becomeProblem turns a into problem k, keeping its correlation id and
// adding extra members; every other member of a problem it was is dropped.
func (a *answer) becomeProblem(kind schemas.ProblemKind, extra map[string]any) {
	k := kind.Type()
	old, _ := a.object()
	m := map[string]any{"type": k.URI(), "title": k.Title, "detail": k.Detail, "status": k.Status}
	if id, ok := old["correlationID"]; ok {
		m["correlationID"] = id
	} else if id := a.header.Get("X-Request-ID"); id != "" {
		m["correlationID"] = id
	}
	for key, v := range extra {
		m[key] = v
	}
	a.status = k.StatusCode()
	a.header.Set("Content-Type", schemas.ProblemMediaType)
	a.header.Del("Location")
	a.header.Del("ETag")
	a.setObject(m)
}

// newProblem is problem k made up by the mutant itself, without asking the
// mock, with the correlation id the mock would have used.
func newProblem(r *http.Request, k schemas.ProblemKind) *answer {
	id := r.Header.Get("X-Request-ID")
	if !isIdentifier(id) {
		id = newUUID()
	}
	a := &answer{header: http.Header{"X-Request-Id": {id}}}
	a.becomeProblem(k, nil)
	return a
}

// newUUID returns a random version-4 UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// readBody reads the request body and puts it back for the mock.
func readBody(r *http.Request) []byte {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	setBody(r, b)
	return b
}

func setBody(r *http.Request, b []byte) {
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.ContentLength = int64(len(b))
	if r.Header.Get("Content-Length") != "" {
		r.Header.Set("Content-Length", strconv.Itoa(len(b)))
	}
}

// editBody applies edit to a request body that is a JSON object; other
// bodies are left alone.
func editBody(r *http.Request, edit func(m map[string]any)) {
	b := readBody(r)
	v, ok := decodeJSON(b)
	m, isObj := v.(map[string]any)
	if !ok || !isObj {
		return
	}
	edit(m)
	setBody(r, encodeJSON(m))
}

// clone copies r with a body of its own, so it can be sent to the mock
// again.
func clone(r *http.Request, body []byte) *http.Request {
	c := r.Clone(r.Context())
	c.Body = io.NopCloser(bytes.NewReader(body))
	c.ContentLength = int64(len(body))
	if body == nil {
		c.Body = http.NoBody
	}
	return c
}

// param is one name=value piece of a raw query, kept as written.
type param struct{ raw string }

func (p param) name() string {
	k, _, _ := strings.Cut(p.raw, "=")
	n, err := url.QueryUnescape(k)
	if err != nil {
		return k
	}
	return n
}

func (p param) value() string {
	_, v, _ := strings.Cut(p.raw, "=")
	s, err := url.QueryUnescape(v)
	if err != nil {
		return v
	}
	return s
}

func makeParam(name, value string) param {
	return param{url.QueryEscape(name) + "=" + url.QueryEscape(value)}
}

func params(r *http.Request) []param {
	var ps []param
	for _, piece := range strings.Split(r.URL.RawQuery, "&") {
		if piece != "" {
			ps = append(ps, param{piece})
		}
	}
	return ps
}

func setParams(r *http.Request, ps []param) {
	raw := make([]string, len(ps))
	for i, p := range ps {
		raw[i] = p.raw
	}
	r.URL.RawQuery = strings.Join(raw, "&")
	r.RequestURI = r.URL.RequestURI()
}

func hasParam(r *http.Request, name string) bool {
	for _, p := range params(r) {
		if p.name() == name {
			return true
		}
	}
	return false
}

func paramValue(r *http.Request, name string) (string, bool) {
	for _, p := range params(r) {
		if p.name() == name {
			return p.value(), true
		}
	}
	return "", false
}

// editParams rewrites the query of r: keep returns the pieces to send in
// place of each one (none to drop it).
func editParams(r *http.Request, keep func(p param) []param) {
	var out []param
	for _, p := range params(r) {
		out = append(out, keep(p)...)
	}
	setParams(r, out)
}

// dropParams removes every parameter with one of the names.
func dropParams(r *http.Request, names ...string) {
	editParams(r, func(p param) []param {
		for _, n := range names {
			if p.name() == n {
				return nil
			}
		}
		return []param{p}
	})
}

// route is a request path of the Token API, split into its ids.
type route struct {
	account, group, user, token string
	item                        bool
}

// parseRoute splits a path of the Token API into its ids; ok is false for
// any other path. The paths are the templates of openapi.yaml's
// operations, matched segment by segment, a {parameter} by any non-empty
// segment.
func parseRoute(path string) (route, bool) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, tmpl := range templates() {
		if rt, ok := matchTemplate(tmpl, segs); ok {
			return rt, true
		}
	}
	return route{}, false
}

// templates returns the path templates of openapi.yaml.
func templates() []string {
	ops, err := schemas.Operations()
	if err != nil {
		panic(fmt.Sprintf("mutant: %v", err))
	}
	var out []string
	for _, op := range ops {
		if !slices.Contains(out, op.Template) {
			out = append(out, op.Template)
		}
	}
	return out
}

// matchTemplate matches the segments of a path against a template.
func matchTemplate(tmpl string, segs []string) (route, bool) {
	want := strings.Split(strings.TrimPrefix(tmpl, "/"), "/")
	if len(want) != len(segs) {
		return route{}, false
	}
	var rt route
	for i, w := range want {
		name, isParam := strings.CutPrefix(w, "{")
		switch {
		case !isParam:
			if segs[i] != w {
				return route{}, false
			}
			continue
		case segs[i] == "":
			return route{}, false
		}
		switch strings.TrimSuffix(name, "}") {
		case "account_id":
			rt.account = segs[i]
		case "group_id":
			rt.group = segs[i]
		case "user_id":
			rt.user = segs[i]
		case "token_id":
			rt.token, rt.item = segs[i], true
		default:
			panic("mutant: unknown path parameter " + w + " in " + tmpl)
		}
	}
	return rt, true
}

// userCollection is the path of the route's collection in user scope.
func (rt route) userCollection() string { return rt.collection(false) }

// groupCollection is the path of the route's collection in group scope.
func (rt route) groupCollection() string { return rt.collection(true) }

// collection fills in the template of a collection (the one without
// {token_id}) in group scope or not.
func (rt route) collection(group bool) string {
	for _, tmpl := range templates() {
		if !strings.Contains(tmpl, "{token_id}") && strings.Contains(tmpl, "{group_id}") == group {
			return strings.NewReplacer("{account_id}", rt.account, "{group_id}", rt.group, "{user_id}", rt.user).Replace(tmpl)
		}
	}
	panic("mutant: openapi.yaml has no collection template")
}

// isList reports whether r lists a collection.
func isList(r *http.Request) bool {
	rt, ok := parseRoute(r.URL.Path)
	return ok && !rt.item && r.Method == http.MethodGet
}

// isItemGet reports whether r reads one token.
func isItemGet(r *http.Request) bool {
	rt, ok := parseRoute(r.URL.Path)
	return ok && rt.item && r.Method == http.MethodGet
}

// bearer returns the credential of an Authorization header, if it is one.
func bearer(r *http.Request) (string, bool) {
	scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || cred == "" {
		return "", false
	}
	return cred, true
}
