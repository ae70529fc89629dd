package httptoken

import "testing"

func TestValid(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"GET", true},
		{"Bearer", true},
		{"M-SEARCH", true},
		{"!#$%&'*+-.^_`|~09az", true},
		{"", false},
		{"GE T", false},
		{"{x}", false},
		{"é", false},
	} {
		if got := Valid(tt.in); got != tt.want {
			t.Errorf("Valid(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
