package main

import (
	"bufio"
	"bytes"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMakeRunStopsOnASignalToMake is `make run & … kill $!`: make execs the
// built binary, so the signal sent to make reaches the mock, which stops
// and frees its port. (With go run in between, the signal stopped go run
// and left the mock running.)
func TestMakeRunStopsOnASignalToMake(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the commands with make")
	}
	makePath, err := exec.LookPath("make")
	if err != nil {
		t.Skip("no make on this machine")
	}
	cmd := exec.Command(makePath, "-s", "-C", "../..", "run", "ADDR=127.0.0.1:0", "BIN="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() // if the test fails before the kill below

	ready := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if addr, ok := strings.CutPrefix(lines.Text(), "astra-mock listening on http://"); ok {
				ready <- addr
			}
		}
		close(ready)
	}()
	var addr string
	select {
	case a, ok := <-ready:
		if !ok {
			t.Fatalf("make run ended without the ready line:\n%s", stderr.String())
		}
		addr = a
	case <-time.After(5 * time.Minute): // a cold build of both commands
		t.Fatalf("no ready line from make run:\n%s", stderr.String())
	}
	if !regexp.MustCompile(`^127\.0\.0\.1:\d+$`).MatchString(addr) {
		t.Fatalf("ready line names %q", addr)
	}

	// kill $!: SIGTERM to make's process only.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case <-waited:
	case <-time.After(15 * time.Second):
		t.Fatal("make run is still running 15s after SIGTERM")
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return // the port is free: the mock stopped
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatalf("the mock still listens on %s after make run was killed", addr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
