package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// process is one started program: a mock, or a stand-in in the tests.
type process struct {
	cmd    *exec.Cmd
	base   string        // http://127.0.0.1:PORT, where a mock listens
	stderr bytes.Buffer  // read it only once exited is closed
	exited chan struct{} // closed when the process has been waited for
}

// start execs path with args. ASTRA_MOCK_* variables of this environment
// are not passed on: the mock runs on its defaults.
func start(path string, args ...string) (*process, error) {
	p := &process{cmd: exec.Command(path, args...), exited: make(chan struct{})}
	p.cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "ASTRA_MOCK_") })
	p.cmd.Stderr = &p.stderr
	p.cmd.WaitDelay = time.Second // for output held open by a child of the mock
	setParentDeathSignal(p.cmd)
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

// stop sends SIGTERM to the process's PID, kills it if it has not exited
// within wait, and waits for it. It may be called more than once.
func (p *process) stop(wait time.Duration) error {
	p.cmd.Process.Signal(syscall.SIGTERM) // fails only once it has exited
	select {
	case <-p.exited:
		return nil
	case <-time.After(wait):
	}
	p.cmd.Process.Kill()
	<-p.exited
	return fmt.Errorf("(pid %d) did not stop within %v of SIGTERM and was killed", p.cmd.Process.Pid, wait)
}

// readRSS is the resident set of process pid in bytes. It fails where
// there is no /proc (any system but Linux).
func readRSS(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if kb, ok := strings.CutPrefix(line, "VmRSS:"); ok { // "VmRSS:  12345 kB"
			var n int64
			_, err := fmt.Sscan(kb, &n)
			return n << 10, err
		}
	}
	return 0, errors.New("no VmRSS in /proc/PID/status")
}
