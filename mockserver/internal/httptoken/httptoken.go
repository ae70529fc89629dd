// Package httptoken recognizes the token of RFC 9110 §5.6.2: the syntax of
// a method and of an authentication scheme, which a fault rule's method, a
// journal filter's method and a redacted Authorization header are checked
// against.
package httptoken

import "strings"

// tchar lists the characters of a token besides letters and digits.
const tchar = "!#$%&'*+-.^_`|~"

// Valid reports whether s is a token: one or more tchar.
func Valid(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(tchar, c) >= 0 {
			continue
		}
		return false
	}
	return s != ""
}
