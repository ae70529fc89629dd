package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// TestInterrupted: SIGINT or SIGTERM in the middle of a run lets the
// scenario in flight end, starts no other, reports the others as not run
// (skipped, not failed), deletes the tokens the run made and exits 130 or
// 143.
func TestInterrupted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sig  syscall.Signal
		name string
		code int
	}{
		{syscall.SIGINT, "SIGINT", 130},
		{syscall.SIGTERM, "SIGTERM", 143},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stack, err := admin.NewStack(admin.Config{})
			if err != nil {
				t.Fatal(err)
			}
			// A slow target: the run is in the middle of a scenario when
			// the signal comes, after the checks before the run and a
			// few requests of the scenarios.
			var requests atomic.Int64
			inFlight := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if requests.Add(1) == 8 {
					close(inFlight)
				}
				time.Sleep(50 * time.Millisecond)
				stack.Handler().ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)

			p := startProcess(t, t.TempDir(), "-target", srv.URL, "-fixtures", "default", "-format", "progress")
			select {
			case <-inFlight:
			case <-time.After(2 * time.Minute):
				t.Fatal("the run sent no requests")
			}
			if err := p.cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			atSignal := requests.Load()
			hung := time.AfterFunc(2*time.Minute, func() { p.cmd.Process.Kill() })
			code := p.wait(t)
			hung.Stop()
			// The scenario in flight ends and deletes its tokens; no other
			// starts (the whole run sends well over a thousand requests).
			// A count, not a time: the machine may be busy.
			if after := requests.Load() - atSignal; after > 100 {
				t.Errorf("the target received %d requests after the signal", after)
			}
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			out := p.stdout.String()
			summary := regexp.MustCompile(`(\d+) scenarios selected: (\d+) passed, (\d+) failed, (\d+) skipped`).FindStringSubmatch(out)
			switch {
			case summary == nil:
				t.Errorf("stdout lacks the summary")
			case summary[2] == "0" || summary[3] != "0" || summary[4] == "0":
				t.Errorf("summary %q: want the scenario in flight passed, none failed, the rest skipped", summary[0])
			}
			if want := "not run: interrupted by " + tc.name; !strings.Contains(out, want) {
				t.Errorf("stdout lacks %q", want)
			}
			if strings.Contains(out, "signal received") {
				t.Errorf("scenarios failed on the signal")
			}
			// Every token the run made is gone.
			resp, err := http.Get(srv.URL + "/__admin/state")
			if err != nil {
				t.Fatal(err)
			}
			state, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if left := regexp.MustCompile(`"cf-[0-9a-f]{8} [^"]*"`).FindAll(state, -1); len(left) > 0 {
				t.Errorf("tokens left behind: %s", bytes.Join(left, []byte(", ")))
			}
		})
	}
}
