package token

import (
	"fmt"
	"strings"
)

// NameError says why a token name failed extended validation.
type NameError struct {
	Reason string
}

func (e *NameError) Error() string { return "name: " + e.Reason }

// why says why a forbidden sequence is refused.
func why(seq string) string {
	switch seq {
	case "<", ">":
		return "markup characters are not allowed"
	case `"`:
		return "quotation marks are not allowed"
	case "`":
		return "backticks are not allowed"
	case "../", `..\`:
		return "directory traversal sequences are not allowed"
	case ";":
		return "SQL statement separators are not allowed"
	case "--", "/*", "*/":
		return "SQL comment sequences are not allowed"
	}
	return "the sequence is not allowed"
}

// ValidateName applies the extended validation NetApp documents for token
// names ("internally validated to prevent XSS, Unicode, directory traversal,
// and SQL-injection attacks"). Length is the schema's business; this check
// refuses characters outside printable ASCII and the forbidden sequences
// (the contract's list, schemas.TokenNameForbidden, which the caller
// passes), and allows everything else ("Snapshot Script", "ci-token_2 (prod)").
func ValidateName(name string, forbidden []string) error {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c > 0x7e {
			return &NameError{Reason: fmt.Sprintf("character at byte %d is not printable ASCII", i)}
		}
	}
	for _, seq := range forbidden {
		if strings.Contains(name, seq) {
			return &NameError{Reason: fmt.Sprintf("%s (%q)", why(seq), seq)}
		}
	}
	return nil
}
