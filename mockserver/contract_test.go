package mockserver

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// TestARememberedPathGetsTheValidatorsVerdict checks the shortcut of
// checkPathIDs: asked twice (the second time from what it remembers), it
// gives the verdict libopenapi-validator gives, for valid paths and
// invalid ones alike, raw and %-encoded.
func TestARememberedPathGetsTheValidatorsVerdict(t *testing.T) {
	doc, err := schemas.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	c, err := newContract(doc)
	if err != nil {
		t.Fatal(err)
	}
	const acc, usr, tok = "5cef50e1-a468-4f74-98a6-832d4fd76096", "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b", "4e99da96-152e-4aee-9207-4b6d04d2238d"
	for _, tc := range []struct {
		template, path string
		want           problem.Kind // 0: valid
	}{
		{userTokens, "/accounts/" + acc + "/core/v1/users/" + usr + "/tokens", 0},
		{userToken, "/accounts/" + acc + "/core/v1/users/" + usr + "/tokens/" + tok, 0},
		{userToken, "/accounts/" + acc + "/core/v1/users/" + usr + "/tokens/" + tok[:35], problem.InvalidResourceID},
		{userToken, "/accounts/" + acc + "/core/v1/users/" + usr + "/tokens/%34" + tok[1:], 0},
		{userToken, "/accounts/" + acc + "/core/v1/users/" + usr + "/tokens/" + "4E99DA96-152E-4AEE-9207-4B6D04D2238D", problem.InvalidResourceID},
		{userTokens, "/accounts/x" + acc[1:] + "/core/v1/users/" + usr + "/tokens", problem.InvalidAccountID},
		{groupToken, "/accounts/" + acc + "/core/v1/groups/" + usr + "/users/" + usr + "/tokens/" + tok, 0},
		{groupToken, "/accounts/" + acc + "/core/v1/groups/g/users/" + usr + "/tokens/" + tok, problem.InvalidResourceID},
	} {
		for round := range 2 {
			r := httptest.NewRequest("GET", tc.path, nil)
			_, errs := c.params.ValidatePathParamsWithPathItem(r, c.pathItem(tc.template), tc.template)
			p := c.checkPathIDs(r, c.pathItem(tc.template), tc.template)
			got := "valid"
			if p != nil {
				got = p.Type
			}
			want := "valid"
			if tc.want != 0 {
				want = tc.want.URI()
			}
			if got != want || (len(errs) == 0) != (tc.want == 0) {
				t.Errorf("round %d, %s: checkPathIDs %s, validator %d findings; want %s", round, tc.path, got, len(errs), want)
			}
		}
	}
}

func TestKnownValidIsBounded(t *testing.T) {
	var k knownValid
	for i := range maxKnownValid + 10 {
		k.add(fmt.Sprint(i))
	}
	if len(k.keys) != maxKnownValid || !k.has("0") || k.has(fmt.Sprint(maxKnownValid)) {
		t.Fatalf("%d keys remembered; want the first %d only", len(k.keys), maxKnownValid)
	}
}
