package explore

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// TestRateSpacesEveryRequestToTheTarget: with Rate, every request to the
// target (the exploration's and the cleanup's) waits its turn, one per
// 1/Rate seconds, and none waits longer. On synctest's clock, which moves
// only while every goroutine waits, the run takes exactly n-1 intervals
// for n requests.
func TestRateSpacesEveryRequestToTheTarget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// A mock of its own, made in the bubble, not one the other tests
		// share.
		stack, err := admin.NewStack(admin.Config{})
		if err != nil {
			t.Fatal(err)
		}
		var sent atomic.Int64
		count := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sent.Add(1)
			stack.Handler().ServeHTTP(w, r)
		})
		start := time.Now()
		res, err := Run(context.Background(), Config{Target: configFor(t, "http://target.test", count), Requests: 40, Seed: 7, Rate: 20})
		if err != nil {
			t.Fatal(err)
		}
		report(t, res)
		n := sent.Load()
		if took, want := time.Since(start), time.Duration(n-1)*50*time.Millisecond; took != want {
			t.Errorf("%d requests at 20 a second took %v, want %v", n, took, want)
		}
	})
}
