//go:build loadtest

// The tests that build astra-mock and run it under load, briefly: make load
// runs them (go test -tags loadtest) before it measures; make test does not.

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// buildMock builds cmd/astra-mock into a temporary directory.
func buildMock(t *testing.T) string { return build(t, "astra-mock") }

// build builds cmd/name into a temporary directory.
func build(t *testing.T, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", bin, "github.com/astra-contract/astra-token-kit/cmd/"+name).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// briefly are the flags of a run short enough for every CI job.
func briefly(mock string) []string {
	return []string{"-mock", mock, "-duration", "200ms", "-warmup", "50ms", "-concurrency", "8", "-tokens", "2000", "-starts", "1"}
}

func TestARunMeasuresEveryFigure(t *testing.T) {
	var out bytes.Buffer
	args := append(briefly(buildMock(t)), "-proxy", build(t, "astra-conformance"))
	if err := run(t.Context(), args, &out); err != nil {
		t.Fatalf("run: %v\nreport:\n%s", err, &out)
	}
	rss := `RSS: \d+\.\d MiB before, \d+\.\d MiB after: \d+ bytes per token`
	if _, err := os.Stat("/proc/self/status"); err != nil {
		rss = `RSS: not measured, this needs Linux's /proc: .*`
	}
	load := ` +\d+ req/s +p50 +\d+\.\d\d ms +p99 +\d+\.\d\d ms +\d+ requests +0 errors`
	for _, line := range []string{
		`mock: .*astra-mock \(astra-mock .*\); .* CPUs, go.*`,
		`settings: -duration 200ms -warmup 50ms -concurrency 8 -tokens 2000 -starts 1`,
		`startup, exec to the first 200 on GET list: \d+\.\d ms \(median of 1; min \d+\.\d, max \d+\.\d\)`,
		`GET list +astra-mock` + load + ` +\d+% of bare`,
		`GET list +through proxy` + load + ` +\d+% of astra-mock, p50 [+-]\d+\.\d\d ms`,
		`GET list +ReverseProxy` + load + ` +\d+% of astra-mock, p50 [+-]\d+\.\d\d ms`,
		`GET list +bare net/http` + load,
		`POST create +astra-mock` + load + ` +\d+% of bare`,
		`POST create +through proxy` + load + ` +\d+% of astra-mock, p50 [+-]\d+\.\d\d ms`,
		`POST create +ReverseProxy` + load + ` +\d+% of astra-mock, p50 [+-]\d+\.\d\d ms`,
		`POST create +bare net/http` + load,
		`memory, 2000 tokens created through the API:`,
		`POST create +astra-mock +\d+ req/s +p50 +\d+\.\d\d ms +p99 +\d+\.\d\d ms +2000 requests +0 errors`,
		rss,
		`unpaged list of the tokens +\d+\.\d{3} s +\d+\.\d MiB`,
		`GET /__admin/state +\d+\.\d{3} s +\d+\.\d MiB`,
		`PUT /__admin/state +\d+\.\d{3} s +\d+\.\d MiB`,
	} {
		if !regexp.MustCompile(`(?m)^` + line + `$`).MatchString(out.String()) {
			t.Errorf("no line matching %q in\n%s", line, &out)
		}
	}
	for _, bad := range []string{"error:", "NaN", "Inf", "note:"} {
		if strings.Contains(out.String(), bad) {
			t.Errorf("a run without errors printed %q:\n%s", bad, &out)
		}
	}
}

func TestARunWhoseRequestsFailSaysSoAndFails(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell")
	}
	// A mock whose admin API wants a credential the bench does not send:
	// the state requests of the memory phase are answered 401.
	wrapper := filepath.Join(t.TempDir(), "locked-mock")
	script := "#!/bin/sh\nexec '" + buildMock(t) + "' -admin-token not-sent \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	args := append(briefly(wrapper), "-starts", "0", "-tokens", "50")
	err := run(t.Context(), args, &out)
	if err == nil || !strings.HasPrefix(err.Error(), "2 requests failed") {
		t.Fatalf("run with a locked admin API: %v, want an error saying 2 requests failed\n%s", err, &out)
	}
	for _, line := range []string{
		`GET /__admin/state +error: GET /__admin/state answered 401 Unauthorized: .*`,
		`PUT /__admin/state +error: PUT /__admin/state answered 401 Unauthorized: .*`,
		`POST create +astra-mock .* 50 requests +0 errors`,
	} {
		if !regexp.MustCompile(`(?m)^` + line + `$`).MatchString(out.String()) {
			t.Errorf("no line matching %q in\n%s", line, &out)
		}
	}
}
