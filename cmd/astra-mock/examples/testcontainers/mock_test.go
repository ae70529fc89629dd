// Package example runs the Astra Token API mock in a Go test with
// Testcontainers for Go: the astra-token-kit image (make image) is started
// for the test, waited on until its health check passes, reached through a
// port of 127.0.0.1, and removed when the test ends.
//
// Copy the test next to your client's code. ASTRA_MOCK_IMAGE names the
// image (default astra-token-kit:latest; push it to a registry your CI can
// pull from). It needs a Docker daemon; without one the test is skipped
// and says so. Testcontainers also starts Ryuk, a reaper container pulled
// from Docker Hub, to remove what a killed test leaves behind; where Docker
// Hub is out of reach, set TESTCONTAINERS_RYUK_DISABLED=true
// (CleanupContainer still removes the mock when the test ends).
package example

import (
	"context"
	"io"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

const (
	// memberTokens is the member's tokens in the mock's default fixtures,
	// memberCredential its credential.
	memberTokens     = "/accounts/5cef50e1-a468-4f74-98a6-832d4fd76096/core/v1/users/09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b/tokens"
	memberCredential = "mock-snapshot-taker"
	// adminToken opens the mock's admin API (journal, faults, reset). The
	// test reaches the mock through Docker's port mapping, which the mock
	// does not count as loopback, so without a token the admin API would
	// refuse it.
	adminToken = "example-admin-token"
)

// startMock starts the mock and returns its base URL.
func startMock(t *testing.T) string {
	t.Helper()
	testcontainers.SkipIfProviderIsNotHealthy(t)
	image := os.Getenv("ASTRA_MOCK_IMAGE")
	if image == "" {
		image = "astra-token-kit:latest"
	}
	ctx := context.Background()
	ctr, err := testcontainers.Run(ctx, image,
		testcontainers.WithExposedPorts("8080/tcp"),
		testcontainers.WithEnv(map[string]string{
			"ASTRA_MOCK_ADMIN_TOKEN": adminToken,
			"ASTRA_MOCK_SEED":        "42", // the same ids and secrets every run
		}),
		// Publish the port on 127.0.0.1 only: the fixture credentials are
		// public. Where the Docker daemon is another machine (DOCKER_HOST=tcp://…,
		// Docker-in-Docker), drop this and use ctr.PortEndpoint instead.
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			hc.PortBindings = network.PortMap{
				network.MustParsePort("8080/tcp"): {{HostIP: netip.MustParseAddr("127.0.0.1")}},
			}
		}),
		testcontainers.WithWaitStrategy(wait.ForHealthCheck().WithStartupTimeout(time.Minute)),
	)
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatalf("starting %s: %v", image, err)
	}
	port, err := ctr.MappedPort(ctx, "8080/tcp")
	if err != nil {
		t.Fatal(err)
	}
	return "http://127.0.0.1:" + port.Port()
}

// send makes one request with a bearer credential and returns the status
// and the body.
func send(t *testing.T, method, url, credential, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+credential)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

// TestClientRetriesACreate is what a client's test looks like: the mock
// fails the next create once with 503, the client retries, and the journal
// shows both attempts. Here net/http stands in for the client.
func TestClientRetriesACreate(t *testing.T) {
	base := startMock(t)
	const create = `{"type":"application/astra-token","version":"1.0","name":"ci"}`

	rule := `{"method":"POST","path":"/tokens$","times":1,"status":503}`
	if code, body := send(t, http.MethodPost, base+"/__admin/faults", adminToken, rule); code != http.StatusCreated {
		t.Fatalf("adding the fault: %d %s", code, body)
	}
	if code, body := send(t, http.MethodPost, base+memberTokens, memberCredential, create); code != http.StatusServiceUnavailable {
		t.Fatalf("first create: %d %s, want the injected 503", code, body)
	}
	code, body := send(t, http.MethodPost, base+memberTokens, memberCredential, create)
	if code != http.StatusCreated || !strings.Contains(body, `"token":"`) {
		t.Fatalf("retried create: %d %s, want 201 with the secret", code, body)
	}

	code, body = send(t, http.MethodGet, base+"/__admin/requests?method=POST&path=/tokens$", adminToken, "")
	if code != http.StatusOK || !strings.Contains(body, `"total":2`) {
		t.Fatalf("the journal: %d %s, want the two creates", code, body)
	}
	if code, body := send(t, http.MethodPost, base+"/__admin/reset", adminToken, ""); code != http.StatusNoContent {
		t.Fatalf("reset: %d %s", code, body)
	}
}
