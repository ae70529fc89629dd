// Command loadbench measures the astra-mock binary from outside, as a client
// sees it, beside a bare net/http server in the same run:
//
//	go run ./cmd/astra-mock/internal/loadbench -mock bin/astra-mock
//	    [-proxy bin/astra-conformance] [-duration 10s] [-warmup 2s]
//	    [-concurrency 32] [-tokens 100000] [-starts 5]
//
// `make load` builds bin/astra-mock and bin/astra-conformance and runs it
// with both (LOAD_FLAGS adds flags).
// Every phase starts a fresh mock on a free 127.0.0.1 port with -log none
// and the default fixtures (schemas/CONTRACT.md §8), and stops it by its
// PID afterwards (killing it if it ignores SIGTERM):
//
//   - startup: from exec to the first 200 on the member's token list (as
//     the peer harness measures it), the median of -starts starts;
//   - GET list of the member's tokens and POST create, each under
//     -concurrency connections for -duration after -warmup, then the same
//     two loads against a bare net/http server in this process that
//     answers the bytes the mock answered: req/s, p50, p99 and the mock's
//     share of the bare server's req/s; with -proxy, between the two, the
//     same load through the validating proxy (astra-conformance -proxy, in
//     front of the same mock): its share of the mock's req/s and what it
//     adds to the median;
//   - memory: -tokens tokens created through the API and the mock's RSS
//     per token (Linux only: it reads /proc/PID/status); then the time of
//     the unpaged list of those tokens, GET /__admin/state and PUT
//     /__admin/state of that state.
//
// It prints a plain text report on stdout as it goes. A request that gets
// no answer or an answer outside 2xx counts as an error: the report shows
// the first error of each step, and the command then exits 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

// run is main without the process: it prints the report to out and
// returns an error when a phase could not run or a request failed.
func run(ctx context.Context, args []string, out io.Writer) error {
	b := &bench{out: out}
	fs := flag.NewFlagSet("loadbench", flag.ExitOnError)
	fs.StringVar(&b.mock, "mock", "bin/astra-mock", "the astra-mock binary to measure (`PATH`)")
	fs.StringVar(&b.proxy, "proxy", "", "the astra-conformance binary, to measure GET list and POST create through its -proxy too (`PATH`; empty: not measured)")
	fs.DurationVar(&b.duration, "duration", 10*time.Second, "how long each measured load runs")
	fs.DurationVar(&b.warmup, "warmup", 2*time.Second, "unmeasured load before each measured one (0: none)")
	fs.IntVar(&b.concurrency, "concurrency", 32, "connections (and requests in flight) of each load")
	fs.IntVar(&b.tokens, "tokens", 100_000, "tokens to create for the memory phase (0: skip the phase)")
	fs.IntVar(&b.starts, "starts", 5, "starts whose median is the startup time (0: skip the phase)")
	fs.Parse(args)
	if fs.NArg() > 0 || b.duration <= 0 || b.warmup < 0 || b.concurrency < 1 || b.tokens < 0 || b.starts < 0 {
		return errors.New("no arguments; -duration and -concurrency must be positive, -warmup, -tokens and -starts not negative")
	}
	// No proxy from the environment: every server measured is on 127.0.0.1.
	b.load = &http.Client{Timeout: requestTimeout, Transport: &http.Transport{
		MaxIdleConnsPerHost: b.concurrency, MaxConnsPerHost: b.concurrency, DisableCompression: true,
	}}
	b.once = &http.Client{Timeout: requestTimeout, Transport: &http.Transport{DisableKeepAlives: true, DisableCompression: true}}
	defer b.load.CloseIdleConnections()

	version, err := exec.CommandContext(ctx, b.mock, "-version").Output()
	if err != nil {
		return fmt.Errorf("%s -version: %w", b.mock, err)
	}
	fmt.Fprintf(out, "astra-mock load benchmark, %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(out, "mock: %s (%s); %s/%s, %d CPUs, %s\n",
		b.mock, strings.TrimSpace(string(version)), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	fmt.Fprintf(out, "settings: -duration %v -warmup %v -concurrency %d -tokens %d -starts %d\n\n",
		b.duration, b.warmup, b.concurrency, b.tokens, b.starts)

	if err := b.startup(ctx); err != nil {
		return fmt.Errorf("startup: %w", err)
	}
	if err := b.compare(ctx, "GET list", http.StatusOK, list); err != nil {
		return fmt.Errorf("GET list: %w", err)
	}
	if err := b.compare(ctx, "POST create", http.StatusCreated, create); err != nil {
		return fmt.Errorf("POST create: %w", err)
	}
	if err := b.memory(ctx); err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	if b.errors > 0 {
		return fmt.Errorf("%d requests failed (no answer or not 2xx): the figures do not measure a working mock", b.errors)
	}
	return nil
}
