package main

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// childEnv marks the test binary run as the command itself: TestMain calls
// main, so that a test can send the process a signal or run it in a
// directory of its own.
const childEnv = "ASTRA_CONFORMANCE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// process is the command started as a process of its own.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
}

// startProcess starts the command in dir with args and the environment of
// the test (without ASTRA_* variables).
func startProcess(t *testing.T, dir string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(os.Args[0], args...)}
	p.cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ASTRA_") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	p.cmd.Env = append(p.cmd.Env, childEnv+"=1")
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	return p
}

// wait waits for the process to end and returns its exit status.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	err := p.cmd.Wait()
	t.Logf("astra-conformance %s → %v\nstdout:\n%s\nstderr:\n%s", strings.Join(p.cmd.Args[1:], " "), err, p.stdout.String(), p.stderr.String())
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return p.cmd.ProcessState.ExitCode()
}

// TestWorkingDirectoryFeaturesAreNotRead: run from a client repository
// with a features/ of its own (behave, cucumber-js), the suite runs its
// built-in scenarios, not that folder.
func TestWorkingDirectoryFeaturesAreNotRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "features"), 0o755); err != nil {
		t.Fatal(err)
	}
	client := "@mock-only\nFeature: The client's own\n  Scenario: A behave scenario\n    Given the client's own step\n"
	if err := os.WriteFile(filepath.Join(dir, "features", "client.feature"), []byte(client), 0o644); err != nil {
		t.Fatal(err)
	}
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.Handler())
	t.Cleanup(srv.Close)
	p := startProcess(t, dir, "-target", srv.URL, "-fixtures", "default", "-tags", "@mock-only", "-format", "progress")
	if code := p.wait(t); code != exitPass {
		t.Errorf("exit %d, want 0", code)
	}
	out := p.stdout.String()
	if !strings.Contains(out, "scenarios of built-in features") || strings.Contains(out, "client's own") {
		t.Errorf("the run did not use the built-in features alone")
	}
}
