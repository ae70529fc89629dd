package mockserver

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// manyParams is a query of n distinct undeclared parameters, p0&p1&…
func manyParams(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("p%d", i)
	}
	return strings.Join(names, "&")
}

// TestThousandsOfUndeclaredParameters: a query of 8000 parameters the
// endpoint does not take is refused as type 6 naming the first
// MaxNamedParams of them and counting the others, on a list and on an item
// endpoint. (Its cost is measured by BenchmarkUndeclaredQueryParameters;
// when the validator saw them all at once, 8000 took about 20 s of CPU.)
func TestThousandsOfUndeclaredParameters(t *testing.T) {
	h := newHarness(t)
	const n = 8000
	for _, c := range []struct {
		target string
		first  string // the first name in invalidParams
		more   int    // undeclared names past MaxNamedParams
	}{
		{userColl(acctA, memberID), "p0", n - MaxNamedParams},
		{groupColl(acctA, groupID, memberID), "p0", n - MaxNamedParams},
		{userColl(acctA, memberID) + "/" + tokScript, "limit", n + 1 - MaxNamedParams}, // limit is undeclared there
	} {
		t.Run("on "+c.target, func(t *testing.T) {
			r := h.get(t, credMember, c.target+"?limit=1&"+manyParams(n)+"&p0&p1")
			p := wantProblem(t, r, 6)
			names := itemNames(p, "invalidParams")
			if len(names) != MaxNamedParams+1 || names[0] != c.first || names[MaxNamedParams] != "query" {
				t.Fatalf("invalidParams names %d parameters from %q, want %d from %q then \"query\": %v", len(names), names[0], MaxNamedParams, c.first, names)
			}
			last := p["invalidParams"].([]any)[MaxNamedParams].(map[string]any)["reason"]
			if want := fmt.Sprintf("%d more parameters are not supported by this endpoint either", c.more); last != want {
				t.Errorf("last reason = %q, want %q", last, want)
			}
		})
	}
}

// TestManyMalformedParameters: past MaxNamedParams, malformed pairs are
// counted, not named.
func TestManyMalformedParameters(t *testing.T) {
	h := newHarness(t)
	q := strings.Repeat("a=%zz&", 50) + strings.Repeat("x;y&", 10) + strings.ReplaceAll(manyParams(200), "&", "=%zz&") + "=%zz"
	r := h.get(t, credMember, userColl(acctA, memberID)+"?"+q)
	p := wantProblem(t, r, 5)
	names := itemNames(p, "invalidParams")
	if len(names) != MaxNamedParams+1 || names[0] != "a" || names[1] != "x;y" || names[2] != "p0" || names[MaxNamedParams] != "query" {
		t.Fatalf("invalidParams names = %v", names)
	}
	last := p["invalidParams"].([]any)[MaxNamedParams].(map[string]any)["reason"]
	if want := "102 more parameters do not parse either"; last != want {
		t.Errorf("last reason = %q, want %q", last, want)
	}
}

// TestDeclaredParametersAmongUndeclaredOnes: with undeclared names present,
// the declared ones are still judged (limit=0 alone would be type 5), and
// the answer is type 6 naming only the undeclared names.
func TestDeclaredParametersAmongUndeclaredOnes(t *testing.T) {
	h := newHarness(t)
	r := h.get(t, credMember, userColl(acctA, memberID)+"?limit=0&color=red&"+manyParams(40))
	p := wantProblem(t, r, 6)
	names := itemNames(p, "invalidParams")
	if len(names) != 41 || names[0] != "color" {
		t.Errorf("invalidParams names = %v, want color then p0…p39", names)
	}
	for _, name := range names {
		if name == "limit" {
			t.Errorf("limit is named as unsupported: %v", names)
		}
	}
}

// TestClientGoneStopsTheWork: a request whose client has gone is not
// worked on to the end, and nothing is written for it.
func TestClientGoneStopsTheWork(t *testing.T) {
	h := newHarness(t)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 2000 {
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
		err := h.srv.store.Load().Create(&token.Token{
			ID: id, Name: fmt.Sprintf("bulk-%04d", i), AccountID: acctA, UserID: memberID,
			SecretHash: fixtures.HashSecret(id), Labels: []token.Label{},
			CreationTimestamp: start, ModificationTimestamp: start, CreatedBy: adminID,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, target := range []string{
		userColl(acctA, memberID),
		userColl(acctA, memberID) + "?count=true&filter=name%20in%20%27bulk%27",
		userColl(acctA, memberID) + "?" + manyParams(1000),
	} {
		t.Run(target[:min(len(target), 120)], func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			r := httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil)
			r.Header.Set("Authorization", "Bearer "+credMember)
			w := httptest.NewRecorder()
			h.srv.ServeHTTP(w, r)
			if w.Body.Len() != 0 || w.Code != http.StatusOK {
				t.Errorf("answered a gone client: %d %s", w.Code, w.Body.String()[:min(w.Body.Len(), 200)])
			}
		})
	}
}
