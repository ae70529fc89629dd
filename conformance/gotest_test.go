package conformance_test

import (
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/conformance"
)

// helperEnv makes the test binary, run again by a test, act as a user's
// `go test` of the suite.
const helperEnv = "CONFORMANCE_TEST_HELPER"

// TestSuiteTestSubtests runs Suite.Test as a user's test would, in a test
// binary of its own (this one, run again), and reads `go test -v`'s
// account of it: a skipped scenario is --- SKIP with its reason.
func TestSuiteTestSubtests(t *testing.T) {
	if os.Getenv(helperEnv) == "1" {
		suite, err := conformance.NewSuite(memberOnly(t))
		if err != nil {
			t.Fatal(err)
		}
		suite.Test(t, godog.Options{
			Format:          "progress",
			Output:          io.Discard,
			Strict:          true,
			Concurrency:     2,
			FeatureContents: []godog.Feature{{Name: "skips.feature", Contents: []byte(skipsFeature)}},
		})
		return
	}
	t.Parallel()
	run := func(pattern string) string {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run="+pattern, "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"=1")
		out, err := cmd.CombinedOutput()
		t.Logf("go test -run %s:\n%s", pattern, out)
		if err != nil {
			t.Fatalf("the test binary: %v", err)
		}
		return string(out)
	}

	results, logs := subtestResults(run("^TestSuiteTestSubtests$"))
	want := map[string]string{
		"TestSuiteTestSubtests":                                     "PASS",
		"TestSuiteTestSubtests/The_member_lists_its_tokens":         "PASS",
		"TestSuiteTestSubtests/The_admin_lists_the_member's_tokens": "SKIP " + noAdmin,
		"TestSuiteTestSubtests/The_member,_then_the_viewer":         "SKIP " + noViewer,
	}
	// The outline's two rows share a name, which go test numbers #01 for
	// the one started second; they run concurrently, so either may be the
	// skipped one.
	rows := []string{"TestSuiteTestSubtests/A_role_lists_its_own_tokens", "TestSuiteTestSubtests/A_role_lists_its_own_tokens#01"}
	if results[rows[0]] != "SKIP" {
		rows[0], rows[1] = rows[1], rows[0]
	}
	want[rows[0]], want[rows[1]] = "SKIP "+noSecondMember, "PASS"
	got := map[string]string{}
	for name, result := range results {
		if result == "SKIP" {
			result += " " + logs[name]
		}
		got[name] = result
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("go test -v's subtests and skip reasons (-want +got):\n%s", diff)
	}

	// A -run pattern selects scenarios; the others are not run.
	results, _ = subtestResults(run("^TestSuiteTestSubtests$/^The_member_lists"))
	want = map[string]string{"TestSuiteTestSubtests": "PASS", "TestSuiteTestSubtests/The_member_lists_its_tokens": "PASS"}
	if diff := cmp.Diff(want, results); diff != "" {
		t.Errorf("with a -run pattern for one scenario (-want +got):\n%s", diff)
	}
}

var (
	testHeader = regexp.MustCompile(`^=== (?:RUN|NAME|CONT|PAUSE) +(\S+)$`)
	testResult = regexp.MustCompile(`^\s*--- (PASS|FAIL|SKIP): (\S+) \(`)
	testLog    = regexp.MustCompile(`^\s+\w+\.go:\d+: (.*)$`)
)

// subtestResults reads `go test -v` output as go tool test2json does: the
// result of each test, and its log lines (joined), which follow the
// === RUN/NAME/CONT line naming the test they belong to.
func subtestResults(out string) (results, logs map[string]string) {
	results, logs = map[string]string{}, map[string]string{}
	current := ""
	for _, line := range strings.Split(out, "\n") {
		if m := testHeader.FindStringSubmatch(line); m != nil {
			current = m[1]
		} else if m := testResult.FindStringSubmatch(line); m != nil {
			results[m[2]] = m[1]
		} else if m := testLog.FindStringSubmatch(line); m != nil && current != "" {
			logs[current] = strings.TrimSpace(logs[current] + " " + m[1])
		}
	}
	return results, logs
}
