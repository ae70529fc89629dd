package fault_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/mockserver/journal"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// ok is the mock behind the injector: it answers 200 "ok", saying it
// served the request.
var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Served", "yes")
	w.Write([]byte("ok"))
})

// sleeps records the waits asked of an injector instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.d
}

func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	w.Header().Set("X-Request-ID", "corr-1") // as the mock does before
	h.ServeHTTP(w, httptest.NewRequest(method, target, nil))
	return w
}

func mustAdd(t *testing.T, in *fault.Injector, r fault.Rule) fault.Rule {
	t.Helper()
	got, err := in.Add(r)
	if err != nil {
		t.Fatalf("Add(%+v): %v", r, err)
	}
	return got
}

func TestValidateNamesWhatIsWrong(t *testing.T) {
	cases := []struct {
		name string
		rule fault.Rule
		want string
	}{
		{"no path", fault.Rule{Status: 503}, "path: missing"},
		{"a path that is no regexp", fault.Rule{Path: "(", Status: 503}, "path: not a Go regular expression"},
		{"a method that is no token", fault.Rule{Path: "/", Method: "GE T", Status: 503}, "method: not an HTTP method"},
		{"no action", fault.Rule{Path: "/"}, "give exactly one of status, latencyMs or drop"},
		{"status and latency", fault.Rule{Path: "/", Status: 503, LatencyMS: 10}, "give exactly one of status, latencyMs or drop"},
		{"status and drop", fault.Rule{Path: "/", Status: 503, Drop: true}, "give exactly one of status, latencyMs or drop"},
		{"latency and drop", fault.Rule{Path: "/", LatencyMS: 5, Drop: true}, "give exactly one of status, latencyMs or drop"},
		{"a 200 status", fault.Rule{Path: "/", Status: 200}, "status: must be 400–599"},
		{"a 600 status", fault.Rule{Path: "/", Status: 600}, "status: must be 400–599"},
		{"a negative latency", fault.Rule{Path: "/", LatencyMS: -1}, "latencyMs: must be 1–60000"},
		{"a latency over a minute", fault.Rule{Path: "/", LatencyMS: 60001}, "latencyMs: must be 1–60000"},
		{"times and probability", fault.Rule{Path: "/", Status: 503, Times: 1, Probability: 0.5}, "times and probability are exclusive"},
		{"negative times", fault.Rule{Path: "/", Status: 503, Times: -1}, "times: must be positive"},
		{"a probability over 1", fault.Rule{Path: "/", Status: 503, Probability: 1.5}, "probability: must be in (0, 1]"},
		{"a negative probability", fault.Rule{Path: "/", Status: 503, Probability: -0.1}, "probability: must be in (0, 1]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.rule.Validate()
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("Validate() = %v, want %q", err, c.want)
			}
			if _, err := fault.New(fault.Options{}).Add(c.rule); err == nil {
				t.Error("Add accepted the rule")
			}
		})
	}
}

func TestValidateAcceptsGoodRules(t *testing.T) {
	for _, r := range []fault.Rule{
		{Path: "/", Status: 400},
		{Path: "/", Status: 599, Times: 3},
		{Path: "^/accounts/.*/tokens$", Method: "post", LatencyMS: 60000, Probability: 1},
		{Path: ".", Drop: true, Probability: 0.01},
	} {
		if err := r.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", r, err)
		}
	}
}

func TestDecodeRuleIsStrict(t *testing.T) {
	cases := []struct {
		name, body string
		want       string // error prefix; empty: success
	}{
		{"a good rule", `{"path":"/x","status":503,"times":2}`, ""},
		{"an unknown field", `{"path":"/x","status":503,"tmes":2}`, `rule: json: unknown field "tmes"`},
		{"a wrong type", `{"path":"/x","status":"503"}`, "rule: json: cannot unmarshal"},
		{"not JSON", `path=/x`, "rule: invalid character"},
		{"an empty body", ``, "rule: empty body"},
		{"two rules", `{"path":"/x","status":503} {}`, "rule: unexpected data after the rule"},
		{"an invalid rule", `{"path":"/x"}`, "give exactly one of status, latencyMs or drop"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := fault.DecodeRule(strings.NewReader(c.body))
			if c.want == "" {
				if err != nil || r.Path != "/x" || r.Status != 503 || r.Times != 2 {
					t.Errorf("DecodeRule = %+v, %v", r, err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("DecodeRule error = %v, want %q", err, c.want)
			}
		})
	}
}

func TestParseLatency(t *testing.T) {
	cases := []struct {
		in           string
		base, jitter time.Duration
		err          string
	}{
		{in: "20ms", base: 20 * time.Millisecond},
		{in: "20ms±5ms", base: 20 * time.Millisecond, jitter: 5 * time.Millisecond},
		{in: "20ms+-5ms", base: 20 * time.Millisecond, jitter: 5 * time.Millisecond},
		{in: " 1s ± 250ms ", base: time.Second, jitter: 250 * time.Millisecond},
		{in: "0", base: 0},
		{in: "", err: "want a duration such as 20ms"},
		{in: "20", err: `"20" is not a duration`},
		{in: "fast", err: `"fast" is not a duration`},
		{in: "-5ms", err: "must not be negative"},
		{in: "20ms±", err: `jitter "" is not a duration`},
		{in: "20ms±x", err: `jitter "x" is not a duration`},
		{in: "20ms±-1ms", err: "jitter must not be negative"},
		{in: "±5ms", err: "want a duration such as 20ms"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			base, jitter, err := fault.ParseLatency(c.in)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("ParseLatency(%q) error = %v, want one saying %q", c.in, err, c.err)
				}
				return
			}
			if err != nil || base != c.base || jitter != c.jitter {
				t.Errorf("ParseLatency(%q) = %v, %v, %v; want %v, %v", c.in, base, jitter, err, c.base, c.jitter)
			}
		})
	}
}

func TestAStatusRuleAnswersADocumentedProblem(t *testing.T) {
	cases := []struct {
		status int
		want   *problem.Problem
	}{
		{401, problem.New(schemas.ProblemInvalidBearerToken)},
		{403, problem.New(schemas.ProblemForbidden)},
		{404, problem.New(schemas.ProblemResourceNotFound)},
		{405, problem.New(schemas.ProblemMethodNotSupported)},
		{406, problem.New(schemas.ProblemNotAcceptable)},
		{409, problem.New(schemas.ProblemConflict)},
		{412, problem.New(schemas.ProblemPreconditionFailed)},
		{413, problem.New(schemas.ProblemRequestBodyTooLarge)},
		{400, problem.Blank(400)},
		{429, problem.Blank(429)},
		{500, problem.Blank(500)},
		{503, problem.Blank(503)},
		{599, &problem.Problem{Type: "about:blank", Title: "Status 599", Detail: "Status 599.", Status: "599"}},
	}
	for _, c := range cases {
		t.Run(http.StatusText(c.status), func(t *testing.T) {
			in := fault.New(fault.Options{})
			mustAdd(t, in, fault.Rule{Path: "^/x$", Status: c.status})
			w := serve(in.Middleware(ok), http.MethodGet, "/x")
			if w.Code != c.status {
				t.Errorf("status %d, want %d", w.Code, c.status)
			}
			if h := w.Header(); h.Get("Content-Type") != problem.ContentType || h.Get(fault.Header) != "f1" || h.Get("X-Served") != "" {
				t.Errorf("headers %v; want problem JSON, X-Mock-Fault f1 and next not called", h)
			}
			var got problem.Problem
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			want := *c.want
			want.CorrelationID = "corr-1"
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAStatusRuleUsesTheCorrelationIDOfTheRequestContext(t *testing.T) {
	in := fault.New(fault.Options{})
	mustAdd(t, in, fault.Rule{Path: "/", Status: 503})
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	in.Middleware(ok).ServeHTTP(w, r.WithContext(problem.WithCorrelationID(r.Context(), "from-ctx")))
	var got problem.Problem
	json.Unmarshal(w.Body.Bytes(), &got)
	if got.CorrelationID != "from-ctx" {
		t.Errorf("correlationID %q, want from-ctx", got.CorrelationID)
	}
}

func TestATimesRuleAppliesThatManyTimesThenIsSpent(t *testing.T) {
	in := fault.New(fault.Options{})
	mustAdd(t, in, fault.Rule{Path: "/x", Status: 503, Times: 2})
	h := in.Middleware(ok)
	if got := in.List()[0].Remaining; got != 2 {
		t.Errorf("Remaining after Add = %d, want 2", got)
	}
	var codes []int
	for range 3 {
		codes = append(codes, serve(h, http.MethodGet, "/x").Code)
		if len(codes) == 1 {
			if got := in.List()[0].Remaining; got != 1 {
				t.Errorf("Remaining after one = %d, want 1", got)
			}
		}
	}
	if diff := cmp.Diff([]int{503, 503, 200}, codes); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if n := len(in.List()); n != 0 {
		t.Errorf("%d rules left, want the spent one removed", n)
	}
}

func TestATimesOneRuleAppliesOnceThenTheRequestPasses(t *testing.T) {
	in := fault.New(fault.Options{})
	mustAdd(t, in, fault.Rule{Path: "/x", Status: 500, Times: 1})
	h := in.Middleware(ok)
	if c := serve(h, http.MethodGet, "/x").Code; c != 500 {
		t.Errorf("first: %d, want 500", c)
	}
	if w := serve(h, http.MethodGet, "/x"); w.Code != 200 || w.Body.String() != "ok" {
		t.Errorf("second: %d %q, want the mock's answer", w.Code, w.Body)
	}
}

func TestAProbabilityRuleAppliesWhenTheDrawIsBelowIt(t *testing.T) {
	cases := []struct {
		name  string
		draw  float64
		p     float64
		apply bool
	}{
		{"a draw of 0.3 with p=0.5 applies", 0.3, 0.5, true},
		{"a draw of 0.7 with p=0.5 does not", 0.7, 0.5, false},
		{"a draw of 0.5 with p=0.5 does not", 0.5, 0.5, false},
		{"any draw with p=1 applies", 0.999, 1, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := fault.New(fault.Options{Random: func() float64 { return c.draw }})
			mustAdd(t, in, fault.Rule{Path: "/", Status: 503, Probability: c.p})
			got := serve(in.Middleware(ok), http.MethodGet, "/").Code == 503
			if got != c.apply {
				t.Errorf("applied = %v, want %v", got, c.apply)
			}
		})
	}
}

func TestAProbabilityRuleThatDoesNotApplyLetsTheNextOneTry(t *testing.T) {
	in := fault.New(fault.Options{Random: func() float64 { return 0.9 }})
	mustAdd(t, in, fault.Rule{Path: "/", Status: 503, Probability: 0.5})
	mustAdd(t, in, fault.Rule{Path: "/", Status: 429})
	w := serve(in.Middleware(ok), http.MethodGet, "/")
	if w.Code != 429 || w.Header().Get(fault.Header) != "f2" {
		t.Errorf("got %d from %q, want 429 from f2", w.Code, w.Header().Get(fault.Header))
	}
}

func TestALatencyRuleWaitsWithTheInjectedSleepThenServes(t *testing.T) {
	s := &sleeps{}
	in := fault.New(fault.Options{Sleep: s.sleep})
	mustAdd(t, in, fault.Rule{Path: "/slow", LatencyMS: 1500})
	h := in.Middleware(ok)
	w := serve(h, http.MethodGet, "/slow")
	if w.Code != 200 || w.Body.String() != "ok" || w.Header().Get(fault.Header) != "f1" {
		t.Errorf("got %d %q with headers %v; want the mock's answer, with X-Mock-Fault f1", w.Code, w.Body, w.Header())
	}
	serve(h, http.MethodGet, "/fast")
	if diff := cmp.Diff([]time.Duration{1500 * time.Millisecond}, s.got()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

func TestTheRealSleepStopsWhenTheClientLeaves(t *testing.T) {
	in := fault.New(fault.Options{})
	mustAdd(t, in, fault.Rule{Path: "/", LatencyMS: 60000})
	called := false
	h := in.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	start := time.Now()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(ctx, http.MethodGet, "/", nil))
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("waited %v", d)
	}
	if called {
		t.Error("next was called for a client that left")
	}
}

func TestGlobalLatencyWithJitterStaysInBounds(t *testing.T) {
	cases := []struct {
		name            string
		latency, jitter time.Duration
		draw            float64
		want            []time.Duration // nil: no sleep
	}{
		{"no latency", 0, 0, 0.5, nil},
		{"latency alone", 20 * time.Millisecond, 0, 0.99, []time.Duration{20 * time.Millisecond}},
		{"the lowest draw", 20 * time.Millisecond, 5 * time.Millisecond, 0, []time.Duration{15 * time.Millisecond}},
		{"the middle draw", 20 * time.Millisecond, 5 * time.Millisecond, 0.5, []time.Duration{20 * time.Millisecond}},
		{"a high draw", 20 * time.Millisecond, 5 * time.Millisecond, 0.9, []time.Duration{24 * time.Millisecond}},
		{"jitter beyond the latency never goes below 0", 5 * time.Millisecond, 20 * time.Millisecond, 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &sleeps{}
			in := fault.New(fault.Options{Sleep: s.sleep, Random: func() float64 { return c.draw }, Latency: c.latency, Jitter: c.jitter})
			if w := serve(in.Middleware(ok), http.MethodGet, "/"); w.Code != 200 {
				t.Errorf("status %d", w.Code)
			}
			if diff := cmp.Diff(c.want, s.got()); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("random draws stay within ±jitter", func(t *testing.T) {
		s := &sleeps{}
		in := fault.New(fault.Options{Sleep: s.sleep, Latency: 20 * time.Millisecond, Jitter: 5 * time.Millisecond})
		h := in.Middleware(ok)
		for range 200 {
			serve(h, http.MethodGet, "/")
		}
		for _, d := range s.got() {
			if d < 15*time.Millisecond || d > 25*time.Millisecond {
				t.Fatalf("slept %v, outside 20ms±5ms", d)
			}
		}
	})
}

func TestGlobalLatencyComesBeforeTheRulesLatency(t *testing.T) {
	s := &sleeps{}
	in := fault.New(fault.Options{Sleep: s.sleep, Latency: 7 * time.Millisecond})
	mustAdd(t, in, fault.Rule{Path: "/", LatencyMS: 100})
	serve(in.Middleware(ok), http.MethodGet, "/")
	if diff := cmp.Diff([]time.Duration{7 * time.Millisecond, 100 * time.Millisecond}, s.got()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

func TestADropRuleClosesTheConnectionAndTheJournalRecordsIt(t *testing.T) {
	in := fault.New(fault.Options{})
	mustAdd(t, in, fault.Rule{Path: "^/drop$", Drop: true})
	j := journal.New(0, nil)
	h := j.Middleware(in.Middleware(ok))
	done := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { done <- struct{}{} }()
		w.Header().Set("X-Request-ID", "corr-drop")
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	resp, err := srv.Client().Post(srv.URL+"/drop", "application/json", strings.NewReader("{}"))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the client got %s, want an error", resp.Status)
	}
	<-done
	got := j.List(journal.Filter{})
	if len(got) != 1 || got[0].Status != 0 || got[0].Fault != "f1" || got[0].CorrelationID != "corr-drop" {
		t.Errorf("journal %+v; want one entry with status 0, fault f1, correlation id corr-drop", got)
	}
	// The connection is gone, the server is not.
	resp, err = srv.Client().Get(srv.URL + "/other")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	<-done
	if resp.StatusCode != 200 {
		t.Errorf("the next request got %s", resp.Status)
	}
}

func TestADropRuleAbortsWhereItCannotHijack(t *testing.T) {
	in := fault.New(fault.Options{})
	mustAdd(t, in, fault.Rule{Path: "/", Drop: true})
	defer func() {
		if p := recover(); p != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", p)
		}
	}()
	serve(in.Middleware(ok), http.MethodGet, "/")
	t.Error("the middleware returned")
}

func TestTheJournalRecordsTheFaultOfAStatusRule(t *testing.T) {
	in := fault.New(fault.Options{})
	mustAdd(t, in, fault.Rule{Path: "/a", Status: 404})
	mustAdd(t, in, fault.Rule{Path: "/b", Status: 503})
	j := journal.New(0, nil)
	h := j.Middleware(in.Middleware(ok))
	serve(h, http.MethodGet, "/b")
	serve(h, http.MethodGet, "/c")
	var got []string
	for _, e := range j.List(journal.Filter{}) {
		got = append(got, e.Path+" "+http.StatusText(e.Status)+" "+e.Fault)
	}
	if diff := cmp.Diff([]string{"/c OK ", "/b Service Unavailable f2"}, got); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
}

func TestAMethodRuleAppliesToThatMethodOnly(t *testing.T) {
	cases := []struct {
		method string
		want   int
	}{
		{http.MethodDelete, 503},
		{http.MethodGet, 200},
		{http.MethodPost, 200},
	}
	in := fault.New(fault.Options{})
	if r := mustAdd(t, in, fault.Rule{Method: "delete", Path: "/tokens/", Status: 503}); r.Method != "DELETE" {
		t.Errorf("stored method %q, want DELETE", r.Method)
	}
	h := in.Middleware(ok)
	for _, c := range cases {
		t.Run(c.method, func(t *testing.T) {
			if got := serve(h, c.method, "/accounts/a/tokens/t").Code; got != c.want {
				t.Errorf("status %d, want %d", got, c.want)
			}
		})
	}
}

func TestTheFirstMatchingRuleWins(t *testing.T) {
	in := fault.New(fault.Options{})
	mustAdd(t, in, fault.Rule{Path: "^/a$", Status: 500})
	mustAdd(t, in, fault.Rule{Path: "^/b", Status: 502})
	mustAdd(t, in, fault.Rule{Path: "^/b", Status: 503})
	h := in.Middleware(ok)
	cases := []struct {
		path string
		want int
	}{{"/a", 500}, {"/b", 502}, {"/bc", 502}, {"/ab", 200}}
	for _, c := range cases {
		if got := serve(h, http.MethodGet, c.path).Code; got != c.want {
			t.Errorf("%s: status %d, want %d", c.path, got, c.want)
		}
	}
}

func TestAddListRemoveAndClear(t *testing.T) {
	in := fault.New(fault.Options{})
	mustAdd(t, in, fault.Rule{ID: "mine", Path: "/1", Status: 500, Remaining: 9})
	mustAdd(t, in, fault.Rule{Path: "/2", LatencyMS: 10, Times: 3})
	mustAdd(t, in, fault.Rule{Path: "/3", Drop: true})
	want := []fault.Rule{
		{ID: "f1", Path: "/1", Status: 500},
		{ID: "f2", Path: "/2", LatencyMS: 10, Times: 3, Remaining: 3},
		{ID: "f3", Path: "/3", Drop: true},
	}
	if diff := cmp.Diff(want, in.List()); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if !in.Remove("f2") {
		t.Error("Remove(f2) = false")
	}
	if in.Remove("f2") || in.Remove("nope") {
		t.Error("Remove of a missing rule = true")
	}
	if diff := cmp.Diff([]fault.Rule{want[0], want[2]}, in.List()); diff != "" {
		t.Errorf("List after Remove (-want +got):\n%s", diff)
	}
	in.Clear()
	if n := len(in.List()); n != 0 {
		t.Errorf("%d rules after Clear", n)
	}
	if r := mustAdd(t, in, fault.Rule{Path: "/4", Status: 500}); r.ID != "f4" {
		t.Errorf("ID after Clear %q, want f4", r.ID)
	}
}

func TestConcurrentRequestsNeverOverApplyATimesRule(t *testing.T) {
	const times, goroutines, each = 25, 16, 20
	in := fault.New(fault.Options{})
	mustAdd(t, in, fault.Rule{Path: "/", Status: 503, Times: times})
	h := in.Middleware(ok)
	var faults atomic.Int64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range each {
				if serve(h, http.MethodGet, "/").Code == 503 {
					faults.Add(1)
				}
				in.List()
			}
		})
	}
	wg.Wait()
	if n := faults.Load(); n != times {
		t.Errorf("applied %d times, want %d", n, times)
	}
}

func TestDecodeRuleErrorsNameTheMembers(t *testing.T) {
	cases := []struct {
		name, body string
		fields     []string // the members the typed error names
	}{
		{"a missing path", `{"status":503}`, []string{"path"}},
		{"no action", `{"path":"x"}`, []string{"status", "latencyMs", "drop"}},
		{"times and probability", `{"path":"x","status":503,"times":2,"probability":0.5}`, []string{"times", "probability"}},
		{"an unknown member", `{"path":"x","status":503,"colour":"red"}`, []string{"colour"}},
		{"an unknown member before a wrong type", `{"colour":"red","status":"503"}`, []string{"colour"}},
		{"a wrong type before an unknown member", `{"status":"503","colour":"red"}`, []string{"status"}},
		{"a member in another case is known", `{"PATH":"x","Status":503,"x":1}`, []string{"x"}},
		{"an escaped unknown member", `{"path":"x","status":503,"c\u006flour":1}`, []string{"colour"}},
		{"not JSON", `{"path":`, nil},
		{"not an object", `[]`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := fault.DecodeRule(strings.NewReader(c.body))
			if err == nil {
				t.Fatal("DecodeRule accepted the rule")
			}
			var got []string
			if fe, ok := errors.AsType[*fault.FieldError](err); ok {
				got = fe.Fields
			} else if ue, ok := errors.AsType[*fault.UnknownFieldError](err); ok {
				got = []string{ue.Field}
			} else if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
				got = []string{te.Field}
			}
			if diff := cmp.Diff(c.fields, got); diff != "" {
				t.Errorf("members of %v (-want +got):\n%s", err, diff)
			}
		})
	}
}
