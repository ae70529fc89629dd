package mockserver

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/store"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// tokenList is the body of a list response, as a value: what the list
// writer must give the bytes of without building it.
type tokenList struct {
	Type     string       `json:"type"`
	Version  string       `json:"version"`
	Items    []any        `json:"items"`
	Metadata listMetadata `json:"metadata"`
}

// TestAListIsTheEncodingOfItsWholeBody checks that the streamed list body
// is byte for byte the encoding of the whole list value, small (sent whole
// with Content-Length) and large (streamed, without it), with and without
// include.
func TestAListIsTheEncodingOfItsWholeBody(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, 3000) // about 1 MB of answer: streamed
	for _, tc := range []struct {
		query    string
		include  []string
		streamed bool
	}{
		{"limit=2", nil, false},
		{"limit=2&count=true&include=id,name", []string{"id", "name"}, false},
		{"", nil, true},
		{"include=name,metadata", []string{"name", "metadata"}, true},
	} {
		r := httptest.NewRequest(http.MethodGet, benchBase+"?"+tc.query, nil)
		r.Header.Set("Authorization", benchAuth)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.query, w.Code, w.Body)
		}
		limit := 0
		if tc.query != "" && tc.query[:6] == "limit=" {
			limit = 2
		}
		page, err := s.store.Load().List(context.Background(), store.List{UserID: benchMember, Limit: limit, Count: true})
		if err != nil {
			t.Fatal(err)
		}
		want := tokenList{Type: token.ListMediaType, Version: token.Version, Items: make([]any, len(page.Items))}
		for i, tok := range page.Items {
			r := resourceOf(tok)
			want.Items[i] = r
			if tc.include != nil {
				want.Items[i] = r.project(tc.include)
			}
		}
		if tc.query == "limit=2&count=true&include=id,name" {
			want.Metadata.Count = &page.Total
		}
		var got tokenList
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		want.Metadata.Continue = got.Metadata.Continue // opaque; checked elsewhere
		if (page.Next != "") != (got.Metadata.Continue != "") {
			t.Errorf("%s: continue %q, store's next %q", tc.query, got.Metadata.Continue, page.Next)
		}
		wantBytes, err := marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(wantBytes), w.Body.String()); diff != "" {
			t.Errorf("%s: body differs from the encoding of the whole list (-want +got):\n%.2000s", tc.query, diff)
		}
		cl := w.Header().Get("Content-Length")
		switch {
		case tc.streamed && cl != "":
			t.Errorf("%s: a %d-byte answer has Content-Length %s; want it streamed", tc.query, w.Body.Len(), cl)
		case !tc.streamed && cl != strconv.Itoa(w.Body.Len()):
			t.Errorf("%s: Content-Length %q for %d bytes", tc.query, cl, w.Body.Len())
		}
		if ct := w.Header().Get("Content-Type"); ct != token.ListMediaType && ct != "application/json" {
			t.Errorf("%s: Content-Type %q", tc.query, ct)
		}
	}
}
