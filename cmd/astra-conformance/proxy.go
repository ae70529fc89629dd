package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/conformance/proxy"
)

// proxyOptions are the flags of -proxy, and -min-coverage, which the
// scenario run takes too.
type proxyOptions struct {
	proxy            string
	duration         time.Duration
	violationsHeader bool
	failOn           string
	logFormat        string
	minCoverage      float64
}

// proxyRules is what -h says of -proxy.
const proxyRules = `
-proxy HOST:PORT: instead of scenarios, a reverse proxy to -target that
forwards every request and answer unchanged (but Location, pointed back
through the proxy) and judges both: a request that breaks the contract is
a client violation, an answer that does (its OpenAPI contract, the
documented error for a broken request, what one list answer shows of its
limit, orderBy, filter, include and count) a server violation. Each is
logged as it happens (-log text or json lines); on Ctrl-C, SIGTERM or
after -duration it prints the contract coverage and the counts and writes
-format junit, cucumber or json to -out. No secret is logged or kept.
Exit status: 0 nothing broke the contract, 1 something did (-fail-on
client, server or any) or the coverage is under -min-coverage, 2 it could
not run (bad flags, an address in use).
`

// proxyFlags adds the flags of -proxy and -min-coverage to fs.
func proxyFlags(fs *flag.FlagSet, o *proxyOptions) {
	fs.StringVar(&o.proxy, "proxy", "", "serve a validating proxy to -target on `HOST:PORT` instead of running scenarios (see -proxy below)")
	fs.DurationVar(&o.duration, "duration", 0, "with -proxy: stop after `DURATION` (default: at Ctrl-C or SIGTERM)")
	fs.BoolVar(&o.violationsHeader, "violations-header", false, "with -proxy: answers carry "+proxy.ViolationsHeader+" naming the rules the exchange broke")
	fs.StringVar(&o.failOn, "fail-on", "any", "with -proxy: `SIDE` whose violations fail the run: client, server or any")
	fs.StringVar(&o.logFormat, "log", "text", "with -proxy: log violations as `FORMAT` text or json (one object a line)")
	fs.Float64Var(&o.minCoverage, "min-coverage", 0, "fail the run when less than `P` percent of the documented operation × status pairs were seen")
}

// checkProxyFlags refuses what -proxy cannot do.
func checkProxyFlags(o *options) error {
	p := o.proxyOptions
	if p.minCoverage < 0 || p.minCoverage > 100 {
		return fmt.Errorf("-min-coverage %v: want a percentage, 0 to 100", p.minCoverage)
	}
	if p.proxy == "" {
		if p.duration != 0 || p.violationsHeader || p.failOn != "any" || p.logFormat != "text" {
			return errors.New("-duration, -violations-header, -fail-on and -log go with -proxy HOST:PORT")
		}
		if p.minCoverage > 0 && (o.explore > 0 || o.cleanup) {
			return errors.New("-min-coverage goes with a scenario run or -proxy")
		}
		return nil
	}
	switch {
	case o.explore > 0 || o.cleanup:
		return errors.New("-proxy runs no scenarios: -explore and -cleanup do not go with it")
	case o.featuresDir != "" || o.tags != "":
		return errors.New("-proxy runs no scenarios: -features and -tags do not go with it")
	case o.fixtures != "" || len(o.identities) > 0:
		return errors.New("-proxy needs no identities: the client it judges sends its own")
	case !slices.Contains([]string{"pretty", "junit", "cucumber", "json"}, o.format):
		return fmt.Errorf("-format %q: with -proxy, want junit, cucumber or json (default: text only)", o.format)
	case !slices.Contains([]string{"client", "server", "any"}, p.failOn):
		return fmt.Errorf("-fail-on %q: want client, server or any", p.failOn)
	case p.logFormat != "text" && p.logFormat != "json":
		return fmt.Errorf("-log %q: want text or json", p.logFormat)
	case p.duration < 0:
		return fmt.Errorf("-duration %v: want a positive duration", p.duration)
	}
	return nil
}

// runProxy is the command with -proxy.
func runProxy(ctx context.Context, o *options, getenv func(string) string, stdout, stderr io.Writer) int {
	target, from := o.target, "-target"
	if target == "" {
		target, from = getenv("ASTRA_BASE_URL"), "ASTRA_BASE_URL"
	}
	if err := checkBaseURL(from, target); err != nil {
		fmt.Fprintln(stderr, "astra-conformance:", err)
		return exitUsage
	}
	u, _ := url.Parse(target)
	client, err := newClient(o.timeout, o.caFile, o.insecure)
	if err != nil {
		fmt.Fprintln(stderr, "astra-conformance:", err)
		return exitUsage
	}
	// Machine-readable output on stdout stays clean: the log and the
	// summary go to stderr then.
	report := stdout
	if o.out == "" && o.format != "pretty" {
		report = stderr
	}
	var mu sync.Mutex
	logf := func(v proxy.Violation) {
		mu.Lock()
		defer mu.Unlock()
		if o.logFormat == "json" {
			json.NewEncoder(report).Encode(v)
		} else {
			fmt.Fprintln(report, v)
		}
	}
	p, err := proxy.New(proxy.Config{Target: u, Transport: proxy.Transport(client.Transport.(*http.Transport)), Timeout: o.timeout, ViolationsHeader: o.violationsHeader, Log: logf})
	if err != nil {
		fmt.Fprintln(stderr, "astra-conformance:", err)
		return exitUsage
	}
	ln, err := net.Listen("tcp", o.proxy)
	if err != nil {
		fmt.Fprintln(stderr, "astra-conformance: -proxy:", err)
		return exitUsage
	}
	fmt.Fprintf(report, "astra-conformance: proxy on http://%s to %s; stop with Ctrl-C or SIGTERM\n", ln.Addr(), u)
	srv := &http.Server{Handler: p, ReadHeaderTimeout: o.timeout}
	go srv.Serve(ln)
	if o.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.duration)
		defer cancel()
	}
	<-ctx.Done()
	// The exchanges in flight end (bounded by -timeout) before the report.
	shutdown, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	srv.Shutdown(shutdown)

	mu.Lock()
	defer mu.Unlock()
	sum := p.Summary()
	writeProxySummary(report, sum)
	if o.format != "pretty" {
		if err := writeProxyReport(o, sum, stdout); err != nil {
			fmt.Fprintln(stderr, "astra-conformance:", err)
			return exitUsage
		}
	}
	code := exitPass
	for _, side := range []proxy.Side{proxy.Client, proxy.Server} {
		if n := sum.Count(side); n > 0 && (o.failOn == "any" || o.failOn == string(side)) {
			fmt.Fprintf(report, "%d %s violations: the run fails (-fail-on %s)\n", n, side, o.failOn)
			code = exitFail
		}
	}
	if !coverageHolds(report, sum.Coverage, o.minCoverage) {
		code = exitFail
	}
	return code
}

// coverageHolds writes how much of the documented operation × status
// pairs a run saw, and whether that is at least min percent.
func coverageHolds(w io.Writer, rows []conformance.CoverageRow, min float64) bool {
	pct := conformance.CoveragePercent(rows)
	fmt.Fprintf(w, "Coverage: %.1f%% of the documented operation × status pairs seen", pct)
	if min > 0 && pct < min {
		fmt.Fprintf(w, ", under -min-coverage %v: the run fails\n", min)
		return false
	}
	fmt.Fprintln(w)
	return true
}

// writeProxySummary writes the coverage table and the violation counts.
func writeProxySummary(w io.Writer, sum proxy.Summary) {
	fmt.Fprintf(w, "\nContract coverage (documented statuses observed per operation):\n%s", conformance.FormatCoverage(sum.Coverage))
	if len(sum.Tallies) > 0 {
		fmt.Fprintf(w, "\nViolations (by operation and rule; the first of each):\n")
	}
	for _, t := range sum.Tallies {
		fmt.Fprintf(w, "  %-24s %-26s %-12s %5d  %s\n", t.Operation, t.Rule.ID, "CONTRACT "+t.Rule.Section, t.Count, t.First[0].Request)
	}
	judged := 0
	for _, n := range sum.Exchanges {
		judged += n
	}
	fmt.Fprintf(w, "\n%d exchanges judged (%d forwarded unjudged): %d client violations, %d server violations\n",
		judged, sum.Unjudged, sum.Count(proxy.Client), sum.Count(proxy.Server))
}

// writeProxyReport writes the summary as -format says: json as it is,
// junit and cucumber with one test case per operation, failed where a
// violation was seen.
func writeProxyReport(o *options, sum proxy.Summary, stdout io.Writer) error {
	if o.format == "json" {
		return writeOut(o.out, stdout, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(sum)
		})
	}
	feature := conformance.Feature{URI: "proxy", Keyword: "Feature", Name: "Validating proxy"}
	now := time.Now()
	var results []conformance.ScenarioResult
	ops := []string{}
	for _, r := range sum.Coverage {
		ops = append(ops, r.ID)
	}
	if sum.Exchanges[proxy.Unknown] > 0 {
		ops = append(ops, proxy.Unknown)
	}
	for i, op := range ops {
		r := conformance.ScenarioResult{Feature: feature, Keyword: "Scenario", Name: op, Line: i + 1, Started: now, Finished: now}
		step := conformance.StepResult{Keyword: "Then ", Text: fmt.Sprintf("%d exchanges judged", sum.Exchanges[op]), Line: i + 1, Status: godog.StepPassed}
		var broken []string
		for _, t := range sum.Tallies {
			if t.Operation == op {
				broken = append(broken, fmt.Sprintf("%d× %s (CONTRACT.md %s): %s\n  first: %s", t.Count, t.Rule.ID, t.Rule.Section, t.Rule.Title, t.First[0]))
			}
		}
		if len(broken) > 0 {
			r.Outcome, r.Reason = conformance.Failed, strings.Join(broken, "\n")
			step.Status, step.Error = godog.StepFailed, r.Reason
		}
		r.Steps = []conformance.StepResult{step}
		results = append(results, r)
	}
	return writeOut(o.out, stdout, func(w io.Writer) error { return conformance.WriteReport(w, o.format, results) })
}

// writeOut calls write with the file -out names (created) or, without
// -out, stdout; an error closing the file is the report's error, as the
// report may not all have been written.
func writeOut(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("-out: %w", cerr)
	}
	return err
}
