package conformance_test

import (
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
)

// godogOptions are the options of TestSuiteAgainstMock, which godog's flags
// change: go test ./conformance -godog.tags='@list && ~@policy'
// -godog.format=junit -godog.concurrency=1 -godog.paths=../features/list.feature
var godogOptions = godog.Options{
	Format:      "progress",
	Concurrency: 4,
	Strict:      true,
	NoColors:    true,
}

func TestMain(m *testing.M) {
	usage := flag.CommandLine.Usage
	godog.BindFlags("godog.", flag.CommandLine, &godogOptions)
	flag.CommandLine.Usage = usage // godog's replaces go test's
	os.Exit(m.Run())
}

// TestSuiteAgainstMock runs every feature against the mock started
// in-process (admin API included), each scenario a subtest, several at
// once: the suite's self-check.
func TestSuiteAgainstMock(t *testing.T) {
	suite, err := conformance.NewSuite(mockConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	opts := godogOptions
	if len(opts.Paths) == 0 {
		opts.Paths = []string{"../features"}
	}
	suite.Test(t, opts)
	t.Log("\n" + conformance.FormatCoverage(suite.Coverage()))
	if s := suite.Skipped(); len(s) > 0 {
		t.Errorf("scenarios skipped against the mock: %v", s)
	}
	if most := mostAtOnce(suite.Results()); opts.Concurrency > 1 && most < 2 {
		t.Errorf("-godog.concurrency=%d, yet no two scenarios ran at once", opts.Concurrency)
	}
}

// mostAtOnce is the largest number of scenarios that were running at the
// same moment.
func mostAtOnce(results []conformance.ScenarioResult) int {
	type event struct {
		at    time.Time
		delta int
	}
	var events []event
	for _, r := range results {
		events = append(events, event{r.Started, +1}, event{r.Finished, -1})
	}
	sort.Slice(events, func(i, j int) bool {
		if !events[i].at.Equal(events[j].at) {
			return events[i].at.Before(events[j].at)
		}
		return events[i].delta < events[j].delta // an end before a start at the same instant
	})
	running, most := 0, 0
	for _, e := range events {
		running += e.delta
		most = max(most, running)
	}
	return most
}

// TestGodogFlagsSelectAndFormat runs this test binary again as
// `go test ./conformance -godog.tags=@readonly -godog.format=junit`: the
// flags select the scenarios and the format of TestSuiteAgainstMock.
func TestGodogFlagsSelectAndFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the @readonly scenarios again")
	}
	t.Parallel()
	selected, err := godog.TestSuite{Options: &godog.Options{Paths: []string{"../features"}, Tags: "@readonly"}}.RetrieveFeatures()
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, f := range selected {
		want += len(f.Pickles)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSuiteAgainstMock$", "-test.count=1", "-godog.tags=@readonly", "-godog.format=junit")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test -godog.tags=@readonly -godog.format=junit: %v\n%s", err, out)
	}
	start, end := strings.Index(string(out), "<?xml"), strings.Index(string(out), "</testsuites>")
	if start < 0 || end < start {
		t.Fatalf("no JUnit report in the output:\n%s", out)
	}
	var report junitReport
	if err := xml.Unmarshal(out[start:end+len("</testsuites>")], &report); err != nil {
		t.Fatal(err)
	}
	if report.Tests != want || report.Failures != 0 || report.Errors != 0 {
		t.Errorf("JUnit report: tests=%d failures=%d errors=%d; want the %d @readonly scenarios, passed", report.Tests, report.Failures, report.Errors, want)
	}
}
