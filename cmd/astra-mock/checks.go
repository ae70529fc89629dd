package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"

	"github.com/astra-contract/astra-token-kit/mockserver/journal"
)

// imageUID is the user the container image runs astra-mock as (the USER
// of cmd/Dockerfile).
const imageUID = 65532

// check refuses, before anything starts, flags that cannot work: a listen
// address without a port, a -journal-size outside 1–MaxCapacity, a
// negative -shutdown-timeout (usage errors), and a -state file that could
// not be saved (its directory missing, not a directory, or not writable:
// the mock would run, then lose its state at the first snapshot and at
// shutdown). Each message names the flag or variable the user set.
func (o *options) check() error {
	if err := checkListenAddr(o.addr); err != nil {
		return usagef("%s: %w", o.name("addr"), err)
	}
	if o.adminAddr != "" {
		if err := checkListenAddr(o.adminAddr); err != nil {
			return usagef("%s: %w", o.name("admin-addr"), err)
		}
	}
	if o.journalSize < 1 || o.journalSize > journal.MaxCapacity {
		return usagef("%s: %d is not from 1 to %d (each entry may hold up to 128 KiB of bodies)", o.name("journal-size"), o.journalSize, journal.MaxCapacity)
	}
	if o.grace < 0 {
		return usagef("%s: %v is negative", o.name("shutdown-timeout"), o.grace)
	}
	if o.stateFile != "" {
		dir := filepath.Dir(o.stateFile)
		if err := writableDir(dir); err != nil {
			if errors.Is(err, fs.ErrPermission) {
				return fmt.Errorf("%s: cannot write %s: %w; %s", o.name("state"), o.stateFile, err, o.permissionHint(dir))
			}
			return fmt.Errorf("%s: cannot write %s: %w", o.name("state"), o.stateFile, err)
		}
		if info, err := os.Stat(o.stateFile); err == nil && !info.Mode().IsRegular() {
			return fmt.Errorf("%s: %s is not a regular file", o.name("state"), o.stateFile)
		}
	}
	return nil
}

// checkListenAddr refuses a listen address net.Listen could never take:
// one that is not HOST:PORT, or whose port is not a port.
func checkListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		var ae *net.AddrError
		if errors.As(err, &ae) {
			err = errors.New(ae.Err) // without the address, which the message starts with
		}
		return fmt.Errorf("%q is not HOST:PORT: %w", addr, err)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("%q: %q is not a port number from 0 to 65535", addr, port)
	}
	return nil
}

// permissionHint says how to give astra-mock a -state directory it can
// write in: as the container image's user, mount one; elsewhere, change
// the directory or choose another.
func (o *options) permissionHint(dir string) string {
	switch uid := os.Getuid(); {
	case uid == imageUID:
		return fmt.Sprintf("the image runs as uid %d: mount a volume it can write on %s (a named volume: docker run -v astra-state:%s …) or run it as the owner of the directory you mount (docker run --user \"$(id -u)\" …)", uid, dir, dir)
	case uid >= 0:
		return fmt.Sprintf("astra-mock runs as uid %d: make %s writable by that user or choose another %s", uid, dir, o.name("state"))
	}
	return fmt.Sprintf("make %s writable or choose another %s", dir, o.name("state"))
}

// writableDir reports why a file could not be created in dir, the way
// saveState creates its temporary file.
func writableDir(dir string) error {
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("directory %s does not exist", dir)
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	probe, err := os.CreateTemp(dir, ".astra-mock-probe-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("directory %s is not writable: %w", dir, err)
	}
	name := probe.Name()
	probe.Close()
	return os.Remove(name)
}

// listen opens the listener of flag f (addr or admin-addr); when it cannot,
// the error names the flag or variable and, for a port in use, says what
// to do.
func (o *options) listen(f, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%s: %w: stop the other process or choose another %s", o.name(f), err, o.name(f))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.name(f), err)
	}
	return ln, nil
}
