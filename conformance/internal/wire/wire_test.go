package wire

import "testing"

func TestETagIsTheHexMD5OfTheBody(t *testing.T) {
	if got, want := ETag([]byte("{}")), "99914b932bd37a50b983c5e7c90ae93b"; got != want {
		t.Errorf("ETag({}) = %s, want %s", got, want)
	}
}

func TestMediaTypeDropsParametersAndCase(t *testing.T) {
	for in, want := range map[string]string{
		"application/json":                      "application/json",
		" Application/Problem+JSON ; charset=x": "application/problem+json",
		"":                                      "",
	} {
		if got := MediaType(in); got != want {
			t.Errorf("MediaType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFieldReadsObjectsAndProjections(t *testing.T) {
	for _, tc := range []struct {
		item any
		key  string
		want string
		ok   bool
	}{
		{map[string]any{"name": "a"}, "name", "a", true},
		{map[string]any{"n": 1.0}, "n", "", false},
		{[]any{"x", "y"}, "1", "y", true},
		{[]any{"x"}, "1", "", false},
		{[]any{"x"}, "-1", "", false},
	} {
		if got, ok := Field(tc.item, tc.key); got != tc.want || ok != tc.ok {
			t.Errorf("Field(%v, %q) = %q, %v", tc.item, tc.key, got, ok)
		}
	}
}

func TestProblemNumberReadsTheContractsTypes(t *testing.T) {
	for typ, want := range map[string]int{
		"https://astra.netapp.io/problems/38":  38,
		"https://astra.netapp.io/problems/38x": 0,
		"https://example.com/problems/38":      0,
		"":                                     0,
	} {
		if got := ProblemNumber(typ); got != want {
			t.Errorf("ProblemNumber(%q) = %d, want %d", typ, got, want)
		}
	}
}
