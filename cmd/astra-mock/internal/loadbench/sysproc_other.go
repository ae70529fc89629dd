//go:build !linux

package main

import "os/exec"

// setParentDeathSignal does nothing where the system has no parent death
// signal: a mock outlives this process only if it is killed outright.
func setParentDeathSignal(*exec.Cmd) {}
