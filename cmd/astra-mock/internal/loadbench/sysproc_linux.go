package main

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal has Linux send the mock SIGTERM when this process
// dies without stopping it (killed, or a test binary timed out).
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
