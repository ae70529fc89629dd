package redact

import (
	"encoding/json"
	"testing"
)

// FuzzBody: redaction never panics, keeps valid JSON valid, and leaves
// no top-level "token" member with anything but the redaction mark.
func FuzzBody(f *testing.F) {
	for _, s := range []string{
		`{"type":"application/astra-token","token":"QSBKV1QgVG9rZW4gd291bGQgZ28gaGVyZS4=","metadata":{}}`,
		`{"token":{"token":"x"}}`, `{"t\u006fken":"x"}`, `[{"token":"a"},{"token":1}]`, `{"token":null}`,
		`not json "token":"abc"`, `{"token":"unterminated`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in := append([]byte(nil), body...)
		out := Body(in)
		if !json.Valid(body) {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("Body(%q) = %q is not JSON", body, out)
		}
		var obj map[string]any
		if json.Unmarshal(out, &obj) != nil {
			return
		}
		if v, ok := obj["token"]; ok && v != nil && v != Marker {
			t.Fatalf("Body(%q) left token = %#v", body, v)
		}
	})
}
