// Package redact takes the secrets out of what the request journal keeps:
// the credential of an Authorization header and the "token" members of
// JSON bodies (the secret of a created token).
package redact

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/httptoken"
)

// Marker replaces every secret the journal keeps.
const Marker = "[REDACTED]"

// redactJSON returns body, known to be valid JSON, with the value of every
// "token" member of a JSON object, at any depth, replaced by the string
// "[REDACTED]"; a null value is left alone. Everything else is kept byte for
// byte (member order, spacing, escapes); body itself is never modified.
func redactJSON(body []byte) []byte {
	r := redactor{in: body}
	r.value(r.space(0))
	if len(r.spans) == 0 {
		return body
	}
	out := make([]byte, 0, len(body))
	last := 0
	for _, s := range r.spans {
		out = append(out, body[last:s[0]]...)
		out = append(out, `"`+Marker+`"`...)
		last = s[1]
	}
	return append(out, body[last:]...)
}

// Authorization returns an Authorization header value with its
// credential replaced: "Bearer xyz" becomes "Bearer [REDACTED]"; a value
// without a scheme and a credential becomes "[REDACTED]".
func Authorization(v string) string {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || scheme == "" || strings.TrimSpace(rest) == "" || !httptoken.Valid(scheme) {
		return Marker
	}
	return scheme + " " + Marker
}

// redactor walks a valid JSON text and notes the byte spans of the values
// of "token" members.
type redactor struct {
	in    []byte
	spans [][2]int
}

func (r *redactor) space(i int) int {
	for i < len(r.in) && (r.in[i] == ' ' || r.in[i] == '\t' || r.in[i] == '\n' || r.in[i] == '\r') {
		i++
	}
	return i
}

// value skips the value starting at i and returns the index after it.
func (r *redactor) value(i int) int {
	switch r.in[i] {
	case '{':
		i = r.space(i + 1)
		if r.in[i] == '}' {
			return i + 1
		}
		for {
			keyEnd := r.str(i)
			key := r.in[i:keyEnd]
			i = r.space(keyEnd)
			i = r.space(i + 1) // the colon
			end := r.value(i)
			if r.in[i] != 'n' && isTokenKey(key) {
				// The whole value goes, with any token inside it.
				for len(r.spans) > 0 && r.spans[len(r.spans)-1][0] >= i {
					r.spans = r.spans[:len(r.spans)-1]
				}
				r.spans = append(r.spans, [2]int{i, end})
			}
			i = r.space(end)
			if r.in[i] == '}' {
				return i + 1
			}
			i = r.space(i + 1) // the comma
		}
	case '[':
		i = r.space(i + 1)
		if r.in[i] == ']' {
			return i + 1
		}
		for {
			i = r.space(r.value(i))
			if r.in[i] == ']' {
				return i + 1
			}
			i = r.space(i + 1)
		}
	case '"':
		return r.str(i)
	default: // number, true, false, null
		for i < len(r.in) && strings.IndexByte(",}] \t\r\n", r.in[i]) < 0 {
			i++
		}
		return i
	}
}

// str skips the string starting at i and returns the index after it.
func (r *redactor) str(i int) int {
	for i++; r.in[i] != '"'; i++ {
		if r.in[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// isTokenKey reports whether the quoted member name key is "token",
// however it is escaped.
func isTokenKey(key []byte) bool {
	if string(key) == `"token"` {
		return true
	}
	if bytes.IndexByte(key, '\\') < 0 || len(key) > 40 { // "token" with every letter escaped is 32 bytes
		return false
	}
	var s string
	return json.Unmarshal(key, &s) == nil && s == "token"
}

// lexicalToken finds "token" members in text that is not valid JSON, such
// as a body cut at the recording limit.
var lexicalToken = regexp.MustCompile(`("token"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|\\?$)`)

// Body is what the journal keeps of a body: for valid JSON, redactJSON; for
// anything else a textual scan, so that a cut or malformed body still never
// shows a token.
func Body(body []byte) []byte {
	// A member name "token" is written either as is, quoted, or with an
	// escape. A body with neither (most of them: lists, tokens without a
	// secret, problems) has nothing to redact, as valid JSON or as text.
	if !bytes.Contains(body, []byte(`"token"`)) && bytes.IndexByte(body, '\\') < 0 {
		return body
	}
	if json.Valid(body) {
		return redactJSON(body)
	}
	return lexicalToken.ReplaceAll(body, []byte(`${1}"`+Marker+`"`))
}
