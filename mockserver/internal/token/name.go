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

// forbiddenSequences are refused anywhere in a name: markup (XSS), quotes,
// directory traversal and SQL comment or statement separators.
var forbiddenSequences = []struct{ seq, why string }{
	{"<", "markup characters are not allowed"},
	{">", "markup characters are not allowed"},
	{`"`, "quotation marks are not allowed"},
	{"`", "backticks are not allowed"},
	{"../", "directory traversal sequences are not allowed"},
	{`..\`, "directory traversal sequences are not allowed"},
	{"--", "SQL comment sequences are not allowed"},
	{";", "SQL statement separators are not allowed"},
	{"/*", "SQL comment sequences are not allowed"},
	{"*/", "SQL comment sequences are not allowed"},
}

// ValidateName applies the extended validation NetApp documents for token
// names ("internally validated to prevent XSS, Unicode, directory traversal,
// and SQL-injection attacks"). Length is the schema's business; this check
// refuses characters outside printable ASCII and the sequences above, and
// allows everything else ("Snapshot Script", "ci-token_2 (prod)").
func ValidateName(name string) error {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c > 0x7e {
			return &NameError{Reason: fmt.Sprintf("character at byte %d is not printable ASCII", i)}
		}
	}
	for _, f := range forbiddenSequences {
		if strings.Contains(name, f.seq) {
			return &NameError{Reason: fmt.Sprintf("%s (%q)", f.why, f.seq)}
		}
	}
	return nil
}
