// Command astra-conformance runs the conformance suite (its built-in
// scenarios, the features of package features, and the step library of
// package conformance) against a Token API: the mock, or a real Astra
// deployment.
//
//	astra-conformance -target URL -fixtures fixtures/default.json   # the mock
//	astra-conformance -target URL -account ID -member-user ID -member-token T \
//	    [-admin-user ID -admin-token T ...]                         # a deployment
//	astra-conformance -target URL ... -cleanup [-dry-run]           # after a crashed run
//
// Identities come from a fixtures file (-fixtures), or from flags and the
// ASTRA_* environment variables of conformance.ConfigFromEnv (flags win).
// Only the account and the member are required. What it runs, what it
// skips, how it stops and how it exits is the text of rules, which -h
// prints after the flags.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/cmd/internal/buildinfo"
	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/features"
	"github.com/astra-contract/astra-token-kit/fixtures"
)

// Exit statuses.
const (
	exitPass  = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	ctx, stop := interruptible(context.Background())
	code := runEnv(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// interrupted is the cause of a run stopped by SIGINT or SIGTERM.
type interrupted struct{ sig syscall.Signal }

func (e interrupted) Error() string {
	if e.sig == syscall.SIGTERM {
		return "interrupted by SIGTERM"
	}
	return "interrupted by SIGINT"
}

// interruptible returns a context that the first SIGINT or SIGTERM
// cancels, with an interrupted as its cause: the suite starts no more
// scenarios, lets those in flight end and delete their tokens (bounded by
// -timeout), and exits. A second signal kills the process.
func interruptible(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-sigs:
			signal.Stop(sigs)
			cancel(interrupted{sig.(syscall.Signal)})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(sigs); cancel(nil) }
}

// exitStatus is code, or for a run a signal stopped 128 and the signal's
// number, as a shell reports a process the signal ended: 130 for SIGINT,
// 143 for SIGTERM.
func exitStatus(ctx context.Context, code int, stderr io.Writer) int {
	return exitStopped(ctx, code, stderr, "no scenario started after it; those in flight ended and deleted their tokens")
}

// exitStopped is exitStatus, saying after the signal what became of the
// run.
func exitStopped(ctx context.Context, code int, stderr io.Writer, after string) int {
	var in interrupted
	if !errors.As(context.Cause(ctx), &in) {
		return code
	}
	fmt.Fprintf(stderr, "astra-conformance: %v: %s\n", in, after)
	return 128 + int(in.sig)
}

// identityFlags are the per-role flags, by the ASTRA_* variable each
// stands for (conformance.ConfigFromEnv's names).
var identityFlags = map[string]struct{ flag, usage string }{
	"ASTRA_ACCOUNT_ID":               {"account", "the account `ID` the identities belong to"},
	"ASTRA_GROUP_ID":                 {"group", "a group `ID` of the account with the member and the viewer as members, not the second member"},
	"ASTRA_ADMIN_USER_ID":            {"admin-user", "user `ID` of an admin of the account"},
	"ASTRA_ADMIN_TOKEN":              {"admin-token", "the admin's credential `TOKEN`"},
	"ASTRA_MEMBER_USER_ID":           {"member-user", "user `ID` of a member of the account (required)"},
	"ASTRA_MEMBER_TOKEN":             {"member-token", "the member's credential `TOKEN` (required)"},
	"ASTRA_VIEWER_USER_ID":           {"viewer-user", "user `ID` of a viewer of the account"},
	"ASTRA_VIEWER_TOKEN":             {"viewer-token", "the viewer's credential `TOKEN`"},
	"ASTRA_SECOND_MEMBER_USER_ID":    {"second-member-user", "user `ID` of another member of the account, in no group with the member"},
	"ASTRA_SECOND_MEMBER_TOKEN":      {"second-member-token", "the second member's credential `TOKEN`"},
	"ASTRA_FOREIGN_ADMIN_ACCOUNT_ID": {"foreign-account", "`ID` of another account, with an admin"},
	"ASTRA_FOREIGN_ADMIN_USER_ID":    {"foreign-admin-user", "user `ID` of an admin of the other account"},
	"ASTRA_FOREIGN_ADMIN_TOKEN":      {"foreign-admin-token", "the foreign admin's credential `TOKEN`"},
}

var formats = []string{"pretty", "progress", "junit", "cucumber"}

// options are the parsed command line.
type options struct {
	target      string
	fixtures    string
	tags        string
	format      string
	out         string
	concurrency int
	timeout     time.Duration
	caFile      string
	insecure    bool
	featuresDir string
	runID       string
	cleanup     bool
	dryRun      bool
	showVersion bool
	identities  map[string]string // ASTRA_* name → flag value, for flags given
	exploreOptions
	proxyOptions
}

// rules is what -h says after the flags: what the suite runs and skips,
// how it stops, how it exits.
const rules = `
Scenarios: the built-in scenarios, unless -features names others;
a ./features directory is never read unless -features names it.

Skipped, with the reason, and never counted as passed:
  - a scenario that needs an identity or the group that is not configured;
  - a scenario that needs the mock (tagged @mock-only, sending a request to
    /__admin/, or reading {fixture id of NAME}) when the target has no admin
    API: before the run the suite sends GET /__admin/health, and anything but
    the mock's 200 {"status": ...} means none.

Ctrl-C or SIGTERM: no scenario starts after it (the rest are skipped, "not
run: interrupted by SIGINT"); those in flight end, their requests cut off
-timeout later, and the tokens they made are deleted.

Exit status: 0 every selected scenario passed or was skipped, and one
passed; 1 a scenario failed, none was selected or passed, the target could
not be reached or a -cleanup deletion failed; 2 a usage error; 130 stopped
by SIGINT, 143 by SIGTERM.
`

// parseFlags reads the command line; what is wrong with a bad one it
// writes to stderr, and returns as the error (flag.ErrHelp for -h).
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{identities: map[string]string{}}
	fs := flag.NewFlagSet("astra-conformance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.target, "target", "", "base `URL` of the target, scheme://host[:port] (default $ASTRA_BASE_URL)")
	fs.StringVar(&o.fixtures, "fixtures", "", "take identities from a fixtures `FILE` (\"default\": the mock's default fixtures)")
	fs.StringVar(&o.tags, "tags", "", "select scenarios by tag `EXPR`: @a, ~@a (not), && (and), comma (or); e.g. '@list && ~@policy'")
	fs.StringVar(&o.format, "format", "pretty", "output `FORMAT`: "+strings.Join(formats, ", "))
	fs.StringVar(&o.out, "out", "", "write the formatter's output to `FILE` instead of stdout")
	fs.IntVar(&o.concurrency, "concurrency", 1, "run `N` scenarios at once")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "`DURATION` limit of one request (30s, 2m), and of the scenarios in flight after Ctrl-C")
	fs.StringVar(&o.caFile, "ca-file", "", "trust the CA certificates of this PEM `FILE` too")
	fs.BoolVar(&o.insecure, "insecure", false, "do not verify the target's TLS certificate (never against production)")
	fs.StringVar(&o.featuresDir, "features", "", "run the feature files of `DIR` (or one file) instead of the built-in scenarios (see Scenarios below)")
	fs.StringVar(&o.runID, "run-id", "", "`ID`, cf- and eight hex digits: name prefix of the tokens this run creates; with -cleanup, delete only that run's tokens (default a fresh one)")
	fs.BoolVar(&o.cleanup, "cleanup", false, "run no scenarios: delete the tokens the suite made (named cf-XXXXXXXX and a space) that the configured identities can see, and exit")
	fs.BoolVar(&o.dryRun, "dry-run", false, "with -cleanup: list the tokens it would delete, and delete none")
	fs.BoolVar(&o.showVersion, "version", false, "print the version and exit")
	exploreFlags(fs, &o.exploreOptions)
	proxyFlags(fs, &o.proxyOptions)
	for env, f := range identityFlags {
		fs.Func(f.flag, f.usage+" ($"+env+")", func(v string) error {
			o.identities[env] = v
			return nil
		})
	}
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: astra-conformance -target URL (-fixtures FILE | -account ID -member-user ID -member-token T ...) [flags]")
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), rules, exploreRules, proxyRules)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err // fs.Parse said why
	}
	bad := func(err error) error {
		fmt.Fprintln(stderr, "astra-conformance:", err)
		return err
	}
	if fs.NArg() > 0 {
		return nil, bad(fmt.Errorf("unexpected arguments %q (feature files go in -features DIR)", fs.Args()))
	}
	if !slices.Contains(formats, o.format) && o.proxy == "" {
		return nil, bad(fmt.Errorf("-format %q: want one of %s", o.format, strings.Join(formats, ", ")))
	}
	if o.concurrency < 1 {
		return nil, bad(fmt.Errorf("-concurrency %d: want 1 or more", o.concurrency))
	}
	if o.timeout <= 0 {
		return nil, bad(fmt.Errorf("-timeout %v: want a positive duration", o.timeout))
	}
	if err := checkTags(o.tags); err != nil {
		return nil, bad(err)
	}
	if o.runID != "" && !conformance.IsRunID(o.runID) {
		return nil, bad(fmt.Errorf("-run-id %q: want %s and eight lowercase hex digits, the form -cleanup recognizes", o.runID, conformance.NamePrefix))
	}
	if o.dryRun && !o.cleanup {
		return nil, bad(errors.New("-dry-run goes with -cleanup"))
	}
	if o.fixtures != "" && len(o.identities) > 0 {
		return nil, bad(errors.New("-fixtures gives every identity; do not combine it with -account, -member-user and the other identity flags"))
	}
	if err := checkExploreFlags(o); err != nil {
		return nil, bad(err)
	}
	if err := checkProxyFlags(o); err != nil {
		return nil, bad(err)
	}
	return o, nil
}

// tagTerm is one term of godog v0.15's tag expressions: @tag or ~@tag.
var tagTerm = regexp.MustCompile(`^~?@?[^\s@~,&()]+$`)

// checkTags rejects what godog would misread (it panics on an empty term
// and treats "not @a" as a tag named "not a").
func checkTags(expr string) error {
	if strings.TrimSpace(expr) == "" {
		return nil
	}
	for _, and := range strings.Split(expr, "&&") {
		for _, term := range strings.Split(and, ",") {
			if !tagTerm.MatchString(strings.TrimSpace(term)) {
				return fmt.Errorf("-tags %q: %q is not a tag term; write @tag or ~@tag (not), joined by && (and) or , (or), e.g. '@list && ~@policy'", expr, strings.TrimSpace(term))
			}
		}
	}
	return nil
}

// runEnv is main without the process, the environment given as getenv.
func runEnv(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitPass
	}
	if err != nil {
		return exitUsage // parseFlags said why
	}
	if o.showVersion {
		fmt.Fprintln(stdout, "astra-conformance", buildinfo.Version(stampedVersion))
		return exitPass
	}
	if o.proxy != "" {
		return runProxy(ctx, o, getenv, stdout, stderr)
	}
	cfg, err := configure(o, getenv)
	if err != nil {
		fmt.Fprintln(stderr, "astra-conformance:", err)
		return exitUsage
	}
	if o.insecure {
		fmt.Fprintln(stderr, "astra-conformance: WARNING: -insecure: the target's TLS certificate is not verified")
	}
	if o.cleanup {
		if err := checkTarget(ctx, cfg); err != nil {
			fmt.Fprintln(stderr, "astra-conformance:", err)
			return exitStopped(ctx, exitFail, stderr, cleanupStopped)
		}
		return exitStopped(ctx, cleanup(ctx, cfg, o.runID, o.dryRun, stdout, stderr), stderr, cleanupStopped)
	}
	if o.explore > 0 {
		return exitStopped(ctx, runExplore(ctx, o, cfg, stdout, stderr), stderr, exploreStopped)
	}
	return exitStatus(ctx, runFeatures(ctx, o, cfg, stdout, stderr), stderr)
}

// configure builds the suite's Config from the fixtures file, or from the
// identity flags over the ASTRA_* environment.
func configure(o *options, getenv func(string) string) (*conformance.Config, error) {
	env := func(k string) string {
		if v, ok := o.identities[k]; ok {
			return v
		}
		return getenv(k)
	}
	target, from := o.target, "-target"
	if target == "" {
		target, from = getenv("ASTRA_BASE_URL"), "ASTRA_BASE_URL"
	}
	if target == "" {
		return nil, errors.New("no target: pass -target URL (scheme://host[:port]) or set ASTRA_BASE_URL")
	}
	if err := checkBaseURL(from, target); err != nil {
		return nil, err
	}
	var cfg *conformance.Config
	if o.fixtures != "" {
		set, err := loadFixtures(o.fixtures)
		if err != nil {
			return nil, err
		}
		if cfg, err = conformance.ConfigFromFixtures(target, set); err != nil {
			return nil, err
		}
	} else {
		if err := checkPairs(env, o.identities); err != nil {
			return nil, err
		}
		cfg = conformance.ConfigFromEnv(env)
		cfg.BaseURL = strings.TrimSuffix(target, "/")
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w\n  give -fixtures FILE, or -account, -member-user and -member-token (or ASTRA_ACCOUNT_ID, ASTRA_MEMBER_USER_ID, ASTRA_MEMBER_TOKEN)", err)
	}
	client, err := newClient(o.timeout, o.caFile, o.insecure)
	if err != nil {
		return nil, err
	}
	cfg.Client, cfg.Timeout, cfg.RunID = client, o.timeout, o.runID
	return cfg, nil
}

// checkPairs refuses half an identity, which ConfigFromEnv would drop
// silently (and every scenario needing it would be skipped). It names
// what was set as the user set it, by its flag (given in flags) or its
// variable, and what is missing by both.
func checkPairs(env func(string) string, flags map[string]string) error {
	var half []string
	for _, role := range fixtures.Personas() {
		key := "ASTRA_" + strings.ToUpper(strings.ReplaceAll(string(role), " ", "_"))
		parts := []string{key + "_USER_ID", key + "_TOKEN"}
		if role == fixtures.PersonaForeignAdmin {
			parts = append(parts, key+"_ACCOUNT_ID")
		}
		var set, unset []string
		for _, k := range parts {
			_, byFlag := flags[k]
			switch {
			case env(k) == "":
				unset = append(unset, "-"+identityFlags[k].flag+" ("+k+")")
			case byFlag:
				set = append(set, "-"+identityFlags[k].flag)
			default:
				set = append(set, k)
			}
		}
		if len(set) > 0 && len(unset) > 0 {
			half = append(half, fmt.Sprintf("the %s has %s but not %s", role, strings.Join(set, ", "), strings.Join(unset, ", ")))
		}
	}
	if len(half) > 0 {
		return fmt.Errorf("incomplete identities: %s", strings.Join(half, "; "))
	}
	return nil
}

// loadFixtures reads a fixtures file; "default", and the repository path
// fixtures/default.json when run elsewhere, mean the embedded defaults.
func loadFixtures(name string) (*fixtures.Set, error) {
	_, err := os.Stat(name)
	if name == "default" || errors.Is(err, fs.ErrNotExist) && filepath.ToSlash(filepath.Clean(name)) == "fixtures/default.json" {
		return fixtures.Default()
	}
	return fixtures.Load(name)
}

// checkBaseURL checks the target s, given as name (-target or
// ASTRA_BASE_URL): http or https, a host, an optional port, nothing else.
func checkBaseURL(name, s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		example := "http://127.0.0.1:8080"
		if !strings.Contains(s, "://") {
			example = "http://" + s
		}
		return fmt.Errorf("%s %q: want scheme://host[:port], http or https, e.g. %s", name, s, example)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%s %q: give only scheme://host[:port]; the suite adds /accounts/…", name, s)
	}
	return nil
}

// newClient is the HTTP client of the run: a per-request time limit and the
// TLS settings of the command line.
func newClient(timeout time.Duration, caFile string, insecure bool) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("-ca-file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("-ca-file %s: no PEM certificate found", caFile)
		}
		tlsConfig.RootCAs = pool
	}
	tr.TLSClientConfig = tlsConfig
	return &http.Client{Transport: tr, Timeout: timeout}, nil
}

// checkTarget lists the member's tokens once, so that an unreachable
// target or a wrong account, user or credential is one clear message, not
// a failure in every scenario.
func checkTarget(ctx context.Context, cfg *conformance.Config) error {
	m := cfg.Identities[fixtures.PersonaMember]
	u := cfg.BaseURL + listing{account: m.AccountID, user: m.UserID}.path()
	resp, body, err := do(ctx, cfg, http.MethodGet, u, m.Credential)
	if resp == nil {
		return fmt.Errorf("cannot reach target %s: %v", cfg.BaseURL, err)
	}
	body = body[:min(len(body), 300)]
	switch resp.StatusCode {
	case http.StatusOK:
		return nil
	case http.StatusUnauthorized:
		return fmt.Errorf("the target refused the member's credential (GET %s answered 401): check -member-token / ASTRA_MEMBER_TOKEN", u)
	case http.StatusForbidden, http.StatusNotFound:
		return fmt.Errorf("GET %s answered %d with the member's credential: check the account id and the member's user id (%s)", u, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return fmt.Errorf("the target does not answer like the Token API: GET %s with the member's credential answered %s (%s)", u, resp.Status, strings.TrimSpace(string(body)))
}

// noAdminAPINeed ends the reason a scenario that needs the mock is skipped
// for.
const noAdminAPINeed = "; this scenario needs the mock"

// probeAdminAPI asks the target whether it has the mock's admin API: GET
// /__admin/health with the member's credential, as the scenarios send it.
// It returns "" when the answer is 200 with the mock's health JSON, else
// the reason the scenarios that need the mock are skipped for (a 404, any
// other answer, a request that failed).
func probeAdminAPI(ctx context.Context, cfg *conformance.Config) string {
	resp, body, err := do(ctx, cfg, http.MethodGet, cfg.BaseURL+"/__admin/health", cfg.Identities[fixtures.PersonaMember].Credential)
	var health struct {
		Status string `json:"status"`
	}
	var answer string
	switch {
	case err != nil:
		answer = "failed: " + err.Error()
	case resp.StatusCode != http.StatusOK:
		answer = fmt.Sprintf("answered %d", resp.StatusCode)
	case json.Unmarshal(body, &health) != nil || health.Status == "":
		answer = "answered 200 without the mock's health JSON"
	default:
		return ""
	}
	return "the target has no admin API (GET /__admin/health " + answer + ")" + noAdminAPINeed
}

func runFeatures(ctx context.Context, o *options, cfg *conformance.Config, stdout, stderr io.Writer) int {
	// The feature files: those -features names, else the built-in ones. A
	// ./features of the working directory is never read unless named: run
	// from a client's repository, it holds that client's own scenarios
	// (behave, cucumber-js).
	var fsys fs.FS = features.FS
	paths, source := []string{"."}, "built-in features"
	if o.featuresDir != "" {
		if _, err := os.Stat(o.featuresDir); err != nil {
			fmt.Fprintln(stderr, "astra-conformance: -features:", err)
			return exitUsage
		}
		fsys, paths, source = nil, []string{o.featuresDir}, o.featuresDir
	}
	// Machine-readable output on stdout stays clean: the report goes to
	// stderr then.
	report := stdout
	if o.out == "" && (o.format == "junit" || o.format == "cucumber") {
		report = stderr
	}
	suite, err := conformance.NewSuite(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "astra-conformance:", err)
		return exitFail
	}
	opts := &godog.Options{
		Format:         o.format,
		Tags:           o.tags,
		Paths:          paths,
		FS:             fsys,
		Concurrency:    o.concurrency,
		Output:         stdout,
		NoColors:       o.out != "" || !isTerminal(stdout) || o.format != "pretty",
		Strict:         true,
		DefaultContext: ctx,
	}
	feats, err := godog.TestSuite{Options: opts}.RetrieveFeatures()
	if err != nil {
		fmt.Fprintf(stderr, "astra-conformance: reading %s: %v\n", source, err)
		return exitUsage
	}
	selected := 0
	for _, f := range feats {
		selected += len(f.Pickles)
	}
	if selected == 0 {
		fmt.Fprintf(stderr, "astra-conformance: no scenario selected (tags %q, %s)\n", o.tags, source)
		return exitFail
	}
	if err := checkTarget(ctx, cfg); err != nil {
		fmt.Fprintln(stderr, "astra-conformance:", err)
		return exitFail
	}
	cfg.NoAdminAPI = probeAdminAPI(ctx, cfg)
	var outFile *os.File
	if o.out != "" {
		if outFile, err = os.Create(o.out); err != nil {
			fmt.Fprintln(stderr, "astra-conformance: -out:", err)
			return exitUsage
		}
		opts.Output = outFile
	}
	fmt.Fprintf(report, "astra-conformance: %d scenarios of %s against %s, run id %s, identities: %s\n",
		selected, source, cfg.BaseURL, cfg.RunID, describeIdentities(cfg))
	if cfg.NoAdminAPI != "" {
		fmt.Fprintf(report, "astra-conformance: %s: the scenarios that need the mock are skipped\n", strings.TrimSuffix(cfg.NoAdminAPI, noAdminAPINeed))
	}
	fmt.Fprintln(report)

	status := suite.Run(*opts)
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			fmt.Fprintln(stderr, "astra-conformance: -out:", err)
			status = exitFail
		}
	}
	passed, failed, skipped := suite.Counts()
	failed += selected - (passed + failed + skipped) // never started

	fmt.Fprintf(report, "\nContract coverage (documented statuses observed per operation):\n%s", conformance.FormatCoverage(suite.Coverage()))
	covered := coverageHolds(report, suite.Coverage(), o.minCoverage)
	list := func(title string, items []string) {
		if len(items) > 0 {
			fmt.Fprintf(report, "\n%s:\n", title)
			for _, it := range items {
				fmt.Fprintf(report, "  - %s\n", it)
			}
		}
	}
	list("Skipped (not counted as passed)", suite.Skipped())
	var failures []string
	for _, r := range suite.Results() {
		if r.Outcome > conformance.Skipped { // failed, undefined or pending
			failures = append(failures, r.Feature.URI+": "+r.Name+"\n      "+strings.ReplaceAll(r.Reason, "\n", "\n      "))
		}
	}
	list("Failed", failures)
	fmt.Fprintf(report, "\n%d scenarios selected: %d passed, %d failed, %d skipped (run id %s)\n", selected, passed, failed, skipped, cfg.RunID)
	switch {
	case status != 0 || failed > 0 || !covered:
		return exitFail
	case passed == 0:
		fmt.Fprintln(report, "no scenario passed: every selected scenario was skipped")
		return exitFail
	}
	return exitPass
}

func describeIdentities(cfg *conformance.Config) string {
	var have, missing []string
	for _, r := range fixtures.Personas() {
		if _, ok := cfg.Identities[r]; ok {
			have = append(have, string(r))
		} else {
			missing = append(missing, string(r))
		}
	}
	s := strings.Join(have, ", ")
	if cfg.GroupID == "" {
		missing = append(missing, "group")
	}
	if len(missing) > 0 {
		s += " (not configured: " + strings.Join(missing, ", ") + ")"
	}
	return s
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
