package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/mocktest"
)

func TestProxyUsage(t *testing.T) {
	t.Parallel()
	base := []string{"-target", "http://127.0.0.1:1"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-proxy", "127.0.0.1:0", "-tags", "@list"}, "-features and -tags"},
		{[]string{"-proxy", "127.0.0.1:0", "-fixtures", "default"}, "needs no identities"},
		{[]string{"-proxy", "127.0.0.1:0", "-explore", "10"}, "-explore and -cleanup"},
		{[]string{"-proxy", "127.0.0.1:0", "-format", "progress"}, "-format"},
		{[]string{"-proxy", "127.0.0.1:0", "-fail-on", "both"}, "-fail-on"},
		{[]string{"-proxy", "127.0.0.1:0", "-log", "xml"}, "-log"},
		{[]string{"-proxy", "127.0.0.1:0", "-duration", "-1s"}, "-duration"},
		{[]string{"-proxy", "127.0.0.1:0", "-min-coverage", "101"}, "-min-coverage"},
		{[]string{"-fixtures", "default", "-duration", "1m"}, "go with -proxy"},
		{[]string{"-fixtures", "default", "-format", "json"}, "-format"},
	} {
		code, _, errOut := command(t, nil, append(append([]string(nil), base...), tc.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

func TestProxyAddressInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, errOut := command(t, nil, "-proxy", ln.Addr().String(), "-target", "http://127.0.0.1:1")
	if code != exitUsage || !strings.Contains(errOut, "address already in use") {
		t.Errorf("exit %d, stderr %q; want 2, address in use", code, errOut)
	}
}

// freeAddr returns an address nothing listens on (as far as can be known).
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestProxyInFrontOfMock serves the proxy in front of the mock, sends a
// valid and an invalid request through it, and stops it as a signal
// would: the log names the client violation, the report counts it, and
// -fail-on decides the exit status.
func TestProxyInFrontOfMock(t *testing.T) {
	t.Parallel()
	mock := mocktest.Start(t)
	for _, tc := range []struct {
		failOn string
		code   int
	}{{"any", exitFail}, {"server", exitPass}} {
		addr := freeAddr(t)
		out := filepath.Join(t.TempDir(), "proxy.json")
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr bytes.Buffer
		done := make(chan int)
		go func() {
			done <- runEnv(ctx, []string{"-proxy", addr, "-target", mock.URL, "-fail-on", tc.failOn, "-log", "json",
				"-format", "json", "-out", out, "-violations-header"}, func(string) string { return "" }, &stdout, &stderr)
		}()
		var header string
		for i := 0; ; i++ {
			req, _ := http.NewRequest(http.MethodGet, "http://"+addr+memberTokens+"?limit=0", nil)
			req.Header.Set("Authorization", "Bearer mock-snapshot-taker")
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				header = resp.Header.Get("X-Astra-Violations")
				resp.Body.Close()
				break
			}
			if i == 3000 {
				t.Fatalf("the proxy never listened: %v", err)
			}
			select {
			case code := <-done:
				t.Fatalf("the proxy stopped: %d\n%s", code, stderr.String())
			default:
			}
			time.Sleep(10 * time.Millisecond) // the proxy builds its validators first
		}
		cancel()
		code := <-done
		t.Logf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		if code != tc.code {
			t.Errorf("-fail-on %s: exit %d, want %d", tc.failOn, code, tc.code)
		}
		if header != "client/query-invalid" || !strings.Contains(stdout.String(), `"id":"client/query-invalid"`) {
			t.Errorf("header %q; the log does not name client/query-invalid", header)
		}
		var sum struct {
			Violations []struct {
				Operation string
				Count     int
			}
		}
		b, _ := os.ReadFile(out)
		if err := json.Unmarshal(b, &sum); err != nil || len(sum.Violations) == 0 || sum.Violations[0].Operation != "listUserTokens" {
			t.Errorf("-out: %v\n%s", err, b)
		}
	}
}

func TestMinCoverageFailsAScenarioRun(t *testing.T) {
	t.Parallel()
	dir := featureDir(t, map[string]string{"roles.feature": rolesFeature})
	code, out, _ := command(t, nil, "-target", mocktest.Start(t).URL, "-fixtures", "default", "-features", dir, "-min-coverage", "50")
	if code != exitFail || !strings.Contains(out, "under -min-coverage 50") {
		t.Errorf("exit %d; want 1 and the coverage named", code)
	}
}
