package mutant

import (
	"net/http"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// The wrappers most mutants are made of: each returns a Mutant's Wrap.

// onAnswer forwards every request unchanged and lets edit change the
// answer before it goes out.
func onAnswer(edit func(r *http.Request, a *answer)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := serve(next, r)
			edit(r, a)
			a.send(w)
		})
	}
}

// onRequest lets edit change every request before the mock sees it.
func onRequest(edit func(r *http.Request)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			edit(r)
			next.ServeHTTP(w, r)
		})
	}
}

// onProblem edits the body of every problem answer (documented or not).
func onProblem(edit func(m map[string]any)) func(http.Handler) http.Handler {
	return onAnswer(func(_ *http.Request, a *answer) {
		m, ok := a.object()
		_, hasType := m["type"].(string)
		_, hasTitle := m["title"].(string)
		if ok && a.status >= 400 && hasType && hasTitle {
			edit(m)
			a.setObject(m)
		}
	})
}

// onListPage edits the body of every successful list answer.
func onListPage(edit func(r *http.Request, page map[string]any)) func(http.Handler) http.Handler {
	return onAnswer(func(r *http.Request, a *answer) {
		if !isList(r) || a.status != http.StatusOK {
			return
		}
		if m, ok := a.object(); ok {
			edit(r, m)
			a.setObject(m)
		}
	})
}

// retype turns answers that are problem from into problem to, when
// when(r) holds (nil: always).
func retype(from, to schemas.ProblemKind, when func(r *http.Request) bool) func(http.Handler) http.Handler {
	return onAnswer(func(r *http.Request, a *answer) {
		if a.problemKind() == from && (when == nil || when(r)) {
			a.becomeProblem(to, nil)
		}
	})
}

// withWorld gives a mutant a fresh world watching the mock.
func withWorld(set *fixtures.Set, build func(wld *world, inner http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(mock http.Handler) http.Handler {
		wld := newWorld(set)
		return build(wld, wld.watch(mock))
	}
}
