package conformance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"
)

// Outcome is how a scenario ended.
type Outcome int

// The outcomes, from best to worst: a scenario's outcome is the worst of
// its steps' (and a failing After hook, such as the deletion of the tokens
// it made, fails it). Every outcome after Skipped fails the run.
const (
	Passed Outcome = iota
	Skipped
	Pending   // a step is not implemented yet (godog.ErrPending)
	Undefined // a step matches no step of the library
	Failed
)

// String returns "passed", "skipped", "pending", "undefined" or "failed".
func (o Outcome) String() string {
	if o < Passed || o > Failed {
		o = Failed
	}
	return [...]string{"passed", "skipped", "pending", "undefined", "failed"}[o]
}

// Feature is the feature file a scenario comes from.
type Feature struct {
	URI     string // the file, as godog names it
	Keyword string // "Feature", in the file's language
	Name    string
	Line    int
}

// ScenarioResult is the outcome of one scenario of a run.
type ScenarioResult struct {
	// Feature is the scenario's feature. Its name, the keywords and lines
	// are known when the scenario ran through Suite.Run or Suite.Test;
	// run by godog directly, only the URI is.
	Feature Feature
	Keyword string   // "Scenario", "Scenario Outline", ...
	Name    string   // the scenario's name, as godog gives it
	Line    int      // of the scenario, or of its row of examples
	Tags    []string // its own, its feature's and its examples'
	Outcome Outcome
	// Reason says why a scenario was skipped ("no admin identity is
	// configured") or how it failed (the first failing step and its
	// error); empty for a pass.
	Reason string
	// Started and Finished are when its first step began and when its
	// outcome was known.
	Started, Finished time.Time
	Steps             []StepResult

	order int // godog's pickle id: the scenarios of a file in the order written
}

// StepResult is the outcome of one step of a scenario.
type StepResult struct {
	Keyword string // "Given ", "When ", ... as written
	Text    string
	Line    int
	Status  godog.StepResultStatus
	// Error is how the step failed, or why it was skipped (on the step
	// that skipped the scenario).
	Error    string
	Duration time.Duration
	// The step's argument, if any: a data table or a doc string.
	Rows      [][]string
	DocString *DocString
}

// DocString is the doc string argument of a step.
type DocString struct {
	Content, MediaType string
	Line               int
}

// Results returns the outcome of every scenario started so far, sorted by
// feature file and, within a file, in the order written.
func (s *Suite) Results() []ScenarioResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copyResults(s.results)
}

// copyResults copies rs, s.mu held, sorted as Results sorts them.
func copyResults(rs []*ScenarioResult) []ScenarioResult {
	out := make([]ScenarioResult, len(rs))
	for i, r := range rs {
		out[i] = *r
		out[i].Tags = slices.Clone(r.Tags)
		out[i].Steps = slices.Clone(r.Steps)
	}
	slices.SortStableFunc(out, func(a, b ScenarioResult) int {
		return cmp.Or(strings.Compare(a.Feature.URI, b.Feature.URI), cmp.Compare(a.order, b.order))
	})
	return out
}

// Counts returns how many scenarios of Results passed, failed (pending and
// undefined included) and were skipped.
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

// record adds the hooks that keep the outcome of the scenario st runs and
// of its steps. It is called after the suite's own hooks are registered,
// so that its After hook sees the error of the cleanup.
func (s *Suite) record(sc *godog.ScenarioContext, st *scenario, obs *subtests) {
	var (
		r         = &ScenarioResult{}
		file      *featureIndex
		finished  func(ScenarioResult)
		stepStart time.Time
	)
	worse := func(o Outcome, reason string) {
		if o > r.Outcome {
			r.Outcome, r.Reason = o, reason
		}
	}
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		s.mu.Lock()
		file = s.features[p.Uri]
		*r = *file.result(p)
		r.Started = time.Now()
		s.results = append(s.results, r)
		s.mu.Unlock()
		if obs != nil {
			var why string
			if finished, why = obs.started(p); why != "" {
				return ctx, st.skip(why)
			}
		}
		return ctx, nil
	})
	sc.StepContext().Before(func(ctx context.Context, step *godog.Step) (context.Context, error) {
		if step.Id == "" { // a step run by another (godog.Steps): not the feature's
			return ctx, nil
		}
		s.mu.Lock()
		r.Steps = append(r.Steps, file.step(step))
		s.mu.Unlock()
		stepStart = time.Now()
		return ctx, nil
	})
	sc.StepContext().After(func(ctx context.Context, step *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
		if step.Id == "" || len(r.Steps) == 0 {
			return ctx, nil
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		res := &r.Steps[len(r.Steps)-1]
		res.Status, res.Duration = status, time.Since(stepStart)
		switch status {
		case godog.StepPassed:
		case godog.StepSkipped:
			reason := "skipped"
			if errors.Is(err, godog.ErrSkip) {
				if reason = st.skipReason; reason == "" {
					reason = err.Error()
				}
				res.Error = reason
			}
			worse(Skipped, reason)
		case godog.StepUndefined:
			res.Error = undefinedMessage(step.Text)
			worse(Undefined, res.Error)
		case godog.StepPending:
			res.Error = err.Error()
			worse(Pending, fmt.Sprintf("step %q: %v", step.Text, err))
		default: // failed, ambiguous
			res.Error = err.Error()
			worse(Failed, fmt.Sprintf("step %q: %v", step.Text, err))
		}
		return ctx, nil
	})
	// err is the scenario's error including the earlier After hooks', such
	// as the cleanup of the tokens the scenario made.
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		s.mu.Lock()
		if err != nil && !errors.Is(err, godog.ErrSkip) && !errors.Is(err, godog.ErrUndefined) && !errors.Is(err, godog.ErrPending) && r.Outcome < Failed {
			// A failing After hook: godog reports it as the last step's
			// error, and so do the reports.
			worse(Failed, err.Error())
			if n := len(r.Steps); n > 0 {
				r.Steps[n-1].Status, r.Steps[n-1].Error = godog.StepFailed, err.Error()
			}
		}
		r.Finished = time.Now()
		res := *r
		s.mu.Unlock()
		if finished != nil {
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

// featureIndex is what the results take from a feature file that godog's
// scenarios and steps do not carry: the feature's name, and the keywords
// and lines of scenarios, rows of examples and steps, by the id godog's
// scenarios and steps refer to them with (AstNodeIds).
type featureIndex struct {
	doc   Feature
	nodes map[string]node
}

type node struct {
	keyword       string
	line, docLine int
}

// indexFeature indexes one parsed feature file.
func indexFeature(doc *godog.GherkinDocument) *featureIndex {
	f := doc.Feature
	x := &featureIndex{
		doc:   Feature{URI: doc.Uri, Keyword: f.Keyword, Name: f.Name, Line: int(f.Location.Line)},
		nodes: map[string]node{},
	}
	// The feature's backgrounds and scenarios, and its rules'.
	var children []*messages.RuleChild
	for _, c := range f.Children {
		children = append(children, &messages.RuleChild{Background: c.Background, Scenario: c.Scenario})
		if c.Rule != nil {
			children = append(children, c.Rule.Children...)
		}
	}
	for _, c := range children {
		var steps []*messages.Step
		if c.Background != nil {
			steps = c.Background.Steps
		}
		if sc := c.Scenario; sc != nil {
			x.nodes[sc.Id] = node{keyword: sc.Keyword, line: int(sc.Location.Line)}
			steps = sc.Steps
			for _, ex := range sc.Examples {
				for _, row := range ex.TableBody {
					x.nodes[row.Id] = node{line: int(row.Location.Line)}
				}
			}
		}
		for _, st := range steps {
			n := node{keyword: st.Keyword, line: int(st.Location.Line)}
			if st.DocString != nil {
				n.docLine = int(st.DocString.Location.Line)
			}
			x.nodes[st.Id] = n
		}
	}
	return x
}

// result returns the result of a scenario of x's file that has not run
// yet; x may be nil (the file is not known).
func (x *featureIndex) result(p *godog.Scenario) *ScenarioResult {
	r := &ScenarioResult{Feature: Feature{URI: p.Uri}, Name: p.Name}
	r.order, _ = strconv.Atoi(p.Id)
	for _, t := range p.Tags {
		r.Tags = append(r.Tags, t.Name)
	}
	if x == nil || len(p.AstNodeIds) == 0 {
		return r
	}
	// The scenario's line, or for an outline its row of examples'.
	n := x.nodes[p.AstNodeIds[0]]
	r.Feature, r.Keyword, r.Line = x.doc, n.keyword, n.line
	if len(p.AstNodeIds) > 1 {
		r.Line = x.nodes[p.AstNodeIds[1]].line
	}
	return r
}

// step returns the result of a step that has not run yet.
func (x *featureIndex) step(step *godog.Step) StepResult {
	var n node
	if x != nil && len(step.AstNodeIds) > 0 {
		n = x.nodes[step.AstNodeIds[0]]
	}
	res := StepResult{Keyword: n.keyword, Text: step.Text, Line: n.line}
	if arg := step.Argument; arg != nil {
		if arg.DataTable != nil {
			for _, row := range arg.DataTable.Rows {
				var cells []string
				for _, c := range row.Cells {
					cells = append(cells, c.Value)
				}
				res.Rows = append(res.Rows, cells)
			}
		}
		if arg.DocString != nil {
			res.DocString = &DocString{Content: arg.DocString.Content, MediaType: arg.DocString.MediaType, Line: n.docLine}
		}
	}
	return res
}
