package explore

import (
	"context"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// cpuTime is the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkExplore measures exploration against the mock, in requests to
// the target per second: in-process (the handler called directly) and over
// loopback TCP, as astra-conformance -explore talks to astra-mock; without
// and with a second mock as reference.
func BenchmarkExplore(b *testing.B) {
	for _, bc := range []struct {
		name     string
		tcp, ref bool
	}{
		{"in-process", false, false},
		{"in-process/reference", false, true},
		{"tcp", true, false},
		{"tcp/reference", true, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			start := func(name string) *conformance.Config {
				if !bc.tcp {
					return mock(b, "http://"+name+".test", nil)
				}
				stack, err := admin.NewStack(admin.Config{})
				if err != nil {
					b.Fatal(err)
				}
				srv := httptest.NewServer(stack.Handler())
				b.Cleanup(srv.Close)
				set, err := fixtures.Default()
				if err != nil {
					b.Fatal(err)
				}
				cfg, err := conformance.ConfigFromFixtures(srv.URL, set)
				if err != nil {
					b.Fatal(err)
				}
				return cfg
			}
			cfg := Config{Target: start("target"), Requests: 2000, Seed: 1}
			if bc.ref {
				cfg.Reference = start("reference")
			}
			var requests int
			var elapsed time.Duration
			cpu0 := cpuTime()
			for b.Loop() {
				cfg.Seed++
				res, err := Run(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Findings) > 0 {
					b.Fatalf("seed %d: %s: %s", cfg.Seed, res.Findings[0].Family, res.Findings[0].Message)
				}
				requests += res.Requests
				elapsed += res.Elapsed
			}
			b.ReportMetric(float64(requests)/elapsed.Seconds(), "requests/s")
			// The machine may be shared: what one core of CPU time buys.
			b.ReportMetric(float64(requests)/(cpuTime()-cpu0).Seconds(), "requests/cpu-s")
		})
	}
}
