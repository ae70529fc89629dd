package schemas

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
)

const (
	tAccount = "5cef50e1-a468-4f74-98a6-832d4fd76096"
	tUser    = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b"
	tGroup   = "8266f1f1-eabe-41a5-a92d-0c2ef173efc5"
	tToken   = "4e99da96-152e-4aee-9207-4b6d04d2238d"
	tBase    = "http://127.0.0.1:8080"
	tUColl   = tBase + "/accounts/" + tAccount + "/core/v1/users/" + tUser + "/tokens"
	tUItem   = tUColl + "/" + tToken
	tGColl   = tBase + "/accounts/" + tAccount + "/core/v1/groups/" + tGroup + "/users/" + tUser + "/tokens"
	tGItem   = tGColl + "/" + tToken
)

func newValidator(t testing.TB, opts ...config.Option) validator.Validator {
	t.Helper()
	doc, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc, append([]config.Option{config.WithoutSecurityValidation()}, opts...)...)
	if len(errs) > 0 {
		t.Fatalf("NewValidator: %v", errs)
	}
	return v
}

func request(method, target, body string, header ...string) *http.Request {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer mock-admin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

func response(code int, contentType, body string, header ...string) *http.Response {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(bytes.NewBufferString(body))}
}

func describe(errs []*verrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("\n  " + e.ValidationType + "/" + e.ValidationSubType + " param=" + e.ParameterName + ": " + e.Message)
		for _, s := range e.SchemaValidationErrors {
			b.WriteString("\n    " + s.Reason + " at " + s.FieldPath)
		}
	}
	return b.String()
}

// want describes one expected error.
type want struct {
	typ, subType, param string
	reason              string // substring of some SchemaValidationErrors[].Reason ("" = any)
}

func checkErrs(t *testing.T, label string, ok bool, errs []*verrors.ValidationError, wants []want) {
	t.Helper()
	if len(wants) == 0 {
		if !ok || len(errs) > 0 {
			t.Errorf("%s: want valid, got%s", label, describe(errs))
		}
		return
	}
	if ok {
		t.Errorf("%s: want invalid, got valid", label)
		return
	}
	if len(errs) != len(wants) {
		t.Errorf("%s: want %d errors, got%s", label, len(wants), describe(errs))
	}
	for _, w := range wants {
		found := false
		for _, e := range errs {
			if e.ValidationType != w.typ || e.ValidationSubType != w.subType || e.ParameterName != w.param {
				continue
			}
			if w.reason == "" {
				found = true
				break
			}
			for _, s := range e.SchemaValidationErrors {
				if strings.Contains(s.Reason, w.reason) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no %+v in%s", label, w, describe(errs))
		}
	}
}

func TestValidatorRequests(t *testing.T) {
	v := newValidator(t)
	goodCreate := `{"type":"application/astra-token","version":"1.0","name":"Snapshot Script"}`
	list := func(q url.Values) string { return tUColl + "?" + q.Encode() }
	cases := []struct {
		label string
		req   *http.Request
		wants []want
	}{
		{"POST good", request("POST", tUColl, goodCreate), nil},
		{"POST good group scope", request("POST", tGColl, goodCreate), nil},
		{"POST good astra-token+json", request("POST", tUColl, goodCreate, "Content-Type", "application/astra-token+json"), nil},
		{"POST good with labels", request("POST", tUColl, `{"type":"application/astra-token","version":"1.0","name":"ci-token_2 (prod)","metadata":{"labels":[{"name":"env","value":"ci"}]}}`), nil},
		{"POST missing name", request("POST", tUColl, `{"type":"application/astra-token","version":"1.0"}`),
			[]want{{"requestBody", "schema", "", "missing property 'name'"}}},
		{"POST with id and token", request("POST", tUColl, `{"type":"application/astra-token","version":"1.0","name":"x","id":"`+tToken+`","token":"QUJD"}`),
			[]want{{"requestBody", "schema", "", "not allowed"}}},
		{"POST name too long", request("POST", tGColl, `{"type":"application/astra-token","version":"1.0","name":"`+strings.Repeat("x", 64)+`"}`),
			[]want{{"requestBody", "schema", "", "maxLength"}}},
		{"POST not JSON", request("POST", tUColl, `{"type":`), []want{{"requestBody", "schema", "", ""}}},
		{"PUT good", request("PUT", tUItem, `{"type":"application/astra-token","version":"1.0","name":"New Token Name"}`), nil},
		{"PUT good group scope with conditions", request("PUT", tGItem, `{"type":"application/astra-token","version":"1.0"}`,
			"If-Match", `"0123456789abcdef0123456789abcdef"`, "If-Unmodified-Since", "Thu, 06 Oct 2022 20:58:16 GMT", "X-Request-ID", "not-an-id"), nil},
		{"PUT with token", request("PUT", tUItem, `{"type":"application/astra-token","version":"1.0","token":"QUJD"}`),
			[]want{{"requestBody", "schema", "", "'token' not allowed"}}},
		{"GET item good", request("GET", tUItem, ""), nil},
		{"DELETE good group scope", request("DELETE", tGItem, ""), nil},
		{"GET list good", request("GET", list(url.Values{
			"include":  {"id,name"},
			"limit":    {"2"},
			"skip":     {"1"},
			"count":    {"true"},
			"orderBy":  {"name desc"},
			"filter":   {"name eq 'Snapshot Script'", "metadata.labels[*].name in 'a,b'", "metadata.creationTimestamp gte '2022-10-06T20:58:16Z'"},
			"continue": {"eyJpZCI6IjRlOTlkYTk2In0="},
		}), ""), nil},
		{"GET list literal reserved characters", request("GET", tUColl+"?filter=metadata.labels[*].value%20eq%20'a,b:c@d'&include=id,name&orderBy=name%20desc", ""), nil},
		{"GET list limit=0", request("GET", tUColl+"?limit=0", ""),
			[]want{{"parameter", "query", "limit", "does not match pattern '^([1-9][0-9]*)$'"}}},
		{"GET list three bad", request("GET", tGColl+"?skip=0&count=yes&orderBy=name%20asc", ""), []want{
			{"parameter", "query", "skip", "does not match pattern"},
			{"parameter", "query", "count", "does not match pattern"},
			{"parameter", "query", "orderBy", "does not match pattern"},
		}},
		{"GET list bad include", request("GET", list(url.Values{"include": {"id,,name"}}), ""),
			[]want{{"parameter", "query", "include", "does not match pattern"}}},
		{"GET list bad filter operator", request("GET", list(url.Values{"filter": {"name like 'x'"}}), ""),
			[]want{{"parameter", "query", "filter", "does not match pattern"}}},
		{"GET list second filter bad", request("GET", list(url.Values{"filter": {"name eq 'x'", "name eq x"}}), ""),
			[]want{{"parameter", "query", "filter", "does not match pattern"}}},
		{"GET list bad continue", request("GET", list(url.Values{"continue": {"page-2"}}), ""),
			[]want{{"parameter", "query", "continue", "does not match pattern"}}},
		{"GET list unknown parameter (not strict)", request("GET", tUColl+"?color=red", ""), nil},
		{"GET item bad token id", request("GET", tUColl+"/NOT-A-UUID", ""),
			[]want{{"parameter", "path", "token_id", "does not match pattern"}}},
		{"GET item uppercase token id", request("GET", tUColl+"/"+strings.ToUpper(tToken), ""),
			[]want{{"parameter", "path", "token_id", "does not match pattern"}}},
		{"GET list bad account id", request("GET", tBase+"/accounts/xyz/core/v1/users/"+tUser+"/tokens", ""),
			[]want{{"parameter", "path", "account_id", "does not match pattern"}}},
		{"GET unknown path", request("GET", tBase+"/accounts/"+tAccount+"/core/v1/users", ""),
			[]want{{"path", "missing", "", ""}}},
		{"PATCH", request("PATCH", tUItem, `{}`), []want{{"path", "missingOperation", "", ""}}},
	}
	for _, c := range cases {
		ok, errs := v.ValidateHttpRequestSync(c.req)
		checkErrs(t, c.label, ok, errs, c.wants)
	}
}

// TestValidatorStrictMode shows how unknown query parameters are reported
// (CONTRACT.md §4: problem type 6).
func TestValidatorStrictMode(t *testing.T) {
	v := newValidator(t, config.WithStrictMode())
	cases := []struct {
		label string
		req   *http.Request
		wants []want
	}{
		{"list with the seven", request("GET", tUColl+"?include=id&limit=1&skip=1&count=true&orderBy=name&filter=name%20eq%20'x'&continue=QUJD", ""), nil},
		{"list unknown parameter", request("GET", tUColl+"?color=red", ""), []want{{"strict", "undeclared-query-param", "color", ""}}},
		{"item with include", request("GET", tUItem+"?include=id", ""), []want{{"strict", "undeclared-query-param", "include", ""}}},
		{"POST with limit", request("POST", tUColl+"?limit=1", `{"type":"application/astra-token","version":"1.0","name":"x"}`),
			[]want{{"strict", "undeclared-query-param", "limit", ""}}},
		{"declared and standard headers pass", request("PUT", tUItem, `{"type":"application/astra-token","version":"1.0"}`,
			"If-Match", "abc", "If-Unmodified-Since", "Thu, 06 Oct 2022 20:58:16 GMT", "X-Request-ID", "x", "Accept", "*/*"), nil},
		{"unknown header", request("GET", tUItem, "", "X-Foo", "1"), []want{{"strict", "undeclared-header", "X-Foo", ""}}},
	}
	for _, c := range cases {
		ok, errs := v.ValidateHttpRequestSync(c.req)
		checkErrs(t, c.label, ok, errs, c.wants)
	}
}

func TestValidatorResponses(t *testing.T) {
	v := newValidator(t)
	get := request("GET", tUItem, "")
	good := `{"type":"application/astra-token","version":"1.0","id":"` + tToken + `","name":"Snapshot Script","userID":"` + tUser + `","metadata":{"labels":[],"creationTimestamp":"2022-10-06T20:58:17.305662Z","modificationTimestamp":"2022-10-06T20:58:17.305662Z","createdBy":"8f84cf09-8036-51e4-b579-bd30cb07b269"}}`
	noUser := strings.Replace(good, `"userID":"`+tUser+`",`, "", 1)
	etag := `"0123456789abcdef0123456789abcdef"`
	rid := "3f5b1c2a-9d4e-4f6a-8b7c-1d2e3f4a5b6c"
	p2 := `{"type":"https://astra.netapp.io/problems/2","title":"Collection not found","detail":"The collection specified in the request URI wasn't found.","status":"404","correlationID":"` + rid + `"}`
	p1 := `{"type":"https://astra.netapp.io/problems/1","title":"Resource not found","detail":"The resource specified in the request URI wasn't found.","status":"404"}`
	cases := []struct {
		label string
		req   *http.Request
		resp  *http.Response
		wants []want
	}{
		{"getUserToken 200", get, response(200, "application/json", good, "ETag", etag, "X-Request-ID", rid), nil},
		{"getUserToken 200 astra-token+json", get, response(200, "application/astra-token+json", good, "ETag", etag), nil},
		{"getUserToken 200 without userID", get, response(200, "application/json", noUser, "ETag", etag),
			[]want{{"response", "schema", "", "missing property 'userID'"}}},
		{"getUserToken 200 with secret", get, response(200, "application/json", strings.Replace(good, `"name"`, `"token":"QUJD","name"`, 1), "ETag", etag),
			[]want{{"response", "schema", "", "'token' not allowed"}}},
		{"getUserToken 200 without ETag", get, response(200, "application/json", good), []want{{"response", "header", "", "ETag"}}},
		{"getUserToken 200 bad X-Request-ID", get, response(200, "application/json", good, "ETag", etag, "X-Request-ID", "nope"),
			[]want{{"response", "headers", "x-request-id", "does not match pattern"}}},
		{"getUserToken 404 type 2", get, response(404, "application/problem+json", p2), nil},
		{"getUserToken 404 type 1", get, response(404, "application/problem+json", p1),
			[]want{{"response", "schema", "", "value must be 'https://astra.netapp.io/problems/2'"}}},
		{"getUserToken 500 undocumented", get, response(500, "application/problem+json", `{"type":"about:blank","title":"Internal Server Error","detail":"x","status":"500"}`),
			[]want{{"response", "statusCode", "", ""}}},
		{"deleteUserToken 404 type 1", request("DELETE", tUItem, ""), response(404, "application/problem+json", p1), nil},
		{"deleteUserToken 204", request("DELETE", tUItem, ""), response(204, "", "", "X-Request-ID", rid), nil},
		{"createUserToken 201", request("POST", tUColl, `{"type":"application/astra-token","version":"1.0","name":"x"}`),
			response(201, "application/json", strings.Replace(good, `"name"`, `"token":"QUJD","name"`, 1), "Location", tUItem), nil},
		{"createUserToken 201 without Location", request("POST", tUColl, `{"type":"application/astra-token","version":"1.0","name":"x"}`),
			response(201, "application/json", strings.Replace(good, `"name"`, `"token":"QUJD","name"`, 1)), []want{{"response", "header", "", "Location"}}},
		{"listUserTokens 200", request("GET", tUColl+"?include=id,name", ""),
			response(200, "application/json", `{"type":"application/astra-tokens","version":"1.0","items":[["`+tToken+`","Snapshot Script"]],"metadata":{}}`), nil},
		{"listUserTokens 401 status as number", request("GET", tUColl, ""),
			response(401, "application/problem+json", `{"type":"https://astra.netapp.io/problems/3","title":"Missing bearer token","detail":"The request is missing the required bearer token.","status":401}`),
			[]want{{"response", "schema", "", "got number, want string"}}},
	}
	for _, c := range cases {
		ok, errs := v.ValidateHttpResponse(c.req, c.resp)
		checkErrs(t, c.label, ok, errs, c.wants)
	}
}

// One validator serves concurrent requests (the mock shares one).
func TestValidatorConcurrent(t *testing.T) {
	v := newValidator(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				var req *http.Request
				wantOK := j%2 == 0
				if wantOK {
					req = request("POST", tGColl, `{"type":"application/astra-token","version":"1.0","name":"x"}`)
				} else {
					req = request("GET", tUColl+"?limit=0", "")
				}
				if ok, errs := v.ValidateHttpRequest(req); ok != wantOK {
					t.Errorf("goroutine %d request %d: ok=%v%s", i, j, ok, describe(errs))
				}
				resp := response(200, "application/json", `{"type":"application/astra-token","version":"1.0","id":"`+tToken+`","name":"x","userID":"`+tUser+`","metadata":{}}`, "ETag", `"0123456789abcdef0123456789abcdef"`)
				if ok, errs := v.ValidateHttpResponse(request("GET", tGItem, ""), resp); !ok {
					t.Errorf("goroutine %d response %d:%s", i, j, describe(errs))
				}
			}
		}(i)
	}
	wg.Wait()
}

// TestValidatorReliable builds fresh validators and checks every success body
// compiles and validates each time. (With openapi.yaml's file references
// resolved directly instead of bundled, libopenapi-validator v0.16.2 failed to
// compile the getUserToken 200 schema in about two of three validators.)
func TestValidatorReliable(t *testing.T) {
	tok := `{"type":"application/astra-token","version":"1.0","id":"` + tToken + `","name":"x","userID":"` + tUser + `","metadata":{}}`
	created := strings.Replace(tok, `"name"`, `"token":"QUJD","name"`, 1)
	list := `{"type":"application/astra-tokens","version":"1.0","items":[` + tok + `],"metadata":{"count":1}}`
	etag := `"0123456789abcdef0123456789abcdef"`
	for i := 0; i < 6; i++ {
		v := newValidator(t)
		for _, coll := range []string{tUColl, tGColl} {
			item := coll + "/" + tToken
			cases := []struct {
				req  *http.Request
				resp *http.Response
			}{
				{request("POST", coll, `{"type":"application/astra-token","version":"1.0","name":"x"}`), response(201, "application/json", created, "Location", item)},
				{request("GET", coll, ""), response(200, "application/json", list)},
				{request("GET", item, ""), response(200, "application/json", tok, "ETag", etag)},
				{request("GET", item, ""), response(200, "application/astra-token+json", tok, "ETag", etag)},
				{request("PUT", item, `{"type":"application/astra-token","version":"1.0"}`), response(204, "", "")},
				{request("DELETE", item, ""), response(204, "", "")},
			}
			for _, c := range cases {
				label := c.req.Method + " " + c.req.URL.Path
				ok, errs := v.ValidateHttpRequestSync(c.req)
				checkErrs(t, fmt.Sprintf("validator %d request %s", i, label), ok, errs, nil)
				ok, errs = v.ValidateHttpResponse(c.req, c.resp)
				checkErrs(t, fmt.Sprintf("validator %d response %s", i, label), ok, errs, nil)
			}
		}
	}
}

func TestOpenAPIConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc, err := OpenAPI()
			if err != nil {
				t.Error(err)
				return
			}
			v, errs := validator.NewValidator(doc, config.WithoutSecurityValidation())
			if len(errs) > 0 {
				t.Error(errs)
				return
			}
			if ok, errs := v.ValidateHttpRequestSync(request("GET", tUItem, "")); !ok {
				t.Error(describe(errs))
			}
		}()
	}
	wg.Wait()
}
