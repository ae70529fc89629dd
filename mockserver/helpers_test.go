package mockserver

// The harness shared by the handler tests: a server on the default fixtures
// with a fixed, settable clock and a deterministic random source; one
// function, do, that sends a request through the handler and checks what
// every response of the mock must satisfy (CONTRACT.md §6, §7 and the OpenAPI
// document) before the test looks at the specifics; and golden files.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/store"
	"github.com/astra-contract/astra-token-kit/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// The default fixtures of CONTRACT.md §8.
const (
	acctA = "5cef50e1-a468-4f74-98a6-832d4fd76096"
	acctB = "28d13515-3af2-46d8-9a55-87b89e3eccb4"

	adminID   = "8f84cf09-8036-51e4-b579-bd30cb07b269" // admin of A (a version-5 id)
	memberID  = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b" // member of A, in the group
	viewerID  = "4086070b-0abe-4642-940f-5636b77e7d2f" // viewer of A, in the group
	member2ID = "eebaeb5c-8ae5-4ca9-8fe4-c798ed00af27" // member of A, in no group
	foreignID = "5285bef6-55fc-40e5-8f91-458869509dfa" // admin of B
	groupID   = "8266f1f1-eabe-41a5-a92d-0c2ef173efc5" // group of A

	credAdmin   = "mock-admin"
	credMember  = "QSBKV1QgVG9rZW4gd291bGQgZ28gaGVyZS4=" // the Snapshot Script token
	credTaker   = "mock-snapshot-taker"
	credChecker = "mock-volume-checker"
	credViewer  = "mock-viewer"
	credMember2 = "mock-member2"
	credForeign = "mock-foreign"

	tokAdmin   = "2c022490-0fa7-4f18-8f45-81d6f21d6b7c"
	tokScript  = "4e99da96-152e-4aee-9207-4b6d04d2238d"
	tokTaker   = "43ab09af-e558-4b1b-a6d5-49df7c39f22c"
	tokChecker = "cca48856-9e25-4170-b49a-d32265c5e5f1"
	tokViewer  = "ca848916-f306-4615-95e7-6db3012d6172"
	tokMember2 = "d6976494-2205-4408-b7a7-66432c70109f"
	tokForeign = "ba69baa7-f549-4ab4-88a9-0d286214e231"

	// Ids that are well-formed but name nothing in the fixtures.
	missingID  = "11111111-2222-4333-8444-555555555555"
	missingID5 = "11111111-2222-5333-0444-555555555555"

	mediaProblem = "application/problem+json"
)

// userColl and groupColl are the collection paths of CONTRACT.md §1 (U and G).
func userColl(account, user string) string {
	return "/accounts/" + account + "/core/v1/users/" + user + "/tokens"
}

func groupColl(account, group, user string) string {
	return "/accounts/" + account + "/core/v1/groups/" + group + "/users/" + user + "/tokens"
}

// jsonOf builds a request body from a Go value.
func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// createJSON returns a valid POST body with the given name.
func createJSON(name string) string {
	return `{"type":"application/astra-token","version":"1.0","name":` + jsonOf(name) + `}`
}

// startTime is the harness clock's first reading; the mock writes it as
// 2024-05-06T07:08:09.123456Z (microseconds, CONTRACT.md §2).
var startTime = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)

// fixedClock is a settable fixed clock.
type fixedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fixedClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *fixedClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// lockedReader makes a ChaCha8 stream safe for concurrent requests.
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

func seededRandom() io.Reader {
	var seed [32]byte
	copy(seed[:], "astra-token-kit handler tests!!!")
	return &lockedReader{r: rand.NewChaCha8(seed)}
}

// harness is one mock server on the default fixtures.
type harness struct {
	srv   *Server
	clock *fixedClock
}

func newHarness(tb testing.TB) *harness {
	tb.Helper()
	// Build the response validator before the first server: libopenapi
	// keeps process-wide caches, and a validator built from a second
	// document after the mock has built its own fails to compile
	// token.json ("schema node was not found in its root document").
	responseValidator(tb)
	c := &fixedClock{now: startTime}
	srv, err := New(Options{Clock: c.Now, Random: seededRandom()})
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return &harness{srv: srv, clock: c}
}

// req is one request. cred, if not empty, is sent as "Authorization:
// Bearer cred"; other headers (a raw Authorization among them) go in hdr as
// name, value pairs. A header value of "\x00absent" is not sent.
type req struct {
	method string
	target string // path and query
	cred   string
	body   string
	hdr    []string
}

// res is what came back, after the common checks.
type res struct {
	status int
	header http.Header
	body   []byte
	req    *http.Request
}

// json decodes the body into any.
func (r res) json(tb testing.TB) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		tb.Fatalf("body is not JSON: %v\n%s", err, r.body)
	}
	return v
}

// obj decodes the body as an object.
func (r res) obj(tb testing.TB) map[string]any {
	tb.Helper()
	m, ok := r.json(tb).(map[string]any)
	if !ok {
		tb.Fatalf("body is not a JSON object: %s", r.body)
	}
	return m
}

func (h *harness) newRequest(q req) *http.Request {
	var rd io.Reader
	if q.body != "" {
		rd = strings.NewReader(q.body)
	}
	r := httptest.NewRequest(q.method, q.target, rd)
	if q.cred != "" {
		r.Header.Set("Authorization", "Bearer "+q.cred)
	}
	for i := 0; i+1 < len(q.hdr); i += 2 {
		r.Header.Add(q.hdr[i], q.hdr[i+1])
	}
	return r
}

// do sends q through the handler, runs the common checks and returns the
// response.
func (h *harness) do(tb testing.TB, q req) res {
	tb.Helper()
	r := h.newRequest(q)
	w := httptest.NewRecorder()
	h.srv.ServeHTTP(w, r)
	out := res{status: w.Code, header: w.Result().Header, body: w.Body.Bytes(), req: h.newRequest(q)}
	checkResponse(tb, out.req, out.status, out.header, out.body)
	return out
}

// Shorthands.
func (h *harness) get(tb testing.TB, cred, target string, hdr ...string) res {
	tb.Helper()
	return h.do(tb, req{method: http.MethodGet, target: target, cred: cred, hdr: hdr})
}

func (h *harness) post(tb testing.TB, cred, target, body string, hdr ...string) res {
	tb.Helper()
	return h.do(tb, req{method: http.MethodPost, target: target, cred: cred, body: body, hdr: hdr})
}

func (h *harness) put(tb testing.TB, cred, target, body string, hdr ...string) res {
	tb.Helper()
	return h.do(tb, req{method: http.MethodPut, target: target, cred: cred, body: body, hdr: hdr})
}

func (h *harness) delete(tb testing.TB, cred, target string, hdr ...string) res {
	tb.Helper()
	return h.do(tb, req{method: http.MethodDelete, target: target, cred: cred, hdr: hdr})
}

// create POSTs a token and returns its 201 body; it fails tb on any other
// answer.
func (h *harness) create(tb testing.TB, cred, coll, body string) map[string]any {
	tb.Helper()
	r := h.post(tb, cred, coll, body)
	if r.status != http.StatusCreated {
		tb.Fatalf("POST %s: status %d, want 201: %s", coll, r.status, r.body)
	}
	return r.obj(tb)
}

// tokenCount is the number of tokens the store holds for a user.
func (h *harness) tokenCount(tb testing.TB, userID string) int {
	tb.Helper()
	page, err := h.srv.store.Load().List(context.Background(), store.List{UserID: userID, Count: true})
	if err != nil {
		tb.Fatalf("store.List: %v", err)
	}
	return page.Total
}

// ----- what every response must satisfy -----

var (
	v4Pattern         = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	identifierPattern = regexp.MustCompile(`^([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000)$`)
	base64Pattern     = regexp.MustCompile(`^([A-Za-z0-9+/]{4})*(([A-Za-z0-9+/]{2})==|([A-Za-z0-9+/]{3})=)?$`)
)

// problemKind is one row of the CONTRACT.md §6 table: status, title and
// detail as schemas/problem.json fixes them, and the one extension member
// the mock adds to that type (its policy, CONTRACT.md §6), if any.
type problemKind struct {
	status        int
	title, detail string
	extension     string
}

// extensions are the types that carry an extension member.
var extensions = map[int]string{
	5: "invalidParams", 6: "invalidParams", 8: "schemaValidationFailure",
	9: "invalidFields", 10: "invalidFields",
}

var problemTable = func() map[int]problemKind {
	types, err := schemas.ProblemTypes()
	if err != nil {
		panic(err)
	}
	m := map[int]problemKind{}
	for _, p := range types {
		m[p.N] = problemKind{p.StatusCode(), p.Title, p.Detail, extensions[p.N]}
	}
	return m
}()

// checkResponse asserts what holds for every answer of the mock: an
// X-Request-ID that is the client's valid one or a fresh v4 UUID; for
// errors, a problem body of CONTRACT.md §6 whose correlationID is that id; and
// that the answer is inside the OpenAPI document.
func checkResponse(tb testing.TB, r *http.Request, status int, header http.Header, body []byte) {
	tb.Helper()
	id := header.Get("X-Request-ID")
	sent := r.Header.Get("X-Request-ID")
	if identifierPattern.MatchString(sent) {
		if id != sent {
			tb.Errorf("X-Request-ID = %q, want the client's %q echoed", id, sent)
		}
	} else if !v4Pattern.MatchString(id) {
		tb.Errorf("X-Request-ID = %q, want a v4 UUID", id)
	}
	if status >= 400 {
		checkProblem(tb, status, header, body, id)
	}
	validateAgainstOpenAPI(tb, r, status, header, body)
}

func checkProblem(tb testing.TB, status int, header http.Header, body []byte, requestID string) {
	tb.Helper()
	if ct := header.Get("Content-Type"); ct != mediaProblem {
		tb.Errorf("status %d: Content-Type = %q, want %q", status, ct, mediaProblem)
	}
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		tb.Fatalf("status %d: problem body is not a JSON object: %v\n%s", status, err, body)
	}
	typ, _ := p["type"].(string)
	n, err := strconv.Atoi(strings.TrimPrefix(typ, "https://astra.netapp.io/problems/"))
	kind, known := problemTable[n]
	if !strings.HasPrefix(typ, "https://astra.netapp.io/problems/") || err != nil || !known {
		tb.Fatalf("status %d: problem type %q is not a documented one\n%s", status, typ, body)
	}
	want := map[string]any{"status": strconv.Itoa(status), "title": kind.title, "detail": kind.detail, "correlationID": requestID}
	got := map[string]any{"status": p["status"], "title": p["title"], "detail": p["detail"], "correlationID": p["correlationID"]}
	if diff := cmp.Diff(want, got); diff != "" {
		tb.Errorf("problem %d: members differ from CONTRACT.md §6 (-want +got):\n%s", n, diff)
	}
	if kind.status != status {
		tb.Errorf("problem %d sent with HTTP status %d, want %d", n, status, kind.status)
	}
	for _, ext := range []string{"invalidParams", "invalidFields", "schemaValidationFailure"} {
		v, present := p[ext]
		switch {
		case ext == kind.extension && !present:
			tb.Errorf("problem %d: missing %s\n%s", n, ext, body)
		case ext != kind.extension && present:
			tb.Errorf("problem %d: unexpected %s\n%s", n, ext, body)
		case present && ext == "schemaValidationFailure":
			if s, _ := v.(string); s == "" {
				tb.Errorf("problem %d: schemaValidationFailure = %v, want a non-empty string", n, v)
			}
		case present:
			items, _ := v.([]any)
			if len(items) == 0 {
				tb.Errorf("problem %d: %s = %v, want at least one {name, reason}", n, ext, v)
			}
			seen := map[string]bool{}
			for _, it := range items {
				m, _ := it.(map[string]any)
				name, _ := m["name"].(string)
				reason, _ := m["reason"].(string)
				if len(m) != 2 || name == "" || reason == "" {
					tb.Errorf("problem %d: %s item %v, want exactly a non-empty name and reason", n, ext, it)
				}
				if seen[name] {
					tb.Errorf("problem %d: %s names %q twice", n, ext, name)
				}
				seen[name] = true
			}
		}
	}
}

// problemOf returns the number of the problem type of a response body.
func problemOf(tb testing.TB, r res) int {
	tb.Helper()
	var p struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(r.body, &p); err != nil {
		tb.Fatalf("status %d: body is not a problem: %s", r.status, r.body)
	}
	n, err := strconv.Atoi(strings.TrimPrefix(p.Type, "https://astra.netapp.io/problems/"))
	if err != nil {
		tb.Fatalf("status %d: problem type %q", r.status, p.Type)
	}
	return n
}

// wantProblem fails tb unless r is problem type n (with its status).
func wantProblem(tb testing.TB, r res, n int) map[string]any {
	tb.Helper()
	wantStatus := problemTable[n].status
	if r.status != wantStatus {
		tb.Fatalf("status %d, want %d (problem %d): %s", r.status, wantStatus, n, r.body)
	}
	if got := problemOf(tb, r); got != n {
		tb.Fatalf("problem type %d, want %d: %s", got, n, r.body)
	}
	return r.obj(tb)
}

// itemNames returns the names of an invalidParams or invalidFields list.
func itemNames(p map[string]any, ext string) []string {
	var out []string
	items, _ := p[ext].([]any)
	for _, it := range items {
		m, _ := it.(map[string]any)
		s, _ := m["name"].(string)
		out = append(out, s)
	}
	return out
}

// ----- the OpenAPI document as a response validator -----

var (
	openAPIOnce sync.Once
	openAPIErr  error
	openAPIMu   sync.Mutex
	openAPIVal  validator.Validator
)

func responseValidator(tb testing.TB) validator.Validator {
	tb.Helper()
	openAPIOnce.Do(func() {
		doc, err := schemas.OpenAPI()
		if err != nil {
			openAPIErr = err
			return
		}
		v, errs := validator.NewValidator(doc, config.WithFormatAssertions())
		if len(errs) > 0 {
			openAPIErr = errs[0]
			return
		}
		openAPIVal = v
	})
	if openAPIErr != nil {
		tb.Fatalf("building the OpenAPI validator: %v", openAPIErr)
	}
	return openAPIVal
}

// documentedColl and documentedItem match the paths of the OpenAPI
// document (any segment, so that malformed ids still find their operation).
var (
	documentedColl = regexp.MustCompile(`^/accounts/[^/]+/core/v1(/groups/[^/]+)?/users/[^/]+/tokens$`)
	documentedItem = regexp.MustCompile(`^/accounts/[^/]+/core/v1(/groups/[^/]+)?/users/[^/]+/tokens/[^/]+$`)
)

// documented reports whether the OpenAPI document has an operation for
// the request.
func documented(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet:
		return documentedColl.MatchString(r.URL.Path) || documentedItem.MatchString(r.URL.Path)
	case http.MethodPost:
		return documentedColl.MatchString(r.URL.Path)
	case http.MethodPut, http.MethodDelete:
		return documentedItem.MatchString(r.URL.Path)
	}
	return false
}

// validateAgainstOpenAPI checks one answer against the OpenAPI document:
// status, media type, body schema and headers of the operation. Answers to
// what the document does not describe (another method: 405; an unknown
// path: 404 type 1) are checked against problem.json alone.
func validateAgainstOpenAPI(tb testing.TB, r *http.Request, status int, header http.Header, body []byte) {
	tb.Helper()
	if !documented(r) {
		if err := schemas.ValidateJSON(schemas.Problem, body); err != nil {
			tb.Errorf("%s %s → %d: body breaks problem.json: %v\n%s", r.Method, r.URL.Path, status, err, body)
		}
		return
	}
	v := responseValidator(tb)
	resp := &http.Response{
		StatusCode: status,
		Header:     header.Clone(),
		Body:       io.NopCloser(bytes.NewReader(body)),
		Request:    r,
	}
	openAPIMu.Lock()
	ok, errs := v.ValidateHttpResponse(r, resp)
	openAPIMu.Unlock()
	if !ok {
		var msgs []string
		for _, e := range errs {
			m := e.Message + ": " + e.Reason
			for _, f := range e.SchemaValidationErrors {
				m += "\n\t" + f.FieldPath + ": " + f.Reason
			}
			msgs = append(msgs, m)
		}
		tb.Errorf("%s %s → %d is outside the OpenAPI document:\n%s\nbody: %s",
			r.Method, r.URL.RequestURI(), status, strings.Join(msgs, "\n"), body)
	}
}

// ----- comparing bodies -----

// jsonDiff compares two JSON texts as values.
func jsonDiff(tb testing.TB, want, got []byte) string {
	tb.Helper()
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		tb.Fatalf("want is not JSON: %v\n%s", err, want)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		tb.Fatalf("got is not JSON: %v\n%s", err, got)
	}
	return cmp.Diff(w, g)
}

// golden compares a JSON body with testdata/golden/name, or rewrites the
// file under -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		var buf bytes.Buffer
		if err := json.Indent(&buf, got, "", "  "); err != nil {
			tb.Fatalf("golden %s: body is not JSON: %v", name, err)
		}
		buf.WriteByte('\n')
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("golden %s: %v (run go test -update to create it)", name, err)
	}
	if diff := jsonDiff(tb, want, got); diff != "" {
		tb.Errorf("body differs from %s (-want +got):\n%s", path, diff)
	}
}
