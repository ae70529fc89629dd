package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/fixtures"
)

// bigState is the default fixtures with n more tokens for the member, as
// many as a long-running mock may hold.
func bigState(t testing.TB, n int) *fixtures.Set {
	t.Helper()
	set := mustDefault(t)
	a := &set.Accounts[0]
	template := a.Tokens[0]
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		tok := template
		tok.ID = fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		tok.Name = fmt.Sprintf("bulk token %d", i)
		tok.UserID = memberID
		tok.Secret, tok.SecretHash = "", fixtures.HashSecret(tok.ID)
		tok.Metadata.Labels = []fixtures.Label{{Name: "env", Value: "ci"}}
		tok.Metadata.CreationTimestamp = start.Add(time.Duration(i) * time.Millisecond)
		tok.Metadata.ModificationTimestamp = tok.Metadata.CreationTimestamp
		a.Tokens = append(a.Tokens, tok)
	}
	return set
}

func mustDefault(t testing.TB) *fixtures.Set {
	t.Helper()
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// serveRaw sends one admin request without the harness's checks (which
// would validate a body of tens of megabytes against the document).
func serveRaw(s *Stack, method, target, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "http://127.0.0.1:8080"+target, strings.NewReader(body))
	r.Header.Set("Content-Type", mediaJSON)
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

// TestPutStateTakesBackWhatTheMockSavedPastTheRuleLimit: PUT /__admin/state
// accepts the document astra-mock -state writes (GET /__admin/state answers
// the same set without indentation: TestPutStateRoundTripsWhatGetStateAnswers)
// for a state of 25,000 tokens, 12 MB, past the 8 MiB a fault rule may take.
// (make load puts back a state of 100,000 tokens, and fails if it is refused.)
func TestPutStateTakesBackWhatTheMockSavedPastTheRuleLimit(t *testing.T) {
	const n = 25_000
	s := newStack(t, func(c *Config) { c.Mock.Fixtures = bigState(t, n) })
	saved, err := json.MarshalIndent(s.Server.State(), "", "  ") // as astra-mock -state saves it
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) <= MaxBodyBytes {
		t.Fatalf("the document is %d bytes: not past the fault-rule limit, the test shows nothing", len(saved))
	}
	// Back to the default fixtures first: the PUT must bring the tokens back.
	if put := serveRaw(s, http.MethodPut, "/__admin/state", string(fixtures.DefaultJSON())); put.Code != http.StatusNoContent {
		t.Fatalf("PUT of the default fixtures: %d %s", put.Code, put.Body)
	}
	put := serveRaw(s, http.MethodPut, "/__admin/state", string(saved))
	if put.Code != http.StatusNoContent {
		t.Fatalf("PUT /__admin/state of %d bytes: %d %.300s", len(saved), put.Code, put.Body)
	}
	r := httptest.NewRequest(http.MethodGet, userTokens(memberID)+"?count=true&limit=1&include=id", nil)
	r.Header.Set("Authorization", "Bearer "+credMember)
	list := httptest.NewRecorder()
	s.Handler().ServeHTTP(list, r)
	var page struct {
		Metadata struct{ Count int }
	}
	want := n
	for _, tok := range mustDefault(t).Accounts[0].Tokens {
		if tok.UserID == memberID {
			want++
		}
	}
	if err := json.Unmarshal(list.Body.Bytes(), &page); err != nil || page.Metadata.Count != want {
		t.Errorf("after PUT the member has %d tokens, want %d (%v)", page.Metadata.Count, want, err)
	}
}
