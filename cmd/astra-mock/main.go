// Command astra-mock serves the Astra Token API mock.
//
//	astra-mock [-addr 127.0.0.1:8080] [-fixtures FILE] [-state FILE]
//	           [-seed N] [-clock RFC3339|frozen] [-latency D[±J]]
//	           [-admin-addr HOST:PORT] [-admin-token TOKEN] [-journal-size N]
//	           [-log text|json|none] [-version] [-healthcheck URL]
//
// Every flag but -version and -healthcheck can also be given as an
// ASTRA_MOCK_* environment variable (-admin-addr is ASTRA_MOCK_ADMIN_ADDR);
// a flag on the command line wins, and its variable is not read. An error
// names the setting as the user gave it: the flag, or the variable.
//
// It prints the address it listens on once it accepts connections and
// stops cleanly on SIGINT or SIGTERM, letting requests in flight finish
// (and saving -state).
//
// Exit status: 0 after a clean stop, -help or -version; 1 when the mock
// cannot start (a port in use, a fixtures or state file that does not
// load, a -state directory it cannot write), stops with requests still
// running past -shutdown-timeout, or a health check fails (whatever the
// reason, its URL included: Docker's HEALTHCHECK reserves 2); 2 for a
// usage error: an unknown flag, an argument, a flag or variable whose
// value is not of the form it takes.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/astra-contract/astra-token-kit/cmd/internal/buildinfo"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/journal"
)

// gcPercent is the garbage collector's target the mock runs with unless
// GOGC says otherwise: the heap may grow to three times what is live
// between collections (Go's default is twice). A mock holding many tokens
// then spends far less of its CPU marking them; a stored token still costs
// well under 2 KiB of RSS (README, Performance).
const gcPercent = 200

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(exitStatus(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

// Exit statuses, as the flag package and astra-conformance use them.
const (
	exitOK    = 0
	exitFail  = 1 // the mock could not start, stop cleanly, or a health check failed
	exitUsage = 2 // a flag or ASTRA_MOCK_* variable it cannot take
)

// usageError is a command line or an ASTRA_MOCK_* variable astra-mock
// cannot take: an unknown flag, a value of the wrong form, an argument.
type usageError struct {
	err   error
	shown bool // the flag package has printed it already, with the usage
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef is a usageError built like fmt.Errorf.
func usagef(format string, a ...any) error {
	return &usageError{err: fmt.Errorf(format, a...)}
}

// exitStatus prints run's error on stderr and returns the status the
// command exits with.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ue *usageError
	isUsage := errors.As(err, &ue)
	if !isUsage || !ue.shown {
		fmt.Fprintln(stderr, "astra-mock:", err)
	}
	if isUsage {
		return exitUsage
	}
	return exitFail
}

// version is the version stamped at build time, else the module version of
// the build, else "devel".
func version() string {
	return buildinfo.Version(stampedVersion)
}

type options struct {
	addr, adminAddr, adminToken  string
	fixturesFile, stateFile      string
	seed, clock, latency, logFmt string
	journalSize                  int
	grace                        time.Duration
	showVersion                  bool
	healthcheck                  string
	fromEnv                      map[string]bool // the flags set by their ASTRA_MOCK_* variable
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("astra-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen address `HOST:PORT` (:0 picks a free port)")
	fs.StringVar(&o.fixturesFile, "fixtures", "", "load fixtures from `FILE` instead of the built-in defaults")
	fs.StringVar(&o.stateFile, "state", "", "load the state from `FILE` if it exists, save it there atomically on shutdown and on POST /__admin/snapshot")
	fs.StringVar(&o.seed, "seed", "", "make ids, secrets and correlation ids reproducible from this unsigned integer `N`")
	fs.StringVar(&o.clock, "clock", "", "fix the server clock at an RFC 3339 `TIME`, or 'frozen': one second after the newest token timestamp of the fixtures or state, the same every run (2022-10-06T20:58:23.305662Z with the default fixtures)")
	fs.StringVar(&o.latency, "latency", "", "add latency to every API request: `D[±J]`, a Go duration D (20ms), optionally with a jitter J after ± or +- (20ms±5ms, 20ms+-5ms, spaces allowed around ± and +-); each request waits D plus a random amount within ±J, never less than 0")
	fs.StringVar(&o.adminAddr, "admin-addr", "", "serve the admin API on its own `HOST:PORT` (default: on -addr, under /__admin/)")
	fs.StringVar(&o.adminToken, "admin-token", "", "require `TOKEN` as bearer credential on the admin API")
	fs.IntVar(&o.journalSize, "journal-size", journal.DefaultCapacity, fmt.Sprintf("how many requests the journal keeps (`N`, 1–%d, oldest dropped first)", journal.MaxCapacity))
	fs.StringVar(&o.logFmt, "log", "text", "request log `FORMAT` on stderr: text, json or none")
	fs.DurationVar(&o.grace, "shutdown-timeout", 10*time.Second, "how long to let requests in flight finish on shutdown")
	fs.BoolVar(&o.showVersion, "version", false, "print the version and exit")
	fs.StringVar(&o.healthcheck, "healthcheck", "", "check a running mock instead of serving: GET `URL` (or a path on -addr / -admin-addr), exit 0 on a 2xx answer, 1 otherwise")
	nameEnvInUsage(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: astra-mock [flags]; every flag but -version and -healthcheck can be an ASTRA_MOCK_* variable instead, and a flag wins")
		fmt.Fprintln(fs.Output(), "exit status: 0 after a clean stop, 1 when it cannot start or a health check fails, 2 for a bad flag, variable or argument")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, &usageError{err: err, shown: true}
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected arguments %q: astra-mock takes flags only (astra-mock -help lists them)", fs.Args())
	}
	fromEnv, err := setFromEnv(fs, os.Environ(), stderr)
	if err != nil {
		return nil, &usageError{err: err}
	}
	o.fromEnv = fromEnv
	return o, nil
}

// config turns the flags into the mock's configuration.
func (o *options) config(logger *slog.Logger) (admin.Config, error) {
	if err := o.check(); err != nil {
		return admin.Config{}, err
	}
	cfg := admin.Config{JournalSize: o.journalSize, Token: o.adminToken, LoopbackOnly: o.adminToken == "", Version: version()}
	cfg.Mock.Logger = logger
	set, err := o.initialState()
	if err != nil {
		return cfg, err
	}
	cfg.Mock.Fixtures = set
	if o.seed != "" {
		n, err := strconv.ParseUint(o.seed, 10, 64)
		if err != nil {
			return cfg, usagef("%s: %q is not an unsigned integer", o.name("seed"), o.seed)
		}
		seeded := mockserver.SeededRandom(n)
		cfg.Mock.Random = seeded
		cfg.Faults.Random = seeded.Float64
	}
	switch o.clock {
	case "":
	case "frozen":
		cfg.Mock.Clock = mockserver.FixedClock(frozenAt(set))
	default:
		t, err := time.Parse(time.RFC3339Nano, o.clock)
		if err != nil {
			return cfg, usagef("%s: %q is neither an RFC 3339 time nor \"frozen\"", o.name("clock"), o.clock)
		}
		cfg.Mock.Clock = mockserver.FixedClock(t)
	}
	if o.latency != "" {
		base, jitter, err := fault.ParseLatency(o.latency)
		if err != nil {
			return cfg, usagef("%s: %w", o.name("latency"), err)
		}
		cfg.Faults.Latency, cfg.Faults.Jitter = base, jitter
	}
	if o.stateFile != "" {
		path := o.stateFile
		cfg.Snapshot = func(set *fixtures.Set) error { return saveState(path, set) }
	}
	return cfg, nil
}

// frozenAt is where -clock frozen stops the clock: one second after the
// newest timestamp of the loaded state. It depends on the state only, so
// two runs on the same fixtures answer alike, and new tokens still sort
// after the loaded ones.
func frozenAt(set *fixtures.Set) time.Time {
	var newest time.Time
	for _, a := range set.Accounts {
		for _, t := range a.Tokens {
			for _, ts := range []time.Time{t.Metadata.CreationTimestamp, t.Metadata.ModificationTimestamp} {
				if ts.After(newest) {
					newest = ts
				}
			}
		}
	}
	if newest.IsZero() {
		newest = time.Date(2022, 10, 6, 20, 58, 16, 305662000, time.UTC) // NetApp's example time
	}
	return newest.Add(time.Second)
}

// initialState is the state file if there is one, else the fixtures.
// A state file that exists but does not load stops the mock: it is never
// overwritten.
func (o *options) initialState() (*fixtures.Set, error) {
	if o.stateFile != "" {
		set, err := fixtures.Load(o.stateFile)
		if err == nil {
			return set, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: refusing to start on a state file that does not load (it is left as is): %w", o.name("state"), err)
		}
	}
	if o.fixturesFile != "" {
		set, err := fixtures.Load(o.fixturesFile)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.name("fixtures"), err)
		}
		return set, nil
	}
	return fixtures.Default()
}

// saveState writes set to path atomically: a temporary file in the same
// directory, synced, then renamed over the old one. The file holds
// json.MarshalIndent(set, "", "  ") and a newline.
func saveState(path string, set *fixtures.Set) error {
	data, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		return fmt.Errorf("saving state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("saving state: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("saving state: %w", err)
	}
	return nil
}

// newServer serves h, wrapped by wrap when it is set: tests observe the
// servers that way, the command passes none.
func newServer(h http.Handler, logger *slog.Logger, wrap func(http.Handler) http.Handler) *http.Server {
	if wrap != nil {
		h = wrap(h)
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      90 * time.Second, // room for injected latency
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// run is main without the process: it returns when ctx is done or a signal
// arrives, after shutting the servers down and saving the state.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runWith(ctx, args, stdout, stderr, nil)
}

// runWith is run with every server's handler wrapped by wrap (see newServer).
func runWith(ctx context.Context, args []string, stdout, stderr io.Writer, wrap func(http.Handler) http.Handler) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.showVersion {
		fmt.Fprintln(stdout, "astra-mock", version())
		return nil
	}
	if o.healthcheck != "" {
		return o.checkHealth(ctx, stdout)
	}
	var logs slog.Handler // the request log
	switch o.logFmt {
	case "text":
		logs = slog.NewTextHandler(stderr, nil)
	case "json":
		logs = slog.NewJSONHandler(stderr, nil)
	case "none":
		logs = slog.DiscardHandler
	default:
		return usagef("%s: unknown format %q (want text, json or none)", o.name("log"), o.logFmt)
	}
	logger := slog.New(logs)
	cfg, err := o.config(logger)
	if err != nil {
		return err
	}
	stack, err := admin.NewStack(cfg)
	if err != nil {
		return err
	}

	var servers []*http.Server
	var listeners []net.Listener
	ln, err := o.listen("addr", o.addr)
	if err != nil {
		return err
	}
	listeners = append(listeners, ln)
	if o.adminAddr == "" {
		servers = append(servers, newServer(stack.Handler(), logger, wrap))
	} else {
		adminLn, err := o.listen("admin-addr", o.adminAddr)
		if err != nil {
			ln.Close()
			return err
		}
		listeners = append(listeners, adminLn)
		servers = append(servers, newServer(stack.API, logger, wrap), newServer(stack.Admin, logger, wrap))
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { served <- srv.Serve(listeners[i]) }()
	}
	fmt.Fprintf(stdout, "astra-mock listening on %s\n", where(o.addr, ln.Addr(), ""))
	if o.adminAddr != "" {
		fmt.Fprintf(stdout, "astra-mock admin API on %s\n", where(o.adminAddr, listeners[1].Addr(), admin.Prefix))
	}

	var serveErr error
	select {
	case serveErr = <-served:
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), o.grace)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdownCtx); err != nil && serveErr == nil {
			serveErr = fmt.Errorf("shutdown: requests still running after -shutdown-timeout %v (their writes are refused, not saved): %w", o.grace, err)
		}
	}
	// Requests still running past the grace period go on, but no write
	// commits any more (they are answered 503): the state saved now holds
	// every write that was acknowledged.
	if err := stack.Close(); err != nil {
		return err
	}
	if o.stateFile != "" {
		fmt.Fprintf(stdout, "astra-mock saved its state to %s\n", o.stateFile)
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	fmt.Fprintln(stdout, "astra-mock stopped")
	return nil
}

// where says where a listener opened on listenAddr is, for its ready line:
// the URL of its address with path; on an unspecified address (all
// interfaces, as in the container image), that address as given with the
// port it got, then the URL that reaches it from this host. (Go reports a
// listener on 0.0.0.0 as [::], since it takes IPv6 too.)
func where(listenAddr string, addr net.Addr, path string) string {
	url := baseURL(addr) + path
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return url
	}
	host, _, _ := net.SplitHostPort(listenAddr)
	return fmt.Sprintf("%s (all interfaces; %s from this host)", net.JoinHostPort(host, strconv.Itoa(tcp.Port)), url)
}

// baseURL is the URL a client on this machine uses for a listener: an
// unspecified host (":0", "0.0.0.0", "[::]") is reached through 127.0.0.1.
func baseURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}
