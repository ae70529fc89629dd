package conformance

import (
	"testing"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// TestTokenBodiesAreCreateRequests: the bodies the steps build from
// types.json's type and version are create requests the contract accepts,
// and a padded body has exactly the size asked.
func TestTokenBodiesAreCreateRequests(t *testing.T) {
	st := placeholderScenario(t)
	body, err := st.suite.tokenBody(st.cfg().RunID+" ci", map[string]any{"labels": []any{map[string]any{"name": "team", "value": "qa"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := schemas.ValidateJSON(schemas.CreateRequest, body); err != nil {
		t.Errorf("%s: %v", body, err)
	}
	empty, err := st.suite.paddedBody(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, len(empty), len(empty) + 1, 70000} {
		body, err := st.suite.paddedBody(n)
		if err != nil {
			t.Fatal(err)
		}
		if want := max(n, len(empty)); len(body) != want {
			t.Errorf("paddedBody(%d) has %d bytes, want %d", n, len(body), want)
		}
		if err := schemas.ValidateJSON(schemas.CreateRequest, body); n > len(empty) && n <= len(empty)+63 && err != nil {
			t.Errorf("paddedBody(%d) = %s: %v", n, body, err)
		}
	}
}
