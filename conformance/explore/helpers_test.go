package explore

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// handlerTransport serves a client's requests with a handler in-process:
// exploration at the handler's speed, without sockets.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	in := r.Clone(r.Context())
	in.RequestURI = r.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// mock returns a fresh mock (with its admin API) with the default
// fixtures, wrapped by wrap (nil: as is), and the suite's configuration
// for it, served in-process at baseURL.
func mock(t testing.TB, baseURL string, wrap func(http.Handler) http.Handler) *conformance.Config {
	t.Helper()
	h := newMock(t)
	if wrap != nil {
		h = wrap(h)
	}
	return configFor(t, baseURL, h)
}

// newMock returns a fresh mock with its admin API and the default
// fixtures.
func newMock(t testing.TB) http.Handler {
	t.Helper()
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return stack.Handler()
}

// configFor is the suite's configuration, with the default fixtures'
// identities, for h served in-process at baseURL.
func configFor(t testing.TB, baseURL string, h http.Handler) *conformance.Config {
	t.Helper()
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := conformance.ConfigFromFixtures(baseURL, set)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Client = &http.Client{Transport: handlerTransport{h}}
	return cfg
}
