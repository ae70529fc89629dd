package journal

import (
	"cmp"
	"net/http"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/capture"
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
			var head []byte
			head, r.Body = capture.Body(r.Body, MaxBody)
			e.RequestBody = string(redact.Body(head[:min(len(head), MaxBody)]))
		}
		rec := capture.NewResponse(w, MaxBody)
		done := false
		defer func() {
			// Runs on return and while a panic unwinds (done is then
			// false); the panic is not recovered. With no answer (aborted,
			// or the client went away first) the status is 0.
			status, header, body := rec.Result(done && r.Context().Err() == nil)
			e.Status = status
			e.ResponseHeaders = header
			if e.ResponseHeaders == nil {
				e.ResponseHeaders = map[string][]string{}
			}
			// The id sent, or with no answer sent the one the mock gave.
			e.CorrelationID = cmp.Or(http.Header(e.ResponseHeaders).Get("X-Request-ID"), w.Header().Get("X-Request-ID"))
			e.ResponseBody = string(redact.Body(body))
			e.Fault = note.Rule
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
