package capture

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBodyReplaysWhatItRead(t *testing.T) {
	head, replay := Body(io.NopCloser(strings.NewReader("abcdef")), 3)
	if string(head) != "abcd" {
		t.Errorf("head %q, want the first limit+1 bytes", head)
	}
	if all, err := io.ReadAll(replay); err != nil || string(all) != "abcdef" {
		t.Errorf("replayed %q, %v", all, err)
	}
}

func TestResultIsWhatTheClientGot(t *testing.T) {
	tests := []struct {
		name      string
		serve     func(w http.ResponseWriter)
		completed bool
		status    int
		body      string
	}{
		{"a status and a body", func(w http.ResponseWriter) { w.WriteHeader(http.StatusTeapot); w.Write([]byte("abcdef")) }, true, http.StatusTeapot, "abcd"},
		{"a write without a status", func(w http.ResponseWriter) { w.Write([]byte("ab")) }, true, http.StatusOK, "ab"},
		{"an informational status is not the answer", func(w http.ResponseWriter) { w.WriteHeader(http.StatusEarlyHints); w.WriteHeader(http.StatusCreated) }, true, http.StatusCreated, ""},
		{"nothing written by a handler that completed", func(http.ResponseWriter) {}, true, http.StatusOK, ""},
		{"nothing written by a handler that did not complete", func(http.ResponseWriter) {}, false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := NewResponse(httptest.NewRecorder(), 4)
			tt.serve(rec)
			status, header, body := rec.Result(tt.completed)
			if status != tt.status || string(body) != tt.body {
				t.Errorf("Result = %d %q, want %d %q", status, body, tt.status, tt.body)
			}
			if status != 0 && header == nil {
				t.Error("no headers kept")
			}
		})
	}
}
