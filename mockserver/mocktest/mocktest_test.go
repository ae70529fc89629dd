package mocktest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/mocktest"
)

const createBody = `{"type":"application/astra-token","version":"1.0","name":"ci"}`

// send sends one request with cred as bearer credential and returns the
// response with its body read.
func send(t *testing.T, method, url, cred, body string) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if cred != "" {
		req.Header.Set("Authorization", "Bearer "+cred)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

// recorder is a testing.TB that records failures instead of failing: the
// failure paths of the helpers are tested with it. Fatal ends the calling
// goroutine, as testing.T's does, so run code that may call it with run.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.mu.Lock()
	r.fatal = true
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }

// run calls f on its own goroutine, so that a Fatal ends only f.
func (r *recorder) run(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

func TestStartServesTheDefaultIdentities(t *testing.T) {
	m := mocktest.Start(t)
	if !strings.HasPrefix(m.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %q, want http://127.0.0.1:PORT", m.URL)
	}
	if m.AccountID != "5cef50e1-a468-4f74-98a6-832d4fd76096" || m.GroupID != "8266f1f1-eabe-41a5-a92d-0c2ef173efc5" {
		t.Errorf("AccountID, GroupID = %s, %s; want account A and the group of schemas/CONTRACT.md §8", m.AccountID, m.GroupID)
	}
	wantUsers := map[mocktest.Persona]string{
		mocktest.Admin:        "8f84cf09-8036-51e4-b579-bd30cb07b269",
		mocktest.Member:       "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b",
		mocktest.Viewer:       "4086070b-0abe-4642-940f-5636b77e7d2f",
		mocktest.SecondMember: "eebaeb5c-8ae5-4ca9-8fe4-c798ed00af27",
		mocktest.ForeignAdmin: "5285bef6-55fc-40e5-8f91-458869509dfa",
	}
	wantCreds := map[mocktest.Persona]string{
		mocktest.Admin:        "mock-admin",
		mocktest.Member:       "mock-snapshot-taker",
		mocktest.Viewer:       "mock-viewer",
		mocktest.SecondMember: "mock-member2",
		mocktest.ForeignAdmin: "mock-foreign",
	}
	users, creds := map[mocktest.Persona]string{}, map[mocktest.Persona]string{}
	for _, p := range m.Personas() {
		users[p], creds[p] = m.User(t, p), m.Credential(t, p)
	}
	if diff := cmp.Diff(wantUsers, users); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantCreds, creds); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	if got, want := m.TokensURL(t, mocktest.ForeignAdmin), m.URL+"/accounts/28d13515-3af2-46d8-9a55-87b89e3eccb4/core/v1/users/5285bef6-55fc-40e5-8f91-458869509dfa/tokens"; got != want {
		t.Errorf("TokensURL(foreign admin) = %s, want %s", got, want)
	}
}

func TestCredentialsAuthenticateAsTheirUser(t *testing.T) {
	m := mocktest.Start(t)
	for _, p := range m.Personas() {
		t.Run(string(p), func(t *testing.T) {
			res, body := send(t, http.MethodGet, m.TokensURL(t, p), m.Credential(t, p), "")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET own tokens: %d %s", res.StatusCode, body)
			}
			var list struct{ Items []struct{ UserID string } }
			if err := json.Unmarshal(body, &list); err != nil {
				t.Fatal(err)
			}
			if len(list.Items) == 0 {
				t.Fatal("no tokens listed")
			}
			for _, it := range list.Items {
				if it.UserID != m.User(t, p) {
					t.Errorf("listed a token of %s, want only %s's", it.UserID, m.User(t, p))
				}
			}
		})
	}
}

func TestExpectRequests(t *testing.T) {
	m := mocktest.Start(t)
	cred := m.Credential(t, mocktest.Member)
	if res, body := send(t, http.MethodPost, m.TokensURL(t, mocktest.Member), cred, createBody); res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", res.StatusCode, body)
	}
	send(t, http.MethodGet, m.TokensURL(t, mocktest.Member)+"?limit=1", cred, "")

	t.Run("passes on the right count", func(t *testing.T) {
		m.ExpectRequests(t, http.MethodPost, m.TokensPath(t, mocktest.Member), 1)
		m.ExpectRequests(t, "post", m.TokensURL(t, mocktest.Member), 1)
		m.ExpectRequests(t, "", m.TokensPath(t, mocktest.Member), 2)
		m.ExpectRequests(t, http.MethodDelete, ".*", 0)
		// The pattern matches anywhere in the path, unless anchored.
		m.ExpectRequests(t, http.MethodPost, "/accounts/.*/users", 1)
		m.ExpectRequests(t, http.MethodPost, "^/accounts/.*/users$", 0)
		m.ExpectRequests(t, "", mocktest.Exactly(m.TokensPath(t, mocktest.Member)), 2)
		m.ExpectRequests(t, "", mocktest.Exactly(m.TokensURL(t, mocktest.Member)), 2)
	})

	t.Run("fails with the journal on a wrong count", func(t *testing.T) {
		rec := &recorder{}
		rec.run(func() { m.ExpectRequests(rec, http.MethodPost, m.TokensPath(t, mocktest.Member), 2) })
		if len(rec.errors) != 1 || rec.fatal {
			t.Fatalf("errors = %q, fatal = %v; want one error", rec.errors, rec.fatal)
		}
		msg := rec.errors[0]
		for _, want := range []string{
			"want 2 POST request(s)", "got 1",
			"POST " + m.TokensPath(t, mocktest.Member) + " → 201",
			"GET " + m.TokensPath(t, mocktest.Member) + "?limit=1 → 200",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("message lacks %q:\n%s", want, msg)
			}
		}
		if strings.Index(msg, "POST ") > strings.Index(msg, "GET ") {
			t.Errorf("journal not listed oldest first:\n%s", msg)
		}
	})

	t.Run("fails on a bad pattern", func(t *testing.T) {
		rec := &recorder{}
		rec.run(func() { m.ExpectRequests(rec, http.MethodPost, "(", 0) })
		if !rec.fatal {
			t.Errorf("a pattern that does not compile did not stop the test: %q", rec.errors)
		}
	})

	t.Run("lists entries oldest first", func(t *testing.T) {
		got := m.Requests("", m.TokensPath(t, mocktest.Member))
		if len(got) != 2 || got[0].Method != http.MethodPost || got[1].Method != http.MethodGet {
			t.Errorf("Requests = %v, want the POST then the GET", got)
		}
	})
}

func TestFailInjectsFaults(t *testing.T) {
	m := mocktest.Start(t)
	cred := m.Credential(t, mocktest.Admin)
	rule := m.Fail(t, fault.Rule{Method: http.MethodPost, Path: "/tokens$", Status: http.StatusServiceUnavailable, Times: 1})
	if rule.ID == "" || rule.Remaining != 1 {
		t.Errorf("Fail returned %+v, want the stored rule", rule)
	}

	res, body := send(t, http.MethodPost, m.TokensURL(t, mocktest.Admin), cred, createBody)
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get(fault.Header) != rule.ID {
		t.Errorf("first create: %d %s=%q %s; want 503 from %s", res.StatusCode, fault.Header, res.Header.Get(fault.Header), body, rule.ID)
	}
	if res, body := send(t, http.MethodPost, m.TokensURL(t, mocktest.Admin), cred, createBody); res.StatusCode != http.StatusCreated {
		t.Errorf("second create: %d %s; want 201, the rule spent", res.StatusCode, body)
	}
	got := m.Requests(http.MethodPost, m.TokensPath(t, mocktest.Admin))
	if len(got) != 2 || got[0].Status != 503 || got[0].Fault != rule.ID || got[1].Status != 201 || got[1].Fault != "" {
		t.Errorf("journal = %+v, want the faulted 503 then a 201", got)
	}

	t.Run("an invalid rule stops the test", func(t *testing.T) {
		rec := &recorder{}
		rec.run(func() { m.Fail(rec, fault.Rule{Path: "/tokens$"}) })
		if !rec.fatal || len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "exactly one of") {
			t.Errorf("fatal = %v, errors = %q; want one fatal naming the problem", rec.fatal, rec.errors)
		}
	})
}

func TestResetRestoresTheFixtures(t *testing.T) {
	m := mocktest.Start(t)
	cred := m.Credential(t, mocktest.Admin)
	before := m.Stack.Server.State()
	if res, body := send(t, http.MethodPost, m.TokensURL(t, mocktest.Admin), cred, createBody); res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", res.StatusCode, body)
	}
	m.Fail(t, fault.Rule{Path: ".", Status: 500})

	m.Reset(t)

	if diff := cmp.Diff(before, m.Stack.Server.State()); diff != "" {
		t.Errorf("state after Reset (-fixtures +got):\n%s", diff)
	}
	if n := len(m.Requests("", ".*")); n != 0 {
		t.Errorf("journal holds %d entries after Reset, want none", n)
	}
	if rules := m.Stack.Faults.List(); len(rules) != 0 {
		t.Errorf("rules after Reset: %+v, want none", rules)
	}
	if res, body := send(t, http.MethodGet, m.TokensURL(t, mocktest.Admin), cred, ""); res.StatusCode != http.StatusOK {
		t.Errorf("GET after Reset: %d %s, want 200 (no fault)", res.StatusCode, body)
	}
}

func TestResetOfSomeParts(t *testing.T) {
	m := mocktest.Start(t)
	cred := m.Credential(t, mocktest.Admin)
	res, body := send(t, http.MethodPost, m.TokensURL(t, mocktest.Admin), cred, createBody)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", res.StatusCode, body)
	}
	m.Fail(t, fault.Rule{Path: "^/nowhere$", Status: 500})

	m.Reset(t, admin.State)
	if n := len(m.Requests("", ".*")); n != 1 {
		t.Errorf("journal holds %d entries after Reset(State), want the 1 kept", n)
	}
	if rules := m.Stack.Faults.List(); len(rules) != 1 {
		t.Errorf("rules after Reset(State): %+v, want the 1 kept", rules)
	}
	m.Reset(t, admin.Journal, admin.Faults)
	if n, rules := len(m.Requests("", ".*")), m.Stack.Faults.List(); n != 0 || len(rules) != 0 {
		t.Errorf("after Reset(Journal, Faults): %d entries, rules %+v; want none", n, rules)
	}
}

func TestCleanupStopsTheServer(t *testing.T) {
	var url string
	t.Run("test", func(t *testing.T) {
		m := mocktest.Start(t)
		url = m.TokensURL(t, mocktest.Admin)
		if res, body := send(t, http.MethodGet, url, m.Credential(t, mocktest.Admin), ""); res.StatusCode != http.StatusOK {
			t.Fatalf("GET: %d %s", res.StatusCode, body)
		}
	})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	res, err := client.Get(url)
	if err == nil {
		res.Body.Close()
		t.Fatalf("GET after the test: %s, want the connection refused", res.Status)
	}
}

func TestSeedAndClockMakeAnswersReproducible(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	answer := func(t *testing.T, seed uint64) (string, []byte) {
		m := mocktest.Start(t, mocktest.WithSeed(seed), mocktest.WithClock(at))
		res, body := send(t, http.MethodPost, m.TokensURL(t, mocktest.Member), m.Credential(t, mocktest.Member), createBody)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		return res.Header.Get("X-Request-ID"), body
	}
	id1, body1 := answer(t, 42)
	id2, body2 := answer(t, 42)
	if !bytes.Equal(body1, body2) || id1 != id2 {
		t.Errorf("same seed and clock, different answers:\n%s %s\n%s %s", id1, body1, id2, body2)
	}
	if !strings.Contains(string(body1), `"creationTimestamp":"2024-05-01T12:00:00.000000Z"`) {
		t.Errorf("body does not carry the fixed clock's time: %s", body1)
	}
	if _, body3 := answer(t, 43); bytes.Equal(body1, body3) {
		t.Errorf("seeds 42 and 43 gave the same answer: %s", body1)
	}
}

func TestIdentitiesOfOtherFixtures(t *testing.T) {
	set, err := fixtures.Parse("one-account.json", []byte(`{"accounts": [{
		"id": "11111111-1111-4111-8111-111111111111", "name": "Solo",
		"users": [
			{"id": "22222222-2222-4222-8222-222222222222", "name": "Owner", "role": "owner"},
			{"id": "33333333-3333-4333-8333-333333333333", "name": "Member", "role": "member"}
		],
		"groups": [],
		"tokens": [
			{"id": "44444444-4444-4444-8444-444444444444", "name": "Owner's", "userID": "22222222-2222-4222-8222-222222222222",
			 "secret": "owner-secret",
			 "metadata": {"labels": [], "creationTimestamp": "2024-01-01T00:00:00Z", "createdBy": "22222222-2222-4222-8222-222222222222"}}
		]
	}]}`))
	if err != nil {
		t.Fatal(err)
	}
	m := mocktest.Start(t, mocktest.WithFixtures(set))
	if m.AccountID != "11111111-1111-4111-8111-111111111111" || m.GroupID != "" {
		t.Errorf("AccountID, GroupID = %q, %q", m.AccountID, m.GroupID)
	}
	users := map[mocktest.Persona]string{}
	for _, p := range m.Personas() {
		users[p] = m.User(t, p)
	}
	wantUsers := map[mocktest.Persona]string{
		mocktest.Admin:  "22222222-2222-4222-8222-222222222222",
		mocktest.Member: "33333333-3333-4333-8333-333333333333",
	}
	if diff := cmp.Diff(wantUsers, users); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if got := m.Credential(t, mocktest.Admin); got != "owner-secret" {
		t.Errorf("Credential(Admin) = %q, want owner-secret", got)
	}
	// The owner may create the member's tokens.
	res, body := send(t, http.MethodPost, m.TokensURL(t, mocktest.Member), m.Credential(t, mocktest.Admin), createBody)
	if res.StatusCode != http.StatusCreated {
		t.Errorf("create for the member: %d %s", res.StatusCode, body)
	}

	// A persona the fixtures lack, or a credential they cannot give, fails
	// the test: no panic, no "".
	for _, tc := range []struct {
		name string
		call func(t testing.TB) string
		want string
	}{
		{"TokensPath of a missing persona", func(t testing.TB) string { return m.TokensPath(t, mocktest.Viewer) }, "the fixtures have no viewer (personas: admin, member)"},
		{"User of a missing persona", func(t testing.TB) string { return m.User(t, mocktest.ForeignAdmin) }, "the fixtures have no foreign admin"},
		{"Credential of a missing persona", func(t testing.TB) string { return m.Credential(t, mocktest.SecondMember) }, "the fixtures have no second member"},
		{"Credential of a user without a plain secret", func(t testing.TB) string { return m.Credential(t, mocktest.Member) }, "member has no token with a plain secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			var got string
			rec.run(func() { got = tc.call(rec) })
			if !rec.fatal || len(rec.errors) != 1 || !strings.Contains(rec.errors[0], tc.want) || got != "" {
				t.Errorf("fatal = %v, errors = %q, result %q; want one fatal with %q", rec.fatal, rec.errors, got, tc.want)
			}
		})
	}
}

// TestOnePathRuleEverywhere: a path pattern selects the same requests as a
// fault rule's path, as the admin API's GET /__admin/requests?path= and as
// Requests: a Go regular expression matched anywhere in the path.
func TestOnePathRuleEverywhere(t *testing.T) {
	m := mocktest.Start(t)
	cred := m.Credential(t, mocktest.Member)
	list := m.TokensPath(t, mocktest.Member)
	item := list + "/4e99da96-152e-4aee-9207-4b6d04d2238d" // Snapshot Script
	paths := []string{list, item}
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{"/tokens$", []string{list}},
		{"/tokens", []string{list, item}},
		{"^/accounts/", []string{list, item}},
		{"users/[^/]+/tokens/", []string{item}},
		{mocktest.Exactly(list), []string{list}},
		{"^/tokens", nil},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			m.Reset(t)
			for _, p := range paths {
				send(t, http.MethodGet, m.URL+p, cred, "")
			}
			got := map[string][]string{}
			for _, e := range m.Requests(http.MethodGet, tc.pattern) {
				got["mocktest.Requests"] = append(got["mocktest.Requests"], e.Path)
			}
			_, body := send(t, http.MethodGet, m.URL+"/__admin/requests?method=GET&path="+url.QueryEscape(tc.pattern), "", "")
			var journal struct{ Requests []struct{ Path string } }
			if err := json.Unmarshal(body, &journal); err != nil {
				t.Fatalf("GET /__admin/requests: %v: %s", err, body)
			}
			for _, e := range slices.Backward(journal.Requests) { // newest first there
				got["GET /__admin/requests?path="] = append(got["GET /__admin/requests?path="], e.Path)
			}
			rule := m.Fail(t, fault.Rule{Method: http.MethodGet, Path: tc.pattern, Status: http.StatusTeapot})
			for _, p := range paths {
				if res, _ := send(t, http.MethodGet, m.URL+p, cred, ""); res.StatusCode == http.StatusTeapot {
					got["fault rule"] = append(got["fault rule"], p)
				}
			}
			m.Stack.Faults.Remove(rule.ID)
			want := map[string][]string{}
			if tc.want != nil {
				for _, where := range []string{"mocktest.Requests", "GET /__admin/requests?path=", "fault rule"} {
					want[where] = tc.want
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("paths matched by %q (-want +got):\n%s", tc.pattern, diff)
			}
		})
	}
}
