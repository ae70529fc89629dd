package quickstart_test

import (
	"bytes"
	"os"
	"testing"
)

// TestREADMEShowsTheQuickStart: the README's Go quick start is
// quickstart_test.go, whole, as a go block.
func TestREADMEShowsTheQuickStart(t *testing.T) {
	readme, err := os.ReadFile("../../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	code, err := os.ReadFile("quickstart_test.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, append(append([]byte("```go\n"), code...), "```\n"...)) {
		t.Errorf("README.md does not show quickstart_test.go, whole, as a go block:\n%s", code)
	}
}
