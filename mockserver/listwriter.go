package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// listBufferLimit is the most of a list answer held in memory: an answer up
// to this size is sent whole, with Content-Length; a larger one is streamed
// as it is encoded, in pieces of about this size, so that the memory a list
// takes does not grow with its answer (CONTRACT.md §7).
const listBufferLimit = 256 << 10

// listWriter writes a list body item by item: the same bytes encode would
// give for the whole tokenList, without building it.
type listWriter struct {
	w       http.ResponseWriter
	media   string
	buf     *bytes.Buffer
	enc     *json.Encoder
	items   int
	started bool // the header and a first piece are sent
	failed  bool // a write failed: the client has gone
}

func newListWriter(w http.ResponseWriter, media string) *listWriter {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	lw := &listWriter{w: w, media: media, buf: buf, enc: enc}
	buf.WriteString(`{"type":`)
	lw.value(token.ListMediaType)
	buf.WriteString(`,"version":`)
	lw.value(token.Version)
	buf.WriteString(`,"items":[`)
	return lw
}

// value appends v as compact JSON, as encode does.
func (lw *listWriter) value(v any) error {
	if err := lw.enc.Encode(v); err != nil {
		return err
	}
	lw.buf.Truncate(lw.buf.Len() - 1) // the encoder's newline
	return nil
}

// item appends one element of items, and sends what is buffered once it
// passes listBufferLimit. It reports false once the client has gone.
func (lw *listWriter) item(v any) (bool, error) {
	if lw.items > 0 {
		lw.buf.WriteByte(',')
	}
	lw.items++
	if err := lw.value(v); err != nil {
		return false, err
	}
	if lw.buf.Len() >= listBufferLimit {
		lw.flush()
	}
	return !lw.failed, nil
}

// resource appends one token as an element of items, as item does.
func (lw *listWriter) resource(r *token.Resource) bool {
	if lw.items > 0 {
		lw.buf.WriteByte(',')
	}
	lw.items++
	lw.buf.Write(appendResource(lw.buf.AvailableBuffer(), r))
	if lw.buf.Len() >= listBufferLimit {
		lw.flush()
	}
	return !lw.failed
}

// flush sends what is buffered, after the status and headers if they have
// not gone yet (then without Content-Length: the answer is streamed).
func (lw *listWriter) flush() {
	if !lw.started {
		lw.w.Header().Set("Content-Type", lw.media)
		lw.w.WriteHeader(http.StatusOK)
		lw.started = true
	}
	if _, err := lw.w.Write(lw.buf.Bytes()); err != nil {
		lw.failed = true
	}
	lw.buf.Reset()
}

// abort gives the buffer back without sending the rest.
func (lw *listWriter) abort() { release(lw.buf) }

// finish appends the metadata and sends the rest: the whole answer, with
// Content-Length, when nothing was sent yet.
func (lw *listWriter) finish(meta listMetadata) error {
	defer release(lw.buf)
	lw.buf.WriteString(`],"metadata":`)
	if err := lw.value(meta); err != nil {
		return err
	}
	lw.buf.WriteByte('}')
	if lw.started {
		lw.flush()
		return nil
	}
	h := lw.w.Header()
	h.Set("Content-Type", lw.media)
	h.Set("Content-Length", strconv.Itoa(lw.buf.Len()))
	lw.w.WriteHeader(http.StatusOK)
	lw.w.Write(lw.buf.Bytes()) // an error here means the client went away
	return nil
}
