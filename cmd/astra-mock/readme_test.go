package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/cmd/internal/curlwalk"
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

// readmeWalk is the walk of cmd/astra-mock/README.md, pointed at base.
func readmeWalk(t *testing.T, base string) string {
	t.Helper()
	walk, err := curlwalk.Read("README.md", base)
	if err != nil {
		t.Fatal(err)
	}
	return walk
}
