package schemas

import (
	"sync"
	"sync/atomic"
)

// KnownValid is a bounded set of keys a check has passed, for checks by
// libopenapi-validator that cost more than the rest of an exchange. The
// checks it remembers are pure functions of the key, so a key that passed
// once passes again and need not be checked twice; a key not in the set
// (never seen, or seen once the set was full) goes to the check again.
// The zero value is empty and ready; it is safe for concurrent use.
type KnownValid struct {
	keys  sync.Map     // key → struct{}: written once, then only read
	added atomic.Int64 // calls to Add (a key two callers add at once counts twice)
}

// MaxKnownValid bounds KnownValid: a client sending ever new valid input
// makes it remember at most this many keys (a few MiB), then check the
// rest every time.
const MaxKnownValid = 1 << 14

// Has reports whether key passed before.
func (k *KnownValid) Has(key string) bool {
	_, ok := k.keys.Load(key)
	return ok
}

// Add remembers that key passed, while the set is not full.
func (k *KnownValid) Add(key string) {
	if k.added.Add(1) <= MaxKnownValid {
		k.keys.Store(key, struct{}{})
	}
}
