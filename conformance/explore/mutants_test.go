package explore

import (
	"context"
	"encoding/json"
	"flag"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/conformance/internal/mutant"
	"github.com/astra-contract/astra-token-kit/fixtures"
)

var lawsOnly = flag.Bool("explore.laws-only", false,
	"TestMutantsCaughtByExploration: explore without a reference, by the contract and the laws alone, and only report how many mutants are caught")

// TestMutantsCaughtByExploration: exploration alone, with no feature
// file, catches the mutants of conformance/internal/mutant (the mock, each
// with one rule of schemas/CONTRACT.md broken) within 2,000 requests,
// comparing with the real mock as reference; each repro it writes fails
// against the mutant and passes against the real mock. At least 90% must
// be caught.
func TestMutantsCaughtByExploration(t *testing.T) {
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	mutants := mutant.All(set)
	var (
		mu       sync.Mutex
		ran      int
		survived []string
	)
	t.Run("mutant", func(t *testing.T) {
		for _, m := range mutants {
			t.Run(m.Name, func(t *testing.T) {
				t.Parallel()
				mu.Lock()
				ran++
				mu.Unlock()
				target := takeMock(t)
				cfg := Config{Target: configFor(t, "http://target.test", m.Wrap(target.Handler())), Requests: 2000, Seed: 1}
				if !*lawsOnly {
					cfg.Reference = mock(t, "http://reference.test", nil)
				}
				res, err := Run(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				// The run deleted what it made, whatever the mutant answered.
				if state, _ := json.Marshal(target.Server.State()); strings.Contains(string(state), `"name":"`+res.RunID+" ") {
					t.Errorf("tokens named with the run id %s are left on the mutant", res.RunID)
				}
				if len(res.Findings) == 0 {
					mu.Lock()
					survived = append(survived, m.Name)
					mu.Unlock()
					t.Logf("SURVIVED %d requests (%v): %s", res.Requests, res.Elapsed.Round(time.Millisecond), m.Rule)
					return
				}
				f := res.Findings[0]
				t.Logf("caught at request %d, shrunk in %d replays to %d steps, in %v: %s: %s",
					res.Requests, res.Replays, len(f.Sequence), res.Elapsed.Round(time.Millisecond), f.Family, firstLine(f.Message))
				if !strings.HasPrefix(f.ReproOnTarget, "failed") || !*lawsOnly && f.ReproOnReference != "passed" {
					t.Errorf("the repro should fail against the mutant and pass against the mock:\n  mutant: %s\n  mock:   %s\n%s",
						f.ReproOnTarget, f.ReproOnReference, f.Repro)
				}
			})
		}
	})
	if caught := ran - len(survived); 10*caught < 9*ran && !*lawsOnly {
		t.Errorf("%d of %d mutants caught, want at least 90%%; survived: %v", caught, ran, survived)
	} else {
		t.Logf("%d of %d mutants caught; survived: %v", caught, ran, survived)
	}
}
