package admin

// The harness of the admin tests: a stack on the default fixtures, one
// function (do) that sends a request through Stack.Handler and checks what
// every answer must satisfy — X-Request-ID on every answer, problem bodies
// in the documented shape with the same correlation id, and documented
// admin operations answering as admin-openapi.yaml says — before the test
// looks at the specifics.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// The default fixtures of CONTRACT.md §8.
const (
	acctA     = "5cef50e1-a468-4f74-98a6-832d4fd76096"
	acctB     = "28d13515-3af2-46d8-9a55-87b89e3eccb4"
	adminID   = "8f84cf09-8036-51e4-b579-bd30cb07b269"
	foreignID = "5285bef6-55fc-40e5-8f91-458869509dfa"
	memberID  = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b"
	tokScript = "4e99da96-152e-4aee-9207-4b6d04d2238d"

	credAdmin   = "mock-admin"
	credMember  = "QSBKV1QgVG9rZW4gd291bGQgZ28gaGVyZS4="
	credForeign = "mock-foreign"

	requestID = "3f5b1c2a-9d4e-4f6a-8b7c-1d2e3f4a5b6c"

	mediaJSON    = "application/json"
	mediaProblem = "application/problem+json"
	mediaYAML    = "application/yaml"

	typeNotFound      = "https://astra.netapp.io/problems/1"
	typeMissingBearer = "https://astra.netapp.io/problems/3"
	typeInvalidBearer = "https://astra.netapp.io/problems/4"
	typeMethod        = "https://astra.netapp.io/problems/69"
	typeTooLarge      = "https://astra.netapp.io/problems/85"
)

func userTokens(user string) string {
	return "/accounts/" + acctA + "/core/v1/users/" + user + "/tokens"
}

// ownTokens maps a credential of the fixtures to the path of its user's
// own tokens, which it may list.
var ownTokens = map[string]string{
	credAdmin:   userTokens(adminID),
	credMember:  userTokens(memberID),
	credForeign: "/accounts/" + acctB + "/core/v1/users/" + foreignID + "/tokens",
}

const createBody = `{"type":"application/astra-token","version":"1.0","name":"ci token"}`

// adminValidator checks admin answers against admin-openapi.yaml. It is
// built once, before any test runs: libopenapi's model builds must not run
// concurrently with those of mockserver.New.
var (
	adminValidator validator.Validator
	// documented matches "METHOD path" of every operation in the document.
	documented []*regexp.Regexp
)

func TestMain(m *testing.M) {
	if err := setup(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func setup() error {
	doc, err := OpenAPIDocument()
	if err != nil {
		return err
	}
	v, errs := validator.NewValidator(doc, config.WithoutSecurityValidation())
	if len(errs) > 0 {
		return fmt.Errorf("NewValidator: %v", errs)
	}
	adminValidator = v
	model, err := doc.BuildV3Model()
	if err != nil {
		return err
	}
	for path, item := range model.Model.Paths.PathItems.FromOldest() {
		pattern := regexp.MustCompile(`\\\{[^/]*\\\}`).ReplaceAllString(regexp.QuoteMeta(path), `[^/]+`)
		for method := range item.GetOperations().KeysFromOldest() {
			documented = append(documented, regexp.MustCompile(`^`+strings.ToUpper(method)+` `+pattern+`$`))
		}
	}
	if len(documented) != 13 {
		return fmt.Errorf("admin-openapi.yaml has %d operations, want 13", len(documented))
	}
	return nil
}

func isDocumented(method, path string) bool {
	for _, re := range documented {
		if re.MatchString(method + " " + path) {
			return true
		}
	}
	return false
}

// newStack returns a stack on the default fixtures; edit changes the
// configuration first.
func newStack(t *testing.T, edit ...func(*Config)) *Stack {
	t.Helper()
	var cfg Config
	for _, e := range edit {
		e(&cfg)
	}
	s, err := NewStack(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// answer is a response as a test sees it.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

func (a *answer) String() string { return fmt.Sprintf("%d %s", a.Status, a.Body) }

// JSON decodes the body into v, failing the test if it cannot.
func (a *answer) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.Body, v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, a.Body)
	}
}

// Problem decodes a problem body.
func (a *answer) Problem(t *testing.T) problem.Problem {
	t.Helper()
	if ct := a.Header.Get("Content-Type"); ct != mediaProblem {
		t.Fatalf("Content-Type = %q, want %s (%s)", ct, mediaProblem, a)
	}
	var p problem.Problem
	a.JSON(t, &p)
	return p
}

// req describes a request: headers as name, value pairs (the value absent
// removes the header). A POST or PUT carries Content-Type:
// application/json unless a header says otherwise, as the admin API
// demands of its clients.
type req struct {
	method, target, body string
	header               []string
}

// do sends r through h and checks the answer: X-Request-ID always, a
// problem body in the documented shape with that correlation id, and for a
// documented admin operation the answer (and, when it succeeded, the
// request) against admin-openapi.yaml.
func do(t *testing.T, h http.Handler, r req) *answer {
	t.Helper()
	hr := r.build()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, hr)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	a := &answer{Status: res.StatusCode, Header: res.Header, Body: body}

	id := a.Header.Get("X-Request-ID")
	if id == "" {
		t.Errorf("%s %s: no X-Request-ID", r.method, r.target)
	}
	if a.Header.Get("Content-Type") == mediaProblem {
		if err := schemas.ValidateJSON(schemas.Problem, body); err != nil {
			t.Errorf("%s %s: problem body against problem.json: %v\n%s", r.method, r.target, err, body)
		}
		var p problem.Problem
		if json.Unmarshal(body, &p) == nil && p.CorrelationID != id {
			t.Errorf("%s %s: correlationID %q, X-Request-ID %q", r.method, r.target, p.CorrelationID, id)
		}
		if p.StatusCode() != a.Status {
			t.Errorf("%s %s: problem status %q, HTTP status %d", r.method, r.target, p.Status, a.Status)
		}
	}
	if isAdminPath(hr.URL.Path) && isDocumented(r.method, hr.URL.Path) && a.Status != http.StatusMethodNotAllowed {
		res.Body = io.NopCloser(bytes.NewReader(body))
		if ok, errs := adminValidator.ValidateHttpResponse(r.build(), res); !ok {
			t.Errorf("%s %s answered %d against admin-openapi.yaml:%s\n%s", r.method, r.target, a.Status, describe(errs), body)
		}
		if a.Status < 300 {
			if ok, errs := adminValidator.ValidateHttpRequest(r.build()); !ok {
				t.Errorf("%s %s succeeded but the request fails admin-openapi.yaml:%s", r.method, r.target, describe(errs))
			}
		}
	}
	return a
}

// absent, as a header value of req, removes the header.
const absent = "\x00absent"

func (r req) build() *http.Request {
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, "http://127.0.0.1:8080"+r.target, body)
	if r.body != "" || r.method == http.MethodPost || r.method == http.MethodPut {
		hr.Header.Set("Content-Type", mediaJSON)
	}
	for i := 0; i+1 < len(r.header); i += 2 {
		if r.header[i+1] == absent {
			hr.Header.Del(r.header[i])
			continue
		}
		if strings.EqualFold(r.header[i], "Host") {
			hr.Host = r.header[i+1]
			continue
		}
		hr.Header.Set(r.header[i], r.header[i+1])
	}
	return hr
}

func describe(errs []*verrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("\n  " + e.ValidationType + "/" + e.ValidationSubType + ": " + e.Message + " " + e.Reason)
		for _, s := range e.SchemaValidationErrors {
			b.WriteString("\n    " + s.Reason + " at " + s.FieldPath)
		}
	}
	return b.String()
}

// validRequest reports whether admin-openapi.yaml accepts r.
func validRequest(r req) (bool, string) {
	ok, errs := adminValidator.ValidateHttpRequest(r.build())
	return ok, describe(errs)
}

// wantStatus fails the test unless a has the status.
func wantStatus(t *testing.T, a *answer, status int) {
	t.Helper()
	if a.Status != status {
		t.Fatalf("status %d, want %d: %s", a.Status, status, a.Body)
	}
}

// wantProblem checks a problem answer's status, type and title.
func wantProblem(t *testing.T, a *answer, status int, typ, title string) problem.Problem {
	t.Helper()
	wantStatus(t, a, status)
	p := a.Problem(t)
	if p.Type != typ || p.Title != title {
		t.Errorf("problem type %q title %q, want %q %q", p.Type, p.Title, typ, title)
	}
	return p
}

// state returns GET /__admin/state's body.
func state(t *testing.T, s *Stack) []byte {
	t.Helper()
	a := do(t, s.Handler(), req{method: "GET", target: "/__admin/state"})
	wantStatus(t, a, http.StatusOK)
	return a.Body
}

// createToken creates a token for the admin through the API and returns
// its secret.
func createToken(t *testing.T, s *Stack) (id, secret string) {
	t.Helper()
	a := do(t, s.Handler(), req{method: "POST", target: userTokens(adminID), body: createBody, header: []string{"Authorization", "Bearer " + credAdmin}})
	wantStatus(t, a, http.StatusCreated)
	var tok struct{ ID, Token string }
	a.JSON(t, &tok)
	return tok.ID, tok.Token
}

// listStatus is the status of a list of the user's own tokens (ownTokens;
// the admin's for a credential not in the fixtures) with credential.
func listStatus(t *testing.T, s *Stack, credential string) int {
	t.Helper()
	path, ok := ownTokens[credential]
	if !ok {
		path = userTokens(adminID)
	}
	return do(t, s.Handler(), req{method: "GET", target: path, header: []string{"Authorization", "Bearer " + credential}}).Status
}

func mustParseState(t *testing.T, body []byte) *fixtures.Set {
	t.Helper()
	set, err := fixtures.Parse("state", body)
	if err != nil {
		t.Fatalf("the state does not parse as fixtures: %v", err)
	}
	return set
}
