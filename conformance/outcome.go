package conformance

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cucumber/godog"
)

// Outcome is how a scenario ended.
type Outcome int

// The outcomes, from best to worst: a scenario's outcome is the worst of
// its steps' (and a failing After hook, such as the deletion of the tokens
// it made, fails it).
const (
	Passed Outcome = iota
	Skipped
	Failed
)

// String returns "passed", "skipped" or "failed".
func (o Outcome) String() string {
	switch o {
	case Passed:
		return "passed"
	case Skipped:
		return "skipped"
	}
	return "failed"
}

// ScenarioResult is the outcome of one scenario of a run.
type ScenarioResult struct {
	URI  string // the feature file
	Name string // the scenario's name, as godog gives it
	// Outcome is Passed, Skipped or Failed. Undefined, pending and
	// ambiguous steps count as failures.
	Outcome Outcome
	// Reason says why a scenario was skipped ("no admin identity is
	// configured") or how it failed (the first failing step and its
	// error); empty for a pass.
	Reason string
	// Started and Finished are when its first step began and when its
	// outcome was known.
	Started, Finished time.Time
}

// Results returns the outcome of every scenario started so far, sorted by
// feature file and scenario name.
func (s *Suite) Results() []ScenarioResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ScenarioResult, len(s.results))
	for i, r := range s.results {
		out[i] = *r
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].URI != out[j].URI {
			return out[i].URI < out[j].URI
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Counts returns how many scenarios of Results passed, failed and were
// skipped.
func (s *Suite) Counts() (passed, failed, skipped int) {
	for _, r := range s.Results() {
		switch r.Outcome {
		case Passed:
			passed++
		case Skipped:
			skipped++
		default:
			failed++
		}
	}
	return passed, failed, skipped
}

// SkipReasonName is the name of the attachment that carries the reason a
// step was skipped; the kit's formatters turn it into the report's own
// notion of a skip message.
const SkipReasonName = "skip reason"

// observer follows the scenarios of a run: started is called before the
// first step (an error skips the scenario with that reason), finished once
// the scenario's outcome is known.
type observer interface {
	started(s *godog.Scenario) (finished func(ScenarioResult), err error)
}

// record adds the hooks that keep the outcome of the scenario st runs. It
// is called after the suite's own hooks are registered, so that its After
// hook sees the error of the cleanup.
func (s *Suite) record(sc *godog.ScenarioContext, st *scenario, obs observer) {
	r := &ScenarioResult{}
	var finished func(ScenarioResult)
	worse := func(o Outcome, reason string) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if o > r.Outcome {
			r.Outcome, r.Reason = o, reason
		}
	}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		s.mu.Lock()
		r.URI, r.Name, r.Started = p.Uri, p.Name, time.Now()
		s.results = append(s.results, r)
		s.mu.Unlock()
		if obs == nil {
			return ctx, nil
		}
		f, err := obs.started(p)
		finished = f
		if err != nil {
			return ctx, st.skip(err.Error())
		}
		return ctx, nil
	})
	sc.StepContext().After(func(ctx context.Context, step *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
		switch status {
		case godog.StepPassed:
		case godog.StepSkipped:
			if errors.Is(err, godog.ErrSkip) && st.skipReason != "" {
				worse(Skipped, st.skipReason)
				ctx = godog.Attach(ctx, godog.Attachment{FileName: SkipReasonName, MediaType: "text/plain", Body: []byte(st.skipReason)})
			} else {
				worse(Skipped, "skipped")
			}
		case godog.StepUndefined:
			worse(Failed, undefinedMessage(step.Text))
		default: // failed, pending, ambiguous
			worse(Failed, fmt.Sprintf("step %q: %v", step.Text, err))
		}
		return ctx, nil
	})
	// err is the scenario's error including the earlier After hooks', such
	// as the cleanup of the tokens the scenario made.
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		if err != nil && !errors.Is(err, godog.ErrSkip) && !errors.Is(err, godog.ErrUndefined) {
			worse(Failed, err.Error())
		}
		s.mu.Lock()
		r.Finished = time.Now()
		s.mu.Unlock()
		if finished != nil {
			s.mu.Lock()
			res := *r
			s.mu.Unlock()
			finished(res)
			finished = nil
		}
		return ctx, nil
	})
}

// undefinedMessage says that a step has no definition and names the
// nearest ones.
func undefinedMessage(text string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "undefined step %q (the steps are listed in conformance/STEPS.md); did you mean:", text)
	for _, s := range Suggest(text) {
		b.WriteString("\n    " + s)
	}
	return b.String()
}
