package journal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/faultnote"
	"github.com/astra-contract/astra-token-kit/mockserver/journal"
)

const secret = "s3cr3t-Zm9vYmFyYmF6"

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// clock is a fake clock that moves one millisecond every time it is read.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// echo answers like the mock does: X-Request-ID, a status from the
// X-Status request header (default 200) and a body from X-Body, or the
// request body echoed.
func echo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-ID", "req-"+r.URL.Path)
	status := http.StatusOK
	if s := r.Header.Get("X-Status"); s != "" {
		fmt.Sscan(s, &status)
	}
	body, _ := io.ReadAll(r.Body)
	if b := r.Header.Get("X-Body"); b != "" {
		body = []byte(b)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

type request struct {
	method, target, body string
	header               []string // name, value pairs
}

func (q request) serve(t *testing.T, h http.Handler) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if q.body != "" {
		body = strings.NewReader(q.body)
	}
	method := q.method
	if method == "" {
		method = http.MethodGet
	}
	target := q.target
	if target == "" {
		target = "/"
	}
	r := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(q.header); i += 2 {
		r.Header.Add(q.header[i], q.header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func newJournal(capacity int) (*journal.Journal, http.Handler) {
	c := &clock{t: t0}
	j := journal.New(capacity, c.now)
	return j, j.Middleware(http.HandlerFunc(echo))
}

func TestTheJournalRecordsWhatTheClientSentAndGot(t *testing.T) {
	j, h := newJournal(0)
	request{
		method: http.MethodPost,
		target: "/accounts/a/core/v1/users/u/tokens?x=1&y=2",
		body:   `{"type":"application/astra-token","version":"1.1","name":"ci"}`,
		header: []string{"Accept", "application/astra-token+json", "X-Status", "201",
			"X-Body", `{"id":"t1","name":"ci","token":"` + secret + `"}`},
	}.serve(t, h)
	got := j.List(journal.Filter{})
	want := []journal.Entry{{
		ID:     1,
		Time:   t0.Add(time.Millisecond),
		Method: http.MethodPost,
		Path:   "/accounts/a/core/v1/users/u/tokens",
		Query:  "x=1&y=2",
		RequestHeaders: map[string][]string{
			"Accept":   {"application/astra-token+json"},
			"X-Status": {"201"},
			"X-Body":   {`{"id":"t1","name":"ci","token":"` + secret + `"}`},
		},
		RequestBody:     `{"type":"application/astra-token","version":"1.1","name":"ci"}`,
		Status:          201,
		ResponseHeaders: map[string][]string{"Content-Type": {"application/json"}, "X-Request-Id": {"req-/accounts/a/core/v1/users/u/tokens"}},
		ResponseBody:    `{"id":"t1","name":"ci","token":"[REDACTED]"}`,
		DurationMS:      1,
		CorrelationID:   "req-/accounts/a/core/v1/users/u/tokens",
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
}

func TestTheJournalNeverKeepsASecret(t *testing.T) {
	cases := []struct {
		name string
		req  request
	}{
		{"a bearer token in Authorization", request{header: []string{"Authorization", "Bearer " + secret}}},
		{"a credential in Proxy-Authorization", request{header: []string{"Proxy-Authorization", "Basic " + secret}}},
		{"the token of a 201", request{method: http.MethodPost, header: []string{"X-Status", "201", "X-Body", `{"token":"` + secret + `"}`}}},
		{"a token member deep in a request body", request{method: http.MethodPut, body: `{"a":[{"b":{"token":"` + secret + `"}}]}`}},
		{"a token member in a request body cut at 64 KiB inside the secret", request{method: http.MethodPut, body: `{"pad":"` + strings.Repeat("x", journal.MaxBody-len(`{"pad":"`)-len(`","token":"`)-5) + `","token":"` + secret + `"}`}},
		{"a token in a body that is not JSON", request{method: http.MethodPut, body: `{"token": "` + secret + `",}`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j, h := newJournal(0)
			c.req.serve(t, h)
			got := j.List(journal.Filter{})
			if len(got) != 1 {
				t.Fatalf("got %d entries, want 1", len(got))
			}
			// The echo handler repeats the request body, so both bodies
			// and both header sets are checked.
			text := fmt.Sprint(got[0].RequestHeaders, got[0].RequestBody, got[0].ResponseHeaders, got[0].ResponseBody)
			// X-Body carries the secret as a test input; it is not a
			// place a real client puts one.
			text = strings.ReplaceAll(text, fmt.Sprint(got[0].RequestHeaders["X-Body"]), "")
			if strings.Contains(text, secret[:5]) {
				t.Errorf("the entry shows the secret: %s", text)
			}
			if !strings.Contains(text, "[REDACTED]") {
				t.Errorf("the entry shows no redaction: %.300s", text)
			}
		})
	}
}

func TestListIsNewestFirst(t *testing.T) {
	j, h := newJournal(0)
	for _, p := range []string{"/a", "/b", "/c"} {
		request{target: p}.serve(t, h)
	}
	var got []string
	for _, e := range j.List(journal.Filter{}) {
		got = append(got, fmt.Sprint(e.ID, e.Path))
	}
	if diff := cmp.Diff([]string{"3/c", "2/b", "1/a"}, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
}

func TestFiltersSelectEntries(t *testing.T) {
	j, h := newJournal(0)
	// Arrivals at t0+1ms, +3ms, +5ms, +7ms (the fake clock is read twice
	// per request).
	for _, q := range []request{
		{method: http.MethodGet, target: "/accounts/a/core/v1/users/u/tokens"},
		{method: http.MethodPost, target: "/accounts/a/core/v1/users/u/tokens", header: []string{"X-Status", "201"}},
		{method: http.MethodPost, target: "/accounts/b/core/v1/groups/g/users/u/tokens", header: []string{"X-Status", "400"}},
		{method: http.MethodDelete, target: "/accounts/a/core/v1/users/u/tokens/t", header: []string{"X-Status", "204"}},
	} {
		q.serve(t, h)
	}
	cases := []struct {
		name  string
		query string
		want  []int64
	}{
		{"no parameters", "", []int64{4, 3, 2, 1}},
		{"method", "method=POST", []int64{3, 2}},
		{"method in lower case", "method=post", []int64{3, 2}},
		{"path", "path=/accounts/.*/tokens$", []int64{3, 2, 1}},
		{"status", "status=201", []int64{2}},
		{"since", "since=" + t0.Add(5*time.Millisecond).Format(time.RFC3339Nano), []int64{4, 3}},
		{"limit", "limit=3", []int64{4, 3, 2}},
		{"everything combined", "method=POST&path=^/accounts/a/&status=201&since=2024-05-01T12:00:00Z&limit=1", []int64{2}},
		{"limit after the other filters", "method=POST&limit=1", []int64{3}},
		{"a filter nothing matches", "status=500", []int64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := url.ParseQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			f, err := journal.ParseFilter(q)
			if err != nil {
				t.Fatalf("ParseFilter(%s): %v", c.query, err)
			}
			got := []int64{}
			for _, e := range j.List(f) {
				got = append(got, e.ID)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("List (-want +got):\n%s", diff)
			}
			if n := j.Count(f); n != len(c.want) {
				t.Errorf("Count = %d, want %d", n, len(c.want))
			}
		})
	}
}

func TestParseFilterNamesTheBadParameter(t *testing.T) {
	cases := []struct {
		name, query string
		want        []string // parameter names, in order
	}{
		{"a method that is no token", "method=GE%20T", []string{"method"}},
		{"a path that is no regexp", "path=(", []string{"path"}},
		{"a status that is no number", "status=ok", []string{"status"}},
		{"a status out of range", "status=600", []string{"status"}},
		{"a since that is no RFC 3339 time", "since=yesterday", []string{"since"}},
		{"a limit of zero", "limit=0", []string{"limit"}},
		{"a negative limit", "limit=-1", []string{"limit"}},
		{"a parameter given twice", "limit=1&limit=2", []string{"limit"}},
		{"an unknown parameter", "staus=201", []string{"staus"}},
		{"several bad parameters", "status=x&limit=0&path=(", []string{"limit", "path", "status"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := url.ParseQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			_, err = journal.ParseFilter(q)
			if err == nil {
				t.Fatalf("ParseFilter(%s) succeeded", c.query)
			}
			errs := []error{err}
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				errs = j.Unwrap()
			}
			var got []string
			for _, e := range errs {
				var pe *journal.ParamError
				if !errors.As(e, &pe) {
					t.Fatalf("%v is not a *ParamError", e)
				}
				if !strings.HasPrefix(e.Error(), pe.Name+": ") {
					t.Errorf("message %q does not start with the parameter", e)
				}
				got = append(got, pe.Name)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("parameters (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTheJournalDropsTheOldestPastItsCapacity(t *testing.T) {
	j, h := newJournal(3)
	if j.Capacity() != 3 {
		t.Fatalf("Capacity = %d, want 3", j.Capacity())
	}
	for i := range 5 {
		request{target: fmt.Sprintf("/%d", i)}.serve(t, h)
	}
	var got []string
	for _, e := range j.List(journal.Filter{}) {
		got = append(got, e.Path)
	}
	if diff := cmp.Diff([]string{"/4", "/3", "/2"}, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if d := journal.New(0, nil).Capacity(); d != journal.DefaultCapacity {
		t.Errorf("default capacity = %d, want %d", d, journal.DefaultCapacity)
	}
}

func TestClearEmptiesTheJournalAndIDsKeepIncreasing(t *testing.T) {
	j, h := newJournal(0)
	request{target: "/a"}.serve(t, h)
	request{target: "/b"}.serve(t, h)
	j.Clear()
	if n := j.Count(journal.Filter{}); n != 0 {
		t.Fatalf("Count after Clear = %d, want 0", n)
	}
	request{target: "/c"}.serve(t, h)
	got := j.List(journal.Filter{})
	if len(got) != 1 || got[0].ID != 3 || got[0].Path != "/c" {
		t.Errorf("after Clear and one request, List = %+v; want only /c with ID 3", got)
	}
}

func TestListReturnsCopies(t *testing.T) {
	j, h := newJournal(0)
	request{target: "/a", header: []string{"X-A", "1"}}.serve(t, h)
	j.List(journal.Filter{})[0].RequestHeaders["X-A"][0] = "changed"
	if v := j.List(journal.Filter{})[0].RequestHeaders["X-A"][0]; v != "1" {
		t.Errorf("a caller changed the journal: X-A = %q", v)
	}
}

func TestConcurrentRequestsAreAllRecorded(t *testing.T) {
	const goroutines, each = 16, 50
	j := journal.New(goroutines*each, nil)
	h := j.Middleware(http.HandlerFunc(echo))
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				request{method: http.MethodPut, target: fmt.Sprintf("/%d/%d", g, i), body: `{"n":1}`}.serve(t, h)
				j.Count(journal.Filter{})
			}
		})
	}
	wg.Wait()
	got := j.List(journal.Filter{})
	if len(got) != goroutines*each {
		t.Fatalf("recorded %d entries, want %d", len(got), goroutines*each)
	}
	paths := map[string]bool{}
	for i, e := range got {
		paths[e.Path] = true
		if want := int64(len(got) - i); e.ID != want {
			t.Fatalf("entry %d has ID %d, want %d", i, e.ID, want)
		}
	}
	if len(paths) != goroutines*each {
		t.Errorf("recorded %d distinct requests, want %d", len(paths), goroutines*each)
	}
}

func TestTheBodyStillReachesNextWhole(t *testing.T) {
	cases := []struct {
		name string
		size int
	}{
		{"an empty body", 0},
		{"a small body", 10},
		{"a body of exactly 64 KiB", journal.MaxBody},
		{"a body one byte over 64 KiB", journal.MaxBody + 1},
		{"a 70 KiB body", 70 << 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := make([]byte, c.size)
			for i := range body {
				body[i] = byte('a' + i%26)
			}
			var got []byte
			j := journal.New(0, nil)
			h := j.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, _ = io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
				r.Body.Close()
			}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPut, "/", bytes.NewReader(body)))
			if !bytes.Equal(got, body) {
				t.Errorf("next read %d bytes, want the %d sent", len(got), len(body))
			}
			rec := j.List(journal.Filter{})[0].RequestBody
			if want := string(body[:min(len(body), journal.MaxBody)]); rec != want {
				t.Errorf("recorded %d bytes, want %d", len(rec), len(want))
			}
		})
	}
}

func TestALimitedReaderInNextStillSeesTheBodyIsTooLarge(t *testing.T) {
	j := journal.New(0, nil)
	var readErr error
	h := j.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, readErr = io.ReadAll(http.MaxBytesReader(w, r.Body, journal.MaxBody))
		w.WriteHeader(http.StatusRequestEntityTooLarge)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat(" ", journal.MaxBody+1))))
	var mbe *http.MaxBytesError
	if !errors.As(readErr, &mbe) {
		t.Errorf("next read error %v, want *http.MaxBytesError", readErr)
	}
}

func TestResponsesAreRecordedAsTheClientSawThem(t *testing.T) {
	cases := []struct {
		name       string
		handler    http.HandlerFunc
		wantStatus int
		wantBody   string
		wantHeader string // X-A as sent
	}{
		{"nothing written is a 200", func(w http.ResponseWriter, r *http.Request) {}, 200, "", ""},
		{"a Write without WriteHeader is a 200", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hi")) }, 200, "hi", ""},
		{"headers set after WriteHeader are not sent", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-A", "before")
			w.WriteHeader(204)
			w.Header().Set("X-A", "after")
		}, 204, "", "before"},
		{"a 103 before the answer is not the status", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(404)
		}, 404, "", ""},
		{"a second WriteHeader does not count", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			w.WriteHeader(200)
		}, 500, "", ""},
		{"a body over 64 KiB is cut", func(w http.ResponseWriter, r *http.Request) {
			w.Write(bytes.Repeat([]byte("x"), 40<<10))
			w.Write(bytes.Repeat([]byte("x"), 40<<10))
		}, 200, strings.Repeat("x", journal.MaxBody), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j := journal.New(0, nil)
			j.Middleware(c.handler).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
			e := j.List(journal.Filter{})[0]
			if e.Status != c.wantStatus || e.ResponseBody != c.wantBody || http.Header(e.ResponseHeaders).Get("X-A") != c.wantHeader {
				t.Errorf("recorded status %d, %d body bytes, X-A %q; want %d, %d, %q",
					e.Status, len(e.ResponseBody), http.Header(e.ResponseHeaders).Get("X-A"), c.wantStatus, len(c.wantBody), c.wantHeader)
			}
		})
	}
}

func TestAFaultSetInsideTheMiddlewareIsRecorded(t *testing.T) {
	j := journal.New(0, nil)
	h := j.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		faultnote.Set(r.Context(), "f7")
		w.WriteHeader(503)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if e := j.List(journal.Filter{})[0]; e.Fault != "f7" || e.Status != 503 {
		t.Errorf("recorded fault %q status %d, want f7 503", e.Fault, e.Status)
	}
	faultnote.Set(context.Background(), "f8") // outside: a no-op
}

func TestAnAbortedRequestIsRecordedWithStatusZero(t *testing.T) {
	j := journal.New(0, nil)
	h := j.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		faultnote.Set(r.Context(), "f1")
		panic(http.ErrAbortHandler)
	}))
	func() {
		defer func() {
			if p := recover(); p != http.ErrAbortHandler {
				t.Errorf("the panic became %v, want http.ErrAbortHandler", p)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	}()
	if e := j.List(journal.Filter{})[0]; e.Status != 0 || e.Fault != "f1" {
		t.Errorf("recorded status %d fault %q, want 0 f1", e.Status, e.Fault)
	}
}

func TestARequestWhoseClientLeftUnansweredIsRecordedWithStatusZero(t *testing.T) {
	j := journal.New(0, nil)
	ctx, cancel := context.WithCancel(context.Background())
	h := j.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { cancel() }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(ctx, http.MethodGet, "/", nil))
	if e := j.List(journal.Filter{})[0]; e.Status != 0 {
		t.Errorf("recorded status %d, want 0", e.Status)
	}
}

func TestAHijackedConnectionIsRecordedWithStatusZero(t *testing.T) {
	j := journal.New(0, nil)
	done := make(chan struct{})
	h := j.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-ID", "abc")
		c, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		c.Close()
	}))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	if resp, err := srv.Client().Get(srv.URL + "/x"); err == nil {
		resp.Body.Close()
		t.Fatalf("the client got %s, want an error", resp.Status)
	}
	<-done
	got := j.List(journal.Filter{})
	if len(got) == 0 || got[0].Status != 0 || got[0].CorrelationID != "abc" {
		t.Errorf("recorded %+v, want status 0 with correlation id abc", got)
	}
}

func TestStreamingStillWorksThroughTheMiddleware(t *testing.T) {
	j := journal.New(0, nil)
	flushed := make(chan struct{})
	srv := httptest.NewServer(j.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("first\n"))
		if _, ok := w.(http.Flusher); !ok {
			t.Error("the writer is not an http.Flusher")
		}
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
		<-flushed
		w.Write([]byte("second\n"))
	})))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 6)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first\n" {
		t.Fatalf("read %q, %v before the handler finished; want the flushed line", buf, err)
	}
	close(flushed)
	rest, _ := io.ReadAll(resp.Body)
	if string(rest) != "second\n" {
		t.Errorf("then read %q", rest)
	}
	srv.Close() // waits for the handler
	if e := j.List(journal.Filter{})[0]; e.ResponseBody != "first\nsecond\n" {
		t.Errorf("recorded body %q", e.ResponseBody)
	}
}

func TestEntriesMarshalWithTheDocumentedNames(t *testing.T) {
	e := journal.Entry{ID: 1, Time: t0, Method: "GET", Path: "/", RequestHeaders: map[string][]string{}, ResponseHeaders: map[string][]string{}, Status: 200, DurationMS: 1.5}
	b, err := jsonMarshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":1,"time":"2024-05-01T12:00:00Z","method":"GET","path":"/","requestHeaders":{},"status":200,"responseHeaders":{},"durationMs":1.5}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

var jsonMarshal = json.Marshal
