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

// mock returns a mock (with its admin API) with the default fixtures,
// wrapped by wrap (nil: as is), and the suite's configuration for it,
// served in-process at baseURL.
func mock(t testing.TB, baseURL string, wrap func(http.Handler) http.Handler) *conformance.Config {
	t.Helper()
	h := takeMock(t).Handler()
	if wrap != nil {
		h = wrap(h)
	}
	return configFor(t, baseURL, h)
}

// mocks holds the mocks the tests are done with, reset to their fixtures:
// building one costs half a second under -race.
var mocks = make(chan *admin.Stack, 8)

// takeMock returns a mock with the default fixtures, given back (reset)
// when t ends.
func takeMock(t testing.TB) *admin.Stack {
	t.Helper()
	var stack *admin.Stack
	select {
	case stack = <-mocks:
	default:
		var err error
		if stack, err = admin.NewStack(admin.Config{}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		// A mutant may keep a token its run's cleanup thought deleted.
		if err := stack.Reset(); err != nil {
			t.Error(err)
			return
		}
		select {
		case mocks <- stack:
		default:
		}
	})
	return stack
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
