package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
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
	return startWith(t, hooks{}, args...)
}

func startWith(t *testing.T, hk hooks, args ...string) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := runWith(ctx, append([]string{"-addr", "127.0.0.1:0", "-log", "none"}, args...), w, io.Discard, hk)
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
	base, stop, done := startWith(t, hooks{wrap: func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case active <- struct{}{}:
			default:
			}
			h.ServeHTTP(w, r)
		})
	}})
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
