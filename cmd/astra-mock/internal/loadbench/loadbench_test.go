package main

import (
	"math"
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

// onServer is a bench of concurrency workers sending GET requests to srv.
func onServer(srv *httptest.Server, concurrency int) (*bench, func(int64) request) {
	b := &bench{concurrency: concurrency, load: srv.Client()}
	return b, func(int64) request { return request{method: http.MethodGet, url: srv.URL} }
}

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

	b, get := onServer(srv, 3)
	res := b.drive(t.Context(), time.Minute, 30, get)
	if len(res.latencies) != 30 || res.errors != 10 {
		t.Fatalf("30 requests, every third answered 500: %d sent, %d errors", len(res.latencies), res.errors)
	}
	if res.firstError == nil || !strings.Contains(res.firstError.Error(), "500 Internal Server Error: no") {
		t.Errorf("first error: %v", res.firstError)
	}
}

func TestDriveStopsAtItsDuration(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	b, get := onServer(srv, 2)
	start := time.Now()
	res := b.drive(t.Context(), 50*time.Millisecond, math.MaxInt64, get)
	if took := time.Since(start); took > 5*time.Second || len(res.latencies) == 0 || res.errors != 0 {
		t.Fatalf("a 50ms load took %v: %d requests, %d errors", took, len(res.latencies), res.errors)
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

// TestStopKillsAProcessThatIgnoresSIGTERM: a mock that does not stop is
// killed, and stop says so.
func TestStopKillsAProcessThatIgnoresSIGTERM(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell")
	}
	script := filepath.Join(t.TempDir(), "stubborn-mock")
	// The script makes a file once it ignores SIGTERM: the test waits for it.
	body := "#!/bin/sh\ntrap '' TERM\n: >\"$0.ready\"\nexec sleep 60\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := start(script)
	if err != nil {
		t.Fatal(err)
	}
	for range 1000 {
		if _, err := os.Stat(script + ".ready"); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	err = p.stop(100 * time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "was killed") {
		t.Errorf("stop: %v, want it to say the process was killed", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("stop took %v", took)
	}
	if p.cmd.ProcessState == nil || p.cmd.ProcessState.Success() {
		t.Errorf("the process state after stop: %v", p.cmd.ProcessState)
	}
	if err := p.stop(time.Second); err != nil {
		t.Errorf("a second stop: %v", err)
	}
}
