package query

import (
	"regexp"
	"testing"
)

func TestFingerprint(t *testing.T) {
	mustFilter := func(s string) Filter {
		f, err := ParseFilter(s)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a := mustFilter("name eq 'x'")
	b := mustFilter("metadata.labels[*].name in 'env'")
	bAlias := mustFilter("metadata.labels.name%20in%20'env'")
	c := mustFilter("metadata.creationTimestamp gt '2022-10-06T20:58:16Z'")
	scope := "/accounts/A/core/v1/users/U/tokens"
	base := Fingerprint(scope, []Filter{a, b, c}, Order{Field: "name"}, []string{"id", "name"})

	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(base) {
		t.Errorf("Fingerprint = %q, want 32 lowercase hex digits", base)
	}

	same := []struct {
		name string
		fp   string
	}{
		{"the same query gives the same fingerprint", Fingerprint(scope, []Filter{a, b, c}, Order{Field: "name"}, []string{"id", "name"})},
		{"filters in another order give the same fingerprint", Fingerprint(scope, []Filter{c, a, b}, Order{Field: "name"}, []string{"id", "name"})},
		{"a repeated filter gives the same fingerprint", Fingerprint(scope, []Filter{a, b, c, a}, Order{Field: "name"}, []string{"id", "name"})},
		{"a filter spelt another way gives the same fingerprint", Fingerprint(scope, []Filter{a, bAlias, c}, Order{Field: "name"}, []string{"id", "name"})},
	}
	for _, tt := range same {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fp != base {
				t.Errorf("got %s, want %s", tt.fp, base)
			}
		})
	}

	differ := []struct {
		name string
		fp   string
	}{
		{"another scope changes the fingerprint", Fingerprint(scope+"/", []Filter{a, b, c}, Order{Field: "name"}, []string{"id", "name"})},
		{"a missing filter changes the fingerprint", Fingerprint(scope, []Filter{a, b}, Order{Field: "name"}, []string{"id", "name"})},
		{"another filter value changes the fingerprint", Fingerprint(scope, []Filter{mustFilter("name eq 'y'"), b, c}, Order{Field: "name"}, []string{"id", "name"})},
		{"a descending order changes the fingerprint", Fingerprint(scope, []Filter{a, b, c}, Order{Field: "name", Desc: true}, []string{"id", "name"})},
		{"the default order changes the fingerprint", Fingerprint(scope, []Filter{a, b, c}, Order{}, []string{"id", "name"})},
		{"another include order changes the fingerprint", Fingerprint(scope, []Filter{a, b, c}, Order{Field: "name"}, []string{"name", "id"})},
		{"no include changes the fingerprint", Fingerprint(scope, []Filter{a, b, c}, Order{Field: "name"}, nil)},
		{"moving text from scope to include changes the fingerprint", Fingerprint(scope+"id", []Filter{a, b, c}, Order{Field: "name"}, []string{"name"})},
	}
	for _, tt := range differ {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fp == base {
				t.Errorf("got the same fingerprint %s", base)
			}
		})
	}
}
