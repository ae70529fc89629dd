package token

import (
	"bytes"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// forbidden is the contract's list (schemas.TokenNameForbidden, which
// token may not import); the mock's tests check the two agree.
var forbidden = []string{"<", ">", `"`, "`", "../", `..\`, "--", ";", "/*", "*/"}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"Snapshot Script", true},
		{"ci-token_2 (prod)", true},
		{"a", true},
		{"dots . and .. alone", true},
		{"100% sure: yes!", true},
		{"<script>", false},
		{"a > b", false},
		{`say "hi"`, false},
		{"back`tick", false},
		{"../etc/passwd", false},
		{`..\windows`, false},
		{"x -- comment", false},
		{"drop; table", false},
		{"/* c */", false},
		{"tab\there", false},
		{"new\nline", false},
		{"caf\u00e9", false},
		{"\x7f", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateName(tt.name, forbidden)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidateName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
			}
			var ne *NameError
			if err != nil && (!errors.As(err, &ne) || ne.Reason == "") {
				t.Fatalf("error %v is not a *NameError with a reason", err)
			}
		})
	}
}

func TestNewIDIsALowercaseVersion4UUID(t *testing.T) {
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, fill := range []byte{0x00, 0xff, 0x5a} {
		id, err := NewID(bytes.NewReader(bytes.Repeat([]byte{fill}, 16)))
		if err != nil || !v4.MatchString(id) {
			t.Fatalf("NewID over 0x%02x bytes = %q, %v", fill, id, err)
		}
	}
	if _, err := NewID(strings.NewReader("short")); err == nil {
		t.Fatal("NewID accepted a short read")
	}
}

func TestNewSecretIs32BytesOfBase64(t *testing.T) {
	s, err := NewSecret(bytes.NewReader(bytes.Repeat([]byte{0xfb}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(raw) != 32 {
		t.Fatalf("secret %q decodes to %d bytes, %v", s, len(raw), err)
	}
}
