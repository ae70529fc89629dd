package admin

import (
	"encoding/json"
	"net/http"
	"testing"
)

// benchStack is a stack holding the default fixtures and n more tokens.
func benchStack(b *testing.B, n int) (*Stack, []byte) {
	b.Helper()
	set := bigState(b, n)
	var cfg Config
	cfg.Mock.Fixtures = set
	s, err := NewStack(cfg)
	if err != nil {
		b.Fatal(err)
	}
	doc, err := json.Marshal(set)
	if err != nil {
		b.Fatal(err)
	}
	return s, doc
}

// BenchmarkGetState100k is GET /__admin/state of 100,000 tokens (about
// 36 MB of JSON).
func BenchmarkGetState100k(b *testing.B) {
	s, _ := benchStack(b, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		if w := serveRaw(s, http.MethodGet, "/__admin/state", ""); w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkPutState100k is PUT /__admin/state of 100,000 tokens.
func BenchmarkPutState100k(b *testing.B) {
	s, doc := benchStack(b, 100_000)
	body := string(doc)
	b.ReportAllocs()
	for b.Loop() {
		if w := serveRaw(s, http.MethodPut, "/__admin/state", body); w.Code != http.StatusNoContent {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
