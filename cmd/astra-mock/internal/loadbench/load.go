package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The member of account A and one of its credentials (schemas/CONTRACT.md §8).
const (
	account = "5cef50e1-a468-4f74-98a6-832d4fd76096"
	user    = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b"
	bearer  = "mock-snapshot-taker"
)

// request is one request to send; a body is sent as JSON.
type request struct {
	method, url string
	body        []byte
}

// list and create make the i-th request of a load on the server at base:
// the member's token list, and a valid create (schemas/create-request.json)
// with a name of its own.
func list(base string, _ int64) request {
	return request{http.MethodGet, base + "/accounts/" + account + "/core/v1/users/" + user + "/tokens", nil}
}

func create(base string, i int64) request {
	body := fmt.Appendf(nil, `{"type":"application/astra-token","version":"1.0","name":"load %d"}`, i)
	return request{http.MethodPost, list(base, i).url, body}
}

// send sends r as the member and reads the answer to the end into w (nil:
// dropped). An answer outside 2xx is an error naming its status and the
// start of its body.
func (b *bench) send(ctx context.Context, c *http.Client, r request, w io.Writer) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, bytes.NewReader(r.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+bearer)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
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

// result is what a load measured.
type result struct {
	latencies  []time.Duration // of every request sent, sorted
	errors     int64
	firstError error
	elapsed    time.Duration
}

func (r result) perSecond() float64 { return float64(len(r.latencies)) / r.elapsed.Seconds() }

// percentile is the latency below which a fraction q of the requests
// finished (nearest rank).
func (r result) percentile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(r.latencies)))) - 1
	return r.latencies[max(i, 0)]
}

// drive sends requests (the i-th is at(i)) from -concurrency
// workers, each one request at a time, on the load client, until d has
// passed or n requests were sent or ctx is done, and times every request.
func (b *bench) drive(ctx context.Context, d time.Duration, n int64, at func(i int64) request) result {
	var (
		next atomic.Int64 // the index of the next request
		mu   sync.Mutex   // guards res
		res  result
		wg   sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for range b.concurrency {
		wg.Go(func() {
			var latencies []time.Duration
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := next.Add(1) - 1
				if i >= n {
					break
				}
				t0 := time.Now()
				_, err := b.send(ctx, b.load, at(i), nil)
				latencies = append(latencies, time.Since(t0))
				if err != nil {
					mu.Lock()
					if res.errors++; res.firstError == nil {
						res.firstError = err
					}
					mu.Unlock()
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, latencies...)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.latencies)
	return res
}
