package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/astra-contract/astra-token-kit/conformance/explore"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
	"github.com/astra-contract/astra-token-kit/mockserver/mocktest"
)

func TestExploreMockAgainstMock(t *testing.T) {
	t.Parallel()
	code, out, _ := command(t, nil, "-target", mocktest.Start(t).URL, "-fixtures", "default",
		"-explore", "300", "-seed", "5", "-reference", mocktest.Start(t).URL)
	if code != exitPass {
		t.Fatalf("exit %d, want 0", code)
	}
	for _, want := range []string{"seed 5", "reference http://", "Contract coverage", "the target agrees with the reference", "300 requests", ": 0 findings"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
}

// withoutLocation is the mock with one rule broken: a 201 carries no
// Location (schemas/CONTRACT.md §7).
func withoutLocation(t *testing.T) string {
	t.Helper()
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		stack.Handler().ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			if k != "Location" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestExploreFindingFailsTheRunWithARepro(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	repro, report := filepath.Join(dir, "repro.feature"), filepath.Join(dir, "report.xml")
	code, out, _ := command(t, nil, "-target", withoutLocation(t), "-fixtures", "default", "-explore", "200", "-seed", "1",
		"-reference", mocktest.Start(t).URL, "-repro", repro, "-format", "junit", "-out", report)
	if code != exitFail {
		t.Fatalf("exit %d, want 1", code)
	}
	feature, err := os.ReadFile(repro)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Finding: answers satisfy the contract", "written to " + repro, string(feature),
		"The repro against the target: failed", "The repro against the reference: passed"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if !strings.Contains(string(feature), "When I send POST to \"{user tokens of") {
		t.Errorf("the repro does not create a token:\n%s", feature)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal(data, &suites); err != nil {
		t.Fatalf("-out is not JUnit XML: %v", err)
	}
	if suites.Tests != len(explore.Families()) || suites.Failures != 1 {
		t.Errorf("tests=%d failures=%d, want one case per property family (%d), one failed", suites.Tests, suites.Failures, len(explore.Families()))
	}
	// The suite runs the repro as any feature file.
	code, _, _ = command(t, nil, "-target", withoutLocation(t), "-fixtures", "default", "-features", repro)
	if code != exitFail {
		t.Errorf("-features %s against the broken target: exit %d, want 1", repro, code)
	}
	code, _, _ = command(t, nil, "-target", mocktest.Start(t).URL, "-fixtures", "default", "-features", repro)
	if code != exitPass {
		t.Errorf("-features %s against the mock: exit %d, want 0", repro, code)
	}
}

func TestExploreCucumberOnStdout(t *testing.T) {
	t.Parallel()
	code, out, errOut := command(t, nil, "-target", mocktest.Start(t).URL, "-fixtures", "default", "-explore", "50", "-format", "cucumber")
	if code != exitPass {
		t.Fatalf("exit %d", code)
	}
	var report []struct {
		Elements []struct {
			Name string `json:"name"`
		} `json:"elements"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("stdout is not cucumber JSON: %v", err)
	}
	if len(report) != 1 || len(report[0].Elements) != len(explore.Families()) {
		t.Errorf("report: %+v", report)
	}
	if !strings.Contains(errOut, "seed ") {
		t.Errorf("the seed is not printed (on stderr, with a report on stdout)")
	}
}

func TestExploreUsage(t *testing.T) {
	t.Parallel()
	target := mocktest.Start(t).URL
	notAMock := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notAMock.Close)
	for _, args := range [][]string{
		{"-seed", "1"},
		{"-reference", target},
		{"-explore", "-3"},
		{"-explore", "5", "-reference", "ftp://x"},
		{"-explore", "5", "-rate", "-1"},
		{"-explore", "5", "-cleanup"},
		{"-explore", "5", "-tags", "@list"},
		{"-explore", "5", "-reference", notAMock.URL},
	} {
		code, _, errOut := command(t, nil, append([]string{"-target", target, "-fixtures", "default"}, args...)...)
		if code != exitUsage || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the reason", args, code, errOut)
		}
	}
	code, _, _ := command(t, nil, "-target", "http://127.0.0.1:1", "-fixtures", "default", "-explore", "5")
	if code != exitUsage {
		t.Errorf("an unreachable target: exit %d, want 2", code)
	}
}

// TestExploreInterrupted: Ctrl-C stops the exploration, deletes what it
// made, and exits 130.
func TestExploreInterrupted(t *testing.T) {
	t.Parallel()
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 150 {
			cancel(interrupted{syscall.SIGINT})
		}
		stack.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var out, errOut bytes.Buffer
	code := runEnv(ctx, []string{"-target", srv.URL, "-fixtures", "default", "-explore", "100000", "-seed", "3"}, func(string) string { return "" }, &out, &errOut)
	t.Logf("stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
	if code != 130 {
		t.Fatalf("exit %d, want 130", code)
	}
	if !strings.Contains(errOut.String(), "SIGINT: "+exploreStopped) {
		t.Errorf("stderr does not say what became of the run: %q", errOut.String())
	}
	resp, err := http.Get(srv.URL + "/__admin/state")
	if err != nil {
		t.Fatal(err)
	}
	state, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(state), `"name":"cf-`) {
		t.Errorf("tokens the run made are left:\n%s", state)
	}
}
