package main

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
)

// bareServer is the reference the mock is measured against: plain net/http
// in this process, no routing, no authentication, no state, no encoding.
// It answers every request with one prebuilt answer, as the peer harness's
// baseline does; here the answer is the one the mock gave to the same
// request, so both send the same bytes.
type bareServer struct {
	srv  *http.Server
	base string
	done chan error
}

// startBare serves status and body on a free port of 127.0.0.1.
func startBare(status int, body []byte) (*bareServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	length := []string{strconv.Itoa(len(body))}
	contentType := []string{"application/json"}
	handler := func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		h["Content-Type"] = contentType
		h["Content-Length"] = length
		w.WriteHeader(status)
		w.Write(body)
	}
	b := &bareServer{
		srv:  &http.Server{Handler: http.HandlerFunc(handler)},
		base: "http://" + ln.Addr().String(),
		done: make(chan error, 1),
	}
	go func() { b.done <- b.srv.Serve(ln) }()
	return b, nil
}

// close stops the server at once: the load against it is over.
func (b *bareServer) close() error {
	err := b.srv.Close()
	if served := <-b.done; !errors.Is(served, http.ErrServerClosed) {
		return served
	}
	return err
}
