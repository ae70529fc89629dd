package conformance

import (
	"sync"
	"testing"

	"github.com/cucumber/godog"
)

// Test runs the scenarios opts selects against the suite's target, each
// as a subtest of t named after the scenario: it passes, fails with the
// failing step and its error, or is skipped (t.Skip) with the reason, so
// that `go test -v` shows --- SKIP for a scenario skipped for want of an
// identity, never --- PASS. Scenarios run opts.Concurrency at a time.
//
// opts.Format is read as Run reads it; opts.TestingT is not used (godog's
// own subtests count a skipped scenario as passed). A scenario that a -run pattern deselects is skipped
// with that reason. t fails when a scenario failed, when godog could not
// run (a bad option), or when no scenario passed.
func (s *Suite) Test(t *testing.T, opts godog.Options) {
	t.Helper()
	opts.TestingT = nil
	subtests := &subtests{t: t, open: map[chan ScenarioResult]bool{}}
	status := s.run(opts, subtests)
	subtests.finishOpen()
	passed, failed, _ := s.Counts()
	switch {
	case status != 0 && failed == 0:
		t.Errorf("godog exited with status %d (see its output above)", status)
	case passed == 0 && failed == 0:
		if n := len(s.Results()); n > 0 {
			t.Errorf("no scenario passed: all %d were skipped", n)
		} else {
			t.Errorf("no scenario passed: none was selected")
		}
	}
}

// subtests runs each scenario of a run as a subtest of t: the subtest
// starts when the scenario does and waits for its outcome.
type subtests struct {
	t    *testing.T
	wg   sync.WaitGroup
	mu   sync.Mutex
	open map[chan ScenarioResult]bool // the scenarios started, not finished
}

// started is called before a scenario's first step: a reason to skip the
// scenario (its subtest is one the -run pattern leaves out), or finished,
// to be called once its outcome is known.
func (ts *subtests) started(p *godog.Scenario) (finished func(ScenarioResult), skip string) {
	done := make(chan ScenarioResult, 1)
	running := make(chan bool, 1)
	ts.wg.Go(func() {
		ran := false
		ts.t.Run(p.Name, func(t *testing.T) {
			ran = true
			running <- true
			r := <-done
			switch r.Outcome {
			case Passed:
			case Skipped:
				t.Skip(r.Reason)
			default:
				t.Errorf("%s: %s", p.Uri, r.Reason)
			}
		})
		if !ran {
			running <- false
		}
	})
	if !<-running {
		return nil, "not selected by the -run pattern"
	}
	ts.mu.Lock()
	ts.open[done] = true
	ts.mu.Unlock()
	return func(r ScenarioResult) {
		ts.mu.Lock()
		delete(ts.open, done)
		ts.mu.Unlock()
		done <- r
	}, ""
}

// finishOpen fails the subtests of scenarios that started but never
// reported an outcome, and waits for every subtest to end.
func (ts *subtests) finishOpen() {
	ts.mu.Lock()
	for done := range ts.open {
		done <- ScenarioResult{Outcome: Failed, Reason: "the scenario did not finish"}
	}
	ts.open = map[chan ScenarioResult]bool{}
	ts.mu.Unlock()
	ts.wg.Wait()
}
