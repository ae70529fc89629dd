// Package wire holds what the conformance suite and its mutants both
// compute from the Token API's bytes on the wire, as schemas/CONTRACT.md
// states it, so that each rule is written once for the conformance tree.
package wire

import (
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// ETag returns the entity tag of a token's JSON body, unquoted: the hex MD5
// of the resource as sent (schemas/CONTRACT.md §7).
func ETag(body []byte) string {
	sum := md5.Sum(body)
	return hex.EncodeToString(sum[:])
}

// MediaType returns the media type of a Content-Type value or of one Accept
// range: lower case, without parameters.
func MediaType(s string) string {
	mt, _, _ := strings.Cut(s, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// ProblemNumber returns the number of a problem type URI of the
// contract's (schemas.ProblemTypeBase and a number), 0 for any other.
func ProblemNumber(typ string) int {
	s, ok := strings.CutPrefix(typ, schemas.ProblemTypeBase)
	n, err := strconv.Atoi(s)
	if !ok || err != nil {
		return 0
	}
	return n
}

// Field returns a string field of a list item: an object's member key, or
// the element at index key of an item include projected to an array.
func Field(item any, key string) (string, bool) {
	switch it := item.(type) {
	case map[string]any:
		s, ok := it[key].(string)
		return s, ok
	case []any:
		n, err := strconv.Atoi(key)
		if err != nil || n < 0 || n >= len(it) {
			return "", false
		}
		s, ok := it[n].(string)
		return s, ok
	}
	return "", false
}
