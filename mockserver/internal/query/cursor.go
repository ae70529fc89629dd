package query

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"regexp"
	"slices"
)

// Cursor is what a continue token carries: where the last page ended and
// which query it belongs to.
type Cursor struct {
	// After is an opaque sort position chosen by the store; any bytes.
	After string
	// Fingerprint identifies the query (see Fingerprint).
	Fingerprint string
}

// MaxContinueLen is the longest continue token Decode reads. Encode stays
// under it as long as len(After)+len(Fingerprint) <= MaxCursorPayload.
const (
	MaxContinueLen   = 4096
	MaxCursorPayload = 1500
)

const (
	cursorVersion = 1
	macLen        = 16
)

// Codec makes and reads continue tokens, authenticated with an HMAC key.
// A Codec is safe for concurrent use.
type Codec struct {
	key []byte
}

// NewCodec returns a Codec keyed with a copy of key. Use a random key of
// 32 bytes per server: tokens of another key, or of an earlier run, are
// refused.
func NewCodec(key []byte) *Codec {
	return &Codec{key: slices.Clone(key)}
}

// Encode returns the continue token for cur: the payload (version byte,
// length-prefixed fingerprint and After, 16-byte HMAC-SHA256) written as
// lowercase hex, then standard base64 of that text. It matches the contract's
// base64 pattern and, since base64 of hex digits never yields '+' or '/',
// needs no escaping in a URL (at most the '=' padding, which query
// parsing leaves alone).
func (c *Codec) Encode(cur Cursor) string {
	body := make([]byte, 0, 1+2*binary.MaxVarintLen64+len(cur.Fingerprint)+len(cur.After)+macLen)
	body = append(body, cursorVersion)
	body = binary.AppendUvarint(body, uint64(len(cur.Fingerprint)))
	body = append(body, cur.Fingerprint...)
	body = binary.AppendUvarint(body, uint64(len(cur.After)))
	body = append(body, cur.After...)
	body = append(body, c.mac(body)...)
	return base64.StdEncoding.EncodeToString(hex.AppendEncode(nil, body))
}

func (c *Codec) mac(body []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write(body)
	return m.Sum(nil)[:macLen]
}

// base64Pattern is the contract's pattern for base64 text (CONTRACT.md §2),
// which a continue token must match.
var base64Pattern = regexp.MustCompile(`^([A-Za-z0-9+/]{4})*(([A-Za-z0-9+/]{2})==|([A-Za-z0-9+/]{3})=)?$`)

func continueError(reason string) error { return newError(ParamContinue, reason) }

// errForeign is the answer to every well-formed base64 token that this
// codec did not make: another key, tampered with, truncated, or garbage.
var errForeign = continueError("not a continue token issued by this server, or altered")

// Decode reads a continue token made by Encode with the same key. Anything
// else — another key, altered, truncated, garbage, longer than
// MaxContinueLen — is a *Error with Param "continue". It never panics and
// its work is bounded by MaxContinueLen.
func (c *Codec) Decode(s string) (Cursor, error) {
	switch {
	case len(s) > MaxContinueLen:
		return Cursor{}, continueError("too long")
	case s == "":
		return Cursor{}, continueError("must not be empty")
	case !base64Pattern.MatchString(s):
		return Cursor{}, continueError("not base64")
	}
	text, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(text)%2 != 0 {
		return Cursor{}, errForeign
	}
	for _, b := range text {
		if !('0' <= b && b <= '9' || 'a' <= b && b <= 'f') {
			return Cursor{}, errForeign
		}
	}
	payload, err := hex.DecodeString(string(text))
	if err != nil || len(payload) < 1+1+1+macLen {
		return Cursor{}, errForeign
	}
	body, sum := payload[:len(payload)-macLen], payload[len(payload)-macLen:]
	if !hmac.Equal(sum, c.mac(body)) || body[0] != cursorVersion {
		return Cursor{}, errForeign
	}
	rest := body[1:]
	fp, rest, ok := readField(rest)
	if !ok {
		return Cursor{}, errForeign
	}
	after, rest, ok := readField(rest)
	if !ok || len(rest) != 0 {
		return Cursor{}, errForeign
	}
	return Cursor{After: string(after), Fingerprint: string(fp)}, nil
}

// DecodeFor is Decode that also requires the token to belong to the query
// with the given fingerprint; one made for another query (other filters,
// orderBy, include or scope) is a *Error with Param "continue".
func (c *Codec) DecodeFor(s, fingerprint string) (Cursor, error) {
	cur, err := c.Decode(s)
	if err != nil {
		return Cursor{}, err
	}
	if !hmac.Equal([]byte(cur.Fingerprint), []byte(fingerprint)) {
		return Cursor{}, continueError("the token was made for another collection or another filter, orderBy or include")
	}
	return cur, nil
}

// readField reads a uvarint length and that many bytes.
func readField(b []byte) (field, rest []byte, ok bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, false
	}
	return b[k : k+int(n)], b[k+int(n):], true
}
