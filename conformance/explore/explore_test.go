package explore

import (
	"context"
	"flag"
	"fmt"
	"testing"
)

var (
	requests = flag.Int("explore.requests", 400, "requests per seed of TestMockAgreesWithMock and TestNoBrokenLawOnTheMock")
	seeds    = flag.Int("explore.seeds", 3, "seeds each of those tests tries")
)

// TestMockAgreesWithMock: the mock, explored with a second mock as the
// reference, agrees with it on every answer. With -args
// -explore.requests=10000 -explore.seeds=5 it is the acceptance
// run.
func TestMockAgreesWithMock(t *testing.T) {
	t.Parallel()
	for seed := range uint64(*seeds) {
		t.Run(fmt.Sprint("seed ", 1+seed), func(t *testing.T) {
			res, err := Run(context.Background(), Config{
				Target:    mock(t, "http://target.test", nil),
				Reference: mock(t, "http://reference.test", nil),
				Requests:  *requests,
				Seed:      1 + seed,
			})
			if err != nil {
				t.Fatal(err)
			}
			report(t, res)
		})
	}
}

// TestNoBrokenLawOnTheMock: explored without a reference, the mock breaks
// no property.
func TestNoBrokenLawOnTheMock(t *testing.T) {
	t.Parallel()
	for seed := range uint64(*seeds) {
		t.Run(fmt.Sprint("seed ", 100+seed), func(t *testing.T) {
			res, err := Run(context.Background(), Config{
				Target:   mock(t, "http://target.test", nil),
				Requests: *requests,
				Seed:     100 + seed,
			})
			if err != nil {
				t.Fatal(err)
			}
			report(t, res)
		})
	}
}

// report fails the test with each finding of res, and logs what the run
// judged.
func report(t *testing.T, res *Result) {
	t.Helper()
	for _, f := range res.Findings {
		t.Errorf("seed %d: %s at step %d: %s\nrequest:\n%s\ntarget:\n%s\nreference:\n%s\nrepro:\n%s",
			res.Seed, f.Family, f.Step, f.Message, f.Request, f.Target, f.Reference, f.Repro)
	}
	if len(res.Leftovers) > 0 {
		t.Errorf("seed %d: the cleanup left %v", res.Seed, res.Leftovers)
	}
	if res.Requests == 0 || res.Judged[FamilyContract] < res.Requests {
		t.Errorf("seed %d: %d requests, %d judged by the contract", res.Seed, res.Requests, res.Judged[FamilyContract])
	}
	t.Logf("seed %d: %d requests in %v; answers judged per property: %v", res.Seed, res.Requests, res.Elapsed, res.Judged)
}
