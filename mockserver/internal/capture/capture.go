// Package capture records a request's body and its answer as the client
// saw them, for the request journal, without changing what the handler
// reads or the client gets.
package capture

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
)

// Body reads the first limit+1 bytes of body and returns them, with a body
// that replays them followed by the rest, so that a handler reads the very
// bytes the client sent, however many (and the error of that first read,
// if any, in place of the rest).
func Body(body io.ReadCloser, limit int) (head []byte, replay io.ReadCloser) {
	head, err := io.ReadAll(io.LimitReader(body, int64(limit)+1))
	rest := io.Reader(body)
	if err != nil {
		rest = errReader{err}
	}
	return head, replayBody{Reader: io.MultiReader(bytes.NewReader(head), rest), Closer: body}
}

type replayBody struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// Response is the ResponseWriter a handler writes to: it passes everything
// to the underlying writer and keeps the status and headers at WriteHeader
// (or the first Write or Flush) and the first limit bytes written. It
// supports http.Flusher, http.Hijacker (a hijacked connection has no
// status) and Unwrap, so http.ResponseController reaches everything else
// the underlying writer offers.
type Response struct {
	w        http.ResponseWriter
	limit    int
	status   int         // as at WriteHeader; 0 before
	header   http.Header // as at WriteHeader
	body     []byte      // the first limit bytes written
	hijacked bool
}

// NewResponse returns a Response writing to w, keeping limit bytes.
func NewResponse(w http.ResponseWriter, limit int) *Response {
	return &Response{w: w, limit: limit}
}

// Result returns what the client got: the status (0 for none: the
// connection was hijacked, or nothing was written and the handler did not
// complete), the headers sent with it and the first bytes of the body. A
// handler that completed without writing anything has answered a bare 200,
// as net/http sends it.
func (r *Response) Result(completed bool) (status int, header http.Header, body []byte) {
	if r.hijacked {
		return 0, r.header, r.body
	}
	if r.status == 0 && completed {
		r.snapshot(http.StatusOK)
	}
	return r.status, r.header, r.body
}

func (r *Response) snapshot(status int) {
	r.status, r.header = status, r.w.Header().Clone()
}

// Header returns the underlying writer's header map.
func (r *Response) Header() http.Header { return r.w.Header() }

// WriteHeader implements http.ResponseWriter; a 1xx status other than 101
// is passed on without being kept.
func (r *Response) WriteHeader(code int) {
	if r.status == 0 && !r.hijacked && (code < 100 || code > 199 || code == http.StatusSwitchingProtocols) {
		r.snapshot(code)
	}
	r.w.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (r *Response) Write(p []byte) (int, error) {
	if r.status == 0 && !r.hijacked {
		r.snapshot(http.StatusOK)
	}
	n, err := r.w.Write(p)
	if room := r.limit - len(r.body); room > 0 {
		r.body = append(r.body, p[:min(n, room)]...)
	}
	return n, err
}

// FlushError flushes through http.ResponseController, so the underlying
// writer's own error is returned (http.ErrNotSupported when it cannot).
func (r *Response) FlushError() error {
	if r.status == 0 && !r.hijacked {
		r.snapshot(http.StatusOK)
	}
	return http.NewResponseController(r.w).Flush()
}

// Flush implements http.Flusher.
func (r *Response) Flush() { _ = r.FlushError() }

// Hijack implements http.Hijacker; it fails with http.ErrNotSupported
// when the underlying writer cannot hijack.
func (r *Response) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(r.w).Hijack()
	if err == nil {
		r.hijacked = true
	}
	return c, rw, err
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (r *Response) Unwrap() http.ResponseWriter { return r.w }
