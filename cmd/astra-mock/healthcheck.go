package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// healthTimeout bounds one health check, connection and answer included.
const healthTimeout = 5 * time.Second

// checkHealth is astra-mock -healthcheck: one GET, healthy on a 2xx answer,
// an error (exit status 1) otherwise. It needs neither a shell nor curl, so
// an image built FROM scratch can use it as its HEALTHCHECK. The admin
// token, when one is configured, is sent with requests for admin paths.
func (o *options) checkHealth(ctx context.Context, stdout io.Writer) error {
	target, err := o.healthURL()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
	if err != nil {
		return fmt.Errorf("-healthcheck: %w", err)
	}
	if o.adminToken != "" && isAdminPath(target.Path) {
		req.Header.Set("Authorization", "Bearer "+o.adminToken)
	}
	// No proxy from the environment: the mock checked is this machine's.
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("healthcheck: GET %s answered %s: %s", target, resp.Status, strings.TrimSpace(string(body)))
	}
	fmt.Fprintf(stdout, "astra-mock healthy: GET %s answered %s\n", target, resp.Status)
	return nil
}

// healthURL is what -healthcheck asks for: an http(s) URL as given, or a
// path taken on this configuration's own listener (-admin-addr for admin
// paths when it is set, else -addr), so that a health check configured by
// the same ASTRA_MOCK_* variables as the mock follows its address.
func (o *options) healthURL() (*url.URL, error) {
	raw := o.healthcheck
	if strings.HasPrefix(raw, "/") {
		f, addr := "addr", o.addr
		if o.adminAddr != "" && isAdminPath(raw) {
			f, addr = "admin-addr", o.adminAddr
		}
		base, err := dialURL(addr)
		if err != nil {
			return nil, fmt.Errorf("-healthcheck %s: %s %w", raw, o.name(f), err)
		}
		raw = base + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("-healthcheck: %q is neither an http(s) URL nor a path starting with /", o.healthcheck)
	}
	return u, nil
}

// dialURL is the base URL that reaches a listen address from this machine
// (an unspecified host is reached through 127.0.0.1), like baseURL for a
// listener that is not open yet.
func dialURL(addr string) (string, error) {
	if err := checkListenAddr(addr); err != nil {
		return "", err
	}
	host, port, _ := net.SplitHostPort(addr)
	if port == "0" || port == "" {
		return "", fmt.Errorf("%q picks a free port, so a path alone cannot find it: give the mock's URL", addr)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// isAdminPath reports whether p is served by the admin API.
func isAdminPath(p string) bool {
	return strings.HasPrefix(p+"/", admin.Prefix)
}
