package mockserver

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/store"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// scope is one of the two views of a user's tokens (CONTRACT.md §1): U and G.
type scope struct {
	name string
	coll func(account, user string) string
}

var scopes = []scope{
	{"user scope", func(account, user string) string { return userColl(account, user) }},
	{"group scope", func(account, user string) string { return groupColl(account, groupID, user) }},
}

const (
	startStamp = "2024-05-06T07:08:09.123456Z" // startTime as the mock writes it
	fixtureT0  = "2022-10-06T20:58:16.305662Z"
)

// fixtureStamp is the creation time of the n-th seeded token (CONTRACT.md §8).
func fixtureStamp(n int) string {
	t, err := time.Parse(time.RFC3339Nano, fixtureT0)
	if err != nil {
		panic(err)
	}
	return t.Add(time.Duration(n) * time.Second).UTC().Format("2006-01-02T15:04:05.000000Z")
}

// sortedKeys returns the sorted keys of an object.
func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func etagOfBody(b []byte) string {
	sum := md5.Sum(b)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// TestTheTenEndpointsSucceed walks one token through its whole life in
// each scope: list, create, read, modify, delete (CONTRACT.md §1, §2, §3, §7).
func TestTheTenEndpointsSucceed(t *testing.T) {
	for _, sc := range scopes {
		t.Run("in the "+sc.name, func(t *testing.T) {
			h := newHarness(t)
			coll := sc.coll(acctA, memberID)

			t.Run("GET of the member's list with include=id,name is the documented example", func(t *testing.T) {
				r := h.get(t, credMember, coll+"?include=id,name")
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if ct := r.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q, want application/json", ct)
				}
				seed, err := os.ReadFile(filepath.Join("..", "schemas", "testdata", "seed-examples", "token-list-include-id-name.json"))
				if err != nil {
					t.Fatal(err)
				}
				want := decodeJSON(t, seed).(map[string]any)
				// The documented example's list metadata describes the
				// collection; the mock's policy is to send only count and
				// continue (CONTRACT.md §2 List), so metadata is {} here.
				want["metadata"] = map[string]any{}
				if diff := cmp.Diff(want, r.json(t)); diff != "" {
					t.Errorf("list differs from the documented example (-want +got):\n%s", diff)
				}
			})

			var id, secret, location string
			t.Run("POST answers 201 with Location, the secret and metadata set by the server", func(t *testing.T) {
				r := h.post(t, credMember, coll, `{"type":"application/astra-token","version":"1.0","name":"ci-token_2 (prod)",
					"metadata":{"labels":[{"name":"env","value":"ci"}],"creationTimestamp":"2000-01-01T00:00:00Z","createdBy":"`+adminID+`"}}`)
				if r.status != http.StatusCreated {
					t.Fatalf("status %d, want 201: %s", r.status, r.body)
				}
				if ct := r.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q, want application/json (no Accept sent)", ct)
				}
				m := r.obj(t)
				id, _ = m["id"].(string)
				secret, _ = m["token"].(string)
				if !v4Pattern.MatchString(id) {
					t.Errorf("id = %q, want a lowercase v4 UUID", id)
				}
				raw, err := base64.StdEncoding.Strict().DecodeString(secret)
				if err != nil || len(raw) != 32 || !base64Pattern.MatchString(secret) {
					t.Errorf("token = %q: want standard base64 of 32 bytes (decoded %d bytes, err %v)", secret, len(raw), err)
				}
				location = r.header.Get("Location")
				if want := "http://example.com" + coll + "/" + id; location != want {
					t.Errorf("Location = %q, want %q", location, want)
				}
				want := map[string]any{
					"type": "application/astra-token", "version": "1.0", "id": id,
					"name": "ci-token_2 (prod)", "userID": memberID, "token": secret,
					"metadata": map[string]any{
						"labels":                []any{map[string]any{"name": "env", "value": "ci"}},
						"creationTimestamp":     startStamp,
						"modificationTimestamp": startStamp,
						"createdBy":             memberID,
					},
				}
				if diff := cmp.Diff(want, m); diff != "" {
					t.Errorf("201 body (-want +got):\n%s", diff)
				}
				golden(t, "create-201.json", r.body)
			})
			if id == "" {
				t.Fatal("no token was created")
			}

			t.Run("the new secret authenticates as the member at once", func(t *testing.T) {
				r := h.get(t, secret, coll)
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				r = h.get(t, secret, sc.coll(acctA, adminID))
				if sc.name == "user scope" {
					wantProblem(t, r, 11) // the member may not read the admin's tokens
				} else {
					wantProblem(t, r, 2) // the admin is in no group
				}
			})

			t.Run("the token is seen through the other scope too", func(t *testing.T) {
				for _, other := range scopes {
					r := h.get(t, credMember, other.coll(acctA, memberID)+"/"+id)
					if r.status != http.StatusOK {
						t.Errorf("%s: status %d: %s", other.name, r.status, r.body)
					}
				}
			})

			var etag string
			t.Run("GET of the token answers it without the secret, with the ETag of the body", func(t *testing.T) {
				r := h.get(t, credMember, coll+"/"+id)
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if ct := r.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q, want application/json", ct)
				}
				etag = r.header.Get("ETag")
				if want := etagOfBody(r.body); etag != want {
					t.Errorf("ETag = %s, want %s (quoted hex MD5 of the body)", etag, want)
				}
				m := r.obj(t)
				if _, ok := m["token"]; ok {
					t.Errorf("GET returned the secret: %s", r.body)
				}
				if strings.Contains(string(r.body), secret) {
					t.Errorf("GET body contains the secret: %s", r.body)
				}
				golden(t, "get-created.json", r.body)
			})

			t.Run("PUT by the admin answers 204 with no body and GET shows the change", func(t *testing.T) {
				h.clock.Advance(90*time.Minute + 500*time.Nanosecond) // 08:38:09.1234567..Z
				r := h.put(t, credAdmin, coll+"/"+id, `{"type":"application/astra-token","version":"1.0","id":"`+id+`","userID":"`+memberID+`",
					"name":"Renamed","metadata":{"labels":[{"name":"team","value":"storage"}],
					"creationTimestamp":"2001-01-01T00:00:00Z","modificationTimestamp":"2001-01-01T00:00:00Z","createdBy":"`+viewerID+`","modifiedBy":"`+viewerID+`"}}`,
					"If-Match", etag)
				if r.status != http.StatusNoContent || len(r.body) != 0 {
					t.Fatalf("status %d with %d body bytes, want 204 and none: %s", r.status, len(r.body), r.body)
				}
				g := h.get(t, credMember, coll+"/"+id)
				want := map[string]any{
					"type": "application/astra-token", "version": "1.0", "id": id,
					"name": "Renamed", "userID": memberID,
					"metadata": map[string]any{
						"labels":                []any{map[string]any{"name": "team", "value": "storage"}},
						"creationTimestamp":     startStamp,
						"modificationTimestamp": "2024-05-06T08:38:09.123457Z",
						"createdBy":             memberID,
						"modifiedBy":            adminID,
					},
				}
				if diff := cmp.Diff(want, g.json(t)); diff != "" {
					t.Errorf("GET after PUT (-want +got):\n%s", diff)
				}
				if g.header.Get("ETag") == etag {
					t.Errorf("ETag did not change with the resource")
				}
				golden(t, "get-after-put.json", g.body)
			})

			t.Run("PUT without metadata keeps the labels, creationTimestamp and createdBy", func(t *testing.T) {
				h.clock.Advance(time.Minute)
				r := h.put(t, credMember, coll+"/"+id, `{"type":"application/astra-token","version":"1.0","name":"Renamed again"}`)
				if r.status != http.StatusNoContent {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				m := h.get(t, credMember, coll+"/"+id).obj(t)
				want := map[string]any{
					"type": "application/astra-token", "version": "1.0", "id": id,
					"name": "Renamed again", "userID": memberID,
					"metadata": map[string]any{
						"labels":                []any{map[string]any{"name": "team", "value": "storage"}},
						"creationTimestamp":     startStamp,
						"modificationTimestamp": "2024-05-06T08:39:09.123457Z",
						"createdBy":             memberID,
						"modifiedBy":            memberID,
					},
				}
				if diff := cmp.Diff(want, m); diff != "" {
					t.Errorf("GET after PUT (-want +got):\n%s", diff)
				}
			})

			t.Run("PUT without a name keeps the name", func(t *testing.T) {
				r := h.put(t, credMember, coll+"/"+id, `{"type":"application/astra-token","version":"1.0","metadata":{"labels":[]}}`)
				if r.status != http.StatusNoContent {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				m := h.get(t, credMember, coll+"/"+id).obj(t)
				if m["name"] != "Renamed again" {
					t.Errorf("name = %v, want it kept", m["name"])
				}
				if diff := cmp.Diff([]any{}, m["metadata"].(map[string]any)["labels"]); diff != "" {
					t.Errorf("labels sent as [] (-want +got):\n%s", diff)
				}
			})

			t.Run("the secret still authenticates after PUT", func(t *testing.T) {
				if r := h.get(t, secret, coll); r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
			})

			t.Run("DELETE answers 204, then GET is 404 type 2 and the credential 401 type 4", func(t *testing.T) {
				r := h.delete(t, credMember, coll+"/"+id)
				if r.status != http.StatusNoContent || len(r.body) != 0 {
					t.Fatalf("status %d with %d body bytes, want 204 and none: %s", r.status, len(r.body), r.body)
				}
				wantProblem(t, h.get(t, credMember, coll+"/"+id), 2)
				wantProblem(t, h.get(t, secret, coll), 4)
				wantProblem(t, h.delete(t, credMember, coll+"/"+id), 1)
				r = h.get(t, credMember, coll+"?include=id")
				for _, it := range r.obj(t)["items"].([]any) {
					if it.([]any)[0] == id {
						t.Errorf("the deleted token is still listed")
					}
				}
			})
		})
	}
}

func decodeJSON(tb testing.TB, b []byte) any {
	tb.Helper()
	return res{body: b}.json(tb)
}

// TestGetOfASeededToken compares a fixture token with the seeds' example
// (CONTRACT.md §8: ids, names and timestamps of the fixtures).
func TestGetOfASeededToken(t *testing.T) {
	h := newHarness(t)
	want := map[string]any{
		"type": "application/astra-token", "version": "1.0", "id": tokScript,
		"name": "Snapshot Script", "userID": memberID,
		"metadata": map[string]any{
			"labels":                []any{},
			"creationTimestamp":     fixtureStamp(1),
			"modificationTimestamp": fixtureStamp(1),
			"createdBy":             adminID,
		},
	}
	for _, sc := range scopes {
		for _, caller := range []struct{ role, cred string }{{"member itself", credMember}, {"admin", credAdmin}} {
			t.Run("the "+caller.role+" reads it in the "+sc.name, func(t *testing.T) {
				r := h.get(t, caller.cred, sc.coll(acctA, memberID)+"/"+tokScript)
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if diff := cmp.Diff(any(want), r.json(t)); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				if got, want := r.header.Get("ETag"), etagOfBody(r.body); got != want {
					t.Errorf("ETag = %s, want %s", got, want)
				}
				golden(t, "get-snapshot-script.json", r.body)
			})
		}
	}
}

// TestAdminManagesAMembersTokens: an admin may manage the tokens of the
// users of its account; such a token belongs to (and authenticates as) its
// user, not its creator (CONTRACT.md §3).
func TestAdminManagesAMembersTokens(t *testing.T) {
	for _, sc := range scopes {
		t.Run("in the "+sc.name, func(t *testing.T) {
			h := newHarness(t)
			coll := sc.coll(acctA, memberID)
			m := h.create(t, credAdmin, coll, createJSON("Made by the admin"))
			id, secret := m["id"].(string), m["token"].(string)
			meta := m["metadata"].(map[string]any)
			if m["userID"] != memberID || meta["createdBy"] != adminID {
				t.Errorf("userID = %v, createdBy = %v; want the member %s and the admin %s", m["userID"], meta["createdBy"], memberID, adminID)
			}
			if diff := cmp.Diff([]any{}, meta["labels"]); diff != "" {
				t.Errorf("created without metadata, labels (-want +got):\n%s", diff)
			}
			t.Run("the token authenticates as the member: it lists the member's tokens", func(t *testing.T) {
				r := h.get(t, secret, userColl(acctA, memberID)+"?include=id")
				if r.status != http.StatusOK {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if n := len(r.obj(t)["items"].([]any)); n != 4 {
					t.Errorf("%d items, want the 3 seeded and the new one", n)
				}
			})
			t.Run("and gets 403 on the admin's tokens", func(t *testing.T) {
				wantProblem(t, h.get(t, secret, userColl(acctA, adminID)), 11)
				wantProblem(t, h.post(t, secret, userColl(acctA, adminID), createJSON("x")), 11)
			})
			t.Run("the admin reads, modifies and deletes it", func(t *testing.T) {
				if r := h.get(t, credAdmin, coll+"/"+id); r.status != http.StatusOK {
					t.Fatalf("GET: %d %s", r.status, r.body)
				}
				if r := h.put(t, credAdmin, coll+"/"+id, createJSON("Renamed by the admin")); r.status != http.StatusNoContent {
					t.Fatalf("PUT: %d %s", r.status, r.body)
				}
				if r := h.delete(t, credAdmin, coll+"/"+id); r.status != http.StatusNoContent {
					t.Fatalf("DELETE: %d %s", r.status, r.body)
				}
				wantProblem(t, h.get(t, secret, coll), 4)
			})
		})
	}
}

// TestViewersManageTheirOwnTokens: every user may manage its own tokens,
// viewers too (CONTRACT.md §3).
func TestViewersManageTheirOwnTokens(t *testing.T) {
	for _, sc := range scopes {
		t.Run("in the "+sc.name, func(t *testing.T) {
			h := newHarness(t)
			coll := sc.coll(acctA, viewerID)
			m := h.create(t, credViewer, coll, createJSON("Viewer's second"))
			id := m["id"].(string)
			if r := h.get(t, credViewer, coll+"/"+tokViewer); r.status != http.StatusOK {
				t.Errorf("GET: %d %s", r.status, r.body)
			}
			if r := h.put(t, credViewer, coll+"/"+id, createJSON("Renamed")); r.status != http.StatusNoContent {
				t.Errorf("PUT: %d %s", r.status, r.body)
			}
			if r := h.delete(t, credViewer, coll+"/"+id); r.status != http.StatusNoContent {
				t.Errorf("DELETE: %d %s", r.status, r.body)
			}
		})
	}
}

// TestDeletingTheCallersOwnCredential: a fixture credential is the secret
// of its token; deleting that token revokes it at once (CONTRACT.md §8).
func TestDeletingTheCallersOwnCredential(t *testing.T) {
	h := newHarness(t)
	coll := userColl(acctA, memberID)
	if r := h.delete(t, credTaker, coll+"/"+tokTaker); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	wantProblem(t, h.get(t, credTaker, coll), 4)
	if r := h.get(t, credChecker, coll); r.status != http.StatusOK {
		t.Errorf("another credential of the same user stopped working: %d %s", r.status, r.body)
	}
}

// TestOverARealConnection runs a create and a read through httptest.Server,
// so that Location carries the real host and port the client used.
func TestOverARealConnection(t *testing.T) {
	h := newHarness(t)
	ts := httptest.NewServer(h.srv)
	defer ts.Close()
	coll := userColl(acctA, memberID)
	rq, err := http.NewRequest(http.MethodPost, ts.URL+coll, strings.NewReader(createJSON("Over HTTP")))
	if err != nil {
		t.Fatal(err)
	}
	rq.Header.Set("Authorization", "Bearer "+credMember)
	rq.Header.Set("Accept", "application/astra-token+json")
	resp, err := ts.Client().Do(rq)
	if err != nil {
		t.Fatal(err)
	}
	b := readAll(t, resp)
	checkResponse(t, rq, resp.StatusCode, resp.Header, b)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/astra-token+json" {
		t.Errorf("Content-Type = %q, want the requested application/astra-token+json", ct)
	}
	m := decodeJSON(t, b).(map[string]any)
	loc := resp.Header.Get("Location")
	if want := ts.URL + coll + "/" + m["id"].(string); loc != want {
		t.Fatalf("Location = %q, want %q", loc, want)
	}
	rq, _ = http.NewRequest(http.MethodGet, loc, nil)
	rq.Header.Set("Authorization", "Bearer "+m["token"].(string))
	resp, err = ts.Client().Do(rq)
	if err != nil {
		t.Fatal(err)
	}
	b = readAll(t, resp)
	checkResponse(t, rq, resp.StatusCode, resp.Header, b)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET Location: status %d: %s", resp.StatusCode, b)
	}
	if got, want := resp.Header.Get("ETag"), etagOfBody(b); got != want {
		t.Errorf("ETag = %s, want %s", got, want)
	}
}

func readAll(tb testing.TB, resp *http.Response) []byte {
	tb.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("reading the body: %v", err)
	}
	return b
}

// TestEveryFixtureCredentialAuthenticatesAsItsUser: each credential of
// CONTRACT.md §8 reads its own user's list, which holds its token.
func TestEveryFixtureCredentialAuthenticatesAsItsUser(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct{ cred, account, user, token string }{
		{credAdmin, acctA, adminID, tokAdmin},
		{credMember, acctA, memberID, tokScript},
		{credTaker, acctA, memberID, tokTaker},
		{credChecker, acctA, memberID, tokChecker},
		{credViewer, acctA, viewerID, tokViewer},
		{credMember2, acctA, member2ID, tokMember2},
		{credForeign, acctB, foreignID, tokForeign},
	} {
		t.Run(c.cred+" reads the list of "+c.user, func(t *testing.T) {
			r := h.get(t, c.cred, userColl(c.account, c.user)+"?include=id")
			found := false
			for _, it := range listItems(t, r) {
				found = found || it.([]any)[0] == c.token
			}
			if !found {
				t.Errorf("token %s not in the list: %s", c.token, r.body)
			}
		})
	}
}

// TestLocationOverTLS: the Location of a token created over HTTPS is an
// https URL (CONTRACT.md §7: the full URL of the new token).
func TestLocationOverTLS(t *testing.T) {
	h := newHarness(t)
	ts := httptest.NewTLSServer(h.srv)
	defer ts.Close()
	coll := groupColl(acctA, groupID, memberID)
	rq, _ := http.NewRequest(http.MethodPost, ts.URL+coll, strings.NewReader(createJSON("Over TLS")))
	rq.Header.Set("Authorization", "Bearer "+credMember)
	resp, err := ts.Client().Do(rq)
	if err != nil {
		t.Fatal(err)
	}
	b := readAll(t, resp)
	checkResponse(t, rq, resp.StatusCode, resp.Header, b)
	m := decodeJSON(t, b).(map[string]any)
	if got, want := resp.Header.Get("Location"), ts.URL+coll+"/"+m["id"].(string); got != want || !strings.HasPrefix(got, "https://") {
		t.Errorf("Location = %q, want %q", got, want)
	}
}

// TestNoSecretIsLogged: the request log never holds a credential or a
// secret (CONTRACT.md §3).
func TestNoSecretIsLogged(t *testing.T) {
	var logs strings.Builder
	var mu sync.Mutex
	c := &fixedClock{now: startTime}
	responseValidator(t)
	srv, err := New(Options{Clock: c.Now, Random: seededRandom(),
		Logger: slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{srv: srv, clock: c}
	coll := userColl(acctA, memberID)
	m := h.create(t, credMember, coll, createJSON("Logged"))
	secret := m["token"].(string)
	h.get(t, secret, coll)
	h.put(t, secret, coll+"/"+m["id"].(string), createJSON("Still logged"))
	h.get(t, "wrong-credential", coll)
	h.delete(t, secret, coll+"/"+m["id"].(string))
	h.get(t, secret, coll)
	mu.Lock()
	defer mu.Unlock()
	out := logs.String()
	if !strings.Contains(out, "request") {
		t.Fatalf("nothing was logged: %q", out)
	}
	for _, s := range []string{secret, credMember, "wrong-credential", "Bearer"} {
		if strings.Contains(out, s) {
			t.Errorf("the log holds %q:\n%s", s, out)
		}
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// failingAfter gives n bytes of randomness, then fails.
type failingAfter struct{ n int }

func (f *failingAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("no more randomness")
	}
	k := min(len(p), f.n)
	for i := range p[:k] {
		p[i] = byte(i)
	}
	f.n -= k
	return k, nil
}

// TestInternalErrorsAreBlankProblems: a status with no documented type
// (here a 500, when the random source fails) is a problem of type
// about:blank with the reason phrase as title (CONTRACT.md §6), and nothing is
// stored.
func TestInternalErrorsAreBlankProblems(t *testing.T) {
	srv, err := New(Options{Clock: (&fixedClock{now: startTime}).Now, Random: &failingAfter{n: 32}}) // the cursor key only
	if err != nil {
		t.Fatal(err)
	}
	coll := userColl(acctA, memberID)
	r := httptest.NewRequest(http.MethodPost, coll, strings.NewReader(createJSON("No randomness")))
	r.Header.Set("Authorization", "Bearer "+credMember)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500: %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != mediaProblem {
		t.Errorf("Content-Type = %q", ct)
	}
	want := map[string]any{
		"type": "about:blank", "title": "Internal Server Error", "detail": "Internal Server Error.",
		"status": "500", "correlationID": w.Header().Get("X-Request-ID"),
	}
	if diff := cmp.Diff(any(want), decodeJSON(t, w.Body.Bytes())); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if err := schemas.ValidateJSON(schemas.Problem, w.Body.Bytes()); err != nil {
		t.Errorf("breaks problem.json: %v", err)
	}
	page, _ := srv.store.Load().List(context.Background(), store.List{UserID: memberID, Count: true})
	if page.Total != 3 {
		t.Errorf("the member has %d tokens, want the 3 seeded", page.Total)
	}
}

// TestAContinueOfAnotherServerIsRefused: continue tokens are bound to the
// server that made them (CONTRACT.md §4: "not ours" → 5).
func TestAContinueOfAnotherServerIsRefused(t *testing.T) {
	a := newHarness(t)
	b, err := New(Options{}) // crypto/rand: another cursor key
	if err != nil {
		t.Fatal(err)
	}
	hb := &harness{srv: b, clock: a.clock}
	coll := userColl(acctA, memberID)
	cont := listMeta(t, a.get(t, credMember, coll+"?limit=1"))["continue"].(string)
	if r := a.get(t, credMember, coll+"?limit=1&continue="+cont); r.status != http.StatusOK {
		t.Fatalf("the continue does not work on its own server: %d %s", r.status, r.body)
	}
	p := wantProblem(t, hb.get(t, credMember, coll+"?limit=1&continue="+cont), 5)
	if diff := cmp.Diff([]string{"continue"}, itemNames(p, "invalidParams")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestPutMetadataWithoutLabels pins a reading of CONTRACT.md §2/§5: metadata sent
// without labels keeps the labels (only an explicit labels array replaces
// them), and labels are kept in the order sent.
func TestPutMetadataWithoutLabels(t *testing.T) {
	h := newHarness(t)
	coll := userColl(acctA, memberID)
	m := h.create(t, credMember, coll, `{"type":"application/astra-token","version":"1.0","name":"labelled",
		"metadata":{"labels":[{"name":"b","value":"2"},{"name":"a","value":"1"}]}}`)
	item := coll + "/" + m["id"].(string)
	wantLabels := []any{map[string]any{"name": "b", "value": "2"}, map[string]any{"name": "a", "value": "1"}}
	if diff := cmp.Diff(wantLabels, m["metadata"].(map[string]any)["labels"]); diff != "" {
		t.Errorf("labels on create, in the order sent (-want +got):\n%s", diff)
	}
	if r := h.put(t, credMember, item, `{"type":"application/astra-token","version":"1.0","metadata":{}}`); r.status != http.StatusNoContent {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	got := h.get(t, credMember, item).obj(t)
	if diff := cmp.Diff(wantLabels, got["metadata"].(map[string]any)["labels"]); diff != "" {
		t.Errorf("labels after PUT with metadata {} (-want +got):\n%s", diff)
	}
	if got["name"] != "labelled" {
		t.Errorf("name = %v, want it kept", got["name"])
	}
}

// TestAnOwnerManagesOtherUsersTokens: owner ranks above admin (CONTRACT.md §2,
// §3), so an owner may manage the tokens of the users of its account.
func TestAnOwnerManagesOtherUsersTokens(t *testing.T) {
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range set.Accounts[0].Users {
		if u.ID == adminID {
			set.Accounts[0].Users[i].Role = fixtures.RoleOwner
		}
	}
	responseValidator(t)
	srv, err := New(Options{Fixtures: set, Clock: (&fixedClock{now: startTime}).Now, Random: seededRandom()})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{srv: srv, clock: &fixedClock{now: startTime}}
	coll := userColl(acctA, viewerID)
	m := h.create(t, credAdmin, coll, createJSON("by the owner"))
	if r := h.put(t, credAdmin, coll+"/"+m["id"].(string), createJSON("renamed by the owner")); r.status != http.StatusNoContent {
		t.Errorf("PUT: %d %s", r.status, r.body)
	}
	if r := h.delete(t, credAdmin, coll+"/"+tokViewer); r.status != http.StatusNoContent {
		t.Errorf("DELETE: %d %s", r.status, r.body)
	}
	wantProblem(t, h.get(t, credViewer, coll), 4)
}

// TestAuthorizationScheme pins the reading of "Bearer <credential>"
// (CONTRACT.md §3): the scheme is case-insensitive (RFC 9110 §11.1); the credential is
// sent as-is, after exactly one space.
func TestAuthorizationScheme(t *testing.T) {
	h := newHarness(t)
	coll := userColl(acctA, memberID)
	for _, c := range []struct {
		header string
		want   int
	}{
		{"Bearer " + credMember, 200},
		{"bearer " + credMember, 200},
		{"BEARER " + credMember, 200},
		{"Bearer  " + credMember, 401},
		{"Bearer " + strings.TrimSuffix(credMember, "="), 401},
		{"Token " + credMember, 401},
		{credMember, 401},
	} {
		t.Run(strconv.Quote(c.header)+" is "+strconv.Itoa(c.want), func(t *testing.T) {
			r := h.get(t, "", coll, "Authorization", c.header)
			if c.want == 200 {
				if r.status != http.StatusOK {
					t.Errorf("status %d: %s", r.status, r.body)
				}
				return
			}
			wantProblem(t, r, 4)
		})
	}
}

// TestDefaultOrder: without orderBy a list is sorted by creationTimestamp,
// then id (CONTRACT.md §4).
func TestDefaultOrder(t *testing.T) {
	h := bigCollection(t) // three tokens per instant
	type row struct{ created, id string }
	var rows []row
	for _, it := range listItems(t, h.get(t, credMember, userColl(acctA, memberID))) {
		m := it.(map[string]any)
		rows = append(rows, row{m["metadata"].(map[string]any)["creationTimestamp"].(string), m["id"].(string)})
	}
	if !sort.SliceIsSorted(rows, func(i, j int) bool {
		if rows[i].created != rows[j].created {
			return rows[i].created < rows[j].created // fixed-width UTC: string order is time order
		}
		return rows[i].id < rows[j].id
	}) {
		t.Errorf("not sorted by creationTimestamp, then id: %v", rows)
	}
	if len(rows) != 25 {
		t.Errorf("%d tokens, want 25", len(rows))
	}
}
