package main

import (
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"testing"
)

// TestRootsWhereTheSystemHasNone runs this test again in a process that
// finds no certificate store, as in the FROM scratch image: the suite must
// still have the root CAs to verify a real deployment's certificate.
func TestRootsWhereTheSystemHasNone(t *testing.T) {
	if os.Getenv("ASTRA_TEST_CHILD_NO_SYSTEM_ROOTS") == "1" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			t.Fatal(err)
		}
		// Subjects is deprecated for system pools on macOS and Windows; a
		// pool loaded from files or the fallback bundle lists every root.
		//lint:ignore SA1019 on Linux a pool loaded from files lists every root
		fmt.Printf("roots=%d\n", len(pool.Subjects()))
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("only Linux reads its certificate store from files that SSL_CERT_FILE and SSL_CERT_DIR can hide")
	}
	empty := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRootsWhereTheSystemHasNone$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ASTRA_TEST_CHILD_NO_SYSTEM_ROOTS=1",
		"SSL_CERT_FILE="+filepath.Join(empty, "none.pem"), "SSL_CERT_DIR="+empty)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`roots=(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("child printed no root count:\n%s", out)
	}
	if n, _ := strconv.Atoi(string(m[1])); n < 100 {
		t.Fatalf("without a system store the suite has %d root CAs, want the fallback bundle (100+)", n)
	}
}
