package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func send(t *testing.T, method, url, auth, body string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	if method == http.MethodPost || method == http.MethodPut {
		// As README.md's curl examples send it; the admin API demands it.
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data), resp.Header
}

func stopAndWait(t *testing.T, stop context.CancelFunc, done <-chan error) {
	t.Helper()
	stop()
	waitStopped(t, done)
}

// waitStopped waits for run to return after a stop, and checks it ended cleanly.
func waitStopped(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop")
	}
}

func TestVersionFlagPrintsAndExits(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-version"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "astra-mock ") {
		t.Fatalf("-version printed %q", out.String())
	}
}

// TestSeedAndClockGiveByteIdenticalRuns is the client-side snapshot test
// the deterministic mode exists for: two runs, the same requests, the same
// bytes.
func TestSeedAndClockGiveByteIdenticalRuns(t *testing.T) {
	var answers []string
	for i := 0; i < 2; i++ {
		base, stop, done := start(t, "-seed", "7", "-clock", "2030-01-02T03:04:05Z")
		code, body, h := send(t, http.MethodPost, base+memberTokens, "mock-snapshot-taker", createBody)
		if code != http.StatusCreated {
			t.Fatalf("create: %d %s", code, body)
		}
		_, list, _ := send(t, http.MethodGet, base+memberTokens+"?orderBy=name", "mock-snapshot-taker", "")
		answers = append(answers, body+h.Get("X-Request-ID")+h.Get("Date")+strings.TrimPrefix(h.Get("Location"), base)+list)
		stopAndWait(t, stop, done)
	}
	if answers[0] != answers[1] {
		t.Fatalf("two seeded runs differ:\n%s\n%s", answers[0], answers[1])
	}
	if !strings.Contains(answers[0], `"creationTimestamp":"2030-01-02T03:04:05.000000Z"`) {
		t.Fatalf("the fixed clock is not used: %s", answers[0])
	}
}

// TestStateSurvivesARestart creates a token, stops the mock (which saves
// the state), starts it again on the same file: the token and its
// credential are still there.
func TestStateSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	base, stop, done := start(t, "-state", path)
	code, body, _ := send(t, http.MethodPost, base+memberTokens, "mock-snapshot-taker", createBody)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	secret := between(body, `"token":"`, `"`)
	id := between(body, `"id":"`, `"`)
	stopAndWait(t, stop, done)
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no state saved: %v", err)
	}
	if strings.Contains(string(saved), secret) {
		t.Fatal("the state file holds a plain secret")
	}

	base, stop, done = start(t, "-state", path)
	if code, body, _ := send(t, http.MethodGet, base+memberTokens+"/"+id, secret, ""); code != http.StatusOK {
		t.Fatalf("after restart, the token read with its own secret: %d %s", code, body)
	}
	if code, _, _ := send(t, http.MethodPost, base+"/__admin/snapshot", "", ""); code != http.StatusNoContent && code != http.StatusOK {
		t.Fatalf("POST /__admin/snapshot answered %d", code)
	}
	stopAndWait(t, stop, done)
}

func between(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	v, _, _ := strings.Cut(after, to)
	return v
}

func TestCorruptStateFileIsRefusedAndKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	corrupt := []byte(`{"accounts": [ {"id": "not an id"`)
	if err := os.WriteFile(path, corrupt, 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-state", path, "-log", "none"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("run on a corrupt state file: %v", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, corrupt) {
		t.Fatal("the corrupt state file was overwritten")
	}
}

func TestAdminAPIOnItsOwnAddressWithAToken(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-admin-addr", "127.0.0.1:0", "-admin-token", "s3cret", "-log", "none"}, w, io.Discard)
		w.Close()
	}()
	var lines []string
	buf := make([]byte, 4096)
	for len(lines) < 2 {
		n, err := out.Read(buf)
		if err != nil {
			cancel()
			t.Fatalf("reading ready lines: %v (%v)", err, lines)
		}
		for _, l := range strings.Split(strings.TrimSpace(string(buf[:n])), "\n") {
			if l != "" {
				lines = append(lines, l)
			}
		}
	}
	go io.Copy(io.Discard, out)
	api := strings.TrimPrefix(lines[0], "astra-mock listening on ")
	adminURL := strings.TrimSuffix(strings.TrimPrefix(lines[1], "astra-mock admin API on "), "/__admin/")
	if code, _, _ := send(t, http.MethodGet, adminURL+"/__admin/health", "", ""); code != http.StatusUnauthorized {
		t.Errorf("admin health without the token: %d, want 401", code)
	}
	if code, _, _ := send(t, http.MethodGet, adminURL+"/__admin/health", "s3cret", ""); code != http.StatusOK {
		t.Errorf("admin health with the token: %d, want 200", code)
	}
	if code, _, _ := send(t, http.MethodGet, api+"/__admin/health", "s3cret", ""); code == http.StatusOK {
		t.Errorf("the admin API is still on the API address")
	}
	stopAndWait(t, cancel, done)
}

// TestClientCIWalk is the steps of README.md's "In a client's CI", one by
// one: a seeded mock with a frozen clock, a client request, a journal
// assertion, a 503 injected on the next create and the retry that
// follows, then a reset of everything.
func TestClientCIWalk(t *testing.T) {
	base, stop, done := start(t, "-seed", "42", "-clock", "frozen")
	defer stopAndWait(t, stop, done)

	// The client under test creates a token.
	if code, body, _ := send(t, http.MethodPost, base+memberTokens, "mock-snapshot-taker", createBody); code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	// The journal shows exactly one POST to the member's tokens.
	code, body, _ := send(t, http.MethodGet, base+"/__admin/requests?method=POST&path=/tokens$", "", "")
	if code != http.StatusOK || !strings.Contains(body, `"total":1`) || strings.Contains(body, "mock-snapshot-taker") {
		t.Fatalf("journal: %d %s", code, body)
	}
	// The next create fails once with 503; the retry succeeds.
	rule := `{"method":"POST","path":"/accounts/.*/tokens","times":1,"status":503}`
	if code, body, _ := send(t, http.MethodPost, base+"/__admin/faults", "", rule); code != http.StatusCreated {
		t.Fatalf("fault: %d %s", code, body)
	}
	code, body, h := send(t, http.MethodPost, base+memberTokens, "mock-snapshot-taker", createBody)
	if code != http.StatusServiceUnavailable || h.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, `"status":"503"`) {
		t.Fatalf("faulted create: %d %s", code, body)
	}
	if code, body, _ := send(t, http.MethodPost, base+memberTokens, "mock-snapshot-taker", createBody); code != http.StatusCreated {
		t.Fatalf("retried create: %d %s", code, body)
	}
	// A rule still waiting, to see the reset remove it.
	if code, body, _ := send(t, http.MethodPost, base+"/__admin/faults", "", `{"path":"^/nowhere$","status":500}`); code != http.StatusCreated {
		t.Fatalf("fault: %d %s", code, body)
	}
	// Reset: as it started. The created tokens are gone, the journal is
	// empty, no fault rule is left.
	if code, body, _ := send(t, http.MethodPost, base+"/__admin/reset", "", ""); code != http.StatusNoContent {
		t.Fatalf("reset: %d %s", code, body)
	}
	if _, body, _ := send(t, http.MethodGet, base+"/__admin/requests", "", ""); !strings.Contains(body, `"total":0`) {
		t.Errorf("after reset the journal is not empty: %s", body)
	}
	if _, body, _ := send(t, http.MethodGet, base+"/__admin/faults", "", ""); body != `{"faults":[]}`+"\n" {
		t.Errorf("after reset fault rules are left: %s", body)
	}
	if _, body, _ := send(t, http.MethodGet, base+memberTokens+"?count=true&limit=1", "mock-snapshot-taker", ""); !strings.Contains(body, `"count":3`) {
		t.Fatalf("after reset the member has more than its 3 fixture tokens: %s", body)
	}
}

// TestFrozenClockIsTheSameEveryRun: -clock frozen stops the clock at a
// time derived from the fixtures, so two runs agree byte for byte.
func TestFrozenClockIsTheSameEveryRun(t *testing.T) {
	var answers []string
	for i := 0; i < 2; i++ {
		base, stop, done := start(t, "-seed", "9", "-clock", "frozen")
		code, body, h := send(t, http.MethodPost, base+memberTokens, "mock-snapshot-taker", createBody)
		if code != http.StatusCreated {
			t.Fatalf("create: %d %s", code, body)
		}
		answers = append(answers, body+h.Get("Date"))
		stopAndWait(t, stop, done)
	}
	if answers[0] != answers[1] {
		t.Fatalf("two frozen runs differ:\n%s\n%s", answers[0], answers[1])
	}
	if !strings.Contains(answers[0], `"creationTimestamp":"2022-10-06T20:58:23.305662Z"`) {
		t.Fatalf("frozen is not one second after the newest fixture time: %s", answers[0])
	}
}

func TestBaseURLOfAnUnspecifiedAddressIsLoopback(t *testing.T) {
	for addr, want := range map[string]string{"0.0.0.0:8080": "http://127.0.0.1:8080", "[::]:9": "http://127.0.0.1:9", "127.0.0.1:80": "http://127.0.0.1:80", "[::1]:81": "http://[::1]:81"} {
		tcp, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := baseURL(tcp); got != want {
			t.Errorf("baseURL(%s) = %s, want %s", addr, got, want)
		}
	}
}
