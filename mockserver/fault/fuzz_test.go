package fault

import (
	"strings"
	"testing"
)

// FuzzDecodeRule: any body either decodes to a rule that Add accepts, or
// is refused with an error; nothing panics.
func FuzzDecodeRule(f *testing.F) {
	for _, s := range []string{
		`{"method":"POST","path":"/accounts/.*/tokens","times":1,"status":503}`,
		`{"path":".","probability":0.5,"latencyMs":20}`, `{"path":"/x","drop":true}`,
		`{"path":"(","status":500}`, `{"path":"/x","status":503,"drop":true}`, `{"path":"/x","status":200}`,
		`{"path":"/x","status":503,"extra":1}`, `{}`, `[]`, `null`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r, err := DecodeRule(strings.NewReader(body))
		if err != nil {
			return
		}
		if _, err := New(Options{}).Add(r); err != nil {
			t.Fatalf("DecodeRule(%q) accepted a rule Add refuses: %v", body, err)
		}
	})
}
