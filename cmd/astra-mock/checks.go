package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/astra-contract/astra-token-kit/mockserver/journal"
)

// check refuses, before anything starts, flags that cannot work: a -state
// file that could not be saved (its directory missing, not a directory, or
// not writable: the mock would run, then lose its state at the first
// snapshot and at shutdown) and a -journal-size outside 1–MaxCapacity.
func (o *options) check() error {
	if o.journalSize < 1 || o.journalSize > journal.MaxCapacity {
		return fmt.Errorf("-journal-size: %d is not from 1 to %d (each entry may hold up to 128 KiB of bodies)", o.journalSize, journal.MaxCapacity)
	}
	if o.stateFile != "" {
		if err := writableDir(filepath.Dir(o.stateFile)); err != nil {
			return fmt.Errorf("-state %s: the state could not be saved there: %w", o.stateFile, err)
		}
		if info, err := os.Stat(o.stateFile); err == nil && !info.Mode().IsRegular() {
			return fmt.Errorf("-state %s: not a regular file", o.stateFile)
		}
	}
	if o.grace < 0 {
		return fmt.Errorf("-shutdown-timeout: %v is negative", o.grace)
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
		return fmt.Errorf("directory %s is not writable: %w", dir, err)
	}
	name := probe.Name()
	probe.Close()
	return os.Remove(name)
}
