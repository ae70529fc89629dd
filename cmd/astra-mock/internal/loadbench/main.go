// Command loadbench measures the astra-mock binary from outside, as a client
// sees it, beside a bare net/http server in the same run:
//
//	go run ./cmd/astra-mock/internal/loadbench -mock bin/astra-mock
//	    [-duration 10s] [-warmup 2s] [-concurrency 32] [-tokens 100000]
//	    [-starts 5] [-timeout 5m] [-json]
//
// `make load` builds bin/astra-mock and runs it (LOAD_FLAGS adds flags).
// Every phase starts a fresh mock on a free 127.0.0.1 port with -log none
// and the default fixtures (schemas/CONTRACT.md §8), and stops it by its
// PID afterwards (killing it if it does not stop):
//
//   - startup: from exec to the first 200 on the member's token list (as
//     the peer harness measures it), the median of -starts starts;
//   - GET list of the member's tokens and POST create, each under
//     -concurrency connections for -duration after -warmup, then the same
//     two loads against a bare net/http server in this process that
//     answers the bytes the mock answered: req/s, p50, p99 and the mock's
//     share of the bare server's req/s;
//   - memory (Linux only: it reads /proc/PID/status): -tokens tokens
//     created through the API, the mock's RSS before and after, and per
//     token; then the unpaged list of those tokens, GET /__admin/state and
//     PUT /__admin/state of that state, each timed with the RSS increase
//     at its peak.
//
// A request that gets no answer or an answer outside 2xx counts as an
// error; the report says how many, and the command then exits 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

// The member of account A and one of its credentials (schemas/CONTRACT.md §8).
const (
	defaultAccount = "5cef50e1-a468-4f74-98a6-832d4fd76096"
	defaultUser    = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b"
	defaultBearer  = "mock-snapshot-taker"
)

type options struct {
	mock                  string
	duration, warmup      time.Duration
	concurrency, tokens   int
	starts                int
	startTimeout, timeout time.Duration
	json                  bool
	account, user, bearer string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("loadbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.mock, "mock", "bin/astra-mock", "the astra-mock binary to measure (`PATH`)")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long each measured load runs")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before each measured one (0: none)")
	fs.IntVar(&o.concurrency, "concurrency", 32, "connections (and requests in flight) of each load")
	fs.IntVar(&o.tokens, "tokens", 100_000, "tokens to create for the memory phase (0: skip the phase)")
	fs.IntVar(&o.starts, "starts", 5, "starts whose median is the startup time (0: skip the phase)")
	fs.DurationVar(&o.startTimeout, "start-timeout", 30*time.Second, "how long a mock may take to answer after exec")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "bound on each step of the memory phase (creating the tokens, the list, each state request)")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON instead of tables")
	fs.StringVar(&o.account, "account", defaultAccount, "account id of the token list")
	fs.StringVar(&o.user, "user", defaultUser, "user id of the token list")
	fs.StringVar(&o.bearer, "bearer", defaultBearer, "credential sent as Authorization: Bearer")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	switch {
	case o.duration <= 0:
		return nil, errors.New("-duration must be positive")
	case o.warmup < 0:
		return nil, errors.New("-warmup must not be negative")
	case o.concurrency < 1 || o.concurrency > 10_000:
		return nil, errors.New("-concurrency must be 1–10000")
	case o.tokens < 0, o.starts < 0:
		return nil, errors.New("-tokens and -starts must not be negative")
	case o.startTimeout <= 0, o.timeout <= 0:
		return nil, errors.New("-start-timeout and -timeout must be positive")
	}
	return o, nil
}

// run is main without the process. It prints the report to stdout and its
// progress to stderr; it returns an error when a phase could not run or a
// request failed, after printing what was measured.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	b := newBench(o, stderr)
	defer b.close()
	rep, runErr := b.run(ctx)
	var printErr error
	if o.json {
		printErr = rep.writeJSON(stdout)
	} else {
		printErr = rep.writeText(stdout)
	}
	if runErr != nil {
		return runErr
	}
	if printErr != nil {
		return printErr
	}
	if n := rep.errors(); n > 0 {
		return fmt.Errorf("%d requests failed (no answer or not 2xx): the figures do not measure a working mock", n)
	}
	return nil
}
