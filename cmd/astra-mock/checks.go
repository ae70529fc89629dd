package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"

	"github.com/astra-contract/astra-token-kit/mockserver/journal"
)

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
// the error names the flag or variable.
func (o *options) listen(f, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.name(f), err)
	}
	return ln, nil
}
