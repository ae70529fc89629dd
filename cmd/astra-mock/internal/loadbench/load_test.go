//go:build loadtest

// The tests that build astra-mock and run it under load, briefly: make load
// runs them (go test -tags loadtest) before it measures; make test does not.

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// buildMock builds cmd/astra-mock into a temporary directory.
func buildMock(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "astra-mock")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", bin, "github.com/astra-contract/astra-token-kit/cmd/astra-mock").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// hasProc is whether this system has Linux's /proc, which the CPU and
// RSS figures need.
func hasProc() bool {
	_, err := os.Stat("/proc/self/stat")
	return err == nil
}

// briefly are the flags of a run short enough for every CI job.
func briefly(mock string, more ...string) []string {
	return append([]string{"-mock", mock, "-duration", "200ms", "-warmup", "50ms", "-concurrency", "8", "-tokens", "2000", "-starts", "1"}, more...)
}

func TestARunMeasuresEveryFigure(t *testing.T) {
	mock := buildMock(t)
	var out, progress bytes.Buffer
	if err := run(t.Context(), briefly(mock, "-json"), &out, &progress); err != nil {
		t.Fatalf("run: %v\nreport:\n%s\nprogress:\n%s", err, &out, &progress)
	}
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("-json printed no report: %v\n%s", err, &out)
	}

	if s := rep.Startup; s == nil || s.Starts != 1 || s.MedianMS <= 0 {
		t.Errorf("startup: %+v", s)
	}
	want := []struct{ op, server string }{
		{"GET list", "astra-mock"}, {"GET list", "bare net/http"},
		{"POST create", "astra-mock"}, {"POST create", "bare net/http"},
	}
	if len(rep.Loads) != len(want) {
		t.Fatalf("%d loads, want %d: %+v", len(rep.Loads), len(want), rep.Loads)
	}
	for i, l := range rep.Loads {
		if l.Operation != want[i].op || l.Server != want[i].server {
			t.Errorf("load %d is %s on %s, want %s on %s", i, l.Operation, l.Server, want[i].op, want[i].server)
		}
		if l.Requests == 0 || l.Errors != 0 || l.PerSecond <= 0 || l.P50MS <= 0 || l.P99MS < l.P50MS {
			t.Errorf("%s on %s: %+v", l.Operation, l.Server, l)
		}
		mockRow := l.Server == "astra-mock"
		if mockRow != (l.MockToBare > 0) {
			t.Errorf("%s on %s: mock/bare %v", l.Operation, l.Server, l.MockToBare)
		}
		if measured := mockRow && hasProc(); measured != (l.ServerCPUPercent > 0 && l.ServerCPUPerReq > 0) {
			t.Errorf("%s on %s: server CPU %v%%, %v µs/req", l.Operation, l.Server, l.ServerCPUPercent, l.ServerCPUPerReq)
		}
	}

	m := rep.Memory
	if m == nil {
		t.Fatal("no memory figures")
	}
	if m.Create.Requests != 2000 || m.Create.Errors != 0 || hasProc() != (m.Create.ServerCPUPerReq > 0) {
		t.Errorf("creating 2000 tokens: %+v", m.Create)
	}
	if hasProc() {
		if m.NoRSS != "" || m.RSSBefore <= 0 || m.RSSAfter <= m.RSSBefore || m.BytesPerToken <= 0 {
			t.Errorf("RSS figures on a system with /proc: %+v", m)
		}
	} else if m.NoRSS == "" {
		t.Errorf("no /proc, yet RSS figures: %+v", m)
	}
	for name, s := range map[string]stepFigures{"unpaged list": m.List, "GET state": m.GetState, "PUT state": m.PutState} {
		if s.Error != "" || s.Seconds <= 0 || s.Bytes < 2000*100 {
			t.Errorf("%s: %+v", name, s)
		}
	}

	// The tables print each figure.
	var text bytes.Buffer
	if err := rep.writeText(&text); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		`startup, exec to the first 200 on GET list \(median of 1\): \d+\.\d ms \(min \d+\.\d, max \d+\.\d\)`,
		`operation +server +req/s +p50 ms +p99 ms +requests +errors +server CPU +CPU µs/req +mock/bare`,
		`GET list +astra-mock +\d+ +\d+\.\d\d +\d+\.\d\d +\d+ +0 +(\d+%|-) +(\d+|-) +\d+%`,
		`GET list +bare net/http +\d+ +\d+\.\d\d +\d+\.\d\d +\d+ +0 +- +-`,
		`POST create +astra-mock +\d+ +\d+\.\d\d +\d+\.\d\d +\d+ +0 +(\d+%|-) +(\d+|-) +\d+%`,
		`POST create +bare net/http +\d+ +\d+\.\d\d +\d+\.\d\d +\d+ +0 +- +-`,
		`2000 tokens created through the API by 8 connections: \d+\.\d s \(\d+ req/s, p50 \d+\.\d\d ms, p99 \d+\.\d\d ms, server CPU (\d+%|-), (\d+|-) µs/req\), 0 errors`,
		`RSS: (\d+\.\d MiB before, \d+\.\d MiB after: \d+ bytes per token|not measured)`,
		`unpaged list of the tokens +\d+\.\d{3} +\d+\.\d +(-?\d+\.\d|-)`,
		`GET /__admin/state +\d+\.\d{3} +\d+\.\d +(-?\d+\.\d|-)`,
		`PUT /__admin/state +\d+\.\d{3} +\d+\.\d +(-?\d+\.\d|-)`,
	} {
		if !regexp.MustCompile(`(?m)^` + line + ` *$`).MatchString(text.String()) {
			t.Errorf("no line matching %q in\n%s", line, &text)
		}
	}
	if strings.Contains(text.String(), "ERRORS") || strings.Contains(text.String(), "NaN") {
		t.Errorf("a run without errors printed\n%s", &text)
	}
}

func TestARunWhoseRequestsFailSaysSoAndFails(t *testing.T) {
	mock := buildMock(t)
	var out, progress bytes.Buffer
	args := append(briefly(mock), "-starts", "0", "-tokens", "50", "-bearer", "not-a-credential")
	err := run(t.Context(), args, &out, &progress)
	if err == nil || !strings.Contains(err.Error(), "requests failed") {
		t.Fatalf("run with a credential the mock refuses: %v, want an error saying requests failed\n%s", err, &out)
	}
	text := out.String()
	for _, op := range []string{"GET list", "POST create"} {
		m := regexp.MustCompile(op + ` on astra-mock: (\d+) of (\d+), first: .*401 Unauthorized`).FindStringSubmatch(text)
		if m == nil || m[1] != m[2] || m[1] == "0" {
			t.Errorf("%s: every request on the mock should be counted as an error (%q) in\n%s", op, m, text)
		}
		if strings.Contains(text, op+" on bare net/http:") {
			t.Errorf("%s: the bare server answers 2xx, yet has errors in\n%s", op, text)
		}
	}
	if !strings.Contains(text, "creating 50 tokens: 50 of 50, first: ") {
		t.Errorf("the refused creates are not counted in\n%s", text)
	}
	if !regexp.MustCompile(`(?m)^ERRORS: \d+ requests failed`).MatchString(text) {
		t.Errorf("no ERRORS line in\n%s", text)
	}
}
