package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/fault"
)

// testFlags is a flag set shaped like astra-mock's: strings, an int, a
// duration and the two command flags.
type testFlags struct {
	fs          *flag.FlagSet
	addr        string
	size        int
	grace       time.Duration
	version     bool
	healthcheck string
}

func newTestFlags() *testFlags {
	f := &testFlags{fs: flag.NewFlagSet("astra-mock", flag.ContinueOnError)}
	f.fs.SetOutput(io.Discard)
	f.fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen address")
	f.fs.IntVar(&f.size, "journal-size", 1000, "journal size")
	f.fs.DurationVar(&f.grace, "shutdown-timeout", 10*time.Second, "grace")
	f.fs.BoolVar(&f.version, "version", false, "print the version")
	f.fs.StringVar(&f.healthcheck, "healthcheck", "", "check health")
	return f
}

func TestEnvironmentVariablesSetFlagsAndTheCommandLineWins(t *testing.T) {
	for _, tc := range []struct {
		name    string
		environ []string
		args    []string
		addr    string
		size    int
		grace   time.Duration
	}{
		{"without variables the defaults stay", nil, nil, "127.0.0.1:8080", 1000, 10 * time.Second},
		{"each flag reads its ASTRA_MOCK_ variable",
			[]string{"ASTRA_MOCK_ADDR=0.0.0.0:9090", "ASTRA_MOCK_JOURNAL_SIZE=5", "ASTRA_MOCK_SHUTDOWN_TIMEOUT=3s"}, nil,
			"0.0.0.0:9090", 5, 3 * time.Second},
		{"a flag on the command line wins over its variable",
			[]string{"ASTRA_MOCK_ADDR=0.0.0.0:9090", "ASTRA_MOCK_JOURNAL_SIZE=5"}, []string{"-addr", "127.0.0.1:1"},
			"127.0.0.1:1", 5, 10 * time.Second},
		{"an empty variable counts as unset", []string{"ASTRA_MOCK_ADDR=", "ASTRA_MOCK_JOURNAL_SIZE="}, nil, "127.0.0.1:8080", 1000, 10 * time.Second},
		{"other variables are not read", []string{"ADDR=x", "ASTRA_ADDR=y", "astra_mock_addr=z"}, nil, "127.0.0.1:8080", 1000, 10 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newTestFlags()
			if err := f.fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			if _, err := setFromEnv(f.fs, tc.environ, io.Discard); err != nil {
				t.Fatal(err)
			}
			if f.addr != tc.addr || f.size != tc.size || f.grace != tc.grace {
				t.Errorf("got addr %q, journal-size %d, shutdown-timeout %v; want %q, %d, %v", f.addr, f.size, f.grace, tc.addr, tc.size, tc.grace)
			}
		})
	}
}

func TestABadEnvironmentValueIsAnErrorNamingTheVariable(t *testing.T) {
	f := newTestFlags()
	_, err := setFromEnv(f.fs, []string{"ASTRA_MOCK_JOURNAL_SIZE=many", "ASTRA_MOCK_SHUTDOWN_TIMEOUT=soon"}, io.Discard)
	if err == nil {
		t.Fatal("bad values were accepted")
	}
	for _, want := range []string{`invalid value "many" for ASTRA_MOCK_JOURNAL_SIZE`, `invalid value "soon" for ASTRA_MOCK_SHUTDOWN_TIMEOUT`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %s", err, want)
		}
	}
}

// TestTheVariableOfAFlagOnTheCommandLineIsNotRead: the flag wins, so a
// bad value in its variable does not matter, and setFromEnv reports the
// flags it set itself.
func TestTheVariableOfAFlagOnTheCommandLineIsNotRead(t *testing.T) {
	f := newTestFlags()
	if err := f.fs.Parse([]string{"-journal-size", "5"}); err != nil {
		t.Fatal(err)
	}
	fromEnv, err := setFromEnv(f.fs, []string{"ASTRA_MOCK_JOURNAL_SIZE=many", "ASTRA_MOCK_ADDR=0.0.0.0:1"}, io.Discard)
	if err != nil || f.size != 5 {
		t.Fatalf("journal-size %d, error %v; want 5 and no error", f.size, err)
	}
	if !fromEnv["addr"] || fromEnv["journal-size"] || len(fromEnv) != 1 {
		t.Errorf("setFromEnv set %v, want addr alone", fromEnv)
	}
}

func TestCommandFlagsAndUnknownVariablesAreIgnoredWithAWarning(t *testing.T) {
	f := newTestFlags()
	var warn bytes.Buffer
	environ := []string{"ASTRA_MOCK_VERSION=1.2.3", "ASTRA_MOCK_HEALTHCHECK=/__admin/health", "ASTRA_MOCK_ADRESS=0.0.0.0:1"}
	if _, err := setFromEnv(f.fs, environ, &warn); err != nil {
		t.Fatal(err)
	}
	if f.version || f.healthcheck != "" || f.addr != "127.0.0.1:8080" {
		t.Fatalf("ignored variables were applied: version %v, healthcheck %q, addr %q", f.version, f.healthcheck, f.addr)
	}
	for _, want := range []string{
		"ignoring ASTRA_MOCK_ADRESS: there is no flag -adress",
		"ignoring ASTRA_MOCK_HEALTHCHECK: -healthcheck is a command",
		"ignoring ASTRA_MOCK_VERSION: -version is a command",
	} {
		if !strings.Contains(warn.String(), want) {
			t.Errorf("warnings %q do not say %q", warn.String(), want)
		}
	}
}

func TestEnvNameOfAFlag(t *testing.T) {
	for flagName, want := range map[string]string{"addr": "ASTRA_MOCK_ADDR", "admin-token": "ASTRA_MOCK_ADMIN_TOKEN", "shutdown-timeout": "ASTRA_MOCK_SHUTDOWN_TIMEOUT"} {
		if got := envName(flagName); got != want {
			t.Errorf("envName(%q) = %q, want %q", flagName, got, want)
		}
	}
}

// TestHelpNamesEveryVariableAndShowsNoSecret: -help lists each
// configuration flag with its variable, and the admin token taken from the
// environment is not printed as a default.
func TestHelpNamesEveryVariableAndShowsNoSecret(t *testing.T) {
	t.Setenv("ASTRA_MOCK_ADMIN_TOKEN", "env-s3cret")
	var help bytes.Buffer
	if err := run(context.Background(), []string{"-help"}, io.Discard, &help); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-help: %v", err)
	}
	for _, name := range []string{"addr", "fixtures", "state", "seed", "clock", "latency", "admin-addr", "admin-token", "journal-size", "log", "shutdown-timeout"} {
		if !strings.Contains(help.String(), "$"+envName(name)) {
			t.Errorf("-help does not name $%s", envName(name))
		}
	}
	for _, absent := range []string{"env-s3cret", "$ASTRA_MOCK_VERSION", "$ASTRA_MOCK_HEALTHCHECK"} {
		if strings.Contains(help.String(), absent) {
			t.Errorf("-help shows %q", absent)
		}
	}
}

// TestTheMockIsConfiguredFromTheEnvironment starts the mock with its
// settings in ASTRA_MOCK_* variables, one of them overridden by a flag.
func TestTheMockIsConfiguredFromTheEnvironment(t *testing.T) {
	t.Setenv("ASTRA_MOCK_ADMIN_TOKEN", "env-s3cret")
	t.Setenv("ASTRA_MOCK_SEED", "7")
	t.Setenv("ASTRA_MOCK_CLOCK", "2030-01-02T03:04:05Z")
	t.Setenv("ASTRA_MOCK_JOURNAL_SIZE", "1")
	base, stop, done := start(t, "-clock", "2031-01-02T03:04:05Z")
	defer stopAndWait(t, stop, done)

	if code, _, _ := send(t, http.MethodGet, base+"/__admin/health", "", ""); code != http.StatusUnauthorized {
		t.Errorf("admin health without $ASTRA_MOCK_ADMIN_TOKEN: %d, want 401", code)
	}
	if code, _, _ := send(t, http.MethodGet, base+"/__admin/health", "env-s3cret", ""); code != http.StatusOK {
		t.Errorf("admin health with $ASTRA_MOCK_ADMIN_TOKEN: %d, want 200", code)
	}
	code, body, _ := send(t, http.MethodPost, base+memberTokens, "mock-snapshot-taker", createBody)
	if code != http.StatusCreated || !strings.Contains(body, `"creationTimestamp":"2031-01-02T03:04:05.000000Z"`) {
		t.Errorf("create (the -clock flag should win over $ASTRA_MOCK_CLOCK): %d %s", code, body)
	}
	send(t, http.MethodGet, base+memberTokens, "mock-snapshot-taker", "")
	if _, body, _ := send(t, http.MethodGet, base+"/__admin/requests", "env-s3cret", ""); !strings.Contains(body, `"total":1`) {
		t.Errorf("the journal keeps more than $ASTRA_MOCK_JOURNAL_SIZE=1 requests: %s", body)
	}
}

func TestABadEnvironmentValueStopsTheMock(t *testing.T) {
	t.Setenv("ASTRA_MOCK_JOURNAL_SIZE", "lots")
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-log", "none"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "ASTRA_MOCK_JOURNAL_SIZE") {
		t.Fatalf("run with ASTRA_MOCK_JOURNAL_SIZE=lots: %v", err)
	}
}

// busyAddr is an address something else listens on until the test ends.
func busyAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

// TestEveryBadValueIsNamedAsTheUserGaveIt: a value the mock refuses is
// named by its flag when it came from the command line, and by its
// ASTRA_MOCK_* variable (never the flag) when it came from the environment.
func TestEveryBadValueIsNamedAsTheUserGaveIt(t *testing.T) {
	dir := t.TempDir()
	busy := busyAddr(t)
	for _, tc := range []struct{ flag, value string }{
		{"addr", "no-port"},
		{"addr", "127.0.0.1:99999"},
		{"addr", busy},
		{"admin-addr", "no-port"},
		{"admin-addr", busy},
		{"fixtures", filepath.Join(dir, "missing.json")},
		{"state", filepath.Join(dir, "missing", "state.json")},
		{"state", dir},
		{"seed", "-1"},
		{"clock", "tomorrow"},
		{"latency", "fast"},
		{"latency", "20ms±soon"},
		{"journal-size", "0"},
		{"journal-size", "many"},
		{"log", "xml"},
		{"shutdown-timeout", "-1s"},
		{"shutdown-timeout", "soon"},
	} {
		// The other flags a run needs, unless the case sets them.
		others := func() []string {
			var args []string
			if tc.flag != "addr" {
				args = append(args, "-addr", "127.0.0.1:0")
			}
			if tc.flag != "log" {
				args = append(args, "-log", "none")
			}
			return args
		}
		flagName := regexp.MustCompile(`(^|[\s("'])-` + regexp.QuoteMeta(tc.flag) + `\b`)
		shown := strings.ReplaceAll(tc.value, dir, "DIR")
		t.Run("-"+tc.flag+" "+shown, func(t *testing.T) {
			err := run(context.Background(), append(others(), "-"+tc.flag, tc.value), io.Discard, io.Discard)
			if err == nil || !flagName.MatchString(err.Error()) {
				t.Errorf("error %v does not name -%s", err, tc.flag)
			}
		})
		t.Run(envName(tc.flag)+"="+shown, func(t *testing.T) {
			t.Setenv(envName(tc.flag), tc.value)
			err := run(context.Background(), others(), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), envName(tc.flag)) || flagName.MatchString(err.Error()) {
				t.Errorf("error %v does not name %s alone", err, envName(tc.flag))
			}
		})
	}
}

// TestHelpSaysWhatClockAndLatencyTake: -help gives the time -clock frozen
// stops at with the default fixtures (where frozenAt puts it), and every
// form of -latency that the parser takes.
func TestHelpSaysWhatClockAndLatencyTake(t *testing.T) {
	var help bytes.Buffer
	if err := run(context.Background(), []string{"-help"}, io.Discard, &help); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-help: %v", err)
	}
	def, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	frozen := frozenAt(def).Format(time.RFC3339Nano)
	if !strings.Contains(help.String(), frozen) {
		t.Errorf("-help does not say that -clock frozen stops at %s with the default fixtures:\n%s", frozen, help.String())
	}
	if strings.Contains(help.String(), "at start") {
		t.Errorf("-help says -clock frozen freezes the clock at start:\n%s", help.String())
	}
	for _, form := range []string{"20ms", "20ms±5ms", "20ms+-5ms"} {
		if _, _, err := fault.ParseLatency(form); err != nil {
			t.Errorf("-latency %s: %v", form, err)
		}
		if !strings.Contains(help.String(), form) {
			t.Errorf("-help does not show the -latency form %s", form)
		}
	}
}
