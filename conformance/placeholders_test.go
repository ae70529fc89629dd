package conformance

import (
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/fixtures"
)

// TestPlaceholdersAreExpanded keeps Placeholders (and so STEPS.md) in step
// with expand: every documented form expands against the default fixtures.
func TestPlaceholdersAreExpanded(t *testing.T) {
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ConfigFromFixtures("http://127.0.0.1:1", set)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSuite(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st := &scenario{suite: s}
	st.reset("placeholders")
	st.tokens["NAME"] = &created{ID: "id", Secret: "secret", Name: "name", Location: "location"}
	st.saved["KEY"] = "saved"
	fill := strings.NewReplacer("ROLE", Member, "fixture id of NAME", "fixture id of Snapshot Script")
	for _, p := range Placeholders {
		for _, form := range placeholder.FindAllString(p.Form, -1) {
			got, err := st.expand(fill.Replace(form))
			if err != nil || got == "" || strings.ContainsAny(got, "{}") {
				t.Errorf("%s (from %q) expands to %q, %v", form, p.Form, got, err)
			}
		}
	}
}
