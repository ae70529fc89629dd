package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

const (
	// requestTimeout bounds one request of a load.
	requestTimeout = 30 * time.Second
	// pollEvery is how often a starting mock is asked for its token list.
	pollEvery = time.Millisecond
)

// bench runs the phases and keeps the clients they share.
type bench struct {
	o        *options
	progress io.Writer
	load     *http.Client // keeps -concurrency connections alive
	poll     *http.Client // a new connection for every poll, as a fresh client would
	big      *http.Client // the memory phase's long requests, bounded by -timeout
}

func newBench(o *options, progress io.Writer) *bench {
	// No proxy from the environment: every server measured is on 127.0.0.1.
	transport := func(conns int) *http.Transport {
		return &http.Transport{
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			DisableCompression:  true,
		}
	}
	return &bench{
		o:        o,
		progress: progress,
		load:     &http.Client{Timeout: requestTimeout, Transport: transport(o.concurrency)},
		poll:     &http.Client{Timeout: requestTimeout, Transport: &http.Transport{DisableKeepAlives: true}},
		big:      &http.Client{Transport: transport(1)},
	}
}

func (b *bench) close() {
	for _, c := range []*http.Client{b.load, b.poll, b.big} {
		c.CloseIdleConnections()
	}
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.progress, "loadbench: "+format+"\n", args...)
}

// run runs every phase and returns the report of what it measured, also
// when a phase fails.
func (b *bench) run(ctx context.Context) (*report, error) {
	rep := newReport(b.o, b.mockVersion(ctx))
	var err error
	if b.o.starts > 0 {
		if rep.Startup, err = b.startup(ctx); err != nil {
			return rep, fmt.Errorf("startup: %w", err)
		}
	}
	for _, op := range []operation{
		{"GET list", http.StatusOK, b.listRequest},
		{"POST create", http.StatusCreated, b.createRequest},
	} {
		rows, err := b.compare(ctx, op)
		rep.Loads = append(rep.Loads, rows...)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", op.name, err)
		}
	}
	if b.o.tokens > 0 {
		rep.Memory, err = b.memory(ctx)
		if err != nil {
			return rep, fmt.Errorf("memory: %w", err)
		}
	}
	return rep, nil
}

// mockVersion is what the mock's -version prints, or why it printed nothing.
func (b *bench) mockVersion(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, b.o.mock, "-version").Output()
	if err != nil {
		return fmt.Sprintf("unknown (-version: %v)", err)
	}
	return strings.TrimSpace(string(out))
}

// tokensPath is the member's token collection on a server at base.
func (b *bench) tokensPath(base string) string {
	return fmt.Sprintf("%s/accounts/%s/core/v1/users/%s/tokens", base, b.o.account, b.o.user)
}

func (b *bench) listRequest(base string) request {
	return request{
		method: http.MethodGet,
		url:    b.tokensPath(base),
		header: http.Header{"Authorization": {"Bearer " + b.o.bearer}},
	}
}

// createRequest makes a valid create body (schemas/create-request.json)
// with a name of its own for every request.
func (b *bench) createRequest(base string) request {
	return request{
		method: http.MethodPost,
		url:    b.tokensPath(base),
		header: http.Header{"Authorization": {"Bearer " + b.o.bearer}, "Content-Type": {"application/json"}},
		body: func(i int64) []byte {
			return fmt.Appendf(nil, `{"type":"application/astra-token","version":"1.0","name":"load %d"}`, i)
		},
	}
}

// startup starts the mock -starts times and returns the median time from
// exec to the first 200 on the member's token list.
func (b *bench) startup(ctx context.Context) (*startupFigures, error) {
	var times []time.Duration
	for i := range b.o.starts {
		b.logf("startup %d of %d", i+1, b.o.starts)
		d, err := b.startOnce(ctx)
		if err != nil {
			return nil, err
		}
		times = append(times, d)
	}
	slices.Sort(times)
	n := len(times)
	median := times[n/2]
	if n%2 == 0 {
		median = (times[n/2-1] + times[n/2]) / 2
	}
	return &startupFigures{Starts: n, MedianMS: ms(median), MinMS: ms(times[0]), MaxMS: ms(times[n-1])}, nil
}

func (b *bench) startOnce(ctx context.Context) (time.Duration, error) {
	p, err := startMock(ctx, b.o.mock, b.o.startTimeout)
	if err != nil {
		return 0, err
	}
	defer b.stop(p)
	list := b.listRequest(p.base)
	deadline := p.started.Add(b.o.startTimeout)
	var last error
	for range int(b.o.startTimeout/pollEvery) + 1 {
		if _, last = send(ctx, b.poll, list, 0, nil); last == nil {
			return time.Since(p.started), nil
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(pollEvery)
	}
	return 0, fmt.Errorf("no 200 on GET list within %v of exec: %w", b.o.startTimeout, last)
}

// stop stops a mock and reports a mock that had to be killed.
func (b *bench) stop(p *mockProcess) {
	if err := p.stop(); err != nil {
		b.logf("%v", err)
	}
}

// operation is one kind of request under load; status is the mock's
// answer to it, which the bare server answers too.
type operation struct {
	name    string
	status  int
	request func(base string) request
}

// compare runs op against a fresh mock, then against a bare server that
// answers what the mock answered, and returns a row for each.
func (b *bench) compare(ctx context.Context, op operation) ([]loadFigures, error) {
	p, err := startMock(ctx, b.o.mock, b.o.startTimeout)
	if err != nil {
		return nil, err
	}
	body := b.sample(ctx, op.request(p.base))
	mock := b.loadOn(ctx, op, p.base, "astra-mock", p.pid())
	b.stop(p)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	bare, err := startBare(op.status, body)
	if err != nil {
		return nil, err
	}
	ref := b.loadOn(ctx, op, bare.base, "bare net/http", 0)
	if err := bare.close(); err != nil {
		return nil, err
	}
	rows := []loadFigures{
		newLoadFigures(op.name, "astra-mock", mock),
		newLoadFigures(op.name, "bare net/http", ref),
	}
	if ref.perSecond() > 0 {
		rows[0].MockToBare = mock.perSecond() / ref.perSecond()
	}
	return rows, ctx.Err()
}

// sample sends r once and returns the body of the answer, which the bare
// server then answers with the status op expects. Without a 2xx answer
// it answers an empty object (the load against the mock will say why).
func (b *bench) sample(ctx context.Context, r request) []byte {
	var body bytes.Buffer
	if _, err := send(ctx, b.load, r, 0, &body); err != nil {
		return []byte("{}")
	}
	return body.Bytes()
}

// loadOn warms the server at base up, then measures op on it, and the CPU
// time of the server's process pid during the measured load if it is not 0.
func (b *bench) loadOn(ctx context.Context, op operation, base, server string, pid int) result {
	defer b.load.CloseIdleConnections()
	r := op.request(base)
	if b.o.warmup > 0 {
		b.logf("%s on %s: %v warm-up", op.name, server, b.o.warmup)
		drive(ctx, b.load, r, b.o.concurrency, limits{b.o.warmup, maxLoadRequests})
	}
	b.logf("%s on %s: %v, %d connections", op.name, server, b.o.duration, b.o.concurrency)
	var cpu0 time.Duration
	if pid != 0 {
		cpu0, _ = readCPU(pid)
	}
	res := drive(ctx, b.load, r, b.o.concurrency, limits{b.o.duration, maxLoadRequests})
	if pid != 0 {
		if cpu1, err := readCPU(pid); err == nil {
			res.serverCPU = cpu1 - cpu0
		}
	}
	return res
}

// memory creates -tokens tokens in a fresh mock and measures its resident
// set, then the steps that move all of them at once.
func (b *bench) memory(ctx context.Context) (*memoryFigures, error) {
	p, err := startMock(ctx, b.o.mock, b.o.startTimeout)
	if err != nil {
		return nil, err
	}
	defer b.stop(p)
	pid := p.pid()
	m := &memoryFigures{Tokens: b.o.tokens, Connections: b.o.concurrency}
	before, err := readStatus(pid, "VmRSS")
	if err != nil {
		m.NoRSS = fmt.Sprintf("not measured, this needs Linux's /proc: %v", err)
	}

	b.logf("memory: creating %d tokens with %d connections", b.o.tokens, b.o.concurrency)
	cpu0, _ := readCPU(pid)
	created := drive(ctx, b.load, b.createRequest(p.base), b.o.concurrency, limits{b.o.timeout, int64(b.o.tokens)})
	if cpu1, err := readCPU(pid); err == nil {
		created.serverCPU = cpu1 - cpu0
	}
	b.load.CloseIdleConnections()
	m.Create = newLoadFigures("POST create", "astra-mock", created)
	if ctx.Err() != nil {
		return m, ctx.Err()
	}
	if created.requests < int64(b.o.tokens) {
		return m, fmt.Errorf("sent %d of %d creates within -timeout %v", created.requests, b.o.tokens, b.o.timeout)
	}
	if m.NoRSS == "" {
		after, err := readStatus(pid, "VmRSS")
		if err != nil {
			return m, err
		}
		m.RSSBefore, m.RSSAfter = before, after
		m.BytesPerToken = float64(after-before) / float64(b.o.tokens)
	}

	base := p.base
	admin := http.Header{"Content-Type": {"application/json"}}
	b.logf("memory: the unpaged list")
	m.List = b.step(ctx, pid, m.NoRSS == "", b.listRequest(base), nil)
	b.logf("memory: GET /__admin/state")
	var state bytes.Buffer
	m.GetState = b.step(ctx, pid, m.NoRSS == "", request{method: http.MethodGet, url: base + "/__admin/state"}, &state)
	b.logf("memory: PUT /__admin/state of %d bytes", state.Len())
	m.PutState = b.step(ctx, pid, m.NoRSS == "", request{
		method: http.MethodPut, url: base + "/__admin/state", header: admin,
		body: func(int64) []byte { return state.Bytes() },
	}, nil)
	m.PutState.Bytes = int64(state.Len())
	return m, ctx.Err()
}

// step times one request of the memory phase and the peak of the mock's
// resident set over its own at the start.
func (b *bench) step(ctx context.Context, pid int, rss bool, r request, w io.Writer) stepFigures {
	ctx, cancel := context.WithTimeout(ctx, b.o.timeout)
	defer cancel()
	var before int64
	var watch *rssWatch
	if rss {
		before, _ = readStatus(pid, "VmRSS")
		watch = watchRSS(pid)
	}
	start := time.Now()
	n, err := send(ctx, b.big, r, 0, w)
	s := stepFigures{Seconds: time.Since(start).Seconds(), Bytes: n}
	if watch != nil {
		s.PeakRSSIncrease = watch.stop() - before
	}
	if err != nil {
		s.Error = err.Error()
	}
	return s
}

// cpuModel is the model name of this machine's first CPU, if the system says.
func cpuModel() string {
	model := ""
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(data)) {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimLeft(name, " \t:"))
				break
			}
		}
	}
	return model
}
