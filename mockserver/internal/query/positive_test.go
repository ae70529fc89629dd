package query

import "testing"

func TestParsePositive(t *testing.T) {
	good := []struct {
		name, in string
		want     int
	}{
		{"one is accepted", "1", 1},
		{"a two-digit number is accepted", "25", 25},
		{"the maximum is accepted", "1000000000", 1000000000},
		{"one over the maximum is taken as the maximum", "1000000001", MaxPositive},
		{"a number beyond int32 is taken as the maximum", "2147483648", MaxPositive},
		{"a number beyond int64 is taken as the maximum", "99999999999999999999999999", MaxPositive},
	}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePositive("limit", tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParsePositive(%q) = %d, %v; want %d, nil", tt.in, got, err, tt.want)
			}
		})
	}
	bad := []struct{ name, param, in, reason string }{
		{"zero is refused", "limit", "0", "must be a positive integer"},
		{"a leading zero is refused", "skip", "01", "must be a positive integer"},
		{"an empty value is refused", "limit", "", "must be a positive integer"},
		{"a negative number is refused", "limit", "-1", "must be a positive integer"},
		{"a plus sign is refused", "skip", "+1", "must be a positive integer"},
		{"a fraction is refused", "limit", "1.5", "must be a positive integer"},
		{"an exponent is refused", "limit", "1e3", "must be a positive integer"},
		{"a space is refused", "limit", " 1", "must be a positive integer"},
		{"a digit after a letter is refused", "skip", "a1", "must be a positive integer"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePositive(tt.param, tt.in)
			if err == nil {
				t.Fatalf("ParsePositive(%q) = %d, want an error", tt.in, got)
			}
			checkError(t, err, tt.param, tt.reason)
		})
	}
}
