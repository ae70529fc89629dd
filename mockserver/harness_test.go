package mockserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// spyTB records failures instead of failing, so that the checks every
// test relies on can themselves be shown to catch wrong answers.
type spyTB struct {
	testing.TB
	failures []string
}

type spyStop struct{}

func (s *spyTB) Helper() {}

func (s *spyTB) Errorf(format string, args ...any) {
	s.failures = append(s.failures, fmt.Sprintf(format, args...))
}

func (s *spyTB) Fatalf(format string, args ...any) {
	s.Errorf(format, args...)
	panic(spyStop{})
}

// TestTheChecksCatchWrongAnswers feeds checkResponse answers that break
// the contract in one way each; every one must be reported. Without this,
// a validator that silently accepted everything would make every other
// test pass.
func TestTheChecksCatchWrongAnswers(t *testing.T) {
	responseValidator(t)
	const rid = "3f5b1c2a-9d4e-4f6a-8b7c-1d2e3f4a5b6c"
	item := userColl(acctA, memberID) + "/" + tokScript
	coll := userColl(acctA, memberID)
	token := `{"type":"application/astra-token","version":"1.0","id":"` + tokScript + `","name":"Snapshot Script","userID":"` + memberID +
		`","metadata":{"labels":[],"creationTimestamp":"2022-10-06T20:58:17.305662Z","modificationTimestamp":"2022-10-06T20:58:17.305662Z","createdBy":"` + adminID + `"}}`
	withSecret := strings.Replace(token, `"userID"`, `"token":"QUJDRA==","userID"`, 1)
	problem := func(n int, status string) string {
		k := problemTable[n]
		return `{"type":"https://astra.netapp.io/problems/` + fmt.Sprint(n) + `","title":"` + k.title + `","detail":"` + k.detail +
			`","status":"` + status + `","correlationID":"` + rid + `"}`
	}
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		h.Set("X-Request-ID", rid)
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	etag := etagOfBody([]byte(token))
	cases := []struct {
		name           string
		method, target string
		status         int
		header         http.Header
		body           string
	}{
		{"a GET of a token with the secret", http.MethodGet, item, 200, hdr("Content-Type", "application/json", "ETag", etag), withSecret},
		{"a GET of a token without ETag", http.MethodGet, item, 200, hdr("Content-Type", "application/json"), token},
		{"a GET of a token as text/plain", http.MethodGet, item, 200, hdr("Content-Type", "text/plain", "ETag", etag), token},
		{"a GET of a token with an unknown field", http.MethodGet, item, 200, hdr("Content-Type", "application/json", "ETag", etag),
			strings.Replace(token, `"name"`, `"color":"red","name"`, 1)},
		{"a GET of a token with a malformed time", http.MethodGet, item, 200, hdr("Content-Type", "application/json", "ETag", etag),
			strings.Replace(token, "2022-10-06T20:58:17.305662Z", "2022-10-06 20:58:17", 1)},
		{"a 201 without Location", http.MethodPost, coll, 201, hdr("Content-Type", "application/json"), withSecret},
		{"a 201 without the secret", http.MethodPost, coll, 201, hdr("Content-Type", "application/json", "Location", "http://example.com"+item), token},
		{"a list with a metadata key of its own", http.MethodGet, coll, 200, hdr("Content-Type", "application/json"),
			`{"type":"application/astra-tokens","version":"1.0","items":[],"metadata":{"size":0}}`},
		{"a list without metadata", http.MethodGet, coll, 200, hdr("Content-Type", "application/json"),
			`{"type":"application/astra-tokens","version":"1.0","items":[]}`},
		{"a 200 to a PUT", http.MethodPut, item, 200, hdr("Content-Type", "application/json"), token},
		{"an answer without X-Request-ID", http.MethodDelete, item, 204, http.Header{}, ""},
		{"a problem with a numeric status", http.MethodGet, item, 404, hdr("Content-Type", mediaProblem),
			strings.Replace(problem(2, "404"), `"status":"404"`, `"status":404`, 1)},
		{"a problem with another title", http.MethodGet, item, 404, hdr("Content-Type", mediaProblem),
			strings.Replace(problem(2, "404"), "Collection not found", "Not found", 1)},
		{"a problem sent as application/json", http.MethodGet, item, 404, hdr("Content-Type", "application/json"), problem(2, "404")},
		{"a problem whose correlationID is not X-Request-ID", http.MethodGet, item, 404, hdr("Content-Type", mediaProblem),
			strings.Replace(problem(2, "404"), rid, "822fab12-c224-5d1f-8118-5fb5d2def8b9", 1)},
		{"a problem whose status disagrees with HTTP", http.MethodGet, item, 400, hdr("Content-Type", mediaProblem), problem(2, "404")},
		{"a 404 type 2 on PUT", http.MethodPut, item, 404, hdr("Content-Type", mediaProblem), problem(2, "404")},
		{"a 404 type 1 on GET", http.MethodGet, item, 404, hdr("Content-Type", mediaProblem), problem(1, "404")},
		{"a type 5 without invalidParams", http.MethodGet, coll, 400, hdr("Content-Type", mediaProblem), problem(5, "400")},
		{"a type 8 without schemaValidationFailure", http.MethodPost, coll, 400, hdr("Content-Type", mediaProblem), problem(8, "400")},
		{"a 405 with a broken problem", http.MethodPatch, coll, 405, hdr("Content-Type", mediaProblem), `{"type":"https://astra.netapp.io/problems/69"}`},
	}
	for _, c := range cases {
		t.Run(c.name+" is reported", func(t *testing.T) {
			spy := &spyTB{TB: t}
			r := httptest.NewRequest(c.method, c.target, nil)
			r.Header.Set("X-Request-ID", rid)
			func() {
				defer func() {
					if p := recover(); p != nil {
						if _, ok := p.(spyStop); !ok {
							panic(p)
						}
					}
				}()
				checkResponse(spy, r, c.status, c.header, []byte(c.body))
			}()
			if len(spy.failures) == 0 {
				t.Errorf("checkResponse accepted it")
			}
		})
	}
	t.Run("a right answer is not reported", func(t *testing.T) {
		spy := &spyTB{TB: t}
		r := httptest.NewRequest(http.MethodGet, item, nil)
		r.Header.Set("X-Request-ID", rid)
		checkResponse(spy, r, 200, hdr("Content-Type", "application/json", "ETag", etag), []byte(token))
		if len(spy.failures) != 0 {
			t.Errorf("checkResponse refused a right answer: %v", spy.failures)
		}
	})
}
