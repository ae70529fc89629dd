package explore

import (
	"context"
	"io"
	"strings"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
)

// verify runs a finding's repro with the suite against the target, where
// it must fail, and the reference, where it must pass, and records what
// it saw.
func (x *explorer) verify(ctx context.Context, f *Finding) {
	f.ReproOnTarget = runRepro(ctx, x.cfg.Target, f.Repro)
	if x.cfg.Reference != nil {
		f.ReproOnReference = runRepro(ctx, x.cfg.Reference, f.Repro)
	}
}

// runRepro runs a feature with the suite against cfg's target and says
// how its scenario ended: "passed", or "failed: " and why.
func runRepro(ctx context.Context, cfg *conformance.Config, feature string) string {
	c := *cfg
	c.RunID = conformance.NewRunID()
	suite, err := conformance.NewSuite(&c)
	if err != nil {
		return "not run: " + err.Error()
	}
	suite.Run(godog.Options{
		Format:          "progress",
		Output:          io.Discard,
		NoColors:        true,
		Strict:          true,
		DefaultContext:  ctx,
		FeatureContents: []godog.Feature{{Name: "repro.feature", Contents: []byte(feature)}},
	})
	results := suite.Results()
	if len(results) != 1 {
		return "not run: the repro has no scenario"
	}
	r := results[0]
	if r.Outcome == conformance.Passed {
		return "passed"
	}
	return r.Outcome.String() + ": " + strings.TrimSpace(r.Reason)
}
