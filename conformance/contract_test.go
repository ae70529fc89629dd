package conformance_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/conformance"
)

// TestARememberedAnswerBodyStillHasItsHeadersChecked checks the shortcut of
// Contract.Check: a body it passed once is not checked again, but the rest
// of the answer is (here a 201 that loses its Location and ETag), and the
// same body under another status is checked anew.
func TestARememberedAnswerBodyStillHasItsHeadersChecked(t *testing.T) {
	c, err := conformance.NewContract()
	if err != nil {
		t.Fatal(err)
	}
	const url = "http://mock/accounts/5cef50e1-a468-4f74-98a6-832d4fd76096/core/v1/users/09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b/tokens"
	body := `{"type":"application/astra-token","version":"1.0","id":"4e99da96-152e-4aee-9207-4b6d04d2238d","name":"n",` +
		`"userID":"09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b","token":"c2VjcmV0LXZhbHVlLTAxMjM0NTY3ODk=",` +
		`"metadata":{"labels":[],"creationTimestamp":"2022-10-06T20:58:17.305662Z","modificationTimestamp":"2022-10-06T20:58:17.305662Z","createdBy":"8f84cf09-8036-51e4-b579-bd30cb07b269"}}`
	check := func(status int, headers ...string) error {
		req := httptest.NewRequest(http.MethodPost, url, nil)
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", "application/json")
		for i := 0; i < len(headers); i += 2 {
			rec.Header().Set(headers[i], headers[i+1])
		}
		rec.WriteHeader(status)
		io.WriteString(rec, body)
		return c.Check(req, rec.Result())
	}
	created := []string{"Location", url + "/4e99da96-152e-4aee-9207-4b6d04d2238d", "ETag", `"0123456789abcdef0123456789abcdef"`}
	for round := range 2 {
		if err := check(http.StatusCreated, created...); err != nil {
			t.Fatalf("round %d: a valid 201: %v", round, err)
		}
		if err := check(http.StatusCreated); err == nil || !strings.Contains(err.Error(), "Location") {
			t.Errorf("round %d: a 201 without Location: %v; want it refused", round, err)
		}
		if err := check(http.StatusTeapot, created...); err == nil {
			t.Errorf("round %d: the same body as a 418: accepted", round)
		}
	}
}
