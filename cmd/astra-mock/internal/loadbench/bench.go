package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	// requestTimeout bounds one request, and the creates of the memory phase.
	requestTimeout = 5 * time.Minute
	// startTimeout is how long a mock may take to answer after exec.
	startTimeout = 30 * time.Second
	// stopTimeout is how long a mock may take to stop after SIGTERM before it
	// is killed; the mock is started with a shorter -shutdown-timeout.
	stopTimeout = 5 * time.Second
)

// bench is one run: its settings (the flags), the clients it measures
// with, and the report it writes.
type bench struct {
	mock, proxy                 string // the binaries; proxy "": not measured
	duration, warmup            time.Duration
	concurrency, tokens, starts int

	load   *http.Client // keeps -concurrency connections alive
	once   *http.Client // a new connection for each request, as a fresh client would
	out    io.Writer
	errors int64 // requests that failed
}

// startMock execs the mock on a free port of 127.0.0.1 and waits for its
// first 200 on the member's token list; it returns the time from exec to
// that answer.
func (b *bench) startMock(ctx context.Context) (*process, time.Duration, error) {
	return b.launch(ctx, "the mock", b.mock, func(addr string) []string {
		return []string{"-addr", addr, "-log", "none", "-shutdown-timeout", "2s"}
	})
}

// startProxy execs the validating proxy (astra-conformance -proxy) on a
// free port of 127.0.0.1 in front of the mock at target, and waits for its
// first 200 on the member's token list.
func (b *bench) startProxy(ctx context.Context, target string) (*process, error) {
	p, _, err := b.launch(ctx, "the proxy", b.proxy, func(addr string) []string {
		return []string{"-proxy", addr, "-target", target, "-timeout", "10s"}
	})
	return p, err
}

// launch execs path with args(a free address of 127.0.0.1) and waits for
// its first 200 on the member's token list; it returns the time from exec
// to that answer.
func (b *bench) launch(ctx context.Context, what, path string, args func(addr string) []string) (*process, time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a free port, for the server to take
	if err != nil {
		return nil, 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	began := time.Now()
	p, err := start(path, args(addr)...)
	if err != nil {
		return nil, 0, fmt.Errorf("starting %s: %w", what, err)
	}
	p.base = "http://" + addr
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	for {
		_, err := b.send(ctx, b.once, list(p.base, 0), nil)
		if err == nil {
			return p, time.Since(began), nil
		}
		select {
		case <-p.exited:
			return nil, 0, fmt.Errorf("%s exited before answering (%v): %s", what, p.cmd.ProcessState, strings.TrimSpace(p.stderr.String()))
		case <-ctx.Done():
			b.stop(p)
			return nil, 0, fmt.Errorf("no 200 on GET list within %v of exec: %w", startTimeout, err)
		case <-time.After(time.Millisecond):
		}
	}
}

// stop stops a mock (or the proxy) and reports one that had to be killed.
func (b *bench) stop(p *process) {
	if err := p.stop(stopTimeout); err != nil {
		fmt.Fprintf(b.out, "note: %s %v\n", p.cmd.Path, err)
	}
}

// startup starts the mock -starts times and prints the median time from
// exec to the first 200 on the member's token list.
func (b *bench) startup(ctx context.Context) error {
	if b.starts == 0 {
		return nil
	}
	var times []time.Duration
	for range b.starts {
		p, took, err := b.startMock(ctx)
		if err != nil {
			return err
		}
		b.stop(p)
		times = append(times, took)
	}
	slices.Sort(times)
	n := len(times)
	median := (times[(n-1)/2] + times[n/2]) / 2
	fmt.Fprintf(b.out, "startup, exec to the first 200 on GET list: %.1f ms (median of %d; min %.1f, max %.1f)\n\n",
		ms(median), n, ms(times[0]), ms(times[n-1]))
	return nil
}

// compare runs a load of req against a fresh mock, then (with -proxy)
// against the same mock through the validating proxy, then against a bare
// server that answers status and the body the mock answered, and prints a
// row for each.
func (b *bench) compare(ctx context.Context, name string, status int, req func(base string, i int64) request) error {
	p, _, err := b.startMock(ctx)
	if err != nil {
		return err
	}
	var body bytes.Buffer
	b.send(ctx, b.load, req(p.base, 0), &body) // if it fails, the load says why
	mock := b.warmAndMeasure(ctx, p.base, req)
	var proxied, forwarded result
	if b.proxy != "" && ctx.Err() == nil {
		front, err := b.startProxy(ctx, p.base)
		if err != nil {
			b.stop(p)
			return err
		}
		proxied = b.warmAndMeasure(ctx, front.base, req)
		b.stop(front)
		forwarded, err = b.forward(ctx, p.base, req)
		if err != nil {
			b.stop(p)
			return err
		}
	}
	b.stop(p)
	if ctx.Err() != nil {
		return ctx.Err()
	}

	// The reference: plain net/http in this process, no routing, no
	// authentication, no state, no encoding, one prebuilt answer.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	contentType, length := []string{"application/json"}, []string{strconv.Itoa(body.Len())}
	bare := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		h["Content-Type"], h["Content-Length"] = contentType, length
		w.WriteHeader(status)
		w.Write(body.Bytes())
	})}
	go bare.Serve(ln)
	ref := b.warmAndMeasure(ctx, "http://"+ln.Addr().String(), req)
	bare.Close()

	b.printLoad(name, "astra-mock", mock, fmt.Sprintf("  %.0f%% of bare", 100*mock.perSecond()/ref.perSecond()))
	if b.proxy != "" {
		for _, r := range []struct {
			server string
			result
		}{{"through proxy", proxied}, {"ReverseProxy", forwarded}} {
			b.printLoad(name, r.server, r.result, fmt.Sprintf("  %.0f%% of astra-mock, p50 %+.2f ms",
				100*r.perSecond()/mock.perSecond(), ms(r.percentile(0.50)-mock.percentile(0.50))))
		}
	}
	b.printLoad(name, "bare net/http", ref, "")
	return ctx.Err()
}

// forward measures a load of req through a bare httputil.ReverseProxy
// in this process to the mock at target: what any proxy costs, beside
// what the validating proxy does.
func (b *bench) forward(ctx context.Context, target string, req func(base string, i int64) request) (result, error) {
	u, err := url.Parse(target)
	if err != nil {
		return result{}, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: b.concurrency, DisableCompression: true}
	defer tr.CloseIdleConnections()
	srv := &http.Server{Handler: &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(u) }, Transport: tr}}
	go srv.Serve(ln)
	defer srv.Close()
	return b.warmAndMeasure(ctx, "http://"+ln.Addr().String(), req), nil
}

// warmAndMeasure loads the server at base for -warmup, then measures a
// load of -duration.
func (b *bench) warmAndMeasure(ctx context.Context, base string, req func(base string, i int64) request) result {
	defer b.load.CloseIdleConnections()
	at := func(i int64) request { return req(base, i) }
	b.drive(ctx, b.warmup, math.MaxInt64, at)
	return b.drive(ctx, b.duration, math.MaxInt64, at)
}

// printLoad prints the row of a load and counts its errors.
func (b *bench) printLoad(name, server string, r result, note string) {
	fmt.Fprintf(b.out, "%-12s %-14s %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  %8d requests  %d errors%s\n",
		name, server, r.perSecond(), ms(r.percentile(0.50)), ms(r.percentile(0.99)), len(r.latencies), r.errors, note)
	if r.errors > 0 {
		fmt.Fprintf(b.out, "  first error: %v\n", r.firstError)
		b.errors += r.errors
	}
}

// memory creates -tokens tokens in a fresh mock and prints its resident
// set per token, then the time of the requests that move all of them.
func (b *bench) memory(ctx context.Context) error {
	if b.tokens == 0 {
		return nil
	}
	p, _, err := b.startMock(ctx)
	if err != nil {
		return err
	}
	defer b.stop(p)
	before, rssErr := readRSS(p.cmd.Process.Pid)
	created := b.drive(ctx, requestTimeout, int64(b.tokens), func(i int64) request { return create(p.base, i) })
	fmt.Fprintf(b.out, "\nmemory, %d tokens created through the API:\n", b.tokens)
	b.printLoad("POST create", "astra-mock", created, "")
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(created.latencies) < b.tokens {
		return fmt.Errorf("sent %d of %d creates within %v", len(created.latencies), b.tokens, requestTimeout)
	}
	after, err := readRSS(p.cmd.Process.Pid)
	if err := errors.Join(rssErr, err); err != nil {
		fmt.Fprintf(b.out, "RSS: not measured, this needs Linux's /proc: %v\n", err)
	} else {
		fmt.Fprintf(b.out, "RSS: %.1f MiB before, %.1f MiB after: %.0f bytes per token\n",
			mib(before), mib(after), float64(after-before)/float64(b.tokens))
	}

	var state bytes.Buffer
	b.step(ctx, "unpaged list of the tokens", list(p.base, 0), nil)
	b.step(ctx, "GET /__admin/state", request{http.MethodGet, p.base + "/__admin/state", nil}, &state)
	b.step(ctx, "PUT /__admin/state", request{http.MethodPut, p.base + "/__admin/state", state.Bytes()}, nil)
	return ctx.Err()
}

// step times one request of the memory phase and prints how long it took
// and how much it moved (the body sent and the answer).
func (b *bench) step(ctx context.Context, name string, r request, w io.Writer) {
	start := time.Now()
	n, err := b.send(ctx, b.once, r, w)
	if err != nil {
		fmt.Fprintf(b.out, "%-27s error: %v\n", name, err)
		b.errors++
		return
	}
	fmt.Fprintf(b.out, "%-27s %7.3f s  %6.1f MiB\n", name, time.Since(start).Seconds(), mib(n+int64(len(r.body))))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mib(n int64) float64 { return float64(n) / (1 << 20) }
