package query

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestParseRaw(t *testing.T) {
	cases := []struct {
		name  string
		raw   string
		pairs []Pair
		bad   []*Error
	}{
		{"an empty query has no pairs", "", nil, nil},
		{"a name without a value has an empty value", "x", []Pair{{"x", "x", ""}}, nil},
		{"values are decoded", "filter=name%20eq%20%27a+b%27", []Pair{{"filter=name%20eq%20%27a+b%27", "filter", "name eq 'a b'"}}, nil},
		{"empty pairs are skipped", "&&a=1&&b=2&", []Pair{{"a=1", "a", "1"}, {"b=2", "b", "2"}}, nil},
		{"repeated names keep their order", "f=1&g=2&f=3", []Pair{{"f=1", "f", "1"}, {"g=2", "g", "2"}, {"f=3", "f", "3"}}, nil},
		{"a malformed escape in a value names the parameter", "limit=%zz", nil,
			[]*Error{{"limit", `the value is not valid %-encoding (invalid URL escape "%zz")`}}},
		{"a truncated escape at the end names the parameter", "filter=name%20eq%20%27x%27%2", nil,
			[]*Error{{"filter", `the value is not valid %-encoding (invalid URL escape "%2")`}}},
		{"a semicolon names the parameter before it", "limit=1;x", nil,
			[]*Error{{"limit", "a ';' is not a query separator: write '&' between parameters, or %3B for a ';' in a value"}}},
		{"a malformed name is named as sent", "li%zzmit=1", nil,
			[]*Error{{"li%zzmit", `the parameter name is not valid %-encoding (invalid URL escape "%zz")`}}},
		{"a value that decodes to bytes that are not UTF-8", "x=%FF", nil, []*Error{{"x", "the value is not valid UTF-8"}}},
		{"a name that decodes to bytes that are not UTF-8 is named with U+FFFD", "%FFa=1", nil, []*Error{{"\uFFFDa", "the parameter name is not valid UTF-8"}}},
		{"good pairs beside bad ones are kept", "a=1&b=%zz&c=3", []Pair{{"a=1", "a", "1"}, {"c=3", "c", "3"}},
			[]*Error{{"b", `the value is not valid %-encoding (invalid URL escape "%zz")`}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pairs, bad := ParseRaw(c.raw)
			if diff := cmp.Diff(c.pairs, pairs); diff != "" {
				t.Errorf("pairs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.bad, bad); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseRaw: ParseRaw agrees with url.ParseQuery on every query that
// parses, refuses every query url.ParseQuery refuses, never loses a pair,
// and names parameters in valid UTF-8.
func FuzzParseRaw(f *testing.F) {
	for _, s := range []string{
		"", "a", "a=1&b=2", "a=1;b=2", "%zz", "a=%2", "&&", "=", "=x", "a==b",
		"filter=name%20eq%20%27Snapshot%20Taker%27%zz", "limit=1;x", "x=%FF", "%FF=1",
		"p0&p1&p2", "a=+b+", "a%26b=c%3Dd",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		pairs, bad := ParseRaw(raw)
		want, err := url.ParseQuery(raw)
		if (err != nil) && len(bad) == 0 {
			t.Fatalf("url.ParseQuery refuses %q (%v), ParseRaw does not", raw, err)
		}
		if len(bad) == 0 {
			if diff := cmp.Diff(want, Values(pairs), cmp.Comparer(func(a, b url.Values) bool {
				return len(a) == 0 && len(b) == 0 || cmp.Equal(map[string][]string(a), map[string][]string(b))
			})); diff != "" {
				t.Fatalf("ParseRaw(%q) differs from url.ParseQuery (-want +got):\n%s", raw, diff)
			}
		}
		for _, e := range bad {
			if !utf8.ValidString(e.Param) || e.Reason == "" {
				t.Fatalf("error %#v: want a UTF-8 name and a reason", e)
			}
		}
		kept := 0
		for _, p := range strings.Split(raw, "&") {
			if p != "" {
				kept++
			}
		}
		if len(pairs)+len(bad) != kept {
			t.Fatalf("ParseRaw(%q): %d pairs and %d errors, want %d in all", raw, len(pairs), len(bad), kept)
		}
	})
}
