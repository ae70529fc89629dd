package mockserver

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentClients runs clients in parallel over a real connection
// (the race detector watches the store, the buffers and the cursors): each
// creates, reads, renames, lists and deletes its own tokens, and in the
// end only the seeded tokens are left.
func TestConcurrentClients(t *testing.T) {
	h := newHarness(t)
	ts := httptest.NewServer(h.srv)
	defer ts.Close()
	client := ts.Client()
	do := func(method, path, cred, body string, hdr ...string) (int, http.Header, []byte, error) {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		rq, err := http.NewRequest(method, ts.URL+path, rd)
		if err != nil {
			return 0, nil, nil, err
		}
		rq.Header.Set("Authorization", "Bearer "+cred)
		for i := 0; i+1 < len(hdr); i += 2 {
			rq.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := client.Do(rq)
		if err != nil {
			return 0, nil, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, b, err
	}
	const workers, rounds = 6, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*8)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			coll := userColl(acctA, memberID)
			if w%2 == 1 {
				coll = groupColl(acctA, groupID, memberID)
			}
			for i := 0; i < rounds; i++ {
				st, hd, b, err := do(http.MethodPost, coll, credMember, createJSON(fmt.Sprintf("worker %d round %d", w, i)))
				if err != nil || st != http.StatusCreated {
					errs <- fmt.Errorf("POST: %d %v %s", st, err, b)
					return
				}
				loc := strings.TrimPrefix(hd.Get("Location"), ts.URL)
				var m struct {
					Token string `json:"token"`
				}
				if err := json.Unmarshal(b, &m); err != nil || m.Token == "" {
					errs <- fmt.Errorf("POST body: %v %s", err, b)
					return
				}
				secret := m.Token
				if st, _, b, err := do(http.MethodGet, loc, secret, ""); err != nil || st != http.StatusOK {
					errs <- fmt.Errorf("GET with the new secret: %d %v %s", st, err, b)
				}
				if st, _, b, err := do(http.MethodPut, loc, credMember, createJSON("renamed")); err != nil || st != http.StatusNoContent {
					errs <- fmt.Errorf("PUT: %d %v %s", st, err, b)
				}
				if st, _, b, err := do(http.MethodGet, coll+"?limit=2&count=true&orderBy=name%20desc", credMember, ""); err != nil || st != http.StatusOK {
					errs <- fmt.Errorf("list: %d %v %s", st, err, b)
				}
				if st, _, b, err := do(http.MethodDelete, loc, secret, ""); err != nil || st != http.StatusNoContent {
					errs <- fmt.Errorf("DELETE: %d %v %s", st, err, b)
				}
				if st, _, _, _ := do(http.MethodGet, coll, secret, ""); st != http.StatusUnauthorized {
					errs <- fmt.Errorf("the deleted token's secret still gets %d", st)
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := h.tokenCount(t, memberID); n != 3 {
		t.Errorf("the member has %d tokens, want the 3 seeded", n)
	}
}

// TestConcurrentPutsWithOneETag: of several PUTs made with the same
// If-Match at once, exactly one succeeds; the others get 412 (the
// precondition is checked inside the update, CONTRACT.md §7).
func TestConcurrentPutsWithOneETag(t *testing.T) {
	h := newHarness(t)
	item := userColl(acctA, memberID) + "/" + tokTaker
	etag := h.get(t, credMember, item).header.Get("ETag")
	const n = 8
	reqs := make([]*http.Request, n)
	recs := make([]*httptest.ResponseRecorder, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		q := req{method: http.MethodPut, target: item, cred: credMember, body: createJSON(fmt.Sprintf("writer %d", i)), hdr: []string{"If-Match", etag}}
		reqs[i], recs[i] = h.newRequest(q), httptest.NewRecorder()
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			h.srv.ServeHTTP(recs[i], reqs[i])
		}(i)
	}
	wg.Wait()
	won := 0
	var statuses []int
	for i, w := range recs {
		checkResponse(t, reqs[i], w.Code, w.Result().Header, w.Body.Bytes())
		statuses = append(statuses, w.Code)
	}
	for _, st := range statuses {
		switch st {
		case http.StatusNoContent:
			won++
		case http.StatusPreconditionFailed:
		default:
			t.Errorf("status %d, want 204 or 412", st)
		}
	}
	if won != 1 {
		t.Errorf("%d PUTs succeeded with the same ETag, want exactly 1 (statuses %v)", won, statuses)
	}
}

// TestFirstRequestsAtOnce sends one request of every kind, good and bad,
// to a fresh server all at once: the first use of each schema must not
// race (run with -race).
func TestFirstRequestsAtOnce(t *testing.T) {
	h := newHarness(t)
	var qs []req
	for _, e := range endpoints {
		p := memberIDs
		qs = append(qs,
			req{method: e.method, target: e.path(p), cred: credMember, body: e.validBody()},
			req{method: e.method, target: e.path(p) + "?limit=0&include=token&color=red", cred: credMember, body: e.validBody()},
			req{method: e.method, target: e.path(ids{"bad", groupID, "bad", "bad"}), cred: credMember, body: e.validBody()},
		)
		if e.hasBody() {
			for _, c := range bodyCases {
				qs = append(qs, req{method: e.method, target: e.path(p), cred: credAdmin, body: c.body})
			}
		}
	}
	qs = append(qs,
		req{method: http.MethodGet, target: userColl(acctA, memberID) + "?filter=name%20eq%20%27x%27&orderBy=name%20desc&include=id,name&count=true&skip=1&limit=1", cred: credMember},
		req{method: http.MethodPatch, target: userColl(acctA, memberID), cred: credMember},
		req{method: http.MethodGet, target: "/nowhere"},
	)
	reqs := make([]*http.Request, len(qs))
	recs := make([]*httptest.ResponseRecorder, len(qs))
	var wg sync.WaitGroup
	for i, q := range qs {
		reqs[i], recs[i] = h.newRequest(q), httptest.NewRecorder()
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			h.srv.ServeHTTP(recs[i], reqs[i])
		}(i)
	}
	wg.Wait()
	for i, w := range recs {
		if w.Code >= 500 {
			t.Errorf("%s %s: %d %s", qs[i].method, qs[i].target, w.Code, w.Body)
		}
		checkResponse(t, h.newRequest(qs[i]), w.Code, w.Result().Header, w.Body.Bytes())
	}
}
