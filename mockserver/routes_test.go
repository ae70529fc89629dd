package mockserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/mux"
)

// echoRouter routes the API's path templates to a handler that writes the
// route and its variables, as the mock's router is built.
func echoRouter() *mux.Router {
	r := mux.NewRouter().UseEncodedPath()
	for _, template := range []string{userTokens, groupTokens, userToken, groupToken} {
		r.Handle(template, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "%s %v", template, mux.Vars(r))
		}))
	}
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "none", http.StatusNotFound)
	})
	return r
}

// TestKnownRoutesAnswerAsTheRouter: asked once or many times, every path
// gets the router's own answer (route, variables, redirect, 404).
func TestKnownRoutesAnswerAsTheRouter(t *testing.T) {
	const a, u, g, tk = "5cef50e1-a468-4f74-98a6-832d4fd76096", "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b", "8266f1f1-eabe-41a5-a92d-0c2ef173efc5", "2c022490-0fa7-4f18-8f45-81d6f21d6b7c"
	base := "/accounts/" + a + "/core/v1"
	paths := []string{
		base + "/users/" + u + "/tokens",
		base + "/users/" + tk + "/tokens",
		base + "/users/" + u + "/tokens/" + tk,
		base + "/groups/" + g + "/users/" + u + "/tokens",
		base + "/groups/" + g + "/users/" + u + "/tokens/" + tk,
		base + "/users/" + u + "/tokens/",
		base + "/users/" + u + "/tokens%2F" + tk,
		base + "/users/./tokens",
		base + "/users/" + u + "/../" + u + "/tokens",
		base + "//users/" + u + "/tokens",
		base + "/users/" + u + "/tokens/" + tk + "/x",
		"/",
		"/accounts",
	}
	plain := echoRouter()
	known := &knownRoutes{router: echoRouter()}
	for round := range 3 {
		for _, p := range paths {
			want, got := httptest.NewRecorder(), httptest.NewRecorder()
			plain.ServeHTTP(want, httptest.NewRequest(http.MethodGet, p, nil))
			known.ServeHTTP(got, httptest.NewRequest(http.MethodGet, p, nil))
			if got.Code != want.Code || got.Body.String() != want.Body.String() || got.Header().Get("Location") != want.Header().Get("Location") {
				t.Errorf("round %d, %s: %d %q %q; the router: %d %q %q", round, p,
					got.Code, got.Body, got.Header().Get("Location"), want.Code, want.Body, want.Header().Get("Location"))
			}
		}
	}
}

// TestKnownRoutesAreBounded: a client asking for ever new paths (every
// token of a large collection) does not grow the memory without end.
func TestKnownRoutesAreBounded(t *testing.T) {
	known := &knownRoutes{router: echoRouter()}
	for i := range 3 * maxKnownRoutes {
		p := fmt.Sprintf("/accounts/a/core/v1/users/u/tokens/%d", i)
		w := httptest.NewRecorder()
		known.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p, nil))
		if want := fmt.Sprintf("%s map[account_id:a token_id:%d user_id:u]", userToken, i); w.Body.String() != want {
			t.Fatalf("%s: %q, want %q", p, w.Body, want)
		}
	}
	n := 0
	known.known.Range(func(any, any) bool { n++; return true })
	if n > maxKnownRoutes {
		t.Errorf("%d paths remembered, at most %d wanted", n, maxKnownRoutes)
	}
}
