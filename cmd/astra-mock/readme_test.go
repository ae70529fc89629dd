package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestREADMECurlWalk runs the curl walk of README.md, as written, against
// the mock: with bash -e, pointed at the mock's port instead of 8080.
func TestREADMECurlWalk(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash on this machine")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl on this machine")
	}
	base, stop, done := start(t)
	defer stopAndWait(t, stop, done)

	out, err := exec.Command(bash, "-e", "-c", readmeWalk(t, base)).CombinedOutput()
	if err != nil {
		t.Fatalf("the curl walk: %v\n%s", err, out)
	}
	for _, want := range []string{`"token":"`, "HTTP/1.1 200 OK", "HTTP/1.1 204 No Content", "problems/2", "problems/4"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the curl walk printed no %s:\n%s", want, out)
		}
	}
}

// readmeWalk is the sh block of README.md's "A walk through the API with
// curl", pointed at base instead of http://127.0.0.1:8080.
func readmeWalk(t *testing.T, base string) string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## A walk through the API with curl\n")
	_, block, ok2 := strings.Cut(section, "```sh\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 || !strings.Contains(block, "http://127.0.0.1:8080") {
		t.Fatal("README.md has no curl walk against http://127.0.0.1:8080")
	}
	return strings.ReplaceAll(block, "http://127.0.0.1:8080", base)
}
