package correlation

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
)

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("no randomness") }

func TestTheClientsIDIsKeptWhenValidAndReplacedOtherwise(t *testing.T) {
	const given = "3f5b1c2a-9d4e-4f6a-8b7c-1d2e3f4a5b6c"
	random := strings.NewReader(strings.Repeat("\x01", 64))
	ids, err := New(random)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, header, want string }{
		{"a valid id is kept", given, given},
		{"no id gets a new one", "", "01010101-0101-4101-8101-010101010101"},
		{"an invalid id is replaced", "not an id", "01010101-0101-4101-8101-010101010101"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var inContext string
			h := ids.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inContext = problem.CorrelationID(r.Context())
			}))
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.header != "" {
				r.Header.Set(Header, tt.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if got := rec.Header().Get(Header); got != tt.want || inContext != tt.want {
				t.Errorf("X-Request-ID %q, in the context %q; want %q", got, inContext, tt.want)
			}
		})
	}
}

func TestAFailingRandomSourceGivesTheNilUUID(t *testing.T) {
	ids, err := New(failing{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	ids.Tag(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if got := rec.Header().Get(Header); got != fallback {
		t.Errorf("X-Request-ID %q, want %q", got, fallback)
	}
}
