package journal

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/faultnote"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/redact"
)

// Middleware returns a handler that serves with next and records every
// request in j once it is answered (or aborted, even by a panic, which is
// then let through unchanged).
//
// It reads the first MaxBody+1 bytes of the request body before calling
// next and hands next a body that replays them followed by the rest, so
// next reads the very bytes the client sent, however many. The response is
// recorded as the client saw it: the status and headers at WriteHeader (or
// the first Write or Flush), and the bytes written. The ResponseWriter next
// gets supports http.Flusher, http.Hijacker (a hijacked connection is
// recorded with Status 0) and Unwrap, so http.ResponseController reaches
// everything else the underlying writer offers.
func (j *Journal) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := j.now()
		ctx, note := faultnote.Attach(r.Context())
		r = r.WithContext(ctx)
		e := Entry{
			Time:           start.Round(0),
			Method:         r.Method,
			Path:           r.URL.Path,
			Query:          r.URL.RawQuery,
			RequestHeaders: redactHeaders(r.Header),
		}
		if r.Body != nil && r.Body != http.NoBody {
			head, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
			e.RequestBody = string(redact.Body(head[:min(len(head), MaxBody)]))
			rest := io.Reader(r.Body)
			if err != nil {
				rest = errReader{err}
			}
			r.Body = replayBody{Reader: io.MultiReader(bytes.NewReader(head), rest), Closer: r.Body}
		}
		rec := &recorder{w: w}
		done := false
		defer func() {
			// Runs on return and while a panic unwinds (done is then
			// false); the panic is not recovered.
			switch {
			case rec.hijacked:
				e.Status = 0
			case rec.wroteHeader:
				e.Status = rec.status
			case done && r.Context().Err() == nil:
				// next wrote nothing: net/http sends a bare 200.
				rec.snapshot(http.StatusOK)
				e.Status = http.StatusOK
			default:
				// Aborted, or the client went away before any answer.
				e.Status = 0
			}
			e.ResponseHeaders = rec.header
			if e.ResponseHeaders == nil {
				e.ResponseHeaders = map[string][]string{}
			}
			// The id sent, or with no answer sent the one the mock gave.
			e.CorrelationID = http.Header(e.ResponseHeaders).Get("X-Request-ID")
			if e.CorrelationID == "" {
				e.CorrelationID = w.Header().Get("X-Request-ID")
			}
			e.ResponseBody = string(redact.Body(rec.body))
			e.Fault = note.Rule()
			e.DurationMS = float64(j.now().Sub(start)) / float64(time.Millisecond)
			j.add(e)
		}()
		next.ServeHTTP(rec, r)
		done = true
	})
}

func redactHeaders(h http.Header) map[string][]string {
	c := h.Clone()
	if c == nil {
		return map[string][]string{}
	}
	for _, name := range []string{"Authorization", "Proxy-Authorization"} {
		for i, v := range c[name] {
			c[name][i] = redact.Authorization(v)
		}
	}
	return c
}

type replayBody struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// recorder is the ResponseWriter next writes to.
type recorder struct {
	w           http.ResponseWriter
	status      int
	wroteHeader bool
	header      http.Header // as at WriteHeader
	body        []byte      // the first MaxBody bytes written
	hijacked    bool
}

func (r *recorder) snapshot(status int) {
	r.status, r.wroteHeader, r.header = status, true, r.w.Header().Clone()
}

func (r *recorder) Header() http.Header { return r.w.Header() }

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader && !r.hijacked && (code < 100 || code > 199 || code == http.StatusSwitchingProtocols) {
		r.snapshot(code)
	}
	r.w.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if !r.wroteHeader && !r.hijacked {
		r.snapshot(http.StatusOK)
	}
	n, err := r.w.Write(p)
	if room := MaxBody - len(r.body); room > 0 {
		r.body = append(r.body, p[:min(n, room)]...)
	}
	return n, err
}

// FlushError flushes through http.ResponseController, so the underlying
// writer's own error is returned (http.ErrNotSupported when it cannot).
func (r *recorder) FlushError() error {
	if !r.wroteHeader && !r.hijacked {
		r.snapshot(http.StatusOK)
	}
	return http.NewResponseController(r.w).Flush()
}

// Flush implements http.Flusher.
func (r *recorder) Flush() { _ = r.FlushError() }

// Hijack implements http.Hijacker; it fails with http.ErrNotSupported
// when the underlying writer cannot hijack.
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(r.w).Hijack()
	if err == nil {
		r.hijacked = true
	}
	return c, rw, err
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (r *recorder) Unwrap() http.ResponseWriter { return r.w }
