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
	"sync"

	"github.com/gorilla/mux"

	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
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
	return &answer{status: res.StatusCode, header: res.Header, body: rec.Body.Bytes()}
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

// object decodes the body as a JSON object.
func (a *answer) object() (map[string]any, bool) { return decodeObject(a.body) }

// setObject replaces the body with m, encoded the way the mock encodes.
func (a *answer) setObject(m map[string]any) { a.body = encodeJSON(m) }

// decodeObject decodes b if it is one JSON object, with its numbers kept
// as written.
func decodeObject(b []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return m, true
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
	m, _ := a.object()
	typ, _ := m["type"].(string)
	return schemas.ProblemKind(wire.ProblemNumber(typ))
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
	if m, ok := decodeObject(readBody(r)); ok {
		edit(m)
		setBody(r, encodeJSON(m))
	}
}

// clone copies r with a body of its own, so it can be sent to the mock
// again.
func clone(r *http.Request, body []byte) *http.Request {
	c := r.Clone(r.Context())
	setBody(c, body)
	return c
}

// param is one name=value piece of a request's raw query: as written, and
// decoded (each part as written if it does not decode).
type param struct{ raw, name, value string }

// params splits the raw query of r into its pieces, in order.
func params(r *http.Request) []param {
	var ps []param
	for _, raw := range strings.Split(r.URL.RawQuery, "&") {
		if raw != "" {
			k, v, _ := strings.Cut(raw, "=")
			ps = append(ps, param{raw: raw, name: unescape(k), value: unescape(v)})
		}
	}
	return ps
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// queryValue returns the value of the first query parameter of r called
// name.
func queryValue(r *http.Request, name string) (string, bool) {
	for _, p := range params(r) {
		if p.name == name {
			return p.value, true
		}
	}
	return "", false
}

// editQuery rewrites the query of r piece by piece: edit returns the value
// to send for each (the piece goes as written if it is unchanged), or
// false to drop it.
func editQuery(r *http.Request, edit func(name, value string) (string, bool)) {
	var out []string
	for _, p := range params(r) {
		v, keep := edit(p.name, p.value)
		switch {
		case !keep:
		case v == p.value:
			out = append(out, p.raw)
		default:
			out = append(out, url.QueryEscape(p.name)+"="+url.QueryEscape(v))
		}
	}
	setQuery(r, strings.Join(out, "&"))
}

func setQuery(r *http.Request, raw string) {
	r.URL.RawQuery = raw
	r.RequestURI = r.URL.RequestURI()
}

// dropParams removes every query parameter called one of names.
func dropParams(r *http.Request, names ...string) {
	editQuery(r, func(name, value string) (string, bool) { return value, !slices.Contains(names, name) })
}

// route is a request path of the Token API, split into its ids.
type route struct {
	account, group, user, token string
	item                        bool
}

// operations returns the operations of openapi.yaml.
func operations() []schemas.Operation {
	ops, err := schemas.Operations()
	if err != nil {
		panic(fmt.Sprintf("mutant: %v", err))
	}
	return ops
}

// apiPaths matches the path templates of openapi.yaml's operations, a
// {parameter} by any non-empty segment.
var apiPaths = sync.OnceValue(func() *mux.Router {
	m := mux.NewRouter()
	for _, op := range operations() {
		m.Path(op.Template)
	}
	return m
})

// parseRoute splits a path of the Token API into its ids; ok is false for
// any other path.
func parseRoute(path string) (route, bool) {
	var m mux.RouteMatch
	if !apiPaths().Match(&http.Request{URL: &url.URL{Path: path}}, &m) {
		return route{}, false
	}
	v := m.Vars
	return route{account: v["account_id"], group: v["group_id"], user: v["user_id"], token: v["token_id"], item: v["token_id"] != ""}, true
}

// userCollection is the path of the route's collection in user scope.
func (rt route) userCollection() string { return rt.collection(false) }

// groupCollection is the path of the route's collection in group scope.
func (rt route) groupCollection() string { return rt.collection(true) }

// collection fills in the template of a collection (the one without
// {token_id}) in group scope or not.
func (rt route) collection(group bool) string {
	for _, op := range operations() {
		if !strings.Contains(op.Template, "{token_id}") && strings.Contains(op.Template, "{group_id}") == group {
			return strings.NewReplacer("{account_id}", rt.account, "{group_id}", rt.group, "{user_id}", rt.user).Replace(op.Template)
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
