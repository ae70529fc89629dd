package proxy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/conformance/proxy"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// BenchmarkProxy measures what the proxy costs a request against the mock:
// each request as a GET of the member's list and of one token, directly and
// through a bare httputil.ReverseProxy (what any proxy costs) and through
// the proxy, one at a time (ns/op, and the median as p50-µs) and
// from many goroutines at once (req/s, the throughput).
//
//	go test -run '^$' -bench Proxy ./conformance/proxy
func BenchmarkProxy(b *testing.B) {
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		b.Fatal(err)
	}
	mock := httptest.NewServer(stack.Handler())
	defer mock.Close()
	target, _ := url.Parse(mock.URL)
	p, err := proxy.New(proxy.Config{Target: target})
	if err != nil {
		b.Fatal(err)
	}
	front := httptest.NewServer(p)
	defer front.Close()
	// A proxy that judges nothing: what any proxy costs on this machine.
	bare := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.SetURL(target) },
		Transport: proxy.Transport(http.DefaultTransport.(*http.Transport)),
	})
	defer bare.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: 64}
	client := &http.Client{Transport: transport}
	for _, base := range []struct{ name, url string }{{"direct", mock.URL}, {"bare", bare.URL}, {"proxy", front.URL}} {
		for _, path := range []struct{ name, path string }{
			{"list", tokens},
			{"get", tokens + "/43ab09af-e558-4b1b-a6d5-49df7c39f22c"},
		} {
			send := func(b *testing.B) {
				req, _ := http.NewRequest(http.MethodGet, base.url+path.path, nil)
				req.Header.Set("Authorization", "Bearer mock-snapshot-taker")
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %s", req.URL, resp.Status)
				}
			}
			b.Run(base.name+"/"+path.name+"/serial", func(b *testing.B) {
				took := make([]time.Duration, 0, b.N)
				for b.Loop() {
					start := time.Now()
					send(b)
					took = append(took, time.Since(start))
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
			})
			b.Run(base.name+"/"+path.name+"/parallel", func(b *testing.B) {
				b.SetParallelism(8)
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						send(b)
					}
				})
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
			})
		}
	}
	if n := p.Summary().Count(proxy.Server); n > 0 {
		b.Errorf("%d server violations", n)
	}
}
