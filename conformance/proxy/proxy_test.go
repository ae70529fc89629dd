package proxy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/conformance/proxy"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

const featureDir = "../../features"

// seen is one answer, by its X-Request-ID, as one side saw it.
type seen struct {
	status     int
	body       []byte
	problem    int    // the problem type, 0 for none
	violations string // the ViolationsHeader
	request    string
}

// recorder keeps the answers that pass one point, by X-Request-ID.
type recorder struct {
	mu  sync.Mutex
	all map[string]seen
}

func (r *recorder) add(id string, s seen) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.all == nil {
		r.all = map[string]seen{}
	}
	r.all[id] = s
}

func problemOf(body []byte) int {
	var p struct{ Type string }
	json.Unmarshal(body, &p)
	n := 0
	fmt.Sscanf(p.Type, "https://astra.netapp.io/problems/%d", &n)
	return n
}

// wrap records what h answers.
func (r *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		r.add(rec.Header().Get("X-Request-ID"), seen{status: rec.Code, body: rec.Body.Bytes(), problem: problemOf(rec.Body.Bytes()),
			request: req.Method + " " + req.URL.RequestURI()})
	})
}

// roundTrip records what the client receives.
type clientRecorder struct {
	*recorder
	next http.RoundTripper
}

func (c clientRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	c.add(resp.Header.Get("X-Request-ID"), seen{status: resp.StatusCode, body: body, violations: resp.Header.Get(proxy.ViolationsHeader),
		request: req.Method + " " + req.URL.RequestURI()})
	return resp, nil
}

// stage is a mock (wrapped by wrap), a proxy in front of it, and what
// passed each.
type stage struct {
	mock, front *httptest.Server
	proxy       *proxy.Proxy
	atMock      recorder
	atClient    recorder
}

func newStage(t *testing.T, wrap func(http.Handler) http.Handler) *stage {
	t.Helper()
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s := &stage{}
	s.mock = httptest.NewServer(s.atMock.wrap(wrap(stack.Handler())))
	t.Cleanup(s.mock.Close)
	target, _ := url.Parse(s.mock.URL)
	s.proxy, err = proxy.New(proxy.Config{Target: target, ViolationsHeader: true})
	if err != nil {
		t.Fatal(err)
	}
	s.front = httptest.NewServer(s.proxy)
	t.Cleanup(s.front.Close)
	return s
}

// run runs the features of paths through the proxy; it returns godog's
// status and output.
func (s *stage) run(t *testing.T, paths ...string) (int, string) {
	t.Helper()
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := conformance.ConfigFromFixtures(s.front.URL, set)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Client = &http.Client{Transport: clientRecorder{&s.atClient, http.DefaultTransport}}
	suite, err := conformance.NewSuite(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	status := godog.TestSuite{
		ScenarioInitializer: suite.InitializeScenario,
		Options:             &godog.Options{Format: "progress", NoColors: true, Paths: paths, Strict: true, Output: &out, Concurrency: 4},
	}.Run()
	return status, out.String()
}

// deliberate says whether the mock's answer refuses what a request's own
// text gets wrong: a request it answers so broke the contract. A continue
// the mock refuses (400 type 5) is not counted: the cursor is opaque
// (CONTRACT.md §4), so that a forged or misused one shows only in the
// answer.
func deliberate(s seen) bool {
	switch s.problem {
	case 3, 6, 7, 8, 9, 10, 32, 33, 35, 69, 85:
		return true
	case 5:
		return !strings.Contains(s.request, "continue=")
	}
	return false
}

// TestSuiteThroughProxy runs every scenario through the proxy in front of
// the mock: they pass, every answer reaches the client as the mock sent it
// (status and body bytes), no answer is a server violation, and every
// request the mock refused for what it says is a client violation.
func TestSuiteThroughProxy(t *testing.T) {
	s := newStage(t, func(h http.Handler) http.Handler { return h })
	if status, out := s.run(t, featureDir); status != 0 {
		t.Fatalf("the suite fails through the proxy (status %d):\n%s", status, out)
	}
	sum := s.proxy.Summary()
	for _, tl := range sum.Tallies {
		if tl.Rule.Side == proxy.Server {
			t.Errorf("%d× %s: first %v", tl.Count, tl.Rule.ID, tl.First)
		}
	}
	if len(s.atMock.all) < 500 {
		t.Fatalf("only %d answers recorded", len(s.atMock.all))
	}
	var missed []string
	for id, m := range s.atMock.all {
		c, ok := s.atClient.all[id]
		switch {
		case !ok:
			t.Errorf("%s: the client never got the answer %s", m.request, id)
		case c.status != m.status || !bytes.Equal(c.body, m.body):
			t.Errorf("%s: the mock answered %d %q, the client got %d %q", m.request, m.status, m.body, c.status, c.body)
		case deliberate(m) && !strings.Contains(c.violations, "client/"):
			missed = append(missed, fmt.Sprintf("%s → %d problem %d", m.request, m.status, m.problem))
		}
	}
	if len(missed) > 0 {
		t.Errorf("%d requests the mock refused are no client violation:\n  %s", len(missed), strings.Join(missed, "\n  "))
	}
	t.Logf("%d exchanges; coverage %.0f%%; %d client violations", len(s.atMock.all), conformance.CoveragePercent(sum.Coverage), sum.Count(proxy.Client))
}
