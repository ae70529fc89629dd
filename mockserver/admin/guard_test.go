package admin

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/fixtures"
)

// TestWithoutATokenWhatABrowserCouldSendIsRefused: an admin API without a
// token refuses what a web page could make the developer's browser send
// to it (cross-site requests, DNS rebinding), and a refused request
// changes nothing.
func TestWithoutATokenWhatABrowserCouldSendIsRefused(t *testing.T) {
	cases := []struct {
		name   string
		method string
		target string
		header []string
		want   int
		detail string // a word the problem's detail holds
	}{
		{"a text/plain reset from another origin", "POST", "/__admin/reset", []string{"Content-Type", "text/plain", "Origin", "http://evil.example"}, 403, "origin"},
		{"a text/plain reset without an Origin", "POST", "/__admin/reset", []string{"Content-Type", "text/plain"}, 415, "application/json"},
		{"a reset without Content-Type", "POST", "/__admin/reset", []string{"Content-Type", absent}, 415, "application/json"},
		{"a form post of a fault rule", "POST", "/__admin/faults", []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "application/json"},
		{"a state replaced as text/plain", "PUT", "/__admin/state", []string{"Content-Type", "text/plain"}, 415, "application/json"},
		{"a reset for Host attacker.example", "POST", "/__admin/reset", []string{"Host", "attacker.example"}, 403, "attacker.example"},
		{"a reset for Host attacker.example:8080", "POST", "/__admin/reset", []string{"Host", "attacker.example:8080"}, 403, "Host"},
		{"a state read for a rebound host", "GET", "/__admin/state", []string{"Host", "rebind.attacker.example:8080"}, 403, "Host"},
		{"a journal read from another origin", "GET", "/__admin/requests", []string{"Origin", "http://evil.example"}, 403, "origin"},
		{"a request from an opaque origin", "POST", "/__admin/reset", []string{"Origin", "null"}, 403, "origin"},
		{"a request from the same host on another port", "POST", "/__admin/reset", []string{"Origin", "http://127.0.0.1:9999"}, 403, "origin"},
		{"a request a browser marks cross-site", "DELETE", "/__admin/faults", []string{"Sec-Fetch-Site", "cross-site"}, 403, "Sec-Fetch-Site"},
		{"a request a browser marks same-site", "DELETE", "/__admin/faults", []string{"Sec-Fetch-Site", "same-site"}, 403, "Sec-Fetch-Site"},

		{"a JSON reset from a client without an Origin", "POST", "/__admin/reset", nil, 204, ""},
		{"a reset with a charset parameter", "POST", "/__admin/reset", []string{"Content-Type", "application/json; charset=utf-8"}, 204, ""},
		{"a reset from the mock's own origin", "POST", "/__admin/reset", []string{"Origin", "http://127.0.0.1:8080"}, 204, ""},
		{"a request a browser marks same-origin", "POST", "/__admin/reset", []string{"Sec-Fetch-Site", "same-origin"}, 204, ""},
		{"a request typed in the address bar", "GET", "/__admin/health", []string{"Sec-Fetch-Site", "none"}, 200, ""},
		{"Host localhost", "GET", "/__admin/health", []string{"Host", "localhost:8080"}, 200, ""},
		{"Host LOCALHOST", "GET", "/__admin/health", []string{"Host", "LOCALHOST"}, 200, ""},
		{"Host [::1]", "GET", "/__admin/health", []string{"Host", "[::1]:8080"}, 200, ""},
		{"Host 127.0.0.2", "GET", "/__admin/health", []string{"Host", "127.0.0.2:8080"}, 200, ""},
		{"a DELETE without Content-Type", "DELETE", "/__admin/faults", []string{"Content-Type", absent}, 204, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStack(t)
			id, _ := createToken(t, s)
			a := do(t, s.Handler(), req{method: c.method, target: c.target, header: c.header})
			wantStatus(t, a, c.want)
			if c.want >= 400 {
				p := a.Problem(t)
				if !strings.Contains(strings.ToLower(p.Detail), strings.ToLower(c.detail)) {
					t.Errorf("detail %q does not say %q", p.Detail, c.detail)
				}
				if state := s.Server.State(); !holdsToken(state, id) {
					t.Errorf("a refused request changed the state")
				}
			}
		})
	}
}

func holdsToken(set *fixtures.Set, id string) bool {
	for _, a := range set.Accounts {
		for _, tok := range a.Tokens {
			if tok.ID == id {
				return true
			}
		}
	}
	return false
}

// TestTheHostMayBeTheAddressTheMockListensOn: a mock listening on a
// machine's own address is reached by that address in Host.
func TestTheHostMayBeTheAddressTheMockListensOn(t *testing.T) {
	s := newStack(t)
	local := &net.TCPAddr{IP: net.ParseIP("192.0.2.10"), Port: 8080}
	for _, tt := range []struct {
		host string
		want int
	}{{"192.0.2.10:8080", 200}, {"192.0.2.10", 200}, {"192.0.2.11:8080", 403}} {
		r := httptest.NewRequest(http.MethodGet, "http://"+tt.host+"/__admin/health", nil)
		r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, net.Addr(local)))
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("Host %s on a connection to %s: %d, want %d", tt.host, local, w.Code, tt.want)
		}
	}
}

// TestWithATokenTheTokenIsTheGuard: with an admin token, the browser
// guards are lifted (the token is what a web page cannot have).
func TestWithATokenTheTokenIsTheGuard(t *testing.T) {
	s := newStack(t, func(c *Config) { c.Token = "admin-secret" })
	a := do(t, s.Handler(), req{method: "POST", target: "/__admin/reset", header: []string{
		"Authorization", "Bearer admin-secret", "Content-Type", "text/plain", "Origin", "http://ci.example", "Host", "mock.ci.example:8080"}})
	wantStatus(t, a, http.StatusNoContent)
}

// TestCloseSavesLastAndRefusesLaterWrites: Stack.Close saves the state once,
// with every write made before it; writes after it are answered 503 and
// change nothing.
func TestCloseSavesLastAndRefusesLaterWrites(t *testing.T) {
	var saved []*fixtures.Set
	s := newStack(t, func(c *Config) {
		c.Snapshot = func(set *fixtures.Set) error { saved = append(saved, set); return nil }
	})
	id, secret := createToken(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if len(saved) != 1 || !holdsToken(saved[0], id) {
		t.Fatalf("Close saved %d states; want one holding the token created before it", len(saved))
	}
	for _, r := range []req{
		{method: "POST", target: userTokens(adminID), body: createBody, header: []string{"Authorization", "Bearer " + credAdmin}},
		{method: "PUT", target: userTokens(adminID) + "/" + id, body: `{"type":"application/astra-token","version":"1.0","name":"renamed"}`, header: []string{"Authorization", "Bearer " + secret}},
		{method: "DELETE", target: userTokens(adminID) + "/" + id, header: []string{"Authorization", "Bearer " + credAdmin}},
		{method: "POST", target: "/__admin/reset"},
		{method: "PUT", target: "/__admin/state", body: `{"accounts":[]}`},
		{method: "POST", target: "/__admin/snapshot"},
	} {
		t.Run(r.method+" "+r.target+" after Close is 503", func(t *testing.T) {
			p := wantProblem(t, do(t, s.Handler(), r), http.StatusServiceUnavailable, "about:blank", "Service Unavailable")
			if !strings.Contains(p.Detail, "shutting down") {
				t.Errorf("detail %q", p.Detail)
			}
		})
	}
	if got := s.Server.State(); !holdsToken(got, id) {
		t.Errorf("writes after Close changed the state")
	}
	if listStatus(t, s, credAdmin) != http.StatusOK {
		t.Errorf("reads stop after Close")
	}
	if err := s.Close(); err != nil || len(saved) != 1 {
		t.Errorf("a second Close: %v, %d saves", err, len(saved))
	}
}

// TestTheJournalAnswerIsBounded: GET /__admin/requests lists 100 entries
// unless asked for more, at most 1000, and says when it cut the list; a
// query that does not parse is refused naming the parameter.
func TestTheJournalAnswerIsBounded(t *testing.T) {
	s := newStack(t)
	for range 150 {
		listStatus(t, s, credAdmin)
	}
	var j struct {
		Requests  []any
		Total     int
		Truncated bool
	}
	do(t, s.Handler(), req{method: "GET", target: "/__admin/requests"}).JSON(t, &j)
	if len(j.Requests) != 100 || j.Total != 150 || !j.Truncated {
		t.Errorf("without limit: %d entries, total %d, truncated %v; want 100, 150, true", len(j.Requests), j.Total, j.Truncated)
	}
	do(t, s.Handler(), req{method: "GET", target: "/__admin/requests?limit=1000"}).JSON(t, &j)
	if len(j.Requests) != 150 || j.Total != 150 || j.Truncated {
		t.Errorf("limit=1000: %d entries, total %d, truncated %v; want 150, 150, false", len(j.Requests), j.Total, j.Truncated)
	}
	for _, q := range []struct{ query, name string }{
		{"limit=1001", "limit"},
		{"limit=%zz", "limit"},
		{"method=GET;x", "method"},
		{"status=200&path=%2", "path"},
	} {
		p := wantProblem(t, do(t, s.Handler(), req{method: "GET", target: "/__admin/requests?" + q.query}), http.StatusBadRequest, "about:blank", "Bad Request")
		if len(p.InvalidParams) != 1 || p.InvalidParams[0].Name != q.name {
			t.Errorf("?%s: invalidParams %v, want %s", q.query, p.InvalidParams, q.name)
		}
	}
}

// TestAdminBodiesThatAreNotUTF8AreRefused: a fault rule or a state whose
// bytes are not UTF-8 is refused, never stored altered.
func TestAdminBodiesThatAreNotUTF8AreRefused(t *testing.T) {
	s := newStack(t)
	p := wantProblem(t, do(t, s.Handler(), req{method: "POST", target: "/__admin/faults", body: "{\"method\":\"GET\",\"path\":\"\xff\",\"status\":503}"}),
		http.StatusBadRequest, "about:blank", "Bad Request")
	if !strings.Contains(p.Detail, "UTF-8") {
		t.Errorf("detail %q", p.Detail)
	}
	p = wantProblem(t, do(t, s.Handler(), req{method: "PUT", target: "/__admin/state", body: "{\"accounts\":[{\"name\":\"\xfe\"}]}"}),
		http.StatusBadRequest, "about:blank", "Bad Request")
	if !strings.Contains(p.Detail, "UTF-8") {
		t.Errorf("detail %q", p.Detail)
	}
	if n := len(s.Faults.List()); n != 0 {
		t.Errorf("%d fault rules stored", n)
	}
}

// FuzzRefuseBrowsers: whatever Host and Origin a request carries, the
// guard answers without panicking, and what it lets through names this
// machine and, with an Origin, the mock's own.
func FuzzRefuseBrowsers(f *testing.F) {
	for _, c := range [][2]string{
		{"127.0.0.1:8080", ""}, {"localhost", "http://localhost"}, {"[::1]:1", "null"},
		{"attacker.example", ""}, {"127.0.0.1:8080", "http://evil.example"}, {"[::1", "http://[::1"},
		{"", ""}, {"127.0.0.1.nip.io", ""}, {"0x7f.1", ""}, {"[::ffff:127.0.0.1]:80", "https://[::ffff:127.0.0.1]:80"},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, host, origin string) {
		r := httptest.NewRequest(http.MethodGet, "/__admin/health", nil)
		r.Host = host
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		if refuseBrowsers(r) != nil {
			return
		}
		name := host
		if h, _, err := net.SplitHostPort(host); err == nil {
			name = h
		}
		name = strings.Trim(name, "[]")
		if ip := net.ParseIP(name); !strings.EqualFold(name, "localhost") && (ip == nil || !ip.IsLoopback()) {
			t.Fatalf("Host %q let through", host)
		}
		if origin != "" && !strings.HasSuffix(origin, "://"+host) {
			t.Fatalf("Origin %q let through for Host %q", origin, host)
		}
	})
}
