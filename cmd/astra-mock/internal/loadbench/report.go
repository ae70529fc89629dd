package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// report is everything one run measured; -json prints it as it is.
type report struct {
	Date        time.Time       `json:"date"`
	Mock        string          `json:"mock"`
	MockVersion string          `json:"mockVersion"`
	Machine     string          `json:"machine"`
	Go          string          `json:"go"`
	Settings    string          `json:"settings"`
	Startup     *startupFigures `json:"startup,omitempty"`
	Loads       []loadFigures   `json:"loads"`
	Memory      *memoryFigures  `json:"memory,omitempty"`
}

type startupFigures struct {
	Starts   int     `json:"starts"`
	MedianMS float64 `json:"medianMs"`
	MinMS    float64 `json:"minMs"`
	MaxMS    float64 `json:"maxMs"`
}

type loadFigures struct {
	Operation  string  `json:"operation"`
	Server     string  `json:"server"`
	Requests   int64   `json:"requests"`
	Errors     int64   `json:"errors"`
	Seconds    float64 `json:"seconds"`
	PerSecond  float64 `json:"reqPerSec"`
	P50MS      float64 `json:"p50Ms"`
	P99MS      float64 `json:"p99Ms"`
	MockToBare float64 `json:"mockToBare,omitempty"` // the mock's req/s over the bare server's
	// The server's CPU time (user and system) over the load, as a share of
	// one core and per request; measured for the mock's process only
	// (Linux), as the bare server shares this one with the client.
	ServerCPUPercent float64 `json:"serverCpuPercent,omitempty"`
	ServerCPUPerReq  float64 `json:"serverCpuUsPerReq,omitempty"` // µs
	FirstError       string  `json:"firstError,omitempty"`
}

type memoryFigures struct {
	Tokens        int         `json:"tokens"`
	Connections   int         `json:"connections"`
	Create        loadFigures `json:"create"`
	NoRSS         string      `json:"noRss,omitempty"` // why there are no RSS figures
	RSSBefore     int64       `json:"rssBefore"`       // bytes, before the first create
	RSSAfter      int64       `json:"rssAfter"`        // bytes, when the last create was answered
	BytesPerToken float64     `json:"bytesPerToken"`
	List          stepFigures `json:"unpagedList"`
	GetState      stepFigures `json:"getState"`
	PutState      stepFigures `json:"putState"`
}

type stepFigures struct {
	Seconds         float64 `json:"seconds"`
	Bytes           int64   `json:"bytes"`           // of the document moved
	PeakRSSIncrease int64   `json:"peakRssIncrease"` // bytes over the RSS at the start
	Error           string  `json:"error,omitempty"`
}

func newReport(o *options, mockVersion string) *report {
	m := fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	if model := cpuModel(); model != "" {
		m += " (" + model + ")"
	}
	return &report{
		Date:        time.Now().UTC().Truncate(time.Second),
		Mock:        o.mock,
		MockVersion: mockVersion,
		Machine:     m,
		Go:          runtime.Version(),
		Settings: fmt.Sprintf("-duration %v -warmup %v -concurrency %d -tokens %d -starts %d",
			o.duration, o.warmup, o.concurrency, o.tokens, o.starts),
	}
}

func newLoadFigures(op, server string, r result) loadFigures {
	f := loadFigures{
		Operation: op,
		Server:    server,
		Requests:  r.requests,
		Errors:    r.errors,
		Seconds:   r.elapsed.Seconds(),
		PerSecond: r.perSecond(),
		P50MS:     ms(r.percentile(0.50)),
		P99MS:     ms(r.percentile(0.99)),
	}
	if r.firstError != nil {
		f.FirstError = r.firstError.Error()
	}
	if r.serverCPU > 0 && r.elapsed > 0 && r.requests > 0 {
		f.ServerCPUPercent = 100 * r.serverCPU.Seconds() / r.elapsed.Seconds()
		f.ServerCPUPerReq = float64(r.serverCPU.Microseconds()) / float64(r.requests)
	}
	return f
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// errors counts the requests that failed.
func (r *report) errors() int64 {
	var n int64
	for _, l := range r.Loads {
		n += l.Errors
	}
	if m := r.Memory; m != nil {
		n += m.Create.Errors
		for _, s := range []stepFigures{m.List, m.GetState, m.PutState} {
			if s.Error != "" {
				n++
			}
		}
	}
	return n
}

func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *report) writeText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "astra-mock load benchmark, %s\n", r.Date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "mock:     %s (%s)\n", r.Mock, r.MockVersion)
	fmt.Fprintf(&b, "machine:  %s, %s\n", r.Machine, r.Go)
	fmt.Fprintf(&b, "settings: %s\n", r.Settings)
	if s := r.Startup; s != nil {
		fmt.Fprintf(&b, "\nstartup, exec to the first 200 on GET list (median of %d): %.1f ms (min %.1f, max %.1f)\n",
			s.Starts, s.MedianMS, s.MinMS, s.MaxMS)
	}
	if len(r.Loads) > 0 {
		b.WriteString("\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "operation\tserver\treq/s\tp50 ms\tp99 ms\trequests\terrors\tserver CPU\tCPU µs/req\tmock/bare")
		for _, l := range r.Loads {
			ratio := ""
			if l.MockToBare > 0 {
				ratio = fmt.Sprintf("%.0f%%", 100*l.MockToBare)
			}
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.2f\t%.2f\t%d\t%d\t%s\t%s\t%s\n",
				l.Operation, l.Server, l.PerSecond, l.P50MS, l.P99MS, l.Requests, l.Errors, cpu(l), cpuPerRequest(l), ratio)
		}
		tw.Flush()
	}
	if m := r.Memory; m != nil {
		c := m.Create
		fmt.Fprintf(&b, "\n%d tokens created through the API by %d connections: %.1f s (%.0f req/s, p50 %.2f ms, p99 %.2f ms, server CPU %s, %s µs/req), %d errors\n",
			m.Tokens, m.Connections, c.Seconds, c.PerSecond, c.P50MS, c.P99MS, cpu(c), cpuPerRequest(c), c.Errors)
		if m.NoRSS != "" {
			fmt.Fprintf(&b, "RSS: %s\n", m.NoRSS)
		} else {
			fmt.Fprintf(&b, "RSS: %.1f MiB before, %.1f MiB after: %.0f bytes per token\n",
				mib(m.RSSBefore), mib(m.RSSAfter), m.BytesPerToken)
		}
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "step\ttime s\tMiB moved\tpeak RSS increase MiB")
		for _, s := range []struct {
			name string
			stepFigures
		}{
			{"unpaged list of the tokens", m.List},
			{"GET /__admin/state", m.GetState},
			{"PUT /__admin/state", m.PutState},
		} {
			rss := fmt.Sprintf("%.1f", mib(s.PeakRSSIncrease))
			if m.NoRSS != "" {
				rss = "-"
			}
			fmt.Fprintf(tw, "%s\t%.3f\t%.1f\t%s\n", s.name, s.Seconds, mib(s.Bytes), rss)
		}
		tw.Flush()
	}
	if n := r.errors(); n > 0 {
		fmt.Fprintf(&b, "\nERRORS: %d requests failed (no answer or not 2xx):\n", n)
		for _, l := range r.Loads {
			if l.Errors > 0 {
				fmt.Fprintf(&b, "  %s on %s: %d of %d, first: %s\n", l.Operation, l.Server, l.Errors, l.Requests, l.FirstError)
			}
		}
		if m := r.Memory; m != nil {
			if m.Create.Errors > 0 {
				fmt.Fprintf(&b, "  creating %d tokens: %d of %d, first: %s\n", m.Tokens, m.Create.Errors, m.Create.Requests, m.Create.FirstError)
			}
			for _, s := range []stepFigures{m.List, m.GetState, m.PutState} {
				if s.Error != "" {
					fmt.Fprintf(&b, "  %s\n", s.Error)
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cpu and cpuPerRequest are "-" where the server's CPU was not measured.
func cpu(l loadFigures) string {
	if l.ServerCPUPercent == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", l.ServerCPUPercent)
}

func cpuPerRequest(l loadFigures) string {
	if l.ServerCPUPerReq == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", l.ServerCPUPerReq)
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }
