package mutant

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// This file is what the mutants know of the contract. Every fact comes from
// schemas (problem.json, openapi.yaml, types.json, CONTRACT.md), not from
// the mock, which the mutants wrap but never read.

// notFoundKinds reads from openapi.yaml the 404 each method answers with,
// the split of schemas/CONTRACT.md §1's note (2 for GET and POST, 1 for PUT
// and DELETE). A method the document does not have is answered like GET.
// It panics if an operation documents other than one 404 type, or two
// operations of one method disagree: the mutants rely on the split.
func notFoundKinds() func(method string) schemas.ProblemKind {
	byMethod := map[string]schemas.ProblemKind{}
	for _, op := range operations() {
		types, err := op.ProblemTypes(http.StatusNotFound)
		if err != nil || len(types) != 1 {
			panic(fmt.Sprintf("mutant: %s documents the 404 problem types %v (%v), want one", op.ID, types, err))
		}
		k := schemas.ProblemKind(types[0])
		if prev, ok := byMethod[op.Method]; ok && prev != k {
			panic(fmt.Sprintf("mutant: the %s operations document 404 types %d and %d", op.Method, prev, k))
		}
		byMethod[op.Method] = k
	}
	return func(method string) schemas.ProblemKind {
		if k, ok := byMethod[method]; ok {
			return k
		}
		return byMethod[http.MethodGet]
	}
}

// isIdentifier reports whether s is an Astra Identifier (schemas/types.json):
// the ids the mock takes from a client's X-Request-ID.
func isIdentifier(s string) bool {
	identifier, err := schemas.Compile(schemas.Types + "#/$defs/identifier")
	if err != nil {
		panic(fmt.Sprintf("mutant: %v", err))
	}
	return identifier.Validate(s) == nil
}

// sanitizeName makes a name pass the extended validation of
// schemas/CONTRACT.md §5: each forbidden sequence, the longest first, and
// each byte outside printable ASCII becomes "_".
func sanitizeName(s string) string {
	forbidden := schemas.TokenNameForbidden()
	slices.SortStableFunc(forbidden, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, f := range forbidden {
		s = strings.ReplaceAll(s, f, "_")
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '_'
		}
		return r
	}, s)
}

// queryParameters returns the query parameters openapi.yaml declares for
// the operation r addresses (for a list, the seven of schemas/CONTRACT.md
// §4), none for a request the document has no operation for.
func queryParameters(r *http.Request) []string {
	op, ok := schemas.FindOperation(r)
	if !ok {
		return nil
	}
	names, err := op.QueryParameters()
	if err != nil {
		panic(fmt.Sprintf("mutant: %v", err))
	}
	return names
}

// resourceOrder is the order of a token's fields in the mock's bodies.
var resourceOrder = []string{"type", "version", "id", "name", "userID", "token", "metadata"}
