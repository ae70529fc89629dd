package mutant

import (
	"github.com/astra-contract/astra-token-kit/schemas"
	"net/http"

	"github.com/astra-contract/astra-token-kit/fixtures"
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

// onProblem edits the body of every problem answer.
func onProblem(edit func(a *answer, m map[string]any)) func(http.Handler) http.Handler {
	return onAnswer(func(r *http.Request, a *answer) {
		if !a.isProblem() {
			return
		}
		m, _ := a.object()
		edit(a, m)
		a.setObject(m)
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

// retype turns answers that are problem `from` into problem `to`, when
// when(r) holds (nil: always).
func retype(from schemas.ProblemKind, to func(r *http.Request) schemas.ProblemKind, when func(r *http.Request) bool) func(http.Handler) http.Handler {
	return onAnswer(func(r *http.Request, a *answer) {
		if a.problemKind() == from && (when == nil || when(r)) {
			a.becomeProblem(to(r), nil)
		}
	})
}

// always is a retype target that does not depend on the request.
func always(k schemas.ProblemKind) func(*http.Request) schemas.ProblemKind {
	return func(*http.Request) schemas.ProblemKind { return k }
}

// byMethod is a retype target that depends on the request's method.
func byMethod(k func(method string) schemas.ProblemKind) func(*http.Request) schemas.ProblemKind {
	return func(r *http.Request) schemas.ProblemKind { return k(r.Method) }
}

// withWorld gives a mutant a fresh world watching the mock.
func withWorld(set *fixtures.Set, build func(wld *world, inner http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(mock http.Handler) http.Handler {
		wld := newWorld(set)
		return build(wld, wld.watch(mock))
	}
}

// onRequestSeen is onRequest for a mutant that needs to know who is who:
// edit sees every request, with a fresh world watching the mock.
func onRequestSeen(set *fixtures.Set, edit func(wld *world, r *http.Request)) func(http.Handler) http.Handler {
	return withWorld(set, func(wld *world, inner http.Handler) http.Handler {
		return onRequest(func(r *http.Request) { edit(wld, r) })(inner)
	})
}

// intercept is a Wrap for a mutant that answers some requests itself:
// handle sees each request first, with a fresh world watching the mock
// (inner), and reports whether it answered; the mock answers the others.
func intercept(set *fixtures.Set, handle func(wld *world, inner http.Handler, w http.ResponseWriter, r *http.Request) bool) func(http.Handler) http.Handler {
	return withWorld(set, func(wld *world, inner http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !handle(wld, inner, w, r) {
				inner.ServeHTTP(w, r)
			}
		})
	})
}
