package placeholder

import (
	"errors"
	"regexp"
	"testing"
)

func TestExpandTargetEscapesByWhereAValueLands(t *testing.T) {
	values := map[string]string{"user tokens of member": "/accounts/a/users/u/tokens", "$id": "a b/c", "run": "cf-1 x"}
	value := func(k string) (string, error) {
		v, ok := values[k]
		if !ok {
			return "", errors.New("unknown " + k)
		}
		return v, nil
	}
	got, err := ExpandTarget(`{user tokens of member}/{$id}?filter=name eq '{run}'&x={"a":1}`, value)
	if want := `/accounts/a/users/u/tokens/a%20b%2Fc?filter=name eq 'cf-1%20x'&x={"a":1}`; err != nil || got != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
	if _, err := Expand("{run} {nope} {$id}", value, nil); err == nil || err.Error() != "unknown nope" {
		t.Errorf("error %v, want the unknown placeholder's", err)
	}
}

func TestEscapeAroundKeepsPlaceholders(t *testing.T) {
	if got, want := EscapeAround("a.b {run} {3}", regexp.QuoteMeta), `a\.b {run} \{3\}`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
