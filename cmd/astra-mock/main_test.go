package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	memberTokens = "/accounts/5cef50e1-a468-4f74-98a6-832d4fd76096/core/v1/users/09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b/tokens"
	createBody   = `{"type":"application/astra-token","version":"1.0","name":"in flight"}`
)

// start runs the command on a free port and returns its base URL, a
// function that stops it (like SIGTERM would) and the channel run's result
// arrives on.
func start(t *testing.T, args ...string) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	return startWith(t, nil, args...)
}

func startWith(t *testing.T, wrap func(http.Handler) http.Handler, args ...string) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := runWith(ctx, append([]string{"-addr", "127.0.0.1:0", "-log", "none"}, args...), w, io.Discard, wrap)
		w.Close()
		done <- err
	}()
	lines := bufio.NewScanner(out)
	if !lines.Scan() {
		cancel()
		t.Fatalf("no ready line; run returned %v", <-done)
	}
	line := lines.Text()
	go io.Copy(io.Discard, out)
	const prefix = "astra-mock listening on "
	if !strings.HasPrefix(line, prefix) {
		cancel()
		t.Fatalf("ready line %q does not start with %q", line, prefix)
	}
	t.Cleanup(cancel)
	return strings.TrimPrefix(line, prefix), cancel, done
}

func TestServesDefaultFixturesAndStopsCleanly(t *testing.T) {
	base, stop, done := start(t)
	req, _ := http.NewRequest(http.MethodGet, base+memberTokens+"?include=id,name", nil)
	req.Header.Set("Authorization", "Bearer mock-snapshot-taker")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Snapshot Script") {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	stopAndWait(t, stop, done)
}

// TestShutdownFinishesRequestsInFlight starts a create whose body is still
// arriving, asks the server to stop, then finishes the body: the request
// must be answered, and only then may run return. The stop comes once the
// request has reached the handler: net/http drops a request whose headers
// were read but which had not entered a handler when Shutdown began (the
// ConnState hook for StateActive fires before that point, so it cannot be
// the signal).
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	active := make(chan struct{}, 1)
	base, stop, done := startWith(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case active <- struct{}{}:
			default:
			}
			h.ServeHTTP(w, r)
		})
	})
	bodyR, bodyW := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+memberTokens, bodyR)
	req.Header.Set("Authorization", "Bearer mock-snapshot-taker")
	answered := make(chan *http.Response, 1)
	failed := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			failed <- err
			return
		}
		answered <- resp
	}()
	io.WriteString(bodyW, createBody[:10])
	select { // the server is reading the request: Shutdown must wait for it
	case <-active:
	case <-time.After(15 * time.Second):
		t.Fatal("the request never reached the server")
	}
	stop()
	select {
	case err := <-done:
		t.Fatalf("run returned (%v) with a request in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	io.WriteString(bodyW, createBody[10:])
	bodyW.Close()
	select {
	case resp := <-answered:
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("in-flight create answered %d, want 201", resp.StatusCode)
		}
	case err := <-failed:
		t.Fatalf("in-flight create failed: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatal("in-flight create never answered")
	}
	waitStopped(t, done)
}

func TestBadFixturesFileFailsAtStartNamingFileAndField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	doc := `{"accounts":[{"id":"5cef50e1-a468-4f74-98a6-832d4fd76096","name":"A","users":[{"id":"8f84cf09-8036-51e4-b579-bd30cb07b269","name":"x","role":"superuser"}]}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-fixtures", path}, io.Discard, io.Discard)
	if err == nil {
		t.Fatal("run accepted a bad fixtures file")
	}
	for _, want := range []string{path, "accounts[0].users[0].role"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

func TestBadFlagsAreRefused(t *testing.T) {
	for _, args := range [][]string{{"-log", "xml"}, {"-nope"}, {"extra"}, {"-addr", "256.0.0.1:99999"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
				t.Fatalf("run(%q) succeeded", args)
			}
		})
	}
}

// TestExitStatus: 2 for a flag or variable the mock cannot take (the flag
// package's convention, and astra-conformance's), 1 when it cannot start
// or a health check fails, 0 for -help and -version. An error is printed
// once: the flag package prints its own, with the usage.
func TestExitStatus(t *testing.T) {
	dir := t.TempDir()
	busy := busyAddr(t)
	for _, tc := range []struct {
		name string
		env  []string // NAME=value
		args []string
		want int
	}{
		{"-h", nil, []string{"-h"}, 0},
		{"-help", nil, []string{"-help"}, 0},
		{"-version", nil, []string{"-version"}, 0},
		{"an unknown flag", nil, []string{"-nope"}, 2},
		{"a value the flag package refuses", nil, []string{"-journal-size", "many"}, 2},
		{"an argument", nil, []string{"extra"}, 2},
		{"a -log format", nil, []string{"-log", "xml"}, 2},
		{"a -clock", nil, []string{"-clock", "tomorrow"}, 2},
		{"a -seed", nil, []string{"-seed", "-1"}, 2},
		{"a -latency", nil, []string{"-latency", "fast"}, 2},
		{"a -journal-size out of range", nil, []string{"-journal-size", "0"}, 2},
		{"a negative -shutdown-timeout", nil, []string{"-shutdown-timeout", "-1s"}, 2},
		{"an -addr without a port", nil, []string{"-addr", "localhost"}, 2},
		{"an -addr with a port out of range", nil, []string{"-addr", "127.0.0.1:99999"}, 2},
		{"an -admin-addr without a port", nil, []string{"-admin-addr", "localhost"}, 2},
		{"a variable the flag package refuses", []string{"ASTRA_MOCK_JOURNAL_SIZE=many"}, nil, 2},
		{"a variable the mock refuses", []string{"ASTRA_MOCK_CLOCK=tomorrow"}, nil, 2},
		{"a port in use", nil, []string{"-addr", busy}, 1},
		{"an admin port in use", nil, []string{"-admin-addr", busy}, 1},
		{"a -state directory that does not exist", nil, []string{"-state", filepath.Join(dir, "missing", "state.json")}, 1},
		{"a -fixtures file that does not exist", nil, []string{"-fixtures", filepath.Join(dir, "missing.json")}, 1},
		{"a health check nothing answers", nil, []string{"-healthcheck", "http://" + closedPort(t) + "/__admin/health"}, 1},
		{"a -healthcheck that is not a URL (Docker reserves 2)", nil, []string{"-healthcheck", "ftp://x/"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, kv := range tc.env {
				name, value, _ := strings.Cut(kv, "=")
				t.Setenv(name, value)
			}
			args := append([]string{"-addr", "127.0.0.1:0", "-log", "none"}, tc.args...)
			var stderr bytes.Buffer
			got := exitStatus(run(context.Background(), args, io.Discard, &stderr), &stderr)
			if got != tc.want {
				t.Errorf("%sastra-mock %s exits %d, want %d; stderr:\n%s", strings.Join(append(tc.env, ""), " "), strings.Join(args, " "), got, tc.want, stderr.String())
			}
		})
	}
	var stderr bytes.Buffer
	exitStatus(run(context.Background(), []string{"-nope"}, io.Discard, &stderr), &stderr)
	if n := strings.Count(stderr.String(), "flag provided but not defined: -nope"); n != 1 {
		t.Errorf("the error of -nope is printed %d times, want once:\n%s", n, stderr.String())
	}
}

// TestTheReadyLinesSayTheAddressListenedOn: on an unspecified address (as
// in the container image) the lines give that address, then the URL that
// reaches it from this host; on a loopback address, its URL alone (which
// scripts and tests read).
func TestTheReadyLinesSayTheAddressListenedOn(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "0.0.0.0:0", "-admin-addr", "0.0.0.0:0", "-log", "none"}, w, io.Discard)
		w.Close()
	}()
	lines := bufio.NewScanner(out)
	var got []string
	for len(got) < 2 && lines.Scan() {
		got = append(got, lines.Text())
	}
	go io.Copy(io.Discard, out)
	defer stopAndWait(t, cancel, done)
	if len(got) < 2 {
		t.Fatalf("ready lines %q", got)
	}
	for i, want := range []*regexp.Regexp{
		regexp.MustCompile(`^astra-mock listening on 0\.0\.0\.0:(\d+) \(all interfaces; (http://127\.0\.0\.1:(\d+)) from this host\)$`),
		regexp.MustCompile(`^astra-mock admin API on 0\.0\.0\.0:(\d+) \(all interfaces; (http://127\.0\.0\.1:(\d+))/__admin/ from this host\)$`),
	} {
		m := want.FindStringSubmatch(got[i])
		if m == nil || m[1] != m[3] {
			t.Errorf("ready line %q does not match %s", got[i], want)
			continue
		}
		path := []string{"/openapi.yaml", "/__admin/health"}[i]
		if code, _, _ := send(t, http.MethodGet, m[2]+path, "", ""); code != http.StatusOK {
			t.Errorf("GET %s%s: %d", m[2], path, code)
		}
	}

	base, stop, done2 := start(t)
	defer stopAndWait(t, stop, done2)
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(base) {
		t.Errorf("on 127.0.0.1 the ready line gives %q, want the URL alone", base)
	}
}
