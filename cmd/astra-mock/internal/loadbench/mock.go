package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stopTimeout is how long a mock may take to stop after SIGTERM before it
// is killed; the mock is started with a shorter -shutdown-timeout.
const stopTimeout = 5 * time.Second

// mockProcess is one running astra-mock.
type mockProcess struct {
	cmd     *exec.Cmd
	base    string        // http://127.0.0.1:PORT
	started time.Time     // just before the exec
	exited  chan struct{} // closed when the process has been waited for
	stderr  *tail
	// stopAfter is how long stop waits after SIGTERM before it kills.
	stopAfter time.Duration
}

// startMock execs the mock on a free port of 127.0.0.1 and returns once it
// has printed the address it listens on. ASTRA_MOCK_* variables of this
// environment are not passed on: the mock runs on its defaults.
func startMock(ctx context.Context, path string, timeout time.Duration) (*mockProcess, error) {
	cmd := exec.Command(path, "-addr", "127.0.0.1:0", "-log", "none", "-shutdown-timeout", "2s")
	cmd.Env = withoutMockVars(os.Environ())
	addr := make(chan string, 1)
	p := &mockProcess{cmd: cmd, exited: make(chan struct{}), stderr: &tail{max: 4 << 10}, stopAfter: stopTimeout}
	cmd.Stdout = &addrWriter{addr: addr}
	cmd.Stderr = p.stderr
	cmd.WaitDelay = time.Second // for output held open by a child of the mock
	setParentDeathSignal(cmd)
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the mock: %w", err)
	}
	go func() {
		cmd.Wait()
		close(p.exited)
	}()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case p.base = <-addr:
		return p, nil
	case <-p.exited:
		return nil, fmt.Errorf("the mock exited before listening (%v): %s", cmd.ProcessState, p.stderr)
	case <-timer.C:
		p.stop()
		return nil, fmt.Errorf("the mock printed no address within %v: %s", timeout, p.stderr)
	case <-ctx.Done():
		p.stop()
		return nil, ctx.Err()
	}
}

// pid is the mock's process id.
func (p *mockProcess) pid() int { return p.cmd.Process.Pid }

// stop sends SIGTERM to the mock's PID, kills it if it has not stopped
// within stopAfter, and waits for it. It may be called more than once.
func (p *mockProcess) stop() error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		p.cmd.Process.Kill() // a system without SIGTERM
	}
	timer := time.NewTimer(p.stopAfter)
	defer timer.Stop()
	select {
	case <-p.exited:
		return nil
	case <-timer.C:
	}
	p.cmd.Process.Kill()
	<-p.exited
	return fmt.Errorf("the mock (pid %d) did not stop within %v of SIGTERM and was killed", p.pid(), p.stopAfter)
}

// listeningPrefix starts the line the mock prints when it listens.
const listeningPrefix = "astra-mock listening on "

// addrWriter takes the mock's output and sends the address of its first
// listening line on addr; it drops the rest.
type addrWriter struct {
	addr chan<- string
	line []byte
	done bool
}

func (w *addrWriter) Write(p []byte) (int, error) {
	if w.done {
		return len(p), nil
	}
	w.line = append(w.line, p...)
	for {
		line, rest, ok := bytes.Cut(w.line, []byte("\n"))
		if !ok {
			break
		}
		if a, ok := bytes.CutPrefix(line, []byte(listeningPrefix)); ok {
			w.addr <- string(a)
			w.done, w.line = true, nil
			break
		}
		w.line = rest
	}
	if len(w.line) > 4<<10 { // no line this long comes before the address
		w.line = w.line[:0]
	}
	return len(p), nil
}

// withoutMockVars is env without the variables that configure astra-mock.
func withoutMockVars(env []string) []string {
	var kept []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "ASTRA_MOCK_") {
			kept = append(kept, kv)
		}
	}
	return kept
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.buf))
	if s == "" {
		return "(nothing on stderr)"
	}
	return s
}
