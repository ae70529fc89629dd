package mockserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

const (
	benchAccount = "5cef50e1-a468-4f74-98a6-832d4fd76096"
	benchMember  = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b"
	benchAuth    = "Bearer mock-snapshot-taker"
	benchBase    = "/accounts/" + benchAccount + "/core/v1/users/" + benchMember + "/tokens"
)

func benchServer(tb testing.TB) *Server {
	tb.Helper()
	s, err := New(Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// fill adds n tokens to the member straight into the store: named so that
// about half match the benchmark's filter, created one millisecond apart.
func fill(b testing.TB, s *Server, n int) { fillRound(b, s, 0, n) }

// fillRound is fill with ids that carry round, so that rounds never
// collide, and returns the ids.
func fillRound(b testing.TB, s *Server, round, n int) []string {
	b.Helper()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-%04x-4000-8000-%012x", i, round, i)
		t := &token.Token{
			ID: ids[i], Name: fmt.Sprintf("token-%06d", (i*7919)%n), AccountID: benchAccount, UserID: benchMember,
			SecretHash:        fixtures.HashSecret("bench-" + ids[i]),
			Labels:            []token.Label{{Name: "env", Value: []string{"prod", "dev"}[i%2]}},
			CreationTimestamp: start.Add(time.Duration(i) * time.Millisecond), ModificationTimestamp: start,
			CreatedBy: benchMember,
		}
		if err := s.store.Load().Create(t); err != nil {
			b.Fatal(err)
		}
	}
	return ids
}

func serve(b *testing.B, s *Server, method, target, body string, want int) {
	var r *http.Request
	if body != "" {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	r.Header.Set("Authorization", benchAuth)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != want {
		b.Fatalf("%s %s: status %d, want %d: %s", method, target, w.Code, want, w.Body)
	}
}

func BenchmarkCreate(b *testing.B) {
	s := benchServer(b)
	body := `{"type":"application/astra-token","version":"1.0","name":"bench","metadata":{"labels":[{"name":"env","value":"ci"}]}}`
	b.ReportAllocs()
	for b.Loop() {
		serve(b, s, http.MethodPost, benchBase, body, http.StatusCreated)
	}
}

func BenchmarkGet(b *testing.B) {
	s := benchServer(b)
	target := benchBase + "/4e99da96-152e-4aee-9207-4b6d04d2238d"
	b.ReportAllocs()
	for b.Loop() {
		serve(b, s, http.MethodGet, target, "", http.StatusOK)
	}
}

func BenchmarkListDefaultFixtures(b *testing.B) {
	s := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		serve(b, s, http.MethodGet, benchBase, "", http.StatusOK)
	}
}

// BenchmarkList100k is one page of 100 out of 100,000 tokens, with a filter
// that keeps about half of them and an order other than the default: the
// store filters and sorts the user's tokens for every page.
func BenchmarkList100k(b *testing.B) {
	s := benchServer(b)
	fill(b, s, 100_000)
	for _, q := range []struct{ name, query string }{
		{"filter+orderBy+limit", "filter=metadata.labels%5B%2A%5D.value%20eq%20%27prod%27&orderBy=name%20desc&limit=100"},
		{"filter+orderBy+limit+include", "filter=name%20gte%20%27token-05%27&orderBy=name&limit=100&include=id,name"},
	} {
		b.Run(q.name, func(b *testing.B) {
			target := benchBase + "?" + q.query
			b.ReportAllocs()
			for b.Loop() {
				serve(b, s, http.MethodGet, target, "", http.StatusOK)
			}
		})
	}
}

// BenchmarkUndeclaredQueryParameters: a list request with n parameters the
// endpoint does not take. The work must grow linearly with n (it grew with
// its square, 20 s of CPU at 8000, before the validator got them in
// chunks).
func BenchmarkUndeclaredQueryParameters(b *testing.B) {
	for _, n := range []int{1000, 8000} {
		b.Run(fmt.Sprintf("params=%d", n), func(b *testing.B) {
			s := benchServer(b)
			target := benchBase + "?" + manyParams(n)
			b.ReportAllocs()
			for b.Loop() {
				serve(b, s, http.MethodGet, target, "", http.StatusBadRequest)
			}
		})
	}
}

const benchGroupBase = "/accounts/" + benchAccount + "/core/v1/groups/8266f1f1-eabe-41a5-a92d-0c2ef173efc5/users/" + benchMember + "/tokens"

func BenchmarkUpdate(b *testing.B) {
	s := benchServer(b)
	target := benchBase + "/4e99da96-152e-4aee-9207-4b6d04d2238d"
	bodies := []string{
		`{"type":"application/astra-token","version":"1.0","name":"bench a","metadata":{"labels":[{"name":"env","value":"ci"}]}}`,
		`{"type":"application/astra-token","version":"1.0","name":"bench b"}`,
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		serve(b, s, http.MethodPut, target, bodies[i%2], http.StatusNoContent)
		i++
	}
}

// BenchmarkDelete deletes tokens put in the store beforehand, a batch at
// a time outside the timer.
func BenchmarkDelete(b *testing.B) {
	s := benchServer(b)
	var ids []string
	round := 0
	b.ReportAllocs()
	for b.Loop() {
		if len(ids) == 0 {
			b.StopTimer()
			round++
			ids = fillRound(b, s, round, 1000)
			b.StartTimer()
		}
		serve(b, s, http.MethodDelete, benchBase+"/"+ids[0], "", http.StatusNoContent)
		ids = ids[1:]
	}
}

func BenchmarkGroupGet(b *testing.B) {
	s := benchServer(b)
	target := benchGroupBase + "/4e99da96-152e-4aee-9207-4b6d04d2238d"
	b.ReportAllocs()
	for b.Loop() {
		serve(b, s, http.MethodGet, target, "", http.StatusOK)
	}
}

func BenchmarkGroupList(b *testing.B) {
	s := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		serve(b, s, http.MethodGet, benchGroupBase, "", http.StatusOK)
	}
}

func BenchmarkGroupCreate(b *testing.B) {
	s := benchServer(b)
	body := `{"type":"application/astra-token","version":"1.0","name":"bench"}`
	b.ReportAllocs()
	for b.Loop() {
		serve(b, s, http.MethodPost, benchGroupBase, body, http.StatusCreated)
	}
}

// BenchmarkListUnpaged100k is the whole list of a user holding 100,000
// tokens in one answer (about 34 MB): streamed, so its memory is the
// store's page of pointers, not the answer.
func BenchmarkListUnpaged100k(b *testing.B) {
	s := benchServer(b)
	fill(b, s, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodGet, benchBase, nil)
		r.Header.Set("Authorization", benchAuth)
		w := &countingWriter{header: http.Header{}}
		s.ServeHTTP(w, r)
		if w.status != http.StatusOK || w.n < 30<<20 {
			b.Fatalf("status %d, %d bytes", w.status, w.n)
		}
	}
}

// countingWriter is a ResponseWriter that counts the body and keeps none
// of it, as a client reading a stream does.
type countingWriter struct {
	header http.Header
	status int
	n      int
}

func (w *countingWriter) Header() http.Header { return w.header }
func (w *countingWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(p)
	return len(p), nil
}
