package explore

import (
	"context"
	"testing"
)

func TestMockAgreesWithMock(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		res, err := Run(context.Background(), Config{
			Target:    mock(t, "http://target.test", nil),
			Reference: mock(t, "http://reference.test", nil),
			Requests:  1000,
			Seed:      seed,
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Findings {
			t.Errorf("seed %d: %s at step %d: %s\nrequest:\n%s\ntarget:\n%s\nreference:\n%s\nrepro:\n%s", seed, f.Family, f.Step, f.Message, f.Request, f.Target, f.Reference, f.Repro)
		}
		t.Logf("seed %d: %d requests, %d replays in %v; judged %v", seed, res.Requests, res.Replays, res.Elapsed, res.Judged)
	}
}

func TestNoBrokenLawOnTheMock(t *testing.T) {
	for _, seed := range []uint64{4, 5, 6, 7, 8, 9} {
		res, err := Run(context.Background(), Config{
			Target:   mock(t, "http://target.test", nil),
			Requests: 3000,
			Seed:     seed,
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Findings {
			t.Errorf("seed %d: %s at step %d: %s\nrequest:\n%s\ntarget:\n%s\nrepro:\n%s", seed, f.Family, f.Step, f.Message, f.Request, f.Target, f.Repro)
		}
		t.Logf("seed %d: %d requests in %v", seed, res.Requests, res.Elapsed)
	}
}
