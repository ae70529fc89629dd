package query

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// Pair is one name=value of a raw query string.
type Pair struct {
	// Raw is the pair as sent, without its separating '&'.
	Raw string
	// Name and Value are decoded as url.ParseQuery decodes them.
	Name, Value string
}

// ParseRaw splits a raw query string (the part after '?') into its pairs,
// in order, as url.ParseQuery does, in one pass. Unlike url.ParseQuery,
// which keeps going after a bad pair and reports only the first failure
// without saying where (so that Request.URL.Query silently drops it), every
// pair that does not decode is returned as an *Error naming the parameter:
// its name decoded when the name decodes, else as sent. A pair fails when
// it holds a ';' (not a separator since Go 1.17), a malformed %-escape, or
// decodes to bytes that are not UTF-8. Empty pairs ("a=1&&b=2") are skipped, as url.ParseQuery does.
func ParseRaw(raw string) ([]Pair, []*Error) {
	var pairs []Pair
	var bad []*Error
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, nameErr := url.QueryUnescape(rawName)
		if nameErr != nil {
			name = rawName
		}
		value, valueErr := url.QueryUnescape(rawValue)
		var reason string
		switch {
		case strings.Contains(pair, ";"):
			reason = "a ';' is not a query separator: write '&' between parameters, or %3B for a ';' in a value"
		case nameErr != nil:
			reason = "the parameter name is not valid %-encoding (" + nameErr.Error() + ")"
		case valueErr != nil:
			reason = "the value is not valid %-encoding (" + valueErr.Error() + ")"
		case !utf8.ValidString(name):
			reason = "the parameter name is not valid UTF-8"
		case !utf8.ValidString(value):
			reason = "the value is not valid UTF-8"
		default:
			pairs = append(pairs, Pair{Raw: pair, Name: name, Value: value})
			continue
		}
		// The name goes into a JSON answer: never echo bytes that JSON
		// would alter.
		bad = append(bad, newError(strings.ToValidUTF8(name, "\uFFFD"), reason))
	}
	return pairs, bad
}

// Values groups pairs by name, as url.Values, keeping their order.
func Values(pairs []Pair) url.Values {
	v := make(url.Values, len(pairs))
	for _, p := range pairs {
		v[p.Name] = append(v[p.Name], p.Value)
	}
	return v
}
