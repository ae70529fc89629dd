package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"testing"
)

// healthcheck runs astra-mock -healthcheck with args and returns what it
// printed and its error.
func healthcheck(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out, io.Discard)
	return out.String(), err
}

// closedPort is an address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestHealthcheckPassesWhenTheMockAnswers(t *testing.T) {
	base, stop, done := start(t)
	defer stopAndWait(t, stop, done)
	addr := strings.TrimPrefix(base, "http://")
	for _, args := range [][]string{
		{"-healthcheck", base + "/__admin/health"},
		{"-healthcheck", base + "/openapi.yaml"},
		{"-healthcheck", "/__admin/health", "-addr", addr},
		{"-healthcheck", "/__admin/health", "-addr", strings.Replace(addr, "127.0.0.1", "0.0.0.0", 1)},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, err := healthcheck(t, args...)
			if err != nil {
				t.Fatalf("healthcheck failed: %v", err)
			}
			if !strings.HasPrefix(out, "astra-mock healthy: GET "+base+"/") || !strings.Contains(out, "200 OK") {
				t.Errorf("healthcheck printed %q", out)
			}
		})
	}
}

func TestHealthcheckFailsWhenTheMockDoesNotAnswerWell(t *testing.T) {
	base, stop, done := start(t, "-admin-token", "s3cret")
	defer stopAndWait(t, stop, done)
	down := closedPort(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"nothing listens", []string{"-healthcheck", "http://" + down + "/__admin/health"}, "connection refused"},
		{"nothing listens on -addr", []string{"-healthcheck", "/__admin/health", "-addr", down}, "connection refused"},
		{"the admin token is missing", []string{"-healthcheck", base + "/__admin/health"}, "401 Unauthorized"},
		{"the admin token is wrong", []string{"-healthcheck", base + "/__admin/health", "-admin-token", "guess"}, "401 Unauthorized"},
		{"a Token API path needs a credential", []string{"-healthcheck", base + memberTokens}, "401 Unauthorized"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := healthcheck(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("healthcheck: %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// TestHealthcheckSendsTheAdminToken: the check is configured like the mock
// (flag or ASTRA_MOCK_ADMIN_TOKEN), so it passes against a mock that
// requires a token, on the shared listener and on -admin-addr.
func TestHealthcheckSendsTheAdminToken(t *testing.T) {
	apiAddr, adminAddr := closedPort(t), closedPort(t)
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", apiAddr, "-admin-addr", adminAddr, "-admin-token", "s3cret", "-log", "none"}, w, io.Discard)
		w.Close()
	}()
	ready := make([]byte, 256)
	if _, err := out.Read(ready); err != nil {
		cancel()
		t.Fatalf("no ready line: %v", err)
	}
	go io.Copy(io.Discard, out)
	defer stopAndWait(t, cancel, done)

	if _, err := healthcheck(t, "-healthcheck", "/__admin/health", "-addr", apiAddr, "-admin-addr", adminAddr, "-admin-token", "s3cret"); err != nil {
		t.Errorf("healthcheck with -admin-token: %v", err)
	}
	t.Setenv("ASTRA_MOCK_ADMIN_TOKEN", "s3cret")
	t.Setenv("ASTRA_MOCK_ADDR", apiAddr)
	t.Setenv("ASTRA_MOCK_ADMIN_ADDR", adminAddr)
	if _, err := healthcheck(t, "-healthcheck", "/__admin/health"); err != nil {
		t.Errorf("healthcheck configured by ASTRA_MOCK_*: %v", err)
	}
	if _, err := healthcheck(t, "-healthcheck", "/openapi.yaml"); err != nil {
		t.Errorf("healthcheck of the API listener: %v", err)
	}
}

func TestHealthcheckRefusesWhatIsNotAURL(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-healthcheck", "ftp://127.0.0.1/x"}, "neither an http(s) URL nor a path"},
		{[]string{"-healthcheck", "127.0.0.1:8080/__admin/health"}, "neither an http(s) URL nor a path"},
		{[]string{"-healthcheck", "http://"}, "neither an http(s) URL nor a path"},
		{[]string{"-healthcheck", "/__admin/health", "-addr", ":0"}, "picks a free port"},
		{[]string{"-healthcheck", "/__admin/health", "-addr", "nohost"}, `-addr "nohost" is not HOST:PORT: missing port in address`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, err := healthcheck(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("healthcheck: %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

func TestDialURLOfAListenAddress(t *testing.T) {
	for addr, want := range map[string]string{
		":8080":          "http://127.0.0.1:8080",
		"0.0.0.0:8080":   "http://127.0.0.1:8080",
		"[::]:8080":      "http://127.0.0.1:8080",
		"127.0.0.1:9":    "http://127.0.0.1:9",
		"localhost:9":    "http://localhost:9",
		"[::1]:9":        "http://[::1]:9",
		"10.1.2.3:12345": "http://10.1.2.3:12345",
	} {
		if got, err := dialURL(addr); err != nil || got != want {
			t.Errorf("dialURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}

// TestHealthcheckNamesTheAddressAsTheUserGaveIt: a listen address a path
// cannot be taken on is named by its flag, or by its variable when it came
// from the environment (as in the container image).
func TestHealthcheckNamesTheAddressAsTheUserGaveIt(t *testing.T) {
	if _, err := healthcheck(t, "-healthcheck", "/__admin/health", "-admin-addr", ":0"); err == nil || !strings.Contains(err.Error(), `-admin-addr ":0" picks a free port`) {
		t.Errorf("healthcheck with -admin-addr :0: %v", err)
	}
	t.Setenv("ASTRA_MOCK_ADDR", ":0")
	if _, err := healthcheck(t, "-healthcheck", "/__admin/health"); err == nil || !strings.Contains(err.Error(), `ASTRA_MOCK_ADDR ":0" picks a free port`) {
		t.Errorf("healthcheck with ASTRA_MOCK_ADDR=:0: %v", err)
	}
}
