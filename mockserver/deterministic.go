package mockserver

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"
)

// SeededRandom returns a reproducible source for Options.Random: the same
// seed gives the same ids, secrets and correlation ids in the same order.
// It is safe for concurrent use. Never use it outside tests: its secrets
// are predictable.
func SeededRandom(seed uint64) *Seeded {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	return &Seeded{rng: rand.NewChaCha8(key)}
}

// Seeded is a mutex-protected ChaCha8 stream; see SeededRandom.
type Seeded struct {
	mu  sync.Mutex
	rng *rand.ChaCha8
}

// Read fills p from the stream; it never fails.
func (s *Seeded) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Read(p)
}

// Float64 returns a number in [0, 1) from the same stream, for fault
// probabilities.
func (s *Seeded) Float64() float64 {
	var b [8]byte
	s.Read(b[:])
	return float64(binary.LittleEndian.Uint64(b[:])>>11) / (1 << 53)
}

// FixedClock returns an Options.Clock that always answers t: every
// timestamp the mock writes is t, so two runs answer byte for byte alike.
func FixedClock(t time.Time) func() time.Time {
	t = t.UTC()
	return func() time.Time { return t }
}
