package explore

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/conformance/internal/mutant"
	"github.com/astra-contract/astra-token-kit/fixtures"
)

// TestMutantsCaughtByExploration: exploration alone, with no feature
// file, catches the mutants of conformance/internal/mutant (the mock,
// each with one rule of schemas/CONTRACT.md broken) within 2,000 requests,
// comparing with the real mock as reference; each repro it writes fails
// against the mutant and passes against the real mock.
func TestMutantsCaughtByExploration(t *testing.T) {
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	mutants := mutant.All(set)
	var caught, survived []string
	for _, m := range mutants {
		res, err := Run(context.Background(), Config{
			Target:    mock(t, "http://target.test", m.Wrap),
			Reference: mock(t, "http://reference.test", nil),
			Requests:  2000,
			Seed:      1,
		})
		if err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if len(res.Findings) == 0 {
			survived = append(survived, m.Name)
			t.Logf("%s SURVIVED %d requests", m.Name, res.Requests)
			continue
		}
		f := res.Findings[0]
		caught = append(caught, m.Name)
		t.Logf("%s caught at request %d (%d replays, %d steps): %s: %s\n  target: %s\n  reference: %s",
			m.Name, res.Requests, res.Replays, len(f.Sequence), f.Family, firstLine(f.Message), firstLine(f.ReproOnTarget), f.ReproOnReference)
		if !strings.HasPrefix(f.ReproOnTarget, "failed") || f.ReproOnReference != "passed" {
			t.Errorf("%s: the repro should fail against the mutant and pass against the mock:\n%s", m.Name, f.Repro)
		}
	}
	rate := float64(len(caught)) / float64(len(mutants))
	t.Log(fmt.Sprintf("%d of %d mutants caught (%.0f%%); survived: %v", len(caught), len(mutants), 100*rate, survived))
	if rate < 0.9 {
		t.Errorf("%.0f%% of the mutants caught, want at least 90%%", 100*rate)
	}
}
