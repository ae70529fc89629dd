package schemas_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// TestProblemTypesOfResponses pins the problem types openapi.yaml documents
// per response: the 404 split of CONTRACT.md §1's note, and the 401 types
// every operation shares.
func TestProblemTypesOfResponses(t *testing.T) {
	ops, err := schemas.Operations()
	if err != nil {
		t.Fatal(err)
	}
	notFound := map[string][]int{"GET": {2}, "POST": {2}, "PUT": {1}, "DELETE": {1}}
	for _, op := range ops {
		for status, want := range map[int][]int{
			http.StatusNotFound:     notFound[op.Method],
			http.StatusUnauthorized: {3, 4},
			http.StatusForbidden:    {11},
		} {
			got, err := op.ProblemTypes(status)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %d (-want +got):\n%s", op.ID, status, diff)
			}
		}
		if got, err := op.ProblemTypes(http.StatusOK); err != nil || got != nil {
			t.Errorf("%s 200: %v, %v; want no problem types", op.ID, got, err)
		}
	}
}

func TestQueryParametersAreThoseOfContractSection4(t *testing.T) {
	ops, err := schemas.Operations()
	if err != nil {
		t.Fatal(err)
	}
	list := []string{"include", "limit", "filter", "orderBy", "skip", "count", "continue"}
	for _, op := range ops {
		var want []string
		if op.ID == "listUserTokens" || op.ID == "listGroupUserTokens" {
			want = list
		}
		got, err := op.QueryParameters()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", op.ID, diff)
		}
	}
}
