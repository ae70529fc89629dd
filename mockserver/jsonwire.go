package mockserver

import (
	"bytes"
	"unicode/utf8"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// encodeResource is encode for a token resource: its JSON, without
// reflection, in a pooled buffer the caller returns with release.
func encodeResource(r token.Resource) *bytes.Buffer {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	buf.Write(appendResource(buf.AvailableBuffer(), &r))
	return buf
}

// appendResource appends r as JSON: the bytes encode gives for r (compact,
// without HTML escaping), written without reflection, for lists of many
// tokens. FuzzAppendResource holds it to encoding/json.
func appendResource(b []byte, r *token.Resource) []byte {
	b = append(b, `{"type":`...)
	b = appendString(b, r.Type)
	b = append(b, `,"version":`...)
	b = appendString(b, r.Version)
	b = append(b, `,"id":`...)
	b = appendString(b, r.ID)
	b = append(b, `,"name":`...)
	b = appendString(b, r.Name)
	b = append(b, `,"userID":`...)
	b = appendString(b, r.UserID)
	if r.Secret != "" {
		b = append(b, `,"token":`...)
		b = appendString(b, r.Secret)
	}
	m := &r.Metadata
	b = append(b, `,"metadata":{"labels":`...)
	if m.Labels == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, l := range m.Labels {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = appendString(b, l.Name)
			b = append(b, `,"value":`...)
			b = appendString(b, l.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"creationTimestamp":`...)
	b = appendString(b, m.CreationTimestamp)
	b = append(b, `,"modificationTimestamp":`...)
	b = appendString(b, m.ModificationTimestamp)
	b = append(b, `,"createdBy":`...)
	b = appendString(b, m.CreatedBy)
	if m.ModifiedBy != "" {
		b = append(b, `,"modifiedBy":`...)
		b = appendString(b, m.ModifiedBy)
	}
	return append(b, "}}"...)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string the way encoding/json does with
// SetEscapeHTML(false): '"' and '\\' and control characters escaped (\b,
// \f, \n, \r, \t short, the others as \u00XX), invalid UTF-8 as \ufffd,
// U+2028 and U+2029 escaped, everything else as is.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
