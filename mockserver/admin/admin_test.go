package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver"
	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/journal"
	"github.com/astra-contract/astra-token-kit/schemas"
)

func TestResetRestoresTheFixturesAndRevokesCreatedCredentials(t *testing.T) {
	s := newStack(t)
	before := state(t, s)
	_, secret := createToken(t, s)
	if got := listStatus(t, s, secret); got != http.StatusOK {
		t.Fatalf("the new credential answers %d before the reset", got)
	}
	del := do(t, s.Handler(), req{method: "DELETE", target: userTokens(memberID) + "/" + tokScript, header: []string{"Authorization", "Bearer " + credAdmin}})
	wantStatus(t, del, http.StatusNoContent)

	a := do(t, s.Handler(), req{method: "POST", target: "/__admin/reset"})
	wantStatus(t, a, http.StatusNoContent)
	if len(a.Body) != 0 {
		t.Errorf("204 with a body: %s", a.Body)
	}
	if got := listStatus(t, s, secret); got != http.StatusUnauthorized {
		t.Errorf("the credential created before the reset answers %d, want 401", got)
	}
	if got := listStatus(t, s, credMember); got != http.StatusOK {
		t.Errorf("the deleted fixture credential answers %d after the reset, want 200", got)
	}
	if diff := cmp.Diff(string(before), string(state(t, s))); diff != "" {
		t.Errorf("state after the reset differs from the fixtures (-want +got):\n%s", diff)
	}
}

func TestGetStateIsAFixturesDocumentWithoutPlainSecrets(t *testing.T) {
	s := newStack(t)
	_, secret := createToken(t, s)
	a := do(t, s.Handler(), req{method: "GET", target: "/__admin/state"})
	wantStatus(t, a, http.StatusOK)
	if ct := a.Header.Get("Content-Type"); ct != mediaJSON {
		t.Errorf("Content-Type %q, want %s", ct, mediaJSON)
	}
	set := mustParseState(t, a.Body)
	for _, plain := range []string{secret, credAdmin, credMember, `"secret"`} {
		if bytes.Contains(a.Body, []byte(plain)) {
			t.Errorf("the state contains %s", plain)
		}
	}
	acct, ok := set.Account(acctA)
	if !ok {
		t.Fatal("account A missing from the state")
	}
	if len(acct.Tokens) != 7 {
		t.Errorf("account A has %d tokens, want the 6 fixtures and the new one", len(acct.Tokens))
	}
	for _, cred := range []string{secret, credAdmin} {
		if _, _, ok := set.TokenBySecret(cred); !ok {
			t.Errorf("no secretHash in the state matches %q", cred)
		}
	}
}

func TestPutStateRoundTripsWhatGetStateAnswers(t *testing.T) {
	s := newStack(t)
	createToken(t, s)
	got := state(t, s)
	a := do(t, s.Handler(), req{method: "PUT", target: "/__admin/state", body: string(got)})
	wantStatus(t, a, http.StatusNoContent)
	if again := state(t, s); !bytes.Equal(again, got) {
		t.Errorf("GET after PUT differs:\n%s", cmp.Diff(string(got), string(again)))
	}
}

func TestPutStateReplacesTheState(t *testing.T) {
	s := newStack(t)
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	set.Accounts = set.Accounts[:1] // account B is gone
	set.Accounts[0].Tokens[0].Secret = "replaced-admin-secret"
	body, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, do(t, s.Handler(), req{method: "PUT", target: "/__admin/state", body: string(body)}), http.StatusNoContent)
	for cred, want := range map[string]int{
		"replaced-admin-secret": http.StatusOK,
		credAdmin:               http.StatusUnauthorized,
		credForeign:             http.StatusUnauthorized,
	} {
		if got := listStatus(t, s, cred); got != want {
			t.Errorf("credential %q answers %d, want %d", cred, got, want)
		}
	}
	// Reset goes back to the fixtures the mock started with, not to the
	// state PUT last.
	wantStatus(t, do(t, s.Handler(), req{method: "POST", target: "/__admin/reset"}), http.StatusNoContent)
	if got := listStatus(t, s, credAdmin); got != http.StatusOK {
		t.Errorf("after the reset the fixture credential answers %d", got)
	}
}

func TestPutStateRefusesBadDocumentsAndChangesNothing(t *testing.T) {
	valid := string(fixtures.DefaultJSON())
	tests := []struct {
		name string
		body string
		// detail must contain each of these
		detail []string
		// field is the first invalidFields name; "" for none
		field string
	}{
		{name: "an empty body", body: "", detail: []string{"request body"}},
		{name: "a body that is not JSON", body: `{"accounts": [`, detail: []string{"request body:1:"}},
		{name: "an unknown role", body: strings.Replace(valid, `"role": "viewer"`, `"role": "superuser"`, 1),
			detail: []string{"request body", "accounts[0].users[2].role"}, field: "accounts[0].users[2].role"},
		{name: "a duplicate user id", body: strings.Replace(valid, "4086070b-0abe-4642-940f-5636b77e7d2f\",\n          \"name\": \"Account A viewer\"", "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b\",\n          \"name\": \"Account A viewer\"", 1),
			detail: []string{"accounts[0].users[2].id"}, field: "accounts[0].users[2].id"},
		{name: "a document without accounts", body: `{}`, detail: []string{"accounts"}},
		{name: "an unknown member", body: `{"accounts": [], "color": "red"}`, detail: []string{"color"}},
		{name: "a duplicate key", body: `{"accounts": [], "accounts": []}`, detail: []string{"duplicate key"}, field: "accounts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t)
			createToken(t, s)
			before := state(t, s)
			if tt.body == valid {
				t.Fatal("the test's edit did not apply")
			}
			a := do(t, s.Handler(), req{method: "PUT", target: "/__admin/state", body: tt.body})
			p := wantProblem(t, a, http.StatusBadRequest, "about:blank", "Bad Request")
			for _, want := range tt.detail {
				if !strings.Contains(p.Detail, want) {
					t.Errorf("detail %q does not contain %q", p.Detail, want)
				}
			}
			if tt.field != "" && (len(p.InvalidFields) == 0 || p.InvalidFields[0].Name != tt.field) {
				t.Errorf("invalidFields %+v, want %s first", p.InvalidFields, tt.field)
			}
			if after := state(t, s); !bytes.Equal(after, before) {
				t.Errorf("a refused PUT changed the state:\n%s", cmp.Diff(string(before), string(after)))
			}
		})
	}
}

func TestPutStateRefusesBodiesOverItsLimit(t *testing.T) {
	const limit = 1 << 20 // DefaultMaxStateBytes is 1 GiB: too much for a test to send
	s := newStack(t, func(c *Config) { c.MaxStateBytes = limit })
	before := state(t, s)
	body := `{"accounts": []` + strings.Repeat(" ", limit) + `}`
	a := do(t, s.Handler(), req{method: "PUT", target: "/__admin/state", body: body})
	wantProblem(t, a, http.StatusRequestEntityTooLarge, typeTooLarge, "Request body too large")
	if after := state(t, s); !bytes.Equal(after, before) {
		t.Error("a refused PUT changed the state")
	}
}

// journalBody is GET /__admin/requests' body.
type journalBody struct {
	Requests []journal.Entry `json:"requests"`
	Total    int             `json:"total"`
}

func listJournal(t *testing.T, s *Stack, query string) journalBody {
	t.Helper()
	a := do(t, s.Handler(), req{method: "GET", target: "/__admin/requests" + query})
	wantStatus(t, a, http.StatusOK)
	var j journalBody
	a.JSON(t, &j)
	return j
}

func TestTheJournalListsAPIRequestsNewestFirstWithCredentialsRedacted(t *testing.T) {
	s := newStack(t)
	start := time.Now()
	listStatus(t, s, credAdmin)
	_, secret := createToken(t, s)
	// Neither admin requests nor the API document are journaled.
	do(t, s.Handler(), req{method: "GET", target: "/__admin/health"})
	do(t, s.Handler(), req{method: "GET", target: "/openapi.yaml"})

	j := listJournal(t, s, "")
	if j.Total != 2 || len(j.Requests) != 2 {
		t.Fatalf("total %d, %d entries, want the 2 API requests: %+v", j.Total, len(j.Requests), j.Requests)
	}
	newest, oldest := j.Requests[0], j.Requests[1]
	if newest.Method != "POST" || newest.Status != http.StatusCreated || oldest.Method != "GET" || oldest.Status != http.StatusOK {
		t.Errorf("entries %s %d, %s %d; want POST 201 first, then GET 200", newest.Method, newest.Status, oldest.Method, oldest.Status)
	}
	if newest.ID <= oldest.ID || newest.Time.Before(start) {
		t.Errorf("ids %d, %d; time %v (start %v)", newest.ID, oldest.ID, newest.Time, start)
	}
	if newest.Path != userTokens(adminID) {
		t.Errorf("path %q", newest.Path)
	}
	for _, e := range j.Requests {
		if got := http.Header(e.RequestHeaders).Get("Authorization"); got != "Bearer [REDACTED]" {
			t.Errorf("entry %d: Authorization %q", e.ID, got)
		}
		if e.CorrelationID == "" || e.CorrelationID != http.Header(e.ResponseHeaders).Get("X-Request-ID") {
			t.Errorf("entry %d: correlationID %q", e.ID, e.CorrelationID)
		}
	}
	raw := do(t, s.Handler(), req{method: "GET", target: "/__admin/requests"}).Body
	for _, plain := range []string{secret, credAdmin} {
		if bytes.Contains(raw, []byte(plain)) {
			t.Errorf("the journal shows the credential %q", plain)
		}
	}
	if !strings.Contains(newest.ResponseBody, `"token":"[REDACTED]"`) {
		t.Errorf("the 201 body is not redacted: %s", newest.ResponseBody)
	}
}

func TestJournalFiltersSelectEntries(t *testing.T) {
	s := newStack(t)
	listStatus(t, s, credAdmin)      // GET 200
	createToken(t, s)                // POST 201
	listStatus(t, s, "not-a-secret") // GET 401
	do(t, s.Handler(), req{method: "GET", target: "/nowhere"})
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339Nano)
	tests := []struct {
		name  string
		query string
		want  []string // "METHOD status" of the entries, newest first
		total int
	}{
		{name: "no filter lists all", query: "", want: []string{"GET 404", "GET 401", "POST 201", "GET 200"}, total: 4},
		{name: "method ignores case", query: "?method=post", want: []string{"POST 201"}, total: 1},
		{name: "path is a regular expression", query: "?path=/tokens$", want: []string{"GET 401", "POST 201", "GET 200"}, total: 3},
		{name: "status", query: "?status=401", want: []string{"GET 401"}, total: 1},
		{name: "limit keeps the newest and total counts all", query: "?limit=2", want: []string{"GET 404", "GET 401"}, total: 4},
		{name: "filters combine", query: "?method=GET&path=tokens&limit=1", want: []string{"GET 401"}, total: 2},
		{name: "since in the future selects nothing", query: "?since=" + future, want: []string{}, total: 0},
		{name: "since in the past selects everything", query: "?since=" + past, want: []string{"GET 404", "GET 401", "POST 201", "GET 200"}, total: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := listJournal(t, s, tt.query)
			got := []string{}
			for _, e := range j.Requests {
				got = append(got, e.Method+" "+itoa(e.Status))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || j.Total != tt.total {
				t.Errorf("total %d (want %d); entries (-want +got):\n%s", j.Total, tt.total, diff)
			}
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestJournalQueriesWithBadParametersAreRefusedNamingThem(t *testing.T) {
	s := newStack(t)
	tests := []struct {
		name  string
		query string
		want  []string // invalidParams names
	}{
		{name: "a status that is not a number", query: "?status=abc", want: []string{"status"}},
		{name: "a status out of range", query: "?status=99", want: []string{"status"}},
		{name: "a limit of zero", query: "?limit=0", want: []string{"limit"}},
		{name: "a since that is not RFC 3339", query: "?since=yesterday", want: []string{"since"}},
		{name: "a path that does not compile", query: "?path=(", want: []string{"path"}},
		{name: "a method that is not a token", query: "?method=GE%20T", want: []string{"method"}},
		{name: "an unknown parameter", query: "?color=red", want: []string{"color"}},
		{name: "a repeated parameter", query: "?method=GET&method=POST", want: []string{"method"}},
		{name: "two bad parameters", query: "?limit=-1&status=abc", want: []string{"limit", "status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, s.Handler(), req{method: "GET", target: "/__admin/requests" + tt.query})
			p := wantProblem(t, a, http.StatusBadRequest, "about:blank", "Bad Request")
			var names []string
			for _, it := range p.InvalidParams {
				names = append(names, it.Name)
				if it.Reason == "" {
					t.Errorf("no reason for %s", it.Name)
				}
				if !strings.Contains(p.Detail, it.Name) {
					t.Errorf("detail %q does not name %s", p.Detail, it.Name)
				}
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("invalidParams (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeleteRequestsClearsTheJournal(t *testing.T) {
	s := newStack(t)
	listStatus(t, s, credAdmin)
	wantStatus(t, do(t, s.Handler(), req{method: "DELETE", target: "/__admin/requests"}), http.StatusNoContent)
	if j := listJournal(t, s, ""); j.Total != 0 || len(j.Requests) != 0 {
		t.Errorf("after DELETE: %+v", j)
	}
	listStatus(t, s, credAdmin)
	if j := listJournal(t, s, ""); j.Total != 1 {
		t.Errorf("the journal records again after DELETE: total %d", j.Total)
	}
}

func addFault(t *testing.T, s *Stack, rule string) fault.Rule {
	t.Helper()
	a := do(t, s.Handler(), req{method: "POST", target: "/__admin/faults", body: rule})
	wantStatus(t, a, http.StatusCreated)
	var r fault.Rule
	a.JSON(t, &r)
	if loc := a.Header.Get("Location"); loc != "/__admin/faults/"+r.ID {
		t.Errorf("Location %q for rule %q", loc, r.ID)
	}
	return r
}

func TestAFaultRuleAnswers503OnceThenTheMockServesAgain(t *testing.T) {
	s := newStack(t)
	rule := addFault(t, s, `{"method":"POST","path":"/accounts/.*/tokens","times":1,"status":503}`)
	want := fault.Rule{ID: rule.ID, Method: "POST", Path: "/accounts/.*/tokens", Times: 1, Status: 503, Remaining: 1}
	if diff := cmp.Diff(want, rule); diff != "" || rule.ID == "" {
		t.Errorf("stored rule (-want +got):\n%s", diff)
	}

	// Another method is not affected.
	if got := listStatus(t, s, credAdmin); got != http.StatusOK {
		t.Errorf("GET answers %d under a POST rule", got)
	}
	a := do(t, s.Handler(), req{method: "POST", target: userTokens(adminID), body: createBody,
		header: []string{"Authorization", "Bearer " + credAdmin, "X-Request-ID", requestID}})
	p := wantProblem(t, a, http.StatusServiceUnavailable, "about:blank", "Service Unavailable")
	if p.CorrelationID != requestID {
		t.Errorf("correlationID %q, want the client's %s", p.CorrelationID, requestID)
	}
	if got := a.Header.Get(fault.Header); got != rule.ID {
		t.Errorf("%s: %q, want %q", fault.Header, got, rule.ID)
	}
	createToken(t, s) // 201: the rule is spent

	j := listJournal(t, s, "?method=POST")
	if len(j.Requests) != 2 || j.Requests[1].Status != 503 || j.Requests[1].Fault != rule.ID || j.Requests[0].Fault != "" {
		t.Errorf("journal: %+v", j.Requests)
	}
	var faults struct{ Faults []fault.Rule }
	do(t, s.Handler(), req{method: "GET", target: "/__admin/faults"}).JSON(t, &faults)
	if len(faults.Faults) != 0 {
		t.Errorf("the spent rule is still listed: %+v", faults.Faults)
	}
}

func TestInvalidFaultRulesAreRefusedNamingTheField(t *testing.T) {
	s := newStack(t)
	tests := []struct {
		name   string
		body   string
		fields []string // invalidFields names; nil: none
		detail string   // detail must contain it
		// schemaAccepts: admin-openapi.yaml cannot tell (a path that is
		// not a Go regular expression).
		schemaAccepts bool
	}{
		{name: "an empty body", body: "", detail: "empty body"},
		{name: "a body that is not JSON", body: `{"path":`, detail: "invalid fault rule"},
		{name: "data after the rule", body: `{"path":"x","status":503} {}`, detail: "after the rule"},
		{name: "no path", body: `{"status":503}`, fields: []string{"path"}, detail: "path"},
		{name: "a path that is not a regular expression", body: `{"path":"(","status":503}`, fields: []string{"path"}, detail: "path", schemaAccepts: true},
		{name: "a method that is not a token", body: `{"method":"GE T","path":"x","status":503}`, fields: []string{"method"}, detail: "method"},
		{name: "no action", body: `{"path":"x"}`, fields: []string{"status", "latencyMs", "drop"}, detail: "status, latencyMs or drop"},
		{name: "two actions", body: `{"path":"x","status":503,"drop":true}`, fields: []string{"status", "latencyMs", "drop"}, detail: "exactly one"},
		{name: "a status that is not an error", body: `{"path":"x","status":200}`, fields: []string{"status"}, detail: "status"},
		{name: "a status past 599", body: `{"path":"x","status":600}`, fields: []string{"status"}, detail: "status"},
		{name: "a latency over a minute", body: `{"path":"x","latencyMs":60001}`, fields: []string{"latencyMs"}, detail: "latencyMs"},
		{name: "a negative latency", body: `{"path":"x","latencyMs":-5}`, fields: []string{"latencyMs"}, detail: "latencyMs"},
		{name: "negative times", body: `{"path":"x","status":503,"times":-1}`, fields: []string{"times"}, detail: "times"},
		{name: "a probability over 1", body: `{"path":"x","status":503,"probability":1.5}`, fields: []string{"probability"}, detail: "probability"},
		{name: "a negative probability", body: `{"path":"x","status":503,"probability":-0.5}`, fields: []string{"probability"}, detail: "probability"},
		{name: "times and probability", body: `{"path":"x","status":503,"times":2,"probability":0.5}`, fields: []string{"times", "probability"}, detail: "times and probability"},
		{name: "an unknown field", body: `{"path":"x","status":503,"colour":"red"}`, fields: []string{"colour"}, detail: "colour"},
		{name: "an unknown field whose name needs escapes", body: `{"path":"x","status":503,"a\"b\\c":1}`, fields: []string{`a"b\c`}, detail: `a\"b\\c`},
		{name: "a status that is a string", body: `{"path":"x","status":"503"}`, fields: []string{"status"}, detail: "status"},
		{name: "times that is a fraction", body: `{"path":"x","status":503,"times":1.5}`, fields: []string{"times"}, detail: "times"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req{method: "POST", target: "/__admin/faults", body: tt.body}
			a := do(t, s.Handler(), r)
			p := wantProblem(t, a, http.StatusBadRequest, "about:blank", "Bad Request")
			if !strings.Contains(p.Detail, tt.detail) || !strings.HasPrefix(p.Detail, "invalid fault rule: ") {
				t.Errorf("detail %q, want it to contain %q", p.Detail, tt.detail)
			}
			var names []string
			for _, it := range p.InvalidFields {
				names = append(names, it.Name)
			}
			if diff := cmp.Diff(tt.fields, names); diff != "" {
				t.Errorf("invalidFields (-want +got):\n%s", diff)
			}
			if ok, why := validRequest(r); ok != tt.schemaAccepts {
				t.Errorf("admin-openapi.yaml accepts the rule: %v, want %v%s", ok, tt.schemaAccepts, why)
			}
		})
	}
	if rules := s.Faults.List(); len(rules) != 0 {
		t.Errorf("refused rules were stored: %+v", rules)
	}
}

func TestValidFaultRulesAreStoredAsTheSchemaSays(t *testing.T) {
	s := newStack(t)
	tests := []struct {
		name string
		body string
		want fault.Rule
	}{
		{name: "a status for any method", body: `{"path":"^/accounts/","status":500}`, want: fault.Rule{Path: "^/accounts/", Status: 500}},
		{name: "a latency with a lowercase method", body: `{"method":"get","path":"/tokens$","latencyMs":2000}`, want: fault.Rule{Method: "GET", Path: "/tokens$", LatencyMS: 2000}},
		{name: "a drop with a probability", body: `{"method":"DELETE","path":"x","probability":0.1,"drop":true}`, want: fault.Rule{Method: "DELETE", Path: "x", Probability: 0.1, Drop: true}},
		{name: "zero values count as not given", body: `{"method":"","path":"x","times":0,"probability":0,"status":0,"latencyMs":0,"drop":true}`, want: fault.Rule{Path: "x", Drop: true}},
		{name: "an id and remaining given are ignored", body: `{"id":"mine","path":"x","status":429,"times":3,"remaining":99}`, want: fault.Rule{Path: "x", Status: 429, Times: 3, Remaining: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := addFault(t, s, tt.body)
			tt.want.ID = got.ID
			if diff := cmp.Diff(tt.want, got); diff != "" || !strings.HasPrefix(got.ID, "f") {
				t.Errorf("stored rule (-want +got):\n%s", diff)
			}
			a := do(t, s.Handler(), req{method: "GET", target: "/__admin/faults/" + got.ID})
			wantStatus(t, a, http.StatusOK)
			var again fault.Rule
			a.JSON(t, &again)
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("GET /__admin/faults/%s (-post +get):\n%s", got.ID, diff)
			}
		})
	}
}

func TestTheDocumentedFaultRuleExamplesAreAccepted(t *testing.T) {
	doc, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	media := model.Model.Paths.PathItems.GetOrZero("/__admin/faults").Post.RequestBody.Content.GetOrZero("application/json")
	if media.Examples.Len() == 0 {
		t.Fatal("no examples")
	}
	for name, ex := range media.Examples.FromOldest() {
		t.Run(name, func(t *testing.T) {
			var v any
			if err := ex.Value.Decode(&v); err != nil {
				t.Fatal(err)
			}
			body, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			addFault(t, newStack(t), string(body))
		})
	}
}

func TestFaultRulesAreListedAndRemoved(t *testing.T) {
	s := newStack(t)
	f1 := addFault(t, s, `{"path":"a","status":500}`)
	f2 := addFault(t, s, `{"path":"b","latencyMs":10}`)
	f3 := addFault(t, s, `{"path":"c","drop":true}`)
	list := func() []string {
		t.Helper()
		a := do(t, s.Handler(), req{method: "GET", target: "/__admin/faults"})
		wantStatus(t, a, http.StatusOK)
		var body struct{ Faults []fault.Rule }
		a.JSON(t, &body)
		ids := []string{}
		for _, r := range body.Faults {
			ids = append(ids, r.ID)
		}
		return ids
	}
	if diff := cmp.Diff([]string{f1.ID, f2.ID, f3.ID}, list()); diff != "" {
		t.Errorf("in the order added (-want +got):\n%s", diff)
	}
	wantStatus(t, do(t, s.Handler(), req{method: "DELETE", target: "/__admin/faults/" + f2.ID}), http.StatusNoContent)
	if diff := cmp.Diff([]string{f1.ID, f3.ID}, list()); diff != "" {
		t.Errorf("after removing %s (-want +got):\n%s", f2.ID, diff)
	}
	for _, r := range []req{
		{method: "DELETE", target: "/__admin/faults/" + f2.ID},
		{method: "GET", target: "/__admin/faults/" + f2.ID},
		{method: "DELETE", target: "/__admin/faults/f999"},
		{method: "GET", target: "/__admin/faults/nonsense"},
	} {
		wantProblem(t, do(t, s.Handler(), r), http.StatusNotFound, typeNotFound, "Resource not found")
	}
	wantStatus(t, do(t, s.Handler(), req{method: "DELETE", target: "/__admin/faults"}), http.StatusNoContent)
	if got := list(); len(got) != 0 {
		t.Errorf("after DELETE /__admin/faults: %v", got)
	}
	if got := addFault(t, s, `{"path":"d","status":500}`); got.ID == f1.ID || got.ID == f3.ID {
		t.Errorf("an id was reused: %s", got.ID)
	}
}

// sleeper records the waits of the fault injector instead of waiting.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return nil
}

func (s *sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.waits)
}

func TestALatencyFaultDelaysTheAnswerThroughTheInjectedSleep(t *testing.T) {
	var sl sleeper
	s := newStack(t, func(c *Config) { c.Faults.Sleep = sl.Sleep })
	rule := addFault(t, s, `{"method":"GET","path":"/tokens$","latencyMs":1500}`)
	a := do(t, s.Handler(), req{method: "GET", target: userTokens(adminID), header: []string{"Authorization", "Bearer " + credAdmin}})
	wantStatus(t, a, http.StatusOK)
	if got := a.Header.Get(fault.Header); got != rule.ID {
		t.Errorf("%s: %q", fault.Header, got)
	}
	if diff := cmp.Diff([]time.Duration{1500 * time.Millisecond}, sl.Waits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	// Admin requests are never delayed.
	do(t, s.Handler(), req{method: "GET", target: "/__admin/faults"})
	if n := len(sl.Waits()); n != 1 {
		t.Errorf("%d waits after an admin request", n)
	}
}

func TestAGlobalLatencyDelaysAPIRequestsOnly(t *testing.T) {
	var sl sleeper
	s := newStack(t, func(c *Config) {
		c.Faults = fault.Options{Sleep: sl.Sleep, Latency: 20 * time.Millisecond}
	})
	listStatus(t, s, credAdmin)
	do(t, s.Handler(), req{method: "GET", target: "/__admin/health"})
	do(t, s.Handler(), req{method: "GET", target: "/openapi.yaml"})
	if diff := cmp.Diff([]time.Duration{20 * time.Millisecond}, sl.Waits()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestADropFaultClosesTheConnectionAndIsJournaledWithoutStatus(t *testing.T) {
	s := newStack(t)
	rule := addFault(t, s, `{"method":"GET","path":"/tokens$","times":1,"drop":true}`)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	r, err := http.NewRequest("GET", srv.URL+userTokens(adminID), nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", "Bearer "+credAdmin)
	if res, err := srv.Client().Do(r); err == nil {
		res.Body.Close()
		t.Fatalf("the dropped request was answered %d", res.StatusCode)
	}
	// The client sees the connection close before the handler returns and
	// the journal records it: wait for the entry (at most 5 s).
	j := listJournal(t, s, "")
	for deadline := time.Now().Add(5 * time.Second); len(j.Requests) == 0 && time.Now().Before(deadline); j = listJournal(t, s, "") {
		time.Sleep(10 * time.Millisecond)
	}
	if len(j.Requests) != 1 || j.Requests[0].Status != 0 || j.Requests[0].Fault != rule.ID {
		t.Errorf("journal: %+v", j.Requests)
	}
}

func TestTheAdminTokenIsRequiredWhenConfigured(t *testing.T) {
	const tok = "s3cret-admin-token"
	tests := []struct {
		name   string
		token  string   // Config.Token
		header []string // request headers
		status int
		typ    string
	}{
		{name: "an open admin API answers without a token", status: http.StatusOK},
		{name: "an open admin API ignores a credential", header: []string{"Authorization", "Bearer anything"}, status: http.StatusOK},
		{name: "no Authorization header is a missing bearer token", token: tok, status: http.StatusUnauthorized, typ: typeMissingBearer},
		{name: "a wrong token is an invalid bearer token", token: tok, header: []string{"Authorization", "Bearer wrong"}, status: http.StatusUnauthorized, typ: typeInvalidBearer},
		{name: "a prefix of the token is invalid", token: tok, header: []string{"Authorization", "Bearer s3cret"}, status: http.StatusUnauthorized, typ: typeInvalidBearer},
		{name: "another scheme is invalid", token: tok, header: []string{"Authorization", "Basic " + tok}, status: http.StatusUnauthorized, typ: typeInvalidBearer},
		{name: "an empty Authorization header is invalid", token: tok, header: []string{"Authorization", ""}, status: http.StatusUnauthorized, typ: typeInvalidBearer},
		{name: "a Token API credential is not the admin token", token: tok, header: []string{"Authorization", "Bearer " + credAdmin}, status: http.StatusUnauthorized, typ: typeInvalidBearer},
		{name: "the right token answers", token: tok, header: []string{"Authorization", "Bearer " + tok}, status: http.StatusOK},
		{name: "the scheme ignores case", token: tok, header: []string{"Authorization", "bearer " + tok}, status: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t, func(c *Config) { c.Token = tt.token })
			for _, target := range []string{"/__admin/health", "/__admin/faults"} {
				a := do(t, s.Handler(), req{method: "GET", target: target, header: tt.header})
				wantStatus(t, a, tt.status)
				if tt.typ == "" {
					continue
				}
				if p := a.Problem(t); p.Type != tt.typ {
					t.Errorf("%s: problem type %q, want %q", target, p.Type, tt.typ)
				}
				if got := a.Header.Get("WWW-Authenticate"); got != realm {
					t.Errorf("WWW-Authenticate %q", got)
				}
			}
		})
	}
}

func TestTheAdminTokenGuardsEveryAdminPathButNotTheAPI(t *testing.T) {
	s := newStack(t, func(c *Config) { c.Token = "t0ken" })
	for _, r := range []req{
		{method: "POST", target: "/__admin/reset"},
		{method: "PUT", target: "/__admin/state", body: `{"accounts":[]}`},
		{method: "DELETE", target: "/__admin/requests"},
		{method: "POST", target: "/__admin/faults", body: `{"path":"x","status":500}`},
		{method: "GET", target: "/__admin/nowhere"},
		{method: "PATCH", target: "/__admin/state"},
		{method: "GET", target: "/__admin/openapi.yaml"},
	} {
		a := do(t, s.Handler(), r)
		if a.Status != http.StatusUnauthorized {
			t.Errorf("%s %s without the token: %s", r.method, r.target, a)
		}
	}
	if got := listStatus(t, s, credAdmin); got != http.StatusOK {
		t.Errorf("the API answers %d", got)
	}
	if len(s.Faults.List()) != 0 || listStatus(t, s, credForeign) != http.StatusOK {
		t.Error("an unauthenticated admin request changed something")
	}
	ok := do(t, s.Handler(), req{method: "POST", target: "/__admin/faults", body: `{"path":"x","status":500}`, header: []string{"Authorization", "Bearer t0ken"}})
	wantStatus(t, ok, http.StatusCreated)
}

func TestHealthReportsStatusAndVersion(t *testing.T) {
	for _, tt := range []struct{ version, want string }{{"", "devel"}, {"v1.2.3", "v1.2.3"}} {
		s := newStack(t, func(c *Config) { c.Version = tt.version })
		a := do(t, s.Handler(), req{method: "GET", target: "/__admin/health"})
		wantStatus(t, a, http.StatusOK)
		var got map[string]any
		a.JSON(t, &got)
		if diff := cmp.Diff(map[string]any{"status": "ok", "version": tt.want}, got); diff != "" {
			t.Errorf("health (-want +got):\n%s", diff)
		}
	}
}

func TestTheOpenAPIDocumentsAreServed(t *testing.T) {
	s := newStack(t)
	apiDoc, err := schemas.BundledOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	adminDoc, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		target string
		want   []byte
	}{{"/openapi.yaml", apiDoc}, {"/__admin/openapi.yaml", adminDoc}} {
		a := do(t, s.Handler(), req{method: "GET", target: tt.target})
		wantStatus(t, a, http.StatusOK)
		if ct := a.Header.Get("Content-Type"); ct != mediaYAML {
			t.Errorf("%s: Content-Type %q", tt.target, ct)
		}
		if !bytes.Equal(a.Body, tt.want) {
			t.Errorf("%s: not the bundled document", tt.target)
		}
	}
	a := do(t, s.Handler(), req{method: "POST", target: "/openapi.yaml"})
	wantProblem(t, a, http.StatusMethodNotAllowed, typeMethod, "Method not supported")
	if got := a.Header.Get("Allow"); got != "GET" {
		t.Errorf("Allow %q", got)
	}
	if j := listJournal(t, s, ""); j.Total != 0 {
		t.Errorf("the document requests were journaled: %+v", j.Requests)
	}
}

func TestUnknownAdminPathsAreResourceNotFound(t *testing.T) {
	s := newStack(t)
	for _, target := range []string{"/__admin", "/__admin/", "/__admin/nothing", "/__admin/faults/", "/__admin/faults/f1/x", "/__admin/state/x", "/__admin/REQUESTS"} {
		t.Run(target, func(t *testing.T) {
			wantProblem(t, do(t, s.Handler(), req{method: "GET", target: target}), http.StatusNotFound, typeNotFound, "Resource not found")
		})
	}
	// On a listener of its own, the admin handler answers other paths 404
	// as well.
	wantProblem(t, do(t, s.Admin, req{method: "GET", target: userTokens(adminID)}), http.StatusNotFound, typeNotFound, "Resource not found")
}

func TestAdminPathsAreMatchedDecodedAndAsSent(t *testing.T) {
	s := newStack(t)
	if _, err := s.Faults.Add(fault.Rule{Path: "^/nowhere$", Status: 503}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, target string
		status         int
	}{
		{"GET", "/__admin/faults/f%31", http.StatusOK},
		{"POST", "/__admin/faults/f%2F1", http.StatusNotFound}, // an encoded slash still separates
		{"GET", "/__admin//state", http.StatusNotFound},        // not cleaned, not redirected
		{"GET", "/__admin/./state", http.StatusNotFound},
		{"GET", "/__admin/faults/../state", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			a := do(t, s.Admin, req{method: tt.method, target: tt.target})
			wantStatus(t, a, tt.status)
		})
	}
}

func TestAMethodAnAdminPathDoesNotSupportIsMethodNotSupported(t *testing.T) {
	s := newStack(t)
	tests := []struct{ method, target, allow string }{
		{"GET", "/__admin/reset", "POST"},
		{"PATCH", "/__admin/state", "GET, PUT"},
		{"POST", "/__admin/requests", "GET, DELETE"},
		{"PUT", "/__admin/faults", "GET, POST, DELETE"},
		{"POST", "/__admin/faults/f1", "GET, DELETE"},
		{"GET", "/__admin/snapshot", "POST"},
		{"DELETE", "/__admin/health", "GET"},
		{"HEAD", "/__admin/health", "GET"},
		{"PUT", "/__admin/openapi.yaml", "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			a := do(t, s.Handler(), req{method: tt.method, target: tt.target})
			wantStatus(t, a, http.StatusMethodNotAllowed)
			if got := a.Header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			if tt.method != "HEAD" {
				if p := a.Problem(t); p.Type != typeMethod {
					t.Errorf("type %q", p.Type)
				}
			}
		})
	}
}

func TestSnapshotSavesTheStateThroughTheHook(t *testing.T) {
	t.Run("without a hook it is a conflict", func(t *testing.T) {
		s := newStack(t)
		p := wantProblem(t, do(t, s.Handler(), req{method: "POST", target: "/__admin/snapshot"}), http.StatusConflict, "about:blank", "Conflict")
		if p.Detail != SnapshotUnavailable {
			t.Errorf("detail %q", p.Detail)
		}
	})
	t.Run("the hook gets the current state", func(t *testing.T) {
		var saved []*fixtures.Set
		s := newStack(t, func(c *Config) {
			c.Snapshot = func(set *fixtures.Set) error { saved = append(saved, set); return nil }
		})
		createToken(t, s)
		wantStatus(t, do(t, s.Handler(), req{method: "POST", target: "/__admin/snapshot"}), http.StatusNoContent)
		if len(saved) != 1 {
			t.Fatalf("the hook ran %d times", len(saved))
		}
		if diff := cmp.Diff(s.Server.State(), saved[0]); diff != "" {
			t.Errorf("saved state (-current +saved):\n%s", diff)
		}
	})
	t.Run("a failing hook is an internal error naming the cause", func(t *testing.T) {
		s := newStack(t, func(c *Config) {
			c.Snapshot = func(*fixtures.Set) error { return errors.New("disk full") }
		})
		p := wantProblem(t, do(t, s.Handler(), req{method: "POST", target: "/__admin/snapshot"}), http.StatusInternalServerError, "about:blank", "Internal Server Error")
		if !strings.Contains(p.Detail, "disk full") {
			t.Errorf("detail %q", p.Detail)
		}
	})
}

func TestAdminAnswersCarryTheClientsRequestID(t *testing.T) {
	s := newStack(t)
	for _, tt := range []struct{ sent, want string }{{requestID, requestID}, {"not-an-id", ""}} {
		a := do(t, s.Handler(), req{method: "GET", target: "/__admin/nothing", header: []string{"X-Request-ID", tt.sent}})
		got := a.Header.Get("X-Request-ID")
		if tt.want != "" && got != tt.want || tt.want == "" && got == tt.sent {
			t.Errorf("sent %q, got %q", tt.sent, got)
		}
	}
}

func TestAWrapGivenInTheConfigRunsInsideTheJournalAndFaults(t *testing.T) {
	var saw []string
	s := newStack(t, func(c *Config) {
		c.Mock.Wrap = func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				saw = append(saw, r.Method)
				next.ServeHTTP(w, r)
			})
		}
	})
	addFault(t, s, `{"method":"POST","path":".","times":1,"status":500}`)
	do(t, s.Handler(), req{method: "POST", target: userTokens(adminID), body: createBody, header: []string{"Authorization", "Bearer " + credAdmin}})
	listStatus(t, s, credAdmin)
	if diff := cmp.Diff([]string{"GET"}, saw); diff != "" {
		t.Errorf("the wrap saw (-want +got):\n%s", diff)
	}
	if j := listJournal(t, s, ""); j.Total != 2 {
		t.Errorf("journal total %d, want 2", j.Total)
	}
}

func TestAdminRequestsDoNotDrawFromTheMocksSeededRandomSource(t *testing.T) {
	ids := func(polls int) string {
		s := newStack(t, func(c *Config) { c.Mock.Random = mockserver.SeededRandom(7) })
		for range polls {
			do(t, s.Handler(), req{method: "GET", target: "/__admin/health"})
			do(t, s.Handler(), req{method: "GET", target: "/__admin/nothing"})
		}
		id, secret := createToken(t, s)
		return id + " " + secret
	}
	if quiet, polled := ids(0), ids(3); quiet != polled {
		t.Errorf("the token issued after admin requests differs: %s, without them %s", polled, quiet)
	}
}

func TestLoopbackOnlyRefusesOtherHosts(t *testing.T) {
	stack, err := NewStack(Config{LoopbackOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		remote string
		want   int
	}{{"127.0.0.1:5000", http.StatusOK}, {"[::1]:5000", http.StatusOK}, {"192.0.2.7:5000", http.StatusForbidden}} {
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/__admin/health", nil)
		r.RemoteAddr = tt.remote
		w := httptest.NewRecorder()
		stack.Handler().ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("health from %s: %d, want %d", tt.remote, w.Code, tt.want)
		}
		if tt.want == http.StatusForbidden && (w.Header().Get("Content-Type") != "application/problem+json" || w.Header().Get("X-Request-ID") == "") {
			t.Errorf("refusal is not a problem with a correlation id: %v", w.Header())
		}
	}
	// The Token API itself stays open to every host.
	r := httptest.NewRequest(http.MethodGet, "/openapi.yaml", nil)
	r.RemoteAddr = "192.0.2.7:5000"
	w := httptest.NewRecorder()
	stack.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Errorf("/openapi.yaml from another host: %d", w.Code)
	}
}
