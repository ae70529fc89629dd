package mockserver

import (
	"net/http"
	"testing"
	"time"
)

// TestSeedAndFixedClockMakeAnswersByteIdentical starts two mocks the same
// way and sends both the same create: the answers are the same bytes,
// headers included.
func TestSeedAndFixedClockMakeAnswersByteIdentical(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC)
	var bodies, ids []string
	for i := 0; i < 2; i++ {
		s, err := New(Options{Random: SeededRandom(42), Clock: FixedClock(at)})
		if err != nil {
			t.Fatal(err)
		}
		w := do(t, s, http.MethodPost, benchBase, "mock-snapshot-taker", `{"type":"application/astra-token","version":"1.0","name":"snap"}`)
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		bodies = append(bodies, w.Body.String()+w.Header().Get("Location"))
		ids = append(ids, w.Header().Get("X-Request-ID"))
	}
	if bodies[0] != bodies[1] || ids[0] != ids[1] {
		t.Fatalf("two seeded runs differ:\n%s\n%s\n%v", bodies[0], bodies[1], ids)
	}
	other, _ := New(Options{Random: SeededRandom(43), Clock: FixedClock(at)})
	w := do(t, other, http.MethodPost, benchBase, "mock-snapshot-taker", `{"type":"application/astra-token","version":"1.0","name":"snap"}`)
	if w.Body.String()+w.Header().Get("Location") == bodies[0] {
		t.Fatal("another seed gave the same answer")
	}
}

func TestSeededFloat64StaysInUnitInterval(t *testing.T) {
	s := SeededRandom(7)
	for i := 0; i < 10000; i++ {
		if f := s.Float64(); f < 0 || f >= 1 {
			t.Fatalf("Float64() = %v", f)
		}
	}
}
