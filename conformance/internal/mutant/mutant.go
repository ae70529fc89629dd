// Package mutant builds deliberately broken variants of the mock: each one
// an http.Handler wrapped around a fresh, unmodified mockserver that breaks
// exactly one rule of schemas/CONTRACT.md by rewriting requests on their way in or
// answers on their way out. The conformance suite must fail against every
// one of them (conformance/mutants_test.go); a mutant the suite passes
// marks a rule no scenario checks.
//
// The mutants are grouped by the part of the contract they break, one file
// each (mutants_*.go); what they know of the contract is in contract.go,
// read from schemas.
//
// Test-only: nothing outside the conformance tests imports it.
package mutant

import (
	"net/http"
	"slices"

	"github.com/astra-contract/astra-token-kit/fixtures"
)

// Mutant is one deliberately broken variant of the mock.
type Mutant struct {
	// Name is short and stable: the subtest name.
	Name string
	// Rule is the rule of schemas/CONTRACT.md the mutant breaks, with its section (§N).
	Rule string
	// How says what the wrapper does to the mock's traffic.
	How string
	// Wrap returns the broken handler around mock, a fresh mock serving
	// the fixtures All was given. Each call starts from a clean state.
	Wrap func(mock http.Handler) http.Handler
	// Hint names the feature files (base names) most likely to catch the
	// mutant. The harness runs them first and the rest only if they do
	// not: a hint saves time, a stale one costs it, neither changes a
	// verdict.
	Hint []string
}

// All returns every mutant, for a mock serving set, grouped by the part
// of the contract they break.
func All(set *fixtures.Set) []Mutant {
	notFound := notFoundKinds()
	return slices.Concat(
		resourceMutants(set),       // §2 resources: the token as created, read and updated
		problemMutants(notFound),   // §6 errors: problem bodies and types
		authMutants(set, notFound), // §3 authentication and authorization
		httpMutants(),              // §1, §7 HTTP details: statuses, Location, methods, content negotiation
		preconditionMutants(),      // §7 ETag and preconditions
		listMutants(),              // §4 list queries
		bodyMutants(),              // §5 request bodies
	)
}

// Passthrough runs the mock through the same plumbing the mutants use —
// request bodies and queries read and put back, every answer recorded and
// re-sent, token bodies decoded and re-encoded with their ETags
// recomputed, the world watching — without changing anything it means.
// The suite must pass against it, or the mutants' plumbing is itself a
// mutant.
func Passthrough(set *fixtures.Set) func(http.Handler) http.Handler {
	return func(mock http.Handler) http.Handler {
		wld := newWorld(set)
		inner := editTokens(true, func(*http.Request, map[string]any) {})(wld.watch(mock))
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			readBody(r)
			editQuery(r, func(_, value string) (string, bool) { return value, true })
			inner.ServeHTTP(w, r)
		})
	}
}
