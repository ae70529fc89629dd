package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/conformance/explore"
)

// exploreOptions are the flags of -explore.
type exploreOptions struct {
	explore   int
	seed      uint64
	seedSet   bool
	reference string
	repro     string
	rate      float64
	replays   int
}

// exploreRules is what -h says of -explore, after the rules of scenarios.
const exploreRules = `
-explore N: instead of scenarios, N generated requests to the target in
sequences that create tokens and use them, valid and invalid, in both
scopes, as every configured identity, none, a revoked or a run-made
credential. Every answer is judged by the contract, by the answer the
contract prescribes for a request with one known defect (the rules
marked [policy] only with -fixtures, a mock), by the API's laws (a
created token reads back equal, an update is visible, a delete is final,
lists agree with paging, order, filter and include) and, with -reference,
by the answer of the reference (the mock, seeded first through its admin
API with what the target's identities see). The first finding is shrunk to
a minimal sequence and written as a feature (-repro FILE; printed too)
that fails against the target and passes against the reference. Only
tokens named with the run id are made, changed and deleted; all are
deleted at the end, also after Ctrl-C. Exit status: 0 nothing broke,
1 a property broke or the target disagreed, 2 the run could not be carried
out (bad flags, no target, a reference that cannot be seeded).
`

// exploreStopped is what -explore says after Ctrl-C.
const exploreStopped = "no request was sent after it; the run deleted the tokens it made, but for any listed as not deleted"

// exploreFlags adds the flags of -explore to fs.
func exploreFlags(fs *flag.FlagSet, o *exploreOptions) {
	fs.IntVar(&o.explore, "explore", 0, "send `N` generated requests instead of running scenarios (see -explore below)")
	fs.Func("seed", "with -explore: the `SEED` of the request sequence (default a random one; it is always printed)", func(s string) error {
		_, err := fmt.Sscan(s, &o.seed)
		o.seedSet = true
		return err
	})
	fs.StringVar(&o.reference, "reference", "", "with -explore: compare every answer with the implementation at `URL` (the mock, scheme://host[:port])")
	fs.StringVar(&o.repro, "repro", "", "with -explore: write the minimal repro of a finding, a feature file, to `FILE`")
	fs.Float64Var(&o.rate, "rate", 0, "with -explore: at most `R` requests a second to the target (0: no limit)")
	fs.IntVar(&o.replays, "replays", explore.DefaultReplays, "with -explore: at most `N` replays to shrink a finding")
}

// checkExploreFlags refuses what -explore cannot do.
func checkExploreFlags(o *options) error {
	e := o.exploreOptions
	if e.explore == 0 {
		for _, set := range []bool{e.seedSet, e.reference != "", e.repro != "", e.rate != 0} {
			if set {
				return errors.New("-seed, -reference, -repro and -rate go with -explore N")
			}
		}
		return nil
	}
	switch {
	case e.explore < 0:
		return fmt.Errorf("-explore %d: want 1 or more requests", e.explore)
	case e.rate < 0:
		return fmt.Errorf("-rate %v: want 0 (no limit) or more", e.rate)
	case e.replays < 0:
		return fmt.Errorf("-replays %d: want 0 or more", e.replays)
	case o.cleanup:
		return errors.New("-cleanup and -explore do not go together")
	case o.featuresDir != "" || o.tags != "":
		return errors.New("-explore runs no scenarios: -features and -tags do not go with it")
	}
	if e.reference != "" {
		if err := checkBaseURL("-reference", e.reference); err != nil {
			return err
		}
	}
	return nil
}

// runExplore is the command with -explore.
func runExplore(ctx context.Context, o *options, cfg *conformance.Config, stdout, stderr io.Writer) int {
	e := o.exploreOptions
	report := stdout
	if o.out == "" && (o.format == "junit" || o.format == "cucumber") {
		report = stderr
	}
	if err := checkTarget(ctx, cfg); err != nil {
		fmt.Fprintln(stderr, "astra-conformance:", err)
		return exitUsage
	}
	if cfg.RunID == "" {
		cfg.RunID = conformance.NewRunID()
	}
	if !e.seedSet {
		e.seed = rand.Uint64() >> 1
	}
	xc := explore.Config{Target: cfg, Requests: e.explore, Seed: e.seed, Rate: e.rate, Replays: e.replays, Deployment: o.fixtures == ""}
	if xc.Replays == 0 {
		xc.Replays = -1 // -replays 0: no shrinking, not the default
	}
	against := ""
	if e.reference != "" {
		ref := *cfg
		ref.BaseURL = strings.TrimSuffix(e.reference, "/")
		if err := explore.SeedReference(ctx, cfg, &ref, os.Getenv("ASTRA_MOCK_ADMIN_TOKEN")); err != nil {
			fmt.Fprintln(stderr, "astra-conformance:", err)
			return exitUsage
		}
		xc.Reference = &ref
		against = ", reference " + ref.BaseURL + " (seeded with what the target's identities see)"
	}
	fmt.Fprintf(report, "astra-conformance: exploring %s with %d requests, seed %d, run id %s%s, identities: %s\n",
		cfg.BaseURL, e.explore, e.seed, cfg.RunID, against, describeIdentities(cfg))
	if isTerminal(stderr) {
		last := time.Time{}
		xc.Progress = func(done, total, findings int) {
			if now := time.Now(); now.Sub(last) > 100*time.Millisecond || done == total {
				last = now
				fmt.Fprintf(stderr, "\rexplore: %d/%d requests, %d findings ", done, total, findings)
			}
		}
	}
	res, err := explore.Run(ctx, xc)
	if xc.Progress != nil {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "astra-conformance:", err)
		if res != nil {
			reportLeftovers(stderr, res)
		}
		return exitUsage
	}
	code := exitPass
	for _, f := range res.Findings {
		code = exitFail
		if e.repro != "" {
			if err := os.WriteFile(e.repro, []byte(f.Repro), 0o644); err != nil {
				fmt.Fprintln(stderr, "astra-conformance: -repro:", err)
			} else {
				f.ReproPath = e.repro
			}
		}
	}
	writeExploreSummary(report, res)
	reportLeftovers(report, res)
	if o.format == "junit" || o.format == "cucumber" {
		if err := writeExploreReport(o, res, stdout); err != nil {
			fmt.Fprintln(stderr, "astra-conformance:", err)
			return exitUsage
		}
	}
	return code
}

// writeExploreSummary writes what the run did and found.
func writeExploreSummary(w io.Writer, res *explore.Result) {
	fmt.Fprintf(w, "\nContract coverage (documented statuses observed per operation):\n%s", conformance.FormatCoverage(res.Coverage))
	fmt.Fprintf(w, "\nProperties (answers judged):\n")
	for _, f := range explore.Families() {
		state := "held"
		for _, x := range res.Findings {
			if x.Family == f {
				state = "BROKEN"
			}
		}
		fmt.Fprintf(w, "  %-44s %6d  %s\n", f, res.Judged[f], state)
	}
	for _, f := range res.Findings {
		fmt.Fprintf(w, "\nFinding: %s\n  %s\n", f.Family, indent(f.Message, "  "))
		fmt.Fprintf(w, "\n  Request:\n    %s\n", indent(f.Request, "    "))
		fmt.Fprintf(w, "\n  Target answered:\n    %s\n", indent(f.Target, "    "))
		if f.Reference != "" {
			fmt.Fprintf(w, "\n  Reference answered:\n    %s\n", indent(f.Reference, "    "))
		}
		fmt.Fprintf(w, "\n  Repro (%d steps", len(f.Sequence))
		if f.ReproPath != "" {
			fmt.Fprintf(w, ", written to %s", f.ReproPath)
		}
		fmt.Fprintf(w, "):\n\n%s\n", f.Repro)
		fmt.Fprintf(w, "  The repro against the target: %s\n", firstLineOf(f.ReproOnTarget))
		if f.ReproOnReference != "" {
			fmt.Fprintf(w, "  The repro against the reference: %s\n", firstLineOf(f.ReproOnReference))
		}
	}
	fmt.Fprintf(w, "\n%d requests, %d replays to shrink, in %v (seed %d, run id %s): %d findings\n",
		res.Requests, res.Replays, res.Elapsed.Round(time.Millisecond), res.Seed, res.RunID, len(res.Findings))
}

func reportLeftovers(w io.Writer, res *explore.Result) {
	if len(res.Leftovers) == 0 {
		return
	}
	fmt.Fprintf(w, "\nNot deleted (astra-conformance -cleanup finds them):\n")
	for _, l := range res.Leftovers {
		fmt.Fprintf(w, "  - %s\n", l)
	}
}

func indent(s, prefix string) string { return strings.ReplaceAll(s, "\n", "\n"+prefix) }

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// writeExploreReport writes the run as a JUnit or Cucumber report: one
// case per property family, failed with the finding and its repro.
func writeExploreReport(o *options, res *explore.Result, stdout io.Writer) error {
	var results []conformance.ScenarioResult
	feature := conformance.Feature{URI: "explore", Keyword: "Feature", Name: "Exploration"}
	now := time.Now()
	for i, fam := range explore.Families() {
		r := conformance.ScenarioResult{Feature: feature, Keyword: "Scenario", Name: string(fam), Line: i + 1, Started: now.Add(-res.Elapsed), Finished: now}
		step := conformance.StepResult{Keyword: "Then ", Text: fmt.Sprintf("%d answers judged", res.Judged[fam]), Line: i + 1}
		for _, f := range res.Findings {
			if f.Family == fam {
				r.Outcome = conformance.Failed
				r.Reason = fmt.Sprintf("%s\nrequest:\n%s\ntarget:\n%s\nrepro (%s):\n%s", f.Message, f.Request, f.Target, f.ReproPath, f.Repro)
				step.Error = r.Reason
			}
		}
		if r.Outcome == conformance.Failed {
			step.Status = godog.StepFailed
		}
		r.Steps = []conformance.StepResult{step}
		results = append(results, r)
	}
	return writeOut(o.out, stdout, func(w io.Writer) error { return conformance.WriteReport(w, o.format, results) })
}
