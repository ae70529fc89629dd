package mutant

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// Identities of the default fixtures (schemas/CONTRACT.md §8).
const (
	account   = "5cef50e1-a468-4f74-98a6-832d4fd76096"
	foreign   = "28d13515-3af2-46d8-9a55-87b89e3eccb4"
	admin     = "8f84cf09-8036-51e4-b579-bd30cb07b269"
	member    = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b"
	viewer    = "4086070b-0abe-4642-940f-5636b77e7d2f"
	second    = "eebaeb5c-8ae5-4ca9-8fe4-c798ed00af27"
	group     = "8266f1f1-eabe-41a5-a92d-0c2ef173efc5"
	takerID   = "43ab09af-e558-4b1b-a6d5-49df7c39f22c"
	missingID = "0b6a9c1e-3f51-4d7a-9e2b-5c8d7f6a4e31"
	requestID = "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

	asMember  = "Bearer mock-snapshot-taker"
	asViewer  = "Bearer mock-viewer"
	asSecond  = "Bearer mock-member2"
	asForeign = "Bearer mock-foreign"
)

var (
	memberTokens = "/accounts/" + account + "/core/v1/users/" + member + "/tokens"
	viewerTokens = "/accounts/" + account + "/core/v1/users/" + viewer + "/tokens"
	secondTokens = "/accounts/" + account + "/core/v1/users/" + second + "/tokens"
	groupMember  = "/accounts/" + account + "/core/v1/groups/" + group + "/users/" + member + "/tokens"
	groupSecond  = "/accounts/" + account + "/core/v1/groups/" + group + "/users/" + second + "/tokens"
)

const newToken = `{"type":"application/astra-token","version":"1.0","name":"probe","metadata":{"labels":[{"name":"team","value":"qa"}]}}`

// req is one request of a probe. In path and body, {id}, {secret},
// {etag} and {continue} stand for values of earlier answers: the id and
// secret of the last 201, the last ETag, the last metadata.continue.
type req struct {
	method, path, auth string
	body               string
	header             map[string]string
}

// probes show each mutant at work: the same requests, sent to a fresh
// deterministic mock with and without the mutant, must give different
// answers. A mutant with no probe, or whose probe sees no difference, is
// a broken mutant, not a gap in the suite.
var probes = map[string][]req{
	"get-omits-userID":    {{method: "GET", path: memberTokens + "/" + takerID, auth: asMember}},
	"secret-on-get":       {{method: "GET", path: memberTokens + "/" + takerID, auth: asMember}},
	"create-returns-hash": {{method: "POST", path: memberTokens, auth: asMember, body: newToken}, {method: "GET", path: memberTokens, auth: "Bearer {secret}"}},
	"create-drops-labels": {{method: "POST", path: memberTokens, auth: asMember, body: newToken}},
	"put-clears-labels":   created(req{method: "PUT", path: memberTokens + "/{id}", auth: asMember, body: `{"type":"application/astra-token","version":"1.0","name":"renamed"}`}, get("{id}")),
	"put-keeps-modificationTimestamp": created(req{method: "PUT", path: memberTokens + "/{id}", auth: asMember, body: `{"type":"application/astra-token","version":"1.0","name":"renamed"}`},
		get("{id}")),
	"put-omits-modifiedBy":       created(req{method: "PUT", path: memberTokens + "/{id}", auth: asMember, body: `{"type":"application/astra-token","version":"1.0","name":"renamed"}`}, list("")),
	"problem-status-number":      {{method: "GET", path: memberTokens}},
	"problem-content-type-json":  {{method: "GET", path: memberTokens}},
	"correlation-id-missing":     {{method: "GET", path: memberTokens}},
	"correlation-id-mismatch":    {{method: "GET", path: memberTokens}},
	"client-request-id-ignored":  {list("")},
	"get-missing-token-type1":    {get(missingID)},
	"delete-missing-token-type2": {{method: "DELETE", path: memberTokens + "/" + missingID, auth: asMember}},
	"missing-credential-type4":   {{method: "GET", path: memberTokens}},
	"non-bearer-as-missing":      {{method: "GET", path: memberTokens, auth: "Basic bWU6cHc="}},
	"malformed-id-404":           {get("not-a-uuid")},
	"invalid-json-type8":         {{method: "POST", path: memberTokens, auth: asMember, body: `{"type":`}},
	"method-not-allowed-404":     {{method: "PATCH", path: memberTokens, auth: asMember}},
	"create-answers-200":         {{method: "POST", path: memberTokens, auth: asMember, body: newToken}},
	"location-missing":           {{method: "POST", path: memberTokens, auth: asMember, body: newToken}},
	"location-user-scope":        {{method: "POST", path: groupMember, auth: asMember, body: newToken}},
	"etag-missing":               {get(takerID)},
	"if-match-ignored": created(req{method: "PUT", path: memberTokens + "/{id}", auth: asMember, body: `{"type":"application/astra-token","version":"1.0","name":"renamed"}`,
		header: map[string]string{"If-Match": `"0123456789abcdef0123456789abcdef"`}}),
	"accept-token-not-echoed":   {{method: "GET", path: memberTokens + "/" + takerID, auth: asMember, header: map[string]string{"Accept": "application/astra-token+json"}}},
	"accept-unchecked":          {{method: "GET", path: memberTokens + "/" + takerID, auth: asMember, header: map[string]string{"Accept": "text/html"}}},
	"list-refuses-token-accept": {{method: "GET", path: memberTokens, auth: asMember, header: map[string]string{"Accept": "application/astra-token+json"}}},
	"delete-does-not-revoke": created(req{method: "DELETE", path: memberTokens + "/{id}", auth: "Bearer {secret}"},
		req{method: "GET", path: memberTokens, auth: "Bearer {secret}"}),
	"foreign-account-404":        {{method: "GET", path: memberTokens, auth: asForeign}},
	"viewer-read-only":           {{method: "POST", path: viewerTokens, auth: asViewer, body: newToken}},
	"member-manages-others":      {{method: "GET", path: secondTokens, auth: asMember}},
	"group-membership-unchecked": {{method: "GET", path: groupSecond, auth: asSecond}},
	"limit-ignored":              {list("?limit=1")},
	"limit-zero-accepted":        {list("?limit=0")},
	"skip-ignored":               {list("?skip=1")},
	"filter-ignored":             {list("?filter=name%20eq%20'Snapshot%20Taker'")},
	"desc-ignored":               {list("?orderBy=name%20desc")},
	"default-order-reversed":     {list("")},
	"include-order-ignored":      {list("?include=name,id")},
	"count-ignores-filter":       {list("?count=true&filter=name%20eq%20'Snapshot%20Taker'")},
	"continue-missing":           {list("?limit=1")},
	"continue-overlaps":          {list("?limit=2"), list("?limit=2&continue={continue}")},
	"bad-continue-restarts":      {list("?limit=1&continue=QUJDRA==")},
	"unsupported-query-ignored":  {get(takerID + "?verbose=true")},
	"name-validation-off":        {{method: "POST", path: memberTokens, auth: asMember, body: `{"type":"application/astra-token","version":"1.0","name":"a<b"}`}},
	"put-conflict-ignored": created(req{method: "PUT", path: memberTokens + "/{id}", auth: asMember,
		body: `{"type":"application/astra-token","version":"1.0","id":"` + missingID + `"}`}),
	"body-limit-off": {{method: "POST", path: memberTokens, auth: asMember,
		body: `{"type":"application/astra-token","version":"1.0","name":"` + strings.Repeat("x", 70000) + `"}`}},
}

func get(id string) req { return req{method: "GET", path: memberTokens + "/" + id, auth: asMember} }

func list(query string) req { return req{method: "GET", path: memberTokens + query, auth: asMember} }

// created is a probe that first creates a token as the member.
func created(rs ...req) []req {
	return append([]req{{method: "POST", path: memberTokens, auth: asMember, body: newToken}}, rs...)
}

// deterministicMock is a mock whose ids, secrets, cursor key and clock
// are the same on every call, so two of them answer alike.
func deterministicMock(t *testing.T) http.Handler {
	t.Helper()
	var mu sync.Mutex
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	m, err := mockserver.New(mockserver.Options{
		Random: rand.NewChaCha8([32]byte{1, 2, 3}),
		Clock: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			now = now.Add(time.Second)
			return now
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// exchange is an answer as compared: status, headers that carry meaning
// (an ETag only as present or absent: mutants that rewrite a token body
// recompute it), and the body as JSON.
type exchange struct {
	Status int
	Header map[string]string
	Body   any
}

// run sends a probe to h and returns what came back.
func run(t *testing.T, h http.Handler, probe []req) []exchange {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	vars := map[string]string{}
	var out []exchange
	for _, q := range probe {
		expand := func(s string) string {
			for k, v := range vars {
				s = strings.ReplaceAll(s, "{"+k+"}", v)
			}
			return s
		}
		var body io.Reader
		if q.body != "" {
			body = strings.NewReader(expand(q.body))
		}
		r, err := http.NewRequest(q.method, srv.URL+expand(q.path), body)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("X-Request-ID", requestID)
		if q.auth != "" {
			r.Header.Set("Authorization", expand(q.auth))
		}
		for k, v := range q.header {
			r.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		ex := exchange{Status: resp.StatusCode, Header: map[string]string{}}
		for _, k := range []string{"Content-Type", "Location", "Allow", "X-Request-Id"} {
			if v := resp.Header.Get(k); v != "" {
				ex.Header[k] = strings.TrimPrefix(v, srv.URL) // ports differ
			}
		}
		if etag := resp.Header.Get("ETag"); etag != "" {
			ex.Header["ETag"] = "present"
			vars["etag"] = etag
		}
		if len(data) > 0 {
			if err := json.NewDecoder(bytes.NewReader(data)).Decode(&ex.Body); err != nil {
				ex.Body = string(data)
			}
		}
		if m, ok := ex.Body.(map[string]any); ok {
			if resp.StatusCode == http.StatusCreated {
				vars["id"], _ = m["id"].(string)
				vars["secret"], _ = m["token"].(string)
			}
			if md, ok := m["metadata"].(map[string]any); ok {
				if c, ok := md["continue"].(string); ok {
					vars["continue"] = url.QueryEscape(c)
				}
			}
		}
		out = append(out, ex)
	}
	return out
}

// TestMutantsBreakSomething shows every mutant changing the mock's
// answers to its probe.
func TestMutantsBreakSomething(t *testing.T) {
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range All(set) {
		if seen[m.Name] {
			t.Errorf("two mutants are called %s", m.Name)
		}
		seen[m.Name] = true
		if m.Rule == "" || m.How == "" || m.Wrap == nil {
			t.Errorf("mutant %s lacks a rule, a description or a wrapper", m.Name)
		}
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			probe, ok := probes[m.Name]
			if !ok {
				t.Fatalf("mutant %s has no probe", m.Name)
			}
			want := run(t, deterministicMock(t), probe)
			got := run(t, m.Wrap(deterministicMock(t)), probe)
			diff := cmp.Diff(want, got)
			if diff == "" {
				t.Fatalf("mutant %s changes nothing in its probe's answers: %s", m.Name, dump(want))
			}
			t.Logf("mock → mutant:\n%s", diff)
		})
	}
	for name := range probes {
		if !seen[name] {
			t.Errorf("probe %s has no mutant", name)
		}
	}
}

// TestPassthroughChangesNothing shows the mutants' plumbing alone keeping
// every probe's answers as the mock gives them.
func TestPassthroughChangesNothing(t *testing.T) {
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	for name, probe := range probes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := run(t, deterministicMock(t), probe)
			got := run(t, Passthrough(set)(deterministicMock(t)), probe)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("passthrough changes the answers to probe %s (-mock +passthrough):\n%s", name, diff)
			}
		})
	}
}

func TestParseRoute(t *testing.T) {
	for path, want := range map[string]*route{
		memberTokens:                              {account: account, user: member},
		memberTokens + "/" + takerID:              {account: account, user: member, token: takerID, item: true},
		groupMember:                               {account: account, group: group, user: member},
		groupMember + "/" + takerID:               {account: account, group: group, user: member, token: takerID, item: true},
		"/accounts/" + account + "/core/v1/users": nil,
		memberTokens + "/" + takerID + "/x":       nil,
		"/accounts/" + account + "/core/v1/groups/" + group + "/tokens": nil,
		"/healthz":         nil,
		memberTokens + "/": nil,
		"/accounts//core/v1/users/" + member + "/tokens": nil,
	} {
		got, ok := parseRoute(path)
		if want == nil {
			if ok {
				t.Errorf("parseRoute(%q) = %+v, want no route", path, got)
			}
			continue
		}
		if !ok || got != *want {
			t.Errorf("parseRoute(%q) = %+v, %v; want %+v", path, got, ok, *want)
		}
	}
	rt, _ := parseRoute(groupMember + "/" + takerID)
	if got := rt.userCollection(); got != memberTokens {
		t.Errorf("userCollection() = %s, want %s", got, memberTokens)
	}
	if got := rt.groupCollection(); got != groupMember {
		t.Errorf("groupCollection() = %s, want %s", got, groupMember)
	}
}

func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	if len(b) > 2000 {
		b = append(b[:2000], "…"...)
	}
	return fmt.Sprint(string(b))
}

func TestNotFoundKindsFollowTheMethod(t *testing.T) {
	notFound := notFoundKinds()
	for method, want := range map[string]schemas.ProblemKind{
		http.MethodGet: schemas.ProblemCollectionNotFound, http.MethodPost: schemas.ProblemCollectionNotFound,
		http.MethodPut: schemas.ProblemResourceNotFound, http.MethodDelete: schemas.ProblemResourceNotFound,
		http.MethodPatch: schemas.ProblemCollectionNotFound,
	} {
		if got := notFound(method); got != want {
			t.Errorf("404 of %s: type %d, want %d", method, got, want)
		}
	}
}

func TestSanitizeName(t *testing.T) {
	for in, want := range map[string]string{
		"Snapshot Script":   "Snapshot Script",
		"ci-token_2 (prod)": "ci-token_2 (prod)",
		"a<b>c":             "a_b_c",
		`../..\x`:           "__x",
		"a--b;c/*d*/":       "a_b_c_d_",
		"é\t`\"":            "____",
	} {
		if got := sanitizeName(in); got != want {
			t.Errorf("sanitizeName(%q) = %q, want %q", in, got, want)
		}
	}
}
