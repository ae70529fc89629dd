package query

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"slices"
)

// Fingerprint returns a stable digest (32 lowercase hex digits) of a list
// query: its scope (chosen by the caller, e.g. the collection path), its
// filters, order and include. Filters are a set: their order and
// repetitions do not matter (AND is commutative and idempotent). Order and
// include do matter, as does the zero Order versus an explicit one. limit,
// skip and count are not part of it.
func Fingerprint(scope string, filters []Filter, order Order, include []string) string {
	fs := make([]string, len(filters))
	for i, f := range filters {
		fs[i] = f.String()
	}
	slices.Sort(fs)
	fs = slices.Compact(fs)

	h := sha256.New()
	writeString(h, "astra-token-kit/query fingerprint v1")
	writeString(h, scope)
	writeCount(h, len(fs))
	for _, f := range fs {
		writeString(h, f)
	}
	writeString(h, order.String())
	writeCount(h, len(include))
	for _, f := range include {
		writeString(h, f)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func writeCount(h hash.Hash, n int) {
	h.Write(binary.AppendUvarint(nil, uint64(n)))
}

func writeString(h hash.Hash, s string) {
	writeCount(h, len(s))
	h.Write([]byte(s))
}
