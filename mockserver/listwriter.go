package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/reply"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// listBufferLimit is the most of a list answer held in memory: an answer up
// to this size is sent whole, with Content-Length; a larger one is streamed
// as it is encoded, in pieces of about this size, so that the memory a list
// takes does not grow with its answer (CONTRACT.md §7).
const listBufferLimit = 256 << 10

// listMetadata is the metadata object of a list.
type listMetadata struct {
	Continue string `json:"continue,omitempty"`
	Count    *int   `json:"count,omitempty"`
}

// listWriter writes a list body item by item: the bytes marshal gives for
// the whole list, {"type", "version", "items", "metadata"}, without
// building it.
type listWriter struct {
	w       http.ResponseWriter
	media   string
	buf     bytes.Buffer
	enc     *json.Encoder
	items   int
	started bool // the header and a first piece are sent
	failed  bool // a write failed: the client has gone
}

func newListWriter(w http.ResponseWriter, media string) *listWriter {
	lw := &listWriter{w: w, media: media}
	lw.enc = json.NewEncoder(&lw.buf)
	lw.enc.SetEscapeHTML(false)
	lw.buf.WriteString(`{"type":"` + token.ListMediaType + `","version":"` + token.Version + `","items":[`)
	return lw
}

// value appends v as marshal writes it.
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

// finish appends the metadata and sends the rest: the whole answer, with
// Content-Length, when nothing was sent yet.
func (lw *listWriter) finish(meta listMetadata) error {
	lw.buf.WriteString(`],"metadata":`)
	if err := lw.value(meta); err != nil {
		return err
	}
	lw.buf.WriteByte('}')
	if lw.started {
		lw.flush()
		return nil
	}
	reply.Body(lw.w, http.StatusOK, lw.media, lw.buf.Bytes())
	return nil
}
