package schemas_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// TestTokenNameForbiddenIsContractSection5 reads the name check's sentence
// of CONTRACT.md §5 and requires its code spans to be TokenNameForbidden.
func TestTokenNameForbiddenIsContractSection5(t *testing.T) {
	doc, err := os.ReadFile(schemas.ContractFile)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ") // the sentence may wrap anywhere
	_, rest, ok := strings.Cut(text, "a name is refused if")
	sentence, _, ok2 := strings.Cut(rest, "Everything else printable is allowed")
	if !ok || !ok2 {
		t.Fatal("CONTRACT.md §5 lacks the sentence \"a name is refused if … Everything else printable is allowed\"")
	}
	var got []string
	for _, m := range regexp.MustCompile("`` (.+?) ``|`([^`]+)`").FindAllStringSubmatch(sentence, -1) {
		got = append(got, m[1]+m[2])
	}
	if diff := cmp.Diff(got, schemas.TokenNameForbidden()); diff != "" {
		t.Errorf("CONTRACT.md §5 lists (-) what TokenNameForbidden returns (+):\n%s", diff)
	}
}
