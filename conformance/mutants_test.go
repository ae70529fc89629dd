package conformance_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/conformance/internal/mutant"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

var everyCatcher = flag.Bool("mutants.all", false,
	"TestMutants: run every scenario against each mutant and name all that catch it (slower), instead of stopping at the first")

const featureDir = "../features"

// caught is one scenario that failed against a target.
type caught struct {
	Scenario string // feature file: scenario name
	Err      string // first line of the failure
}

func (c caught) String() string { return c.Scenario + ": " + c.Err }

// runResult is the outcome of running the suite against one target.
type runResult struct {
	Err      error // the run could not be set up
	Status   int   // godog's: 0 passed, 1 failed, 2 bad options
	Failed   []caught
	Output   string
	Duration time.Duration
}

// runSuite runs the features, as TestSuiteAgainstMock does, against one
// fresh mock wrapped by wrap, recording which scenarios failed. The
// features go in batches (lists of feature files, nil for the whole
// directory), one godog run each on the same target; with stopEarly the
// first failing scenario ends it all. Safe to call from any goroutine.
func runSuite(wrap func(http.Handler) http.Handler, batches [][]string, stopEarly bool) (res runResult) {
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }()
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		return runResult{Err: err}
	}
	srv := httptest.NewServer(wrap(stack.Handler()))
	defer srv.Close()
	set, err := fixtures.Default()
	if err != nil {
		return runResult{Err: err}
	}
	cfg, err := conformance.ConfigFromFixtures(srv.URL, set)
	if err != nil {
		return runResult{Err: err}
	}
	suite, err := conformance.NewSuite(cfg)
	if err != nil {
		return runResult{Err: err}
	}
	var mu sync.Mutex
	initialize := func(sc *godog.ScenarioContext) {
		suite.InitializeScenario(sc)
		// Registered after the suite's own hooks, so it also sees a failed
		// cleanup. An undefined or pending step is a broken feature, not a
		// catch: the run fails for it (Strict), but no scenario is
		// credited with it.
		sc.After(func(ctx context.Context, s *godog.Scenario, err error) (context.Context, error) {
			if err != nil && !errors.Is(err, godog.ErrSkip) && !errors.Is(err, godog.ErrUndefined) && !errors.Is(err, godog.ErrPending) {
				first, _, _ := strings.Cut(err.Error(), "\n")
				mu.Lock()
				res.Failed = append(res.Failed, caught{Scenario: filepath.Base(s.Uri) + ": " + s.Name, Err: first})
				mu.Unlock()
			}
			return ctx, nil
		})
	}
	var out bytes.Buffer
	for _, paths := range batches {
		if paths == nil {
			paths = []string{featureDir}
		}
		status := godog.TestSuite{
			Name:                "astra-token-api",
			ScenarioInitializer: initialize,
			Options: &godog.Options{
				Format:        "progress",
				NoColors:      true,
				Paths:         paths,
				Strict:        true,
				StopOnFailure: stopEarly,
				Output:        &out,
			},
		}.Run()
		res.Status = max(res.Status, status)
		mu.Lock()
		done := stopEarly && len(res.Failed) > 0
		mu.Unlock()
		if done || status == 2 {
			break
		}
	}
	res.Output = out.String()
	return res
}

// batches orders the feature files for a mutant: its hinted files first,
// then every other one. A hint naming no existing file is ignored.
func batches(all []string, hint []string) [][]string {
	var first, rest []string
	for _, f := range all {
		if slices.Contains(hint, filepath.Base(f)) {
			first = append(first, f)
		} else {
			rest = append(rest, f)
		}
	}
	var out [][]string
	for _, b := range [][]string{first, rest} {
		if len(b) > 0 {
			out = append(out, b)
		}
	}
	return out
}

// TestMutants proves the suite has teeth: it runs the features against
// deliberately broken variants of the mock (conformance/internal/mutant),
// each breaking one rule of schemas/CONTRACT.md, and requires every run to fail. A
// mutant the suite passes names a rule no scenario checks.
//
// Two controls run alongside: the unmutated mock, and the mock through the
// mutants' plumbing without a mutation. Both must pass the whole suite,
// or no mutant is judged: a broken harness would make every mutant look
// caught.
//
// A mutant's run starts with the feature files of its hint and stops at
// the first failing scenario; with -args -mutants.all every scenario runs
// against every mutant and all catchers are named.
func TestMutants(t *testing.T) {
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	all, err := filepath.Glob(filepath.Join(featureDir, "*.feature"))
	if err != nil || len(all) == 0 {
		t.Fatalf("no features in %s (%v)", featureDir, err)
	}
	start := time.Now()

	// The runs are computed by a pool wider than GOMAXPROCS: one run keeps
	// less than a core busy (it is request–answer ping-pong), so two at a
	// time, the default -parallel, would leave CPUs idle. Controls are
	// queued first; the parallel subtests each wait for their own run.
	sem := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	launch := func(run func() runResult) <-chan runResult {
		ch := make(chan runResult, 1)
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ch <- run()
		}()
		return ch
	}
	controls := []struct {
		name   string
		result <-chan runResult
	}{
		{"mock", launch(func() runResult {
			return runSuite(func(h http.Handler) http.Handler { return h }, [][]string{nil}, false)
		})},
		{"passthrough", launch(func() runResult { return runSuite(mutant.Passthrough(set), [][]string{nil}, false) })},
	}
	mutants := mutant.All(set)
	results := make([]<-chan runResult, len(mutants))
	for i, m := range mutants {
		plan := batches(all, m.Hint)
		if *everyCatcher {
			plan = [][]string{nil}
		}
		results[i] = launch(func() runResult { return runSuite(m.Wrap, plan, !*everyCatcher) })
	}

	controlsPassed := t.Run("control", func(t *testing.T) {
		for _, c := range controls {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				res := <-c.result
				if res.Err != nil {
					t.Fatal(res.Err)
				}
				if res.Status != 0 || len(res.Failed) > 0 {
					t.Fatalf("the suite fails against the %s control (status %d), so no mutant result means anything; failed:\n  %s\n%s",
						c.name, res.Status, strings.Join(strs(res.Failed), "\n  "), res.Output)
				}
				t.Logf("passed in %v", res.Duration.Round(time.Millisecond))
			})
		}
	})

	var (
		mu       sync.Mutex
		verdicts = map[string]string{}
	)
	t.Run("mutant", func(t *testing.T) {
		for i, m := range mutants {
			t.Run(m.Name, func(t *testing.T) {
				t.Parallel()
				res := <-results[i]
				if !controlsPassed {
					t.Skip("a control run failed: no mutant is judged")
				}
				var verdict string
				switch {
				case res.Err != nil:
					verdict = "not run"
					t.Errorf("mutant %s could not be run: %v", m.Name, res.Err)
				case res.Status == 2:
					verdict = "not run"
					t.Errorf("godog refused its options (status 2):\n%s", res.Output)
				case res.Status == 0 && len(res.Failed) == 0:
					verdict = "SURVIVED"
					t.Errorf("mutant %s survived: add a scenario for %s\n  (the mutant %s)", m.Name, m.Rule, m.How)
				case len(res.Failed) == 0:
					verdict = "failed, but no scenario caught it"
					t.Errorf("mutant %s: the suite failed (status %d) without a failing scenario (undefined or pending steps?):\n%s",
						m.Name, res.Status, res.Output)
				default:
					distinct := distinctScenarios(res.Failed)
					for i, f := range distinct {
						if i == maxLogged {
							t.Logf("… and %d more scenarios", len(distinct)-maxLogged)
							break
						}
						t.Logf("caught by %s\n    %s", f.Scenario, f.Err)
					}
					verdict = "caught by " + summarize(distinct, 3)
				}
				mu.Lock()
				verdicts[m.Name] = fmt.Sprintf("%s (%v)", verdict, res.Duration.Round(time.Millisecond))
				mu.Unlock()
			})
		}
	})
	if !controlsPassed {
		return
	}

	names := make([]string, 0, len(verdicts))
	survived := 0
	for n, v := range verdicts {
		names = append(names, n)
		if strings.HasPrefix(v, "SURVIVED") {
			survived++
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "  %-34s %s\n", n, verdicts[n])
	}
	t.Logf("%d mutants, %d caught, %d survived, in %v:\n%s",
		len(verdicts), len(verdicts)-survived, survived, time.Since(start).Round(time.Millisecond), b.String())
}

// maxLogged caps the catchers a mutant's subtest logs.
const maxLogged = 10

// distinctScenarios keeps the first failure of each scenario name
// (the examples of an outline share it).
func distinctScenarios(failed []caught) []caught {
	seen := map[string]bool{}
	var out []caught
	for _, f := range failed {
		if !seen[f.Scenario] {
			seen[f.Scenario] = true
			out = append(out, f)
		}
	}
	return out
}

// summarize names up to n scenarios and counts the rest.
func summarize(cs []caught, n int) string {
	var names []string
	for i, c := range cs {
		if i == n {
			names = append(names, fmt.Sprintf("… (%d scenarios in all)", len(cs)))
			break
		}
		names = append(names, c.Scenario)
	}
	return strings.Join(names, " | ")
}

func strs[T fmt.Stringer](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}
