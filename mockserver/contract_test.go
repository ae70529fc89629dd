package mockserver

import (
	"net/http/httptest"
	"testing"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// The API's path templates, as in the OpenAPI document.
const (
	userTokens  = "/accounts/{account_id}/core/v1/users/{user_id}/tokens"
	userToken   = userTokens + "/{token_id}"
	groupTokens = "/accounts/{account_id}/core/v1/groups/{group_id}/users/{user_id}/tokens"
	groupToken  = groupTokens + "/{token_id}"
)

// testContract is the contract the mock builds from the embedded document.
func testContract(t *testing.T) *contract {
	t.Helper()
	c, err := newContract()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestARememberedPathGetsTheValidatorsVerdict checks the shortcut of
// checkPathIDs: asked twice (the second time from what it remembers), it
// gives the verdict libopenapi-validator gives, for valid paths and
// invalid ones alike, raw and %-encoded.
func TestARememberedPathGetsTheValidatorsVerdict(t *testing.T) {
	c := testContract(t)
	const acc, usr, tok = "5cef50e1-a468-4f74-98a6-832d4fd76096", "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b", "4e99da96-152e-4aee-9207-4b6d04d2238d"
	for _, tc := range []struct {
		template, path string
		want           problem.Kind // 0: valid
	}{
		{userTokens, "/accounts/" + acc + "/core/v1/users/" + usr + "/tokens", 0},
		{userToken, "/accounts/" + acc + "/core/v1/users/" + usr + "/tokens/" + tok, 0},
		{userToken, "/accounts/" + acc + "/core/v1/users/" + usr + "/tokens/" + tok[:35], schemas.ProblemInvalidResourceID},
		{userToken, "/accounts/" + acc + "/core/v1/users/" + usr + "/tokens/%34" + tok[1:], 0},
		{userToken, "/accounts/" + acc + "/core/v1/users/" + usr + "/tokens/" + "4E99DA96-152E-4AEE-9207-4B6D04D2238D", schemas.ProblemInvalidResourceID},
		{userTokens, "/accounts/x" + acc[1:] + "/core/v1/users/" + usr + "/tokens", schemas.ProblemInvalidAccountID},
		{groupToken, "/accounts/" + acc + "/core/v1/groups/" + usr + "/users/" + usr + "/tokens/" + tok, 0},
		{groupToken, "/accounts/" + acc + "/core/v1/groups/g/users/" + usr + "/tokens/" + tok, schemas.ProblemInvalidResourceID},
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

// TestARememberedBodyGetsTheValidatorsVerdict checks the shortcut of
// checkBody: asked twice, it refuses what the validator refuses, and a body
// remembered as valid for one operation is still judged for another (a
// PUT body without a name is valid; as a POST body it is not).
func TestARememberedBodyGetsTheValidatorsVerdict(t *testing.T) {
	c := testContract(t)
	const path = "/accounts/5cef50e1-a468-4f74-98a6-832d4fd76096/core/v1/users/09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b/tokens"
	const item = path + "/4e99da96-152e-4aee-9207-4b6d04d2238d"
	noName := `{"type":"application/astra-token","version":"1.0"}`
	for _, tc := range []struct {
		method, template, target, body string
		valid                          bool
	}{
		{"PUT", userToken, item, noName, true},
		{"POST", userTokens, path, noName, false},
		{"POST", userTokens, path, `{"type":"application/astra-token","version":"1.0","name":"n"}`, true},
		{"POST", userTokens, path, `{"type":"application/astra-token","version":"1.0","name":"n","x":1}`, false},
	} {
		for round := range 2 {
			r := httptest.NewRequest(tc.method, tc.target, nil)
			p := c.checkBody(r, c.pathItem(tc.template), tc.template, []byte(tc.body))
			if (p == nil) != tc.valid {
				t.Errorf("round %d, %s %s: problem %v, want valid %v", round, tc.method, tc.body, p, tc.valid)
			}
		}
	}
}
