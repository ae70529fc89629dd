package query

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func TestCursorRoundTrip(t *testing.T) {
	c := NewCodec(testKey)
	fp := Fingerprint("/accounts/a/core/v1/users/u/tokens", nil, Order{}, nil)
	tests := []struct {
		name string
		cur  Cursor
	}{
		{"an empty cursor round-trips", Cursor{}},
		{"a typical cursor round-trips", Cursor{After: "2022-10-06T20:58:16.305662Z\x004e99da96-152e-4aee-9207-4b6d04d2238d", Fingerprint: fp}},
		{"NUL and high bytes in After round-trip", Cursor{After: "\x00\xff\x00a'\"&=+/ ", Fingerprint: fp}},
		{"non-ASCII text in After round-trips", Cursor{After: "Snapshot Script — é", Fingerprint: fp}},
		{"a 1 KiB After round-trips", Cursor{After: strings.Repeat("z", 1024), Fingerprint: fp}},
		{"the largest promised payload round-trips", Cursor{After: strings.Repeat("\xff", MaxCursorPayload-len(fp)), Fingerprint: fp}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := c.Encode(tt.cur)
			if !base64Pattern.MatchString(s) {
				t.Errorf("Encode = %q, does not match the base64 pattern", s)
			}
			if strings.ContainsAny(s, "+/") {
				t.Errorf("Encode = %q, contains + or /", s)
			}
			if len(s) > MaxContinueLen {
				t.Errorf("Encode is %d characters, more than MaxContinueLen", len(s))
			}
			q, err := url.ParseQuery("limit=1&continue=" + s)
			if err != nil || q.Get("continue") != s {
				t.Errorf("pasted unescaped into a query, %q reads back as %q (%v)", s, q.Get("continue"), err)
			}
			got, err := c.Decode(s)
			if err != nil {
				t.Fatalf("Decode(Encode(%q)) error: %v", tt.cur, err)
			}
			if diff := cmp.Diff(tt.cur, got); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
			got, err = NewCodec(testKey).Decode(s)
			if err != nil || got != tt.cur {
				t.Errorf("another codec with the same key: Decode = %q, %v", got, err)
			}
		})
	}
}

func TestBase64OfHexNeverHasPlusOrSlash(t *testing.T) {
	const digits = "0123456789abcdef"
	var b [3]byte
	for _, x := range digits {
		for _, y := range digits {
			for _, z := range digits {
				b[0], b[1], b[2] = byte(x), byte(y), byte(z)
				for n := 1; n <= 3; n++ {
					if s := base64.StdEncoding.EncodeToString(b[:n]); strings.ContainsAny(s, "+/") {
						t.Fatalf("base64 of %q is %q", b[:n], s)
					}
				}
			}
		}
	}
}

func TestCodecCopiesItsKey(t *testing.T) {
	key := []byte("secret key")
	c := NewCodec(key)
	s := c.Encode(Cursor{After: "x"})
	key[0] = 'S'
	if _, err := c.Decode(s); err != nil {
		t.Errorf("changing the caller's key slice broke the codec: %v", err)
	}
}

func TestDecodeRefuses(t *testing.T) {
	c := NewCodec(testKey)
	good := c.Encode(Cursor{After: "after", Fingerprint: "fp"})
	payload, _ := base64.StdEncoding.DecodeString(good)
	raw, _ := hex.DecodeString(string(payload))
	b64 := base64.StdEncoding.EncodeToString
	tests := []struct{ name, in, reason string }{
		{"an empty token is refused", "", "must not be empty"},
		{"a token of another key is refused", NewCodec([]byte("other key")).Encode(Cursor{After: "after", Fingerprint: "fp"}), "not a continue token issued by this server"},
		{"a token of an empty key is refused", NewCodec(nil).Encode(Cursor{After: "after", Fingerprint: "fp"}), "not a continue token issued by this server"},
		{"a token without its padding is refused", strings.TrimRight(good, "="), "not base64"},
		{"a token with a newline is refused", good[:4] + "\n" + good[4:], "not base64"},
		{"URL-safe base64 is refused", "ab-_", "not base64"},
		{"padding in the middle is refused", "ab==abcd", "not base64"},
		{"three padding characters are refused", "a===", "not base64"},
		{"only padding is refused", "====", "not base64"},
		{"punctuation is refused", "!!!!", "not base64"},
		{"a length not a multiple of four is refused", "abc", "not base64"},
		{"base64 of non-hex is refused", b64([]byte("hello, world")), "not a continue token issued by this server"},
		{"base64 of an odd number of hex digits is refused", b64([]byte("abc")), "not a continue token issued by this server"},
		{"base64 of upper-case hex of a good payload is refused", b64([]byte(strings.ToUpper(string(payload)))), "not a continue token issued by this server"},
		{"base64 of the raw payload, without hex, is refused", b64(raw), "not a continue token issued by this server"},
		{"a short hex payload is refused", b64([]byte("0100")), "not a continue token issued by this server"},
		{"non-canonical trailing bits are refused", "QR==", "not a continue token issued by this server"},
		{"an oversize token is refused", strings.Repeat("A", MaxContinueLen+4), "too long"},
		{"an oversize token of a valid cursor is refused", c.Encode(Cursor{After: strings.Repeat("a", 3000)}), "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Decode(tt.in)
			if err == nil {
				t.Fatalf("Decode(%.60q) = %q, want an error", tt.in, got)
			}
			checkError(t, err, "continue", tt.reason)
		})
	}
}

func TestDecodeRefusesEveryTamperedCharacter(t *testing.T) {
	c := NewCodec(testKey)
	good := c.Encode(Cursor{After: "2022-10-06T20:58:16.305662Z\x00id", Fingerprint: "fp"})
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(good) && good[i] != '='; i++ {
		for _, r := range []byte{alphabet[(strings.IndexByte(alphabet, good[i])+1)%64], alphabet[(strings.IndexByte(alphabet, good[i])+32)%64]} {
			bad := good[:i] + string(r) + good[i+1:]
			if cur, err := c.Decode(bad); err == nil {
				t.Errorf("flipping character %d to %q: Decode = %q, want an error", i, r, cur)
			} else {
				checkError(t, err, "continue", "")
			}
		}
	}
}

func TestDecodeRefusesEveryTruncation(t *testing.T) {
	c := NewCodec(testKey)
	good := c.Encode(Cursor{After: "after", Fingerprint: "fp"})
	for n := 0; n < len(good); n++ {
		if cur, err := c.Decode(good[:n]); err == nil {
			t.Errorf("Decode(first %d of %d characters) = %q, want an error", n, len(good), cur)
		} else {
			checkError(t, err, "continue", "")
		}
	}
	// Truncating the payload but re-encoding it validly is refused too.
	payload, _ := base64.StdEncoding.DecodeString(good)
	for n := 0; n < len(payload); n += 2 {
		s := base64.StdEncoding.EncodeToString(payload[:n])
		if cur, err := c.Decode(s); err == nil {
			t.Errorf("Decode(payload cut to %d hex digits) = %q, want an error", n, cur)
		}
	}
}

func TestDecodeFor(t *testing.T) {
	c := NewCodec(testKey)
	name, _ := ParseFilter("name eq 'x'")
	fp := Fingerprint("scope", []Filter{name}, Order{}, nil)
	other := Fingerprint("scope", nil, Order{}, nil)
	s := c.Encode(Cursor{After: "k", Fingerprint: fp})

	t.Run("a token of the same query is read", func(t *testing.T) {
		got, err := c.DecodeFor(s, fp)
		if err != nil || got != (Cursor{After: "k", Fingerprint: fp}) {
			t.Errorf("DecodeFor = %q, %v", got, err)
		}
	})
	t.Run("a token of another query is refused", func(t *testing.T) {
		_, err := c.DecodeFor(s, other)
		checkError(t, err, "continue", "made for another collection")
	})
	t.Run("a garbage token is refused before the query is compared", func(t *testing.T) {
		_, err := c.DecodeFor("!!!!", fp)
		checkError(t, err, "continue", "not base64")
	})
}
