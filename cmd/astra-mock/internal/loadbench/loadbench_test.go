package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestDriveCountsAnswersOutside2xxAsErrors(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%3 == 0 {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	res := drive(t.Context(), srv.Client(), request{method: http.MethodGet, url: srv.URL}, 3, limits{time.Minute, 30})
	if res.requests != 30 || res.errors != 10 || len(res.latencies) != 30 {
		t.Fatalf("30 requests, every third answered 500: %d sent, %d errors, %d latencies", res.requests, res.errors, len(res.latencies))
	}
	if res.firstError == nil || !strings.Contains(res.firstError.Error(), "500 Internal Server Error: no") {
		t.Errorf("first error: %v", res.firstError)
	}
}

func TestDriveStopsAtItsDuration(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	start := time.Now()
	res := drive(t.Context(), srv.Client(), request{method: http.MethodGet, url: srv.URL}, 2, limits{50 * time.Millisecond, maxLoadRequests})
	if took := time.Since(start); took > 5*time.Second || res.requests == 0 || res.errors != 0 {
		t.Fatalf("a 50ms load took %v: %d requests, %d errors", took, res.requests, res.errors)
	}
}

func TestPercentileIsTheNearestRank(t *testing.T) {
	r := result{}
	for i := 1; i <= 200; i++ {
		r.latencies = append(r.latencies, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 100 * time.Millisecond}, {0.99, 198 * time.Millisecond}, {1, 200 * time.Millisecond}, {0, time.Millisecond}} {
		if got := r.percentile(c.q); got != c.want {
			t.Errorf("p%v of 1..200 ms: %v, want %v", 100*c.q, got, c.want)
		}
	}
	if got := (result{}).percentile(0.5); got != 0 {
		t.Errorf("p50 of nothing: %v", got)
	}
}

// TestStopKillsAMockThatIgnoresSIGTERM: a mock that does not stop is
// killed, and stop says so.
func TestStopKillsAMockThatIgnoresSIGTERM(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell")
	}
	script := filepath.Join(t.TempDir(), "stubborn-mock")
	body := "#!/bin/sh\ntrap '' TERM\necho 'astra-mock listening on http://127.0.0.1:9'\nexec sleep 60\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := startMock(context.Background(), script, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if p.base != "http://127.0.0.1:9" {
		t.Errorf("base %q", p.base)
	}
	p.stopAfter = 100 * time.Millisecond
	start := time.Now()
	if err := p.stop(); err == nil || !strings.Contains(err.Error(), "was killed") {
		t.Errorf("stop: %v, want it to say the mock was killed", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("stop took %v", took)
	}
	if p.cmd.ProcessState == nil || p.cmd.ProcessState.Success() {
		t.Errorf("the process state after stop: %v", p.cmd.ProcessState)
	}
	if err := p.stop(); err != nil {
		t.Errorf("a second stop: %v", err)
	}
}
