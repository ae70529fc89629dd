//go:build unix

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// childEnv marks the run of TestAStateDirectoryItCannotWriteSaysHowToFixIt
// that the test starts as the image's user.
const childEnv = "TEST_ASTRA_MOCK_UNWRITABLE_CHILD"

// TestAStateDirectoryItCannotWriteSaysHowToFixIt: a -state directory the
// mock's user cannot write is refused at start with the user's uid and
// what to do. Run as root (who writes everywhere), the test runs its own
// binary again as the container image's user, with the state given as in
// the image: ASTRA_MOCK_STATE=/data/state.json on a directory it cannot
// write.
func TestAStateDirectoryItCannotWriteSaysHowToFixIt(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-log", "none"}, io.Discard, io.Discard)
		fmt.Printf("run: %v\n", err)
		return
	}
	if uid := os.Getuid(); uid != 0 {
		dir := filepath.Join(t.TempDir(), "read-only")
		if err := os.Mkdir(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		state := filepath.Join(dir, "state.json")
		err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-log", "none", "-state", state}, io.Discard, io.Discard)
		for _, want := range []string{"-state: cannot write " + state, "permission denied", fmt.Sprintf("astra-mock runs as uid %d: make %s writable by that user or choose another -state", uid, dir)} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error %v does not say %q", err, want)
			}
		}
		return
	}

	// As root: a copy of this test binary that the image's user can run,
	// next to a directory it cannot write.
	tmp, err := os.MkdirTemp("", "astra-mock-uid-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	data := filepath.Join(tmp, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	test := filepath.Join(tmp, "astra-mock.test")
	if err := os.WriteFile(test, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(data, "state.json")
	cmd := exec.Command(test, "-test.run=^TestAStateDirectoryItCannotWriteSaysHowToFixIt$", "-test.count=1")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), childEnv+"=1", "ASTRA_MOCK_STATE="+state)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: imageUID, Gid: imageUID}}
	out, err := cmd.CombinedOutput()
	if errors.Is(err, syscall.EPERM) {
		t.Skipf("root here cannot run a process as uid %d: %v", imageUID, err)
	}
	if err != nil {
		t.Fatalf("the run as uid %d: %v\n%s", imageUID, err, out)
	}
	for _, want := range []string{
		"ASTRA_MOCK_STATE: cannot write " + state,
		"permission denied",
		fmt.Sprintf("the image runs as uid %d: mount a volume it can write on %s", imageUID, data),
		"docker run -v astra-state:" + data,
		`docker run --user "$(id -u)"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the run as uid %d does not say %q:\n%s", imageUID, want, out)
		}
	}
}
