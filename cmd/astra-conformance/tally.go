package main

import (
	"context"
	"errors"
	"sort"
	"sync"

	"github.com/cucumber/godog"
)

// tally records each scenario's outcome from godog's hooks: godog's exit
// status alone does not tell a pass from a skip, nor says how many ran.
type tally struct {
	mu      sync.Mutex
	results []*result
}

type outcome int

const (
	passed outcome = iota
	skipped
	failed
)

type result struct {
	name, uri string
	outcome   outcome
}

// observe adds the hooks to one scenario's context; godog calls the
// scenario initializer once per scenario, so the closure is per scenario.
func (t *tally) observe(sc *godog.ScenarioContext) {
	r := &result{}
	worse := func(o outcome) {
		t.mu.Lock()
		r.outcome = max(r.outcome, o)
		t.mu.Unlock()
	}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		t.mu.Lock()
		r.name, r.uri = p.Name, p.Uri
		t.results = append(t.results, r)
		t.mu.Unlock()
		return ctx, nil
	})
	sc.StepContext().After(func(ctx context.Context, _ *godog.Step, status godog.StepResultStatus, _ error) (context.Context, error) {
		switch status {
		case godog.StepPassed:
		case godog.StepSkipped:
			worse(skipped)
		default: // failed, undefined, pending, ambiguous
			worse(failed)
		}
		return ctx, nil
	})
	// err is the scenario's error including earlier After hooks, such as
	// the suite's cleanup of the tokens the scenario made.
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		if err != nil && !errors.Is(err, godog.ErrSkip) {
			worse(failed)
		}
		return ctx, nil
	})
}

func (t *tally) counts() (pass, fail, skip int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, r := range t.results {
		switch r.outcome {
		case passed:
			pass++
		case failed:
			fail++
		case skipped:
			skip++
		}
	}
	return
}

func (t *tally) failedNames() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, r := range t.results {
		if r.outcome == failed {
			out = append(out, r.uri+": "+r.name)
		}
	}
	sort.Strings(out)
	return out
}
