package store

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

const bigN = 100_000

// bigState is the test state with 100k more tokens for the member.
func bigState() State {
	st := testState()
	for i := 0; i < bigN; i++ {
		st.Tokens = append(st.Tokens, newToken(1_000_000+i, fmt.Sprintf("token-%06d", (i*7919)%bigN)))
	}
	return st
}

func bigStore(b *testing.B) *Store {
	s, err := New(bigState())
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkCreate(b *testing.B) {
	s := defaultStore(b)
	toks := make([]*token.Token, b.N)
	for i := range toks {
		toks[i] = newToken(i, fmt.Sprintf("token-%06d", (i*7919)%bigN))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Create(toks[i]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGet100k(b *testing.B) {
	s := bigStore(b)
	id := newToken(1_000_000+bigN/2, "").ID
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, ok := s.Get(id); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkListSmall(b *testing.B) {
	s := defaultStore(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p, err := s.List(context.Background(), List{UserID: member}); err != nil || len(p.Items) != 3 {
			b.Fatal(err, len(p.Items))
		}
	}
}

func BenchmarkList100kUnpaged(b *testing.B) {
	s := bigStore(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p, err := s.List(context.Background(), List{UserID: member, OrderBy: "name"}); err != nil || len(p.Items) != bigN+3 {
			b.Fatal(err, len(p.Items))
		}
	}
}

func BenchmarkList100kPage(b *testing.B) {
	s := bigStore(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p, err := s.List(context.Background(), List{UserID: member, OrderBy: "name", Limit: 100}); err != nil || len(p.Items) != 100 {
			b.Fatal(err, len(p.Items))
		}
	}
}

func BenchmarkImport100k(b *testing.B) {
	st := bigState()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := New(st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExport100k(b *testing.B) {
	s := bigStore(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if st := s.Export(); len(st.Tokens) != bigN+4 {
			b.Fatal(len(st.Tokens))
		}
	}
}

// BenchmarkMemoryPerToken creates 100k tokens one by one, as the API does,
// and reports the live heap they add per token.
func BenchmarkMemoryPerToken(b *testing.B) {
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s := defaultStore(b)
		for j := 0; j < bigN; j++ {
			if err := s.Create(newToken(1_000_000+j, fmt.Sprintf("token-%06d", (j*7919)%bigN))); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/bigN, "B/token")
		runtime.KeepAlive(s)
	}
}
