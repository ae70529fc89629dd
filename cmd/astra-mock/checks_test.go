package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlagsThatCannotWorkAreRefusedAtStart: the mock does not start on a
// flag it would fail on later, and the message names the flag.
func TestFlagsThatCannotWorkAreRefusedAtStart(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "a-dir"), 0o700); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		says []string
	}{
		{"a -state in a missing directory", []string{"-state", filepath.Join(dir, "missing", "state.json")}, []string{"-state", "does not exist"}},
		{"a -state under a file", []string{"-state", filepath.Join(file, "state.json")}, []string{"-state", "not a directory"}},
		{"a -state that is a directory", []string{"-state", filepath.Join(dir, "a-dir")}, []string{"-state", "not a regular file"}},
		{"a -journal-size above the maximum", []string{"-journal-size", "200000000"}, []string{"-journal-size", "100000"}},
		{"a -journal-size of zero", []string{"-journal-size", "0"}, []string{"-journal-size"}},
		{"a negative -shutdown-timeout", []string{"-shutdown-timeout", "-1s"}, []string{"-shutdown-timeout"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, c.args...), io.Discard, io.Discard)
			if err == nil {
				t.Fatalf("run(%q) started", c.args)
			}
			for _, want := range c.says {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the checks left files behind: %v", entries)
	}
}

// TestTheLargestJournalStarts: -journal-size at its maximum starts (the
// journal takes memory as entries arrive).
func TestTheLargestJournalStarts(t *testing.T) {
	_, stop, done := start(t, "-journal-size", "100000")
	stopAndWait(t, stop, done)
}

// TestAPortInUseSaysHowToFixIt: the refusal names the flag or variable to
// change, and that another process holds the port.
func TestAPortInUseSaysHowToFixIt(t *testing.T) {
	busy := busyAddr(t)
	for _, tc := range []struct {
		name string
		env  string
		args []string
		want string
	}{
		{"-addr", "", []string{"-addr", busy}, "address already in use: stop the other process or choose another -addr"},
		{"ASTRA_MOCK_ADDR", "ASTRA_MOCK_ADDR", nil, "address already in use: stop the other process or choose another ASTRA_MOCK_ADDR"},
		{"-admin-addr", "", []string{"-addr", "127.0.0.1:0", "-admin-addr", busy}, "address already in use: stop the other process or choose another -admin-addr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv(tc.env, busy)
			}
			err := run(context.Background(), append([]string{"-log", "none"}, tc.args...), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v does not say %q", err, tc.want)
			}
		})
	}
}

// TestTheImageUserIsTheDockerfiles: the hint for a -state directory the
// image's user cannot write names the user cmd/Dockerfile sets.
func TestTheImageUserIsTheDockerfiles(t *testing.T) {
	dockerfile, err := os.ReadFile(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("\nUSER %d:%d\n", imageUID, imageUID)
	if !strings.Contains(string(dockerfile), want) {
		t.Errorf("cmd/Dockerfile has no line %q", strings.TrimSpace(want))
	}
}
