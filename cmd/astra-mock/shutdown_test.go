package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSlowShutdownKeepsEveryAcknowledgedWrite: creates that take longer
// than the shutdown grace period (injected latency) are still running when
// the state is saved. Each one must either be in the saved state or be
// answered with a 5xx (or not at all): never a 201 for a token the next
// run does not have.
func TestSlowShutdownKeepsEveryAcknowledgedWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	base, stop, done := start(t, "-state", path, "-seed", "3", "-latency", "300ms±300ms", "-shutdown-timeout", "150ms")
	const n = 60
	type result struct {
		name   string
		status int // 0: no answer
	}
	results := make(chan result, n)
	var sent, written sync.WaitGroup
	for i := range n {
		sent.Add(1)
		written.Add(1)
		go func() {
			defer sent.Done()
			name := fmt.Sprintf("slow-%02d", i)
			body := `{"type":"application/astra-token","version":"1.0","name":"` + name + `"}`
			var once sync.Once
			wrote := func() { once.Do(written.Done) }
			defer wrote() // also when the request fails before it is written
			trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote() }}
			req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodPost, base+memberTokens, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer mock-snapshot-taker")
			client := &http.Client{Timeout: 10 * time.Second}
			resp, err := client.Do(req)
			if err != nil {
				results <- result{name: name}
				return
			}
			resp.Body.Close()
			results <- result{name: name, status: resp.StatusCode}
		}()
	}
	// Every create has been sent; a short wait lets the server read them
	// (their latency is up to 600 ms, past the 150 ms grace period).
	written.Wait()
	time.Sleep(50 * time.Millisecond)
	stop()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "requests still running after -shutdown-timeout") {
			t.Fatalf("run returned %v, want the error of a shutdown past its grace period", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop")
	}
	sent.Wait()
	close(results)

	var acknowledged, refused []string
	for r := range results {
		switch {
		case r.status == http.StatusCreated:
			acknowledged = append(acknowledged, r.name)
		case r.status == 0 || r.status >= 500:
			refused = append(refused, r.name)
		default:
			t.Errorf("create %s answered %d, want 201 or a 5xx", r.name, r.status)
		}
	}
	base, stop, done = start(t, "-state", path)
	_, list, _ := send(t, http.MethodGet, base+memberTokens+"?include=name", "mock-snapshot-taker", "")
	stopAndWait(t, stop, done)
	for _, name := range acknowledged {
		if !strings.Contains(list, `"`+name+`"`) {
			t.Errorf("%s was acknowledged (201) but is not in the saved state", name)
		}
	}
	if len(refused) == 0 {
		t.Errorf("every create finished within the grace period: the test shows nothing (latency too short?)")
	}

	t.Logf("%d creates acknowledged and saved, %d refused or unanswered", len(acknowledged), len(refused))
}
