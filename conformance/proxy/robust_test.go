package proxy_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/conformance/proxy"
)

const tokens = "/accounts/5cef50e1-a468-4f74-98a6-832d4fd76096/core/v1/users/09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b/tokens"

// front starts a proxy to target with cfg.
func front(t *testing.T, target string, cfg proxy.Config) (*proxy.Proxy, *httptest.Server) {
	t.Helper()
	cfg.Target, _ = url.Parse(target)
	p, err := proxy.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv
}

// get sends a GET of the member's tokens through srv.
func get(t *testing.T, srv *httptest.Server) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+tokens, nil)
	req.Header.Set("Authorization", "Bearer mock-snapshot-taker")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	json.NewDecoder(resp.Body).Decode(&doc)
	return resp, doc
}

// reported returns the count of rule in p's summary.
func reported(p *proxy.Proxy, rule string) int {
	n := 0
	for _, tl := range p.Summary().Tallies {
		if tl.Rule.ID == rule {
			n += tl.Count
		}
	}
	return n
}

// TestTargetFailures: a target that is down, slow or closes the
// connection gives the client 502 or 504 as a problem, reported.
func TestTargetFailures(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	closing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(closing.Close)
	halfBody := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte(`{"type":`))
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(halfBody.Close)

	for _, c := range []struct {
		name   string
		target string
		status int
	}{
		{"down", down.URL, http.StatusBadGateway},
		{"slow", slow.URL, http.StatusGatewayTimeout},
		{"closes the connection", closing.URL, http.StatusBadGateway},
		{"closes the connection in the body", halfBody.URL, http.StatusBadGateway},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, srv := front(t, c.target, proxy.Config{Timeout: 100 * time.Millisecond, ViolationsHeader: true})
			resp, doc := get(t, srv)
			if resp.StatusCode != c.status || resp.Header.Get("Content-Type") != "application/problem+json" ||
				doc["type"] != "about:blank" || doc["status"] != strconv.Itoa(c.status) {
				t.Errorf("got %s %s %v, want %d as an about:blank problem", resp.Status, resp.Header.Get("Content-Type"), doc, c.status)
			}
			if reported(p, "server/no-answer") != 1 || !strings.Contains(resp.Header.Get(proxy.ViolationsHeader), "server/no-answer") {
				t.Errorf("not reported: %+v, header %q", p.Summary().Tallies, resp.Header.Get(proxy.ViolationsHeader))
			}
		})
	}
}

// TestHugeBodies: a request body over the bound reaches the target whole
// and is reported; an answer over the bound reaches the client whole,
// unjudged.
func TestHugeBodies(t *testing.T) {
	const size = 8 << 20
	var received int64
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			received, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(bytes.Repeat([]byte(" "), size))
	}))
	t.Cleanup(target.Close)
	p, srv := front(t, target.URL, proxy.Config{})

	req, _ := http.NewRequest(http.MethodPost, srv.URL+tokens, io.LimitReader(zeros{}, size))
	req.Header.Set("Authorization", "Bearer mock-snapshot-taker")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if received != size || reported(p, "client/body-too-large") != 1 {
		t.Errorf("the target received %d of %d bytes; reported %+v", received, size, p.Summary().Tallies)
	}

	resp, err = srv.Client().Get(srv.URL + tokens)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if n != size || p.Summary().Unjudged != 1 {
		t.Errorf("the client received %d of %d bytes; %d unjudged", n, size, p.Summary().Unjudged)
	}
}

type zeros struct{}

func (zeros) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

// TestNoSecretKept: violations name neither the credential sent nor a
// token secret answered, even when the validator quotes them.
func TestNoSecretKept(t *testing.T) {
	const secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQ" // not base64 padded: breaks the schema
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"type":"application/astra-token","version":"1.0","token":"` + secret + `"}`))
	}))
	t.Cleanup(target.Close)
	var logged []string
	p, srv := front(t, target.URL, proxy.Config{Log: func(v proxy.Violation) { logged = append(logged, v.String()) }})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+tokens+"?x=1", strings.NewReader(`{"name":"n","type":"application/astra-token","version":"1.0"}`))
	req.Header.Set("Authorization", "Bearer the-credential")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	all, _ := json.Marshal(p.Summary())
	text := string(all) + strings.Join(logged, "\n")
	if len(logged) == 0 || strings.Contains(text, secret) || strings.Contains(text, "the-credential") {
		t.Errorf("a secret is kept, or nothing reported:\n%s", text)
	}
}
