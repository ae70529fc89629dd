package schemas_test

import (
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// TestOperationsAreTheTenOfContractSection1 pins what openapi.yaml says of
// its operations: CONTRACT.md §1's ten rows, in order, each with the
// statuses the document declares.
func TestOperationsAreTheTenOfContractSection1(t *testing.T) {
	ops, err := schemas.Operations()
	if err != nil {
		t.Fatal(err)
	}
	const base = "/accounts/{account_id}/core/v1"
	user, group := base+"/users/{user_id}/tokens", base+"/groups/{group_id}/users/{user_id}/tokens"
	want := []schemas.Operation{
		{1, "createUserToken", "POST", user, []int{201, 400, 401, 403, 404, 406, 409, 413}},
		{2, "listUserTokens", "GET", user, []int{200, 400, 401, 403, 404, 406}},
		{3, "getUserToken", "GET", user + "/{token_id}", []int{200, 400, 401, 403, 404, 406}},
		{4, "updateUserToken", "PUT", user + "/{token_id}", []int{204, 400, 401, 403, 404, 409, 412, 413}},
		{5, "deleteUserToken", "DELETE", user + "/{token_id}", []int{204, 400, 401, 403, 404}},
		{6, "createGroupUserToken", "POST", group, []int{201, 400, 401, 403, 404, 406, 409, 413}},
		{7, "listGroupUserTokens", "GET", group, []int{200, 400, 401, 403, 404, 406}},
		{8, "getGroupUserToken", "GET", group + "/{token_id}", []int{200, 400, 401, 403, 404, 406}},
		{9, "updateGroupUserToken", "PUT", group + "/{token_id}", []int{204, 400, 401, 403, 404, 409, 412, 413}},
		{10, "deleteGroupUserToken", "DELETE", group + "/{token_id}", []int{204, 400, 401, 403, 404}},
	}
	if diff := cmp.Diff(want, ops); diff != "" {
		t.Fatalf("operations (-want +got):\n%s", diff)
	}
}

func TestFindOperationMatchesAsTheValidatorDoes(t *testing.T) {
	const acc = "/accounts/5cef50e1-a468-4f74-98a6-832d4fd76096/core/v1"
	for _, tc := range []struct {
		method, target, want string
	}{
		{"POST", acc + "/users/u/tokens", "createUserToken"},
		{"GET", acc + "/users/u/tokens?limit=2", "listUserTokens"},
		{"GET", acc + "/users/u/tokens/t", "getUserToken"},
		{"PUT", acc + "/users/u/tokens/not-a-uuid", "updateUserToken"},
		{"DELETE", acc + "/groups/g/users/u/tokens/t", "deleteGroupUserToken"},
		{"GET", acc + "/groups/g/users/u/tokens", "listGroupUserTokens"},
		{"PATCH", acc + "/users/u/tokens/t", ""},
		{"DELETE", acc + "/users/u/tokens", ""},
		{"GET", acc + "/users/u/things", ""},
		{"GET", acc + "/users/u/tokens/t/extra", ""},
		{"GET", "/", ""},
	} {
		op, ok := schemas.FindOperation(httptest.NewRequest(tc.method, tc.target, nil))
		if op.ID != tc.want || ok != (tc.want != "") {
			t.Errorf("%s %s: %q, %v; want %q", tc.method, tc.target, op.ID, ok, tc.want)
		}
	}
}
