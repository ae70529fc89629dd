package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// maxSamples bounds the latencies kept per load (8 MiB); past it each
	// worker keeps a uniform sample of its own (reservoir sampling).
	maxSamples = 1 << 20
	// maxLoadRequests bounds a timed load in count as well (10 s at
	// 100,000 req/s is a million).
	maxLoadRequests = 1 << 30
)

// request is one kind of request of a load; body, if set, makes the body of
// the i-th request.
type request struct {
	method, url string
	header      http.Header
	body        func(i int64) []byte
}

func (r request) new(ctx context.Context, i int64) (*http.Request, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body(i))
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return nil, err
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	return req, nil
}

// send does the i-th request and reads its answer to the end into w (nil:
// dropped). An answer outside 2xx is an error naming its status and the
// start of its body.
func send(ctx context.Context, c *http.Client, r request, i int64, w io.Writer) (int64, error) {
	req, err := r.new(ctx, i)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		start, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		io.Copy(io.Discard, resp.Body)
		return 0, fmt.Errorf("%s %s answered %s: %s", r.method, req.URL.Path, resp.Status, strings.TrimSpace(string(start)))
	}
	if w == nil {
		w = io.Discard
	}
	return io.Copy(w, resp.Body)
}

// limits bound a load in time and in count: it stops at whichever comes first.
type limits struct {
	duration time.Duration
	requests int64
}

// result is what a load measured.
type result struct {
	requests, errors int64
	elapsed          time.Duration
	latencies        []time.Duration // sorted, at most maxSamples
	firstError       error
	serverCPU        time.Duration // of the server's process, if it was measured
}

func (r result) perSecond() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.requests) / r.elapsed.Seconds()
}

// percentile is the latency below which a fraction q of the sampled
// requests finished (nearest rank).
func (r result) percentile(q float64) time.Duration {
	n := len(r.latencies)
	if n == 0 {
		return 0
	}
	i := int(q*float64(n)+0.999999) - 1
	return r.latencies[min(max(i, 0), n-1)]
}

// drive sends r from workers goroutines, each one request at a time, until
// lim is reached or ctx is done, and times every request.
func drive(ctx context.Context, c *http.Client, r request, workers int, lim limits) result {
	var (
		next     atomic.Int64 // the index of the next request
		sent     atomic.Int64
		errs     atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	samples := make([][]time.Duration, workers)
	perWorker := max(maxSamples/workers, 1)
	start := time.Now()
	deadline := start.Add(lim.duration)
	for w := range workers {
		wg.Go(func() {
			var seen int64
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := next.Add(1) - 1
				if i >= lim.requests {
					return
				}
				t0 := time.Now()
				_, err := send(ctx, c, r, i, nil)
				d := time.Since(t0)
				sent.Add(1)
				if err != nil {
					errs.Add(1)
					errOnce.Do(func() { firstErr = err })
				}
				seen++
				if len(samples[w]) < perWorker {
					samples[w] = append(samples[w], d)
				} else if j := rand.Int64N(seen); j < int64(perWorker) {
					samples[w][j] = d
				}
			}
		})
	}
	wg.Wait()
	res := result{requests: sent.Load(), elapsed: time.Since(start), errors: errs.Load(), firstError: firstErr}
	for _, s := range samples {
		res.latencies = append(res.latencies, s...)
	}
	slices.Sort(res.latencies)
	return res
}
