package mockserver

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// endpoint is one of the ten endpoints of CONTRACT.md §1.
type endpoint struct {
	method string
	group  bool // G rather than U
	item   bool // .../{token_id}
}

var endpoints = []endpoint{
	{http.MethodPost, false, false},
	{http.MethodGet, false, false},
	{http.MethodGet, false, true},
	{http.MethodPut, false, true},
	{http.MethodDelete, false, true},
	{http.MethodPost, true, false},
	{http.MethodGet, true, false},
	{http.MethodGet, true, true},
	{http.MethodPut, true, true},
	{http.MethodDelete, true, true},
}

func (e endpoint) String() string {
	s := e.method + " U"
	if e.group {
		s = e.method + " G"
	}
	if e.item {
		s += "/{token_id}"
	}
	return s
}

// ids are the path ids of a request.
type ids struct{ account, group, user, token string }

// memberIDs address the member's Snapshot Script token.
var memberIDs = ids{acctA, groupID, memberID, tokScript}

func (e endpoint) path(p ids) string {
	var s string
	if e.group {
		s = groupColl(p.account, p.group, p.user)
	} else {
		s = userColl(p.account, p.user)
	}
	if e.item {
		s += "/" + p.token
	}
	return s
}

// validBody is a body the endpoint would accept.
func (e endpoint) validBody() string {
	switch e.method {
	case http.MethodPost:
		return createJSON("Valid name")
	case http.MethodPut:
		return `{"type":"application/astra-token","version":"1.0","name":"Valid name"}`
	}
	return ""
}

// notFound is the documented 404 type of the endpoint: 2 on GET and POST,
// 1 on PUT and DELETE (CONTRACT.md §1).
func (e endpoint) notFound() int {
	if e.method == http.MethodPut || e.method == http.MethodDelete {
		return 1
	}
	return 2
}

func (e endpoint) hasBody() bool { return e.method == http.MethodPost || e.method == http.MethodPut }

func (h *harness) call(tb testing.TB, e endpoint, p ids, cred string, hdr ...string) res {
	tb.Helper()
	return h.do(tb, req{method: e.method, target: e.path(p), cred: cred, body: e.validBody(), hdr: hdr})
}

// TestEveryEndpointRefusesWhatItMust runs the 401, 400 (ids), 403 and 404
// cells of CONTRACT.md §1 against each of the ten endpoints, with a valid body
// where there is one, so that only the tested fault is wrong.
func TestEveryEndpointRefusesWhatItMust(t *testing.T) {
	type tc struct {
		name string
		cred string
		hdr  []string
		ids  func(ids) ids
		want func(endpoint) int
		only func(endpoint) bool
	}
	is := func(n int) func(endpoint) int { return func(endpoint) int { return n } }
	notFound := func(e endpoint) int { return e.notFound() }
	groupOnly := func(e endpoint) bool { return e.group }
	itemOnly := func(e endpoint) bool { return e.item }
	same := func(p ids) ids { return p }
	cases := []tc{
		{name: "without an Authorization header it answers 401 type 3", ids: same, want: is(3)},
		{name: "with an unknown credential it answers 401 type 4", cred: "no-such-credential", ids: same, want: is(4)},
		{name: "with a revoked credential it answers 401 type 4", cred: credChecker, ids: same, want: is(4)},
		{name: "with Basic credentials it answers 401 type 4", hdr: []string{"Authorization", "Basic xyz"}, ids: same, want: is(4)},
		{name: "with Bearer and nothing after it answers 401 type 4", hdr: []string{"Authorization", "Bearer"}, ids: same, want: is(4)},
		{name: "with Bearer and a space it answers 401 type 4", hdr: []string{"Authorization", "Bearer "}, ids: same, want: is(4)},
		{name: "with an empty Authorization header it answers 401 type 4", hdr: []string{"Authorization", ""}, ids: same, want: is(4)},
		{name: "with a fixture credential in the wrong case it answers 401 type 4", cred: strings.ToUpper(credTaker), ids: same, want: is(4)},

		{name: "with a malformed account id it answers 400 type 33", cred: credMember,
			ids: func(p ids) ids { p.account = "not-an-account"; return p }, want: is(33)},
		{name: "with an uppercase account id it answers 400 type 33", cred: credMember,
			ids: func(p ids) ids { p.account = strings.ToUpper(p.account); return p }, want: is(33)},
		{name: "with a malformed user id it answers 400 type 35", cred: credMember,
			ids: func(p ids) ids { p.user = "bob"; return p }, want: is(35)},
		{name: "with an uppercase user id it answers 400 type 35", cred: credMember,
			ids: func(p ids) ids { p.user = strings.ToUpper(p.user); return p }, want: is(35)},
		{name: "with a malformed group id it answers 400 type 35", cred: credMember, only: groupOnly,
			ids: func(p ids) ids { p.group = "admins"; return p }, want: is(35)},
		{name: "with an uppercase group id it answers 400 type 35", cred: credMember, only: groupOnly,
			ids: func(p ids) ids { p.group = strings.ToUpper(p.group); return p }, want: is(35)},
		{name: "with a malformed token id it answers 400 type 35", cred: credMember, only: itemOnly,
			ids: func(p ids) ids { p.token = "4e99da96"; return p }, want: is(35)},
		{name: "with an uppercase token id it answers 400 type 35", cred: credMember, only: itemOnly,
			ids: func(p ids) ids { p.token = strings.ToUpper(p.token); return p }, want: is(35)},
		{name: "with a version-3 token id it answers 400 type 35", cred: credMember, only: itemOnly,
			ids: func(p ids) ids { p.token = "4e99da96-152e-3aee-9207-4b6d04d2238d"; return p }, want: is(35)},

		{name: "for a caller of another account it answers 403 type 11", cred: credForeign, ids: same, want: is(11)},
		{name: "for a caller of account A on account B it answers 403 type 11", cred: credAdmin,
			ids: func(p ids) ids {
				p.account, p.user, p.token = acctB, foreignID, tokForeign
				return p
			}, want: is(11)},
		{name: "for a member on another member's tokens it answers 403 type 11", cred: credMember,
			ids: func(p ids) ids {
				// Through G the other user must be in the group: the viewer is.
				p.user, p.token = member2ID, tokMember2
				if p.group != "" {
					p.user, p.token = viewerID, tokViewer
				}
				return p
			}, want: is(11)},
		{name: "for a viewer on another user's tokens it answers 403 type 11", cred: credViewer, ids: same, want: is(11)},
		{name: "for a member on the admin's tokens it answers 403 type 11", cred: credMember, only: func(e endpoint) bool { return !e.group },
			ids: func(p ids) ids { p.user, p.token = adminID, tokAdmin; return p }, want: is(11)},

		{name: "for a user that does not exist it answers 404", cred: credAdmin,
			ids: func(p ids) ids { p.user = missingID; return p }, want: notFound},
		{name: "for a version-5 user id that does not exist it answers 404", cred: credAdmin,
			ids: func(p ids) ids { p.user = missingID5; return p }, want: notFound},
		{name: "for the nil user id it answers 404", cred: credAdmin,
			ids: func(p ids) ids { p.user = "00000000-0000-0000-0000-000000000000"; return p }, want: notFound},
		{name: "for a group that does not exist it answers 404", cred: credAdmin, only: groupOnly,
			ids: func(p ids) ids { p.group = missingID; return p }, want: notFound},
		{name: "for a user of account B through account A it answers 404", cred: credAdmin,
			ids: func(p ids) ids { p.user, p.token = foreignID, tokForeign; return p }, want: notFound},
		{name: "for a user who is in no group it answers 404", cred: credAdmin, only: groupOnly,
			ids: func(p ids) ids { p.user, p.token = member2ID, tokMember2; return p }, want: notFound},
		{name: "for the admin, who is in no group, it answers 404", cred: credAdmin, only: groupOnly,
			ids: func(p ids) ids { p.user, p.token = adminID, tokAdmin; return p }, want: notFound},
		{name: "for a token that does not exist it answers 404", cred: credMember, only: itemOnly,
			ids: func(p ids) ids { p.token = missingID; return p }, want: notFound},
		{name: "for a version-5 token id that does not exist it answers 404", cred: credMember, only: itemOnly,
			ids: func(p ids) ids { p.token = missingID5; return p }, want: notFound},
		{name: "for another user's token it answers 404", cred: credAdmin, only: itemOnly,
			ids: func(p ids) ids { p.token = tokViewer; return p }, want: notFound},
		{name: "for another account's token it answers 404", cred: credAdmin, only: itemOnly,
			ids: func(p ids) ids { p.token = tokForeign; return p }, want: notFound},
	}

	h := newHarness(t)
	// Revoke the Volume Checker credential for the "revoked" case.
	if r := h.delete(t, credAdmin, userColl(acctA, memberID)+"/"+tokChecker); r.status != http.StatusNoContent {
		t.Fatalf("revoking: %d %s", r.status, r.body)
	}
	before := h.tokenCount(t, memberID)
	for _, e := range endpoints {
		t.Run(e.String(), func(t *testing.T) {
			for _, c := range cases {
				if c.only != nil && !c.only(e) {
					continue
				}
				t.Run(c.name, func(t *testing.T) {
					p := memberIDs
					if !e.group {
						p.group = ""
					}
					p = c.ids(p)
					if !e.group {
						p.group = groupID
					}
					r := h.call(t, e, p, c.cred, c.hdr...)
					wantProblem(t, r, c.want(e))
				})
			}
		})
	}
	if after := h.tokenCount(t, memberID); after != before {
		t.Errorf("refused requests changed the member's tokens: %d → %d", before, after)
	}
	// Nothing was modified or deleted either.
	r := h.get(t, credMember, userColl(acctA, memberID)+"/"+tokScript)
	if got := r.obj(t)["name"]; got != "Snapshot Script" {
		t.Errorf("Snapshot Script was renamed to %v", got)
	}
}

// TestInvalidQueryParameters: each list parameter with a bad value is
// problem type 5 naming it (CONTRACT.md §4).
func TestInvalidQueryParameters(t *testing.T) {
	h := newHarness(t)
	memberList := userColl(acctA, memberID)
	// A continue token made for another query and one for another collection.
	first := h.get(t, credMember, memberList+"?limit=1").obj(t)
	cont := first["metadata"].(map[string]any)["continue"].(string)
	h.create(t, credAdmin, userColl(acctA, adminID), createJSON("Second admin token"))
	adminCont := h.get(t, credAdmin, userColl(acctA, adminID)+"?limit=1").obj(t)["metadata"].(map[string]any)["continue"].(string)
	tampered := []byte(cont)
	if tampered[4] == 'A' {
		tampered[4] = 'B'
	} else {
		tampered[4] = 'A'
	}

	cases := []struct {
		name  string
		query string // raw query string
		want  []string
	}{
		{"limit=0", "limit=0", []string{"limit"}},
		{"a negative limit", "limit=-1", []string{"limit"}},
		{"a limit with a leading zero", "limit=01", []string{"limit"}},
		{"a limit that is not a number", "limit=ten", []string{"limit"}},
		{"an empty limit", "limit=", []string{"limit"}},
		{"skip=0", "skip=0", []string{"skip"}},
		{"a skip that is not a number", "skip=x", []string{"skip"}},
		{"count=false", "count=false", []string{"count"}},
		{"count=TRUE", "count=TRUE", []string{"count"}},
		{"an orderBy of an unknown field", "orderBy=bogus", []string{"orderBy"}},
		{"an orderBy of metadata", "orderBy=metadata", []string{"orderBy"}},
		{"an orderBy with asc", "orderBy=name%20asc", []string{"orderBy"}},
		{"two orderBy fields", "orderBy=name,id", []string{"orderBy"}},
		{"include=token", "include=token", []string{"include"}},
		{"an include of an unknown field", "include=id,bogus", []string{"include"}},
		{"an include with an empty field", "include=id,,name", []string{"include"}},
		{"an include naming a field twice", "include=id,id", []string{"include"}},
		{"a filter without an operator", "filter=name", []string{"filter"}},
		{"a filter with an unknown operator", "filter=name%20like%20%27x%27", []string{"filter"}},
		{"a filter on an unknown field", "filter=color%20eq%20%27red%27", []string{"filter"}},
		{"a filter with an unquoted value", "filter=name%20eq%20x", []string{"filter"}},
		{"a filter with a forbidden character", "filter=name%20eq%20%27a%7Cb%27", []string{"filter"}},
		{"a filter on a time that is not a time", "filter=metadata.creationTimestamp%20gt%20%27yesterday%27", []string{"filter"}},
		{"a filter with [*] on a field that is no array", "filter=name[*]%20eq%20%27x%27", []string{"filter"}},
		{"one bad filter among good ones", "filter=name%20eq%20%27x%27&filter=bogus", []string{"filter"}},
		{"a forged continue", "continue=Zm9vYmFyYmF6", []string{"continue"}},
		{"a continue that is not base64", "continue=***", []string{"continue"}},
		{"a tampered continue", "limit=1&continue=" + string(tampered), []string{"continue"}},
		{"a continue made for another filter", "limit=1&filter=name%20in%20%27S%27&continue=" + cont, []string{"continue"}},
		{"a continue made for another order", "limit=1&orderBy=name&continue=" + cont, []string{"continue"}},
		{"a continue made for another include", "limit=1&include=id&continue=" + cont, []string{"continue"}},
		{"a continue made for another collection", "limit=1&continue=" + adminCont, []string{"continue"}},
		{"two bad parameters", "limit=0&skip=0", []string{"limit", "skip"}},
		{"limit given twice", "limit=1&limit=2", []string{"limit"}},
		{"an empty filter value", "filter=name%20eq%20%27%27", []string{"filter"}},
		{"an empty filter value with in", "filter=metadata.modifiedBy%20in%20%27%27", []string{"filter"}},
		{"a filter with a malformed escape", "filter=name%20eq%20%27Snapshot%20Taker%27%zz", []string{"filter"}},
		{"a limit with a malformed escape", "limit=%zz", []string{"limit"}},
		{"a limit followed by a semicolon", "limit=1;x", []string{"limit"}},
		{"a malformed escape in a name", "li%zzmit=1", []string{"li%zzmit"}},
		{"a value that decodes to bytes that are not UTF-8", "filter=name%20eq%20%27%FF%27", []string{"filter"}},
		{"a malformed pair beside a good one", "limit=1&skip=%2", []string{"skip"}},
		{"two malformed pairs", "limit=%zz&filter=a;b", []string{"filter", "limit"}},
		{"a malformed pair beside an undeclared one", "color=red&limit=%zz", []string{"limit"}},
	}
	for _, sc := range scopes {
		t.Run("in the "+sc.name, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name+" is problem type 5 naming "+strings.Join(c.want, " and "), func(t *testing.T) {
					r := h.get(t, credAdmin, sc.coll(acctA, memberID)+"?"+c.query)
					p := wantProblem(t, r, 5)
					got := itemNames(p, "invalidParams")
					sort.Strings(got)
					if diff := cmp.Diff(c.want, got); diff != "" {
						t.Errorf("invalidParams names (-want +got):\n%s\n%s", diff, r.body)
					}
				})
			}
		})
	}
}

// TestUnsupportedQueryParameters: a parameter the endpoint does not take is
// problem type 6 (CONTRACT.md §4): anything on the item endpoints and on POST, and
// any name other than the seven on a list.
func TestUnsupportedQueryParameters(t *testing.T) {
	h := newHarness(t)
	before := h.tokenCount(t, memberID)
	for _, e := range endpoints {
		var queries []struct{ query, name string }
		if !e.item && e.method == http.MethodGet {
			queries = append(queries, []struct{ query, name string }{
				{"color=red", "color"},
				{"Limit=1", "Limit"},
				{"limit=1&sort=name", "sort"},
				{"fields=id", "fields"},
			}...)
		} else {
			queries = append(queries, []struct{ query, name string }{
				{"include=id", "include"},
				{"limit=1", "limit"},
				{"count=true", "count"},
				{"filter=name%20eq%20%27x%27", "filter"},
				{"color=red", "color"},
				{"x", "x"},
				{"limit=%zz", "limit"},
				{"a=1;b=2", "a"},
				{"%zz", "%zz"},
				{"x=%FF", "x"},
			}...)
		}
		for _, q := range queries {
			t.Run(e.String()+" with ?"+q.query+" is problem type 6 naming "+q.name, func(t *testing.T) {
				r := h.do(t, req{method: e.method, target: e.path(memberIDs) + "?" + q.query, cred: credMember, body: e.validBody()})
				p := wantProblem(t, r, 6)
				if diff := cmp.Diff([]string{q.name}, itemNames(p, "invalidParams")); diff != "" {
					t.Errorf("invalidParams names (-want +got):\n%s", diff)
				}
			})
		}
	}
	if after := h.tokenCount(t, memberID); after != before {
		t.Errorf("refused requests changed the member's tokens: %d → %d", before, after)
	}
	if r := h.get(t, credMember, userColl(acctA, memberID)+"/"+tokScript); r.status != http.StatusOK {
		t.Errorf("Snapshot Script is gone after refused requests: %d", r.status)
	}
}

// bodyCase is one request body and the problem type it must get.
type bodyCase struct {
	name string
	body string
	want int    // 7, 8 or 9; 0 for accepted
	post bool   // applies to POST
	put  bool   // applies to PUT
	what string // for 8: a word the schemaValidationFailure mentions
}

var t8 = `{"type":"application/astra-token","version":"1.0",`

var bodyCases = []bodyCase{
	{name: "an empty body", body: "", want: 7, post: true, put: true},
	{name: "plain text", body: "hello", want: 7, post: true, put: true},
	{name: "truncated JSON", body: `{"type":"application/astra-token",`, want: 7, post: true, put: true},
	{name: "two JSON values", body: `{}{}`, want: 7, post: true, put: true},
	{name: "single-quoted JSON", body: `{'name':'x'}`, want: 7, post: true, put: true},
	{name: "a JSON array", body: `[]`, want: 8, post: true, put: true},
	{name: "JSON null", body: `null`, want: 8, post: true, put: true},
	{name: "a JSON string", body: `"Snapshot Script"`, want: 8, post: true, put: true},
	{name: "an empty object", body: `{}`, want: 8, post: true, put: true, what: "type"},
	{name: "a missing name", body: `{"type":"application/astra-token","version":"1.0"}`, want: 8, post: true, what: "name"},
	{name: "a missing type", body: `{"version":"1.0","name":"x"}`, want: 8, post: true, put: true, what: "type"},
	{name: "a missing version", body: `{"type":"application/astra-token","name":"x"}`, want: 8, post: true, put: true, what: "version"},
	{name: "a name of 64 characters", body: t8 + `"name":"` + strings.Repeat("n", 64) + `"}`, want: 8, post: true, put: true, what: "name"},
	{name: "an empty name", body: t8 + `"name":""}`, want: 8, post: true, put: true, what: "name"},
	{name: "a number as name", body: t8 + `"name":42}`, want: 8, post: true, put: true, what: "name"},
	{name: "null as name", body: t8 + `"name":null}`, want: 8, post: true, put: true, what: "name"},
	{name: "the wrong type", body: `{"type":"application/astra-tokens","version":"1.0","name":"x"}`, want: 8, post: true, put: true, what: "type"},
	{name: "the wrong version", body: `{"type":"application/astra-token","version":"2.0","name":"x"}`, want: 8, post: true, put: true, what: "version"},
	{name: "a number as version", body: `{"type":"application/astra-token","version":1.0,"name":"x"}`, want: 8, post: true, put: true, what: "version"},
	{name: "an id on POST", body: t8 + `"name":"x","id":"` + missingID + `"}`, want: 8, post: true, what: "id"},
	{name: "a userID on POST", body: t8 + `"name":"x","userID":"` + memberID + `"}`, want: 8, post: true, what: "userID"},
	{name: "a token", body: t8 + `"name":"x","token":"QUJD"}`, want: 8, post: true, put: true, what: "token"},
	{name: "an unknown field", body: t8 + `"name":"x","color":"red"}`, want: 8, post: true, put: true, what: "color"},
	{name: "a field in the wrong case", body: t8 + `"Name":"x","name":"x"}`, want: 8, post: true, put: true, what: "Name"},
	{name: "a malformed id on PUT", body: t8 + `"id":"not-an-id"}`, want: 8, put: true, what: "id"},
	{name: "metadata as an array", body: t8 + `"name":"x","metadata":[]}`, want: 8, post: true, put: true, what: "metadata"},
	{name: "labels as an object", body: t8 + `"name":"x","metadata":{"labels":{"name":"a","value":"b"}}}`, want: 8, post: true, put: true, what: "labels"},
	{name: "a label with an extra field", body: t8 + `"name":"x","metadata":{"labels":[{"name":"a","value":"b","color":"red"}]}}`, want: 8, post: true, put: true, what: "color"},
	{name: "a label without a value", body: t8 + `"name":"x","metadata":{"labels":[{"name":"a"}]}}`, want: 8, post: true, put: true, what: "value"},
	{name: "a label with a number as value", body: t8 + `"name":"x","metadata":{"labels":[{"name":"a","value":1}]}}`, want: 8, post: true, put: true, what: "value"},
	{name: "duplicate labels", body: t8 + `"name":"x","metadata":{"labels":[{"name":"a","value":"b"},{"name":"a","value":"b"}]}}`, want: 8, post: true, put: true, what: "labels"},
	{name: "an unknown metadata field", body: t8 + `"name":"x","metadata":{"owner":"me"}}`, want: 8, post: true, put: true, what: "owner"},
	{name: "a malformed createdBy", body: t8 + `"name":"x","metadata":{"createdBy":"bob"}}`, want: 8, post: true, put: true, what: "createdBy"},
	{name: "a malformed creationTimestamp", body: t8 + `"name":"x","metadata":{"creationTimestamp":"yesterday"}}`, want: 8, post: true, put: true, what: "creationTimestamp"},

	{name: "a name with <", body: createJSON("<script>"), want: 9, post: true, put: true},
	{name: "a name with >", body: createJSON("a>b"), want: 9, post: true, put: true},
	{name: `a name with "`, body: createJSON(`say "hi"`), want: 9, post: true, put: true},
	{name: "a name with a backtick", body: createJSON("`id`"), want: 9, post: true, put: true},
	{name: "a name with ../", body: createJSON("../etc/passwd"), want: 9, post: true, put: true},
	{name: `a name with ..\`, body: createJSON(`..\windows`), want: 9, post: true, put: true},
	{name: "a name with --", body: createJSON("x' --"), want: 9, post: true, put: true},
	{name: "a name with ;", body: createJSON("a; DROP TABLE tokens"), want: 9, post: true, put: true},
	{name: "a name with /*", body: createJSON("a /* b"), want: 9, post: true, put: true},
	{name: "a name with */", body: createJSON("a */ b"), want: 9, post: true, put: true},
	{name: "a name with < written as a JSON escape", body: t8 + `"name":"\u003cb\u003e"}`, want: 9, post: true, put: true},
	{name: "a name with non-ASCII letters", body: createJSON("café"), want: 9, post: true, put: true},
	{name: "a name with a non-ASCII letter written as a JSON escape", body: t8 + `"name":"caf\u00e9"}`, want: 9, post: true, put: true},
	{name: "a name with invalid UTF-8", body: t8 + "\"name\":\"a\xffb\"}", want: 7, post: true, put: true},
	{name: "a label value with invalid UTF-8", body: t8 + "\"name\":\"x\",\"metadata\":{\"labels\":[{\"name\":\"a\",\"value\":\"\xff\xfe\"}]}}", want: 7, post: true, put: true},
	{name: "invalid UTF-8 between JSON tokens", body: t8 + "\"name\":\"x\"\xff}", want: 7, post: true, put: true},
	{name: "a UTF-16 surrogate written in UTF-8", body: t8 + "\"name\":\"x\",\"metadata\":{\"labels\":[{\"name\":\"a\",\"value\":\"\xed\xa0\x80\"}]}}", want: 7, post: true, put: true},
	{name: "a name of 63 non-ASCII letters", body: createJSON(strings.Repeat("é", 63)), want: 9, post: true, put: true},
	{name: "a name with a tab", body: createJSON("a\tb"), want: 9, post: true, put: true},
	{name: "a name with a NUL", body: createJSON("a\x00b"), want: 9, post: true, put: true},
	{name: "a name with DEL", body: createJSON("a\x7fb"), want: 9, post: true, put: true},

	{name: `the name "Snapshot Script"`, body: createJSON("Snapshot Script"), post: true, put: true},
	{name: `the name "ci-token_2 (prod)"`, body: createJSON("ci-token_2 (prod)"), post: true, put: true},
	{name: "a name of 63 characters", body: createJSON(strings.Repeat("n", 63)), post: true, put: true},
	{name: "a name of one character", body: createJSON("x"), post: true, put: true},
	{name: "a name with a single dot pair and slash apart", body: createJSON("v1.2/x"), post: true, put: true},
	{name: "a name with other printable punctuation", body: createJSON("it's 50% off! #1 & $2 @home {a} [b] ~c ^d |e =f +g ,h ?i"), post: true, put: true},
	{name: "a name with a single hyphen and slash", body: createJSON("a-b/c*d"), post: true, put: true},
	{name: "labels sent empty", body: t8 + `"name":"x","metadata":{"labels":[]}}`, post: true, put: true},
	{name: "two labels with one name and different values", body: t8 + `"name":"x","metadata":{"labels":[{"name":"a","value":"1"},{"name":"a","value":"2"}]}}`, post: true, put: true},
	{name: "server fields in metadata (ignored)", body: t8 + `"name":"x","metadata":{"createdBy":"` + viewerID + `","modifiedBy":"` + viewerID + `","creationTimestamp":"2020-01-01T00:00:00Z","modificationTimestamp":"2020-01-01T00:00:00,5Z"}}`, post: true, put: true},
	{name: "a PUT with only type and version", body: `{"type":"application/astra-token","version":"1.0"}`, put: true},
	{name: "a PUT with the token's own id and userID", body: t8 + `"id":"` + tokScript + `","userID":"` + memberID + `"}`, put: true},
	{name: "whitespace around the JSON", body: "\n\t " + createJSON("x") + " \r\n", post: true, put: true},
}

// TestRequestBodies: not JSON → 7, schema failures → 8 with
// schemaValidationFailure, extended validation → 9 naming name (CONTRACT.md §5);
// and the names the contract says must pass do.
func TestRequestBodies(t *testing.T) {
	for _, sc := range scopes {
		t.Run("in the "+sc.name, func(t *testing.T) {
			h := newHarness(t)
			coll := sc.coll(acctA, memberID)
			for _, method := range []string{http.MethodPost, http.MethodPut} {
				for _, c := range bodyCases {
					if method == http.MethodPost && !c.post || method == http.MethodPut && !c.put {
						continue
					}
					verdict := "is accepted"
					if c.want != 0 {
						verdict = "is problem type " + strconv.Itoa(c.want)
					}
					t.Run(method+" with "+c.name+" "+verdict, func(t *testing.T) {
						before := h.tokenCount(t, memberID)
						target := coll
						if method == http.MethodPut {
							target += "/" + tokScript
						}
						r := h.do(t, req{method: method, target: target, cred: credMember, body: c.body,
							hdr: []string{"Content-Type", "application/json"}})
						after := h.tokenCount(t, memberID)
						if c.want == 0 {
							want := http.StatusCreated
							if method == http.MethodPut {
								want = http.StatusNoContent
							}
							if r.status != want {
								t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
							}
							if method == http.MethodPost {
								if after != before+1 {
									t.Errorf("token count %d → %d, want one more", before, after)
								}
								h.delete(t, credMember, coll+"/"+r.obj(t)["id"].(string))
							}
							return
						}
						p := wantProblem(t, r, c.want)
						if after != before {
							t.Errorf("a refused %s changed the token count: %d → %d", method, before, after)
						}
						switch c.want {
						case 8:
							svf, _ := p["schemaValidationFailure"].(string)
							if c.what != "" && !strings.Contains(svf, c.what) {
								t.Errorf("schemaValidationFailure %q does not mention %q", svf, c.what)
							}
						case 9:
							if diff := cmp.Diff([]string{"name"}, itemNames(p, "invalidFields")); diff != "" {
								t.Errorf("invalidFields names (-want +got):\n%s", diff)
							}
						}
					})
				}
			}
		})
	}
}

// TestRefusedPutChangesNothing: after a refused PUT the token is as before.
func TestRefusedPutChangesNothing(t *testing.T) {
	h := newHarness(t)
	item := userColl(acctA, memberID) + "/" + tokScript
	before := h.get(t, credMember, item)
	for _, b := range []string{createJSON("<bad>"), t8 + `"name":"x","color":1}`, "{", t8 + `"id":"` + missingID + `","name":"x"}`} {
		h.clock.Advance(time.Second)
		if r := h.put(t, credMember, item, b); r.status < 400 {
			t.Fatalf("PUT %s: status %d", b, r.status)
		}
	}
	after := h.get(t, credMember, item)
	if diff := jsonDiff(t, before.body, after.body); diff != "" {
		t.Errorf("token changed (-before +after):\n%s", diff)
	}
}

// TestPutConflicts: a PUT whose id or userID disagrees with the stored
// token is 409 type 10 naming the field (CONTRACT.md §5).
func TestPutConflicts(t *testing.T) {
	cases := []struct {
		name string
		body string
		want []string
	}{
		{"an id that differs from the path", t8 + `"id":"` + tokTaker + `","name":"x"}`, []string{"id"}},
		{"an unknown id", t8 + `"id":"` + missingID + `"}`, []string{"id"}},
		{"a userID that differs from the owner", t8 + `"userID":"` + adminID + `"}`, []string{"userID"}},
		{"a userID of a user who does not exist", t8 + `"userID":"` + missingID + `"}`, []string{"userID"}},
		{"both", t8 + `"id":"` + tokTaker + `","userID":"` + viewerID + `"}`, []string{"id", "userID"}},
	}
	for _, sc := range scopes {
		t.Run("in the "+sc.name, func(t *testing.T) {
			h := newHarness(t)
			item := sc.coll(acctA, memberID) + "/" + tokScript
			for _, c := range cases {
				t.Run("a PUT with "+c.name+" is 409 type 10", func(t *testing.T) {
					p := wantProblem(t, h.put(t, credAdmin, item, c.body), 10)
					got := itemNames(p, "invalidFields")
					sort.Strings(got)
					if diff := cmp.Diff(c.want, got); diff != "" {
						t.Errorf("invalidFields names (-want +got):\n%s", diff)
					}
				})
			}
			if name := h.get(t, credMember, item).obj(t)["name"]; name != "Snapshot Script" {
				t.Errorf("a refused PUT renamed the token to %v", name)
			}
		})
	}
}

// TestOtherMethods: a method other than GET, POST, PUT, DELETE on a known
// path is 405 type 69 with Allow (CONTRACT.md §7).
func TestOtherMethods(t *testing.T) {
	h := newHarness(t)
	paths := []struct {
		name, path, allow string
	}{
		{"U", userColl(acctA, memberID), "GET, POST"},
		{"U/{token_id}", userColl(acctA, memberID) + "/" + tokScript, "GET, PUT, DELETE"},
		{"G", groupColl(acctA, groupID, memberID), "GET, POST"},
		{"G/{token_id}", groupColl(acctA, groupID, memberID) + "/" + tokScript, "GET, PUT, DELETE"},
	}
	for _, p := range paths {
		for _, m := range []string{http.MethodPatch, http.MethodHead, http.MethodOptions, "TRACE", "PROPFIND"} {
			if m == http.MethodPost && strings.Contains(p.name, "token_id") {
				continue
			}
			t.Run(m+" on "+p.name+" is 405 type 69 with Allow: "+p.allow, func(t *testing.T) {
				r := h.do(t, req{method: m, target: p.path, cred: credMember, body: `{"name":"x"}`})
				wantProblem(t, r, 69)
				if got := r.header.Get("Allow"); got != p.allow {
					t.Errorf("Allow = %q, want %q", got, p.allow)
				}
			})
		}
	}
	t.Run("POST on a token is 405 type 69", func(t *testing.T) {
		r := h.post(t, credMember, paths[1].path, createJSON("x"))
		wantProblem(t, r, 69)
		if got := r.header.Get("Allow"); got != "GET, PUT, DELETE" {
			t.Errorf("Allow = %q", got)
		}
	})
	t.Run("PUT and DELETE on a collection are 405 type 69", func(t *testing.T) {
		for _, m := range []string{http.MethodPut, http.MethodDelete} {
			r := h.do(t, req{method: m, target: paths[0].path, cred: credMember, body: createJSON("x")})
			wantProblem(t, r, 69)
			if got := r.header.Get("Allow"); got != "GET, POST" {
				t.Errorf("%s: Allow = %q", m, got)
			}
		}
	})
	if r := h.get(t, credMember, paths[1].path); r.status != http.StatusOK {
		t.Errorf("the token is gone after 405s: %d", r.status)
	}
}

// TestContentNegotiation: Accept and the Content-Type of answers (CONTRACT.md §7).
func TestContentNegotiation(t *testing.T) {
	h := newHarness(t)
	coll := userColl(acctA, memberID)
	item := coll + "/" + tokScript
	const tokenType = "application/astra-token+json"
	absent := "\x00absent"
	type tc struct {
		accept string
		want   string // Content-Type, or "" for 406
	}
	run := func(t *testing.T, name string, send func(accept string) res, cases []tc) {
		for _, c := range cases {
			label := "Accept: " + c.accept
			if c.accept == absent {
				label = "no Accept"
			}
			verdict := "answers " + c.want
			if c.want == "" {
				verdict = "is 406 type 32"
			}
			t.Run(name+" with "+label+" "+verdict, func(t *testing.T) {
				r := send(c.accept)
				if c.want == "" {
					wantProblem(t, r, 32)
					return
				}
				if r.status >= 300 {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if got := r.header.Get("Content-Type"); got != c.want {
					t.Errorf("Content-Type = %q, want %q", got, c.want)
				}
			})
		}
	}
	hdr := func(accept string) []string {
		if accept == absent {
			return nil
		}
		return []string{"Accept", accept}
	}
	tokenCases := []tc{
		{absent, "application/json"},
		{"*/*", "application/json"},
		{"application/json", "application/json"},
		{"application/*", "application/json"},
		{tokenType, tokenType},
		{"text/html, " + tokenType + ";q=0.5", tokenType},
		{"application/json;q=0.5, " + tokenType, tokenType},
		{tokenType + ";q=0.5, application/json", "application/json"},
		{"text/html", ""},
		{"application/xml", ""},
		{"text/*", ""},
		{"application/json;q=0", ""},
		{"*/*;q=0", ""},
	}
	run(t, "GET of a token", func(a string) res { return h.get(t, credMember, item, hdr(a)...) }, tokenCases)
	before := h.tokenCount(t, memberID)
	created := 0
	run(t, "POST", func(a string) res {
		r := h.post(t, credMember, coll, createJSON("Negotiated"), hdr(a)...)
		if r.status == http.StatusCreated {
			created++
		}
		return r
	}, tokenCases)
	if after := h.tokenCount(t, memberID); after != before+created {
		t.Errorf("token count %d → %d with %d created: a 406 POST created a token", before, after, created)
	}
	run(t, "GET of the list", func(a string) res { return h.get(t, credMember, coll, hdr(a)...) }, []tc{
		{absent, "application/json"},
		{"*/*", "application/json"},
		{"application/json", "application/json"},
		{"application/*", "application/json"},
		{tokenType, "application/json"},
		{"text/html", ""},
		{"text/html, application/xhtml+xml", ""},
	})
	t.Run("PUT and DELETE ignore Accept: they answer 204 without a body", func(t *testing.T) {
		if r := h.put(t, credMember, item, createJSON("Snapshot Script"), "Accept", "text/html"); r.status != http.StatusNoContent {
			t.Errorf("PUT: %d %s", r.status, r.body)
		}
		m := h.create(t, credMember, coll, createJSON("to delete"))
		if r := h.delete(t, credMember, coll+"/"+m["id"].(string), "Accept", "text/html"); r.status != http.StatusNoContent {
			t.Errorf("DELETE: %d %s", r.status, r.body)
		}
	})
	t.Run("a request Content-Type is not enforced", func(t *testing.T) {
		for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "application/astra-token+json", "aplication/jsn"} {
			r := h.post(t, credMember, coll, createJSON("Any content type"), "Content-Type", ct)
			if r.status != http.StatusCreated {
				t.Errorf("Content-Type %s: status %d: %s", ct, r.status, r.body)
			}
		}
	})
	t.Run("a body on GET and DELETE is ignored", func(t *testing.T) {
		if r := h.do(t, req{method: http.MethodGet, target: item, cred: credMember, body: "{}"}); r.status != http.StatusOK {
			t.Errorf("GET with {}: %d %s", r.status, r.body)
		}
		if r := h.do(t, req{method: http.MethodGet, target: coll, cred: credMember, body: "not json"}); r.status != http.StatusOK {
			t.Errorf("GET list with a body: %d %s", r.status, r.body)
		}
		m := h.create(t, credMember, coll, createJSON("to delete"))
		if r := h.do(t, req{method: http.MethodDelete, target: coll + "/" + m["id"].(string), cred: credMember, body: "{"}); r.status != http.StatusNoContent {
			t.Errorf("DELETE with a body: %d %s", r.status, r.body)
		}
	})
}

// TestPreconditions: PUT honours If-Match (quoted or bare) and
// If-Unmodified-Since (CONTRACT.md §7).
func TestPreconditions(t *testing.T) {
	for _, sc := range scopes {
		t.Run("in the "+sc.name, func(t *testing.T) {
			h := newHarness(t)
			item := sc.coll(acctA, memberID) + "/" + tokScript
			etag := func() string { return h.get(t, credMember, item).header.Get("ETag") }
			put := func(hdr ...string) res { return h.put(t, credMember, item, createJSON("Snapshot Script"), hdr...) }
			t.Run("a wrong If-Match is 412 type 38", func(t *testing.T) {
				wantProblem(t, put("If-Match", `"0123456789abcdef0123456789abcdef"`), 38)
			})
			t.Run("a weak If-Match of the right tag is 412 type 38", func(t *testing.T) {
				wantProblem(t, put("If-Match", "W/"+etag()), 38)
			})
			t.Run("the ETag of an earlier version is 412 type 38", func(t *testing.T) {
				old := etag()
				h.clock.Advance(time.Second)
				if r := put(); r.status != http.StatusNoContent {
					t.Fatalf("PUT: %d", r.status)
				}
				wantProblem(t, put("If-Match", old), 38)
			})
			t.Run("the right If-Match, quoted, is 204", func(t *testing.T) {
				if r := put("If-Match", etag()); r.status != http.StatusNoContent {
					t.Errorf("status %d: %s", r.status, r.body)
				}
			})
			t.Run("the right If-Match, bare, is 204", func(t *testing.T) {
				h.clock.Advance(time.Second)
				if r := put("If-Match", strings.Trim(etag(), `"`)); r.status != http.StatusNoContent {
					t.Errorf("status %d: %s", r.status, r.body)
				}
			})
			t.Run("the right If-Match in a list is 204", func(t *testing.T) {
				h.clock.Advance(time.Second)
				if r := put("If-Match", `"00000000000000000000000000000000", `+etag()); r.status != http.StatusNoContent {
					t.Errorf("status %d: %s", r.status, r.body)
				}
			})
			t.Run("If-Match: * is 204", func(t *testing.T) {
				if r := put("If-Match", "*"); r.status != http.StatusNoContent {
					t.Errorf("status %d: %s", r.status, r.body)
				}
			})
			t.Run("If-Unmodified-Since in the past is 412 type 38", func(t *testing.T) {
				wantProblem(t, put("If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"), 38)
			})
			t.Run("If-Unmodified-Since one second before the last change is 412 type 38", func(t *testing.T) {
				h.clock.Advance(10 * time.Second)
				put()
				since := h.clock.Now().Add(-time.Second).UTC().Format(http.TimeFormat)
				wantProblem(t, put("If-Unmodified-Since", since), 38)
			})
			t.Run("If-Unmodified-Since at the last change is 204", func(t *testing.T) {
				h.clock.Advance(10 * time.Second)
				put()
				since := h.clock.Now().UTC().Format(http.TimeFormat)
				if r := put("If-Unmodified-Since", since); r.status != http.StatusNoContent {
					t.Errorf("status %d: %s", r.status, r.body)
				}
			})
			t.Run("If-Unmodified-Since in the future is 204", func(t *testing.T) {
				since := h.clock.Now().Add(24 * time.Hour).UTC().Format(http.TimeFormat)
				if r := put("If-Unmodified-Since", since); r.status != http.StatusNoContent {
					t.Errorf("status %d: %s", r.status, r.body)
				}
			})
			t.Run("If-Match takes precedence over If-Unmodified-Since", func(t *testing.T) {
				if r := put("If-Match", etag(), "If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"); r.status != http.StatusNoContent {
					t.Errorf("status %d: %s", r.status, r.body)
				}
			})
		})
	}
}

// TestBodySizeLimit: a body over 64 KiB is 413 type 85; one of exactly
// 64 KiB is read (CONTRACT.md §5).
func TestBodySizeLimit(t *testing.T) {
	h := newHarness(t)
	coll := userColl(acctA, memberID)
	item := coll + "/" + tokScript
	// pad makes a valid body of exactly n bytes by adding whitespace.
	pad := func(body string, n int) string { return body + strings.Repeat(" ", n-len(body)) }
	for _, c := range []struct {
		method, target, body string
		ok                   int
	}{
		{http.MethodPost, coll, createJSON("Big"), http.StatusCreated},
		{http.MethodPut, item, createJSON("Big"), http.StatusNoContent},
	} {
		t.Run(c.method+" with a body of 64 KiB + 1 byte is 413 type 85", func(t *testing.T) {
			before := h.tokenCount(t, memberID)
			wantProblem(t, h.do(t, req{method: c.method, target: c.target, cred: credMember, body: pad(c.body, MaxBodyBytes+1)}), 85)
			if after := h.tokenCount(t, memberID); after != before {
				t.Errorf("token count %d → %d", before, after)
			}
		})
		t.Run(c.method+" with a body of 1 MiB that is not JSON is 413 type 85", func(t *testing.T) {
			wantProblem(t, h.do(t, req{method: c.method, target: c.target, cred: credMember, body: strings.Repeat("x", 1<<20)}), 85)
		})
		t.Run(c.method+" with a body of exactly 64 KiB is accepted", func(t *testing.T) {
			r := h.do(t, req{method: c.method, target: c.target, cred: credMember, body: pad(c.body, MaxBodyBytes)})
			if r.status != c.ok {
				t.Errorf("status %d, want %d: %s", r.status, c.ok, r.body)
			}
		})
	}
}

// TestCorrelationIDs: every answer carries X-Request-ID; a problem's
// correlationID equals it; a client's valid id is used (CONTRACT.md §6).
func TestCorrelationIDs(t *testing.T) {
	h := newHarness(t)
	coll := userColl(acctA, memberID)
	for _, c := range []struct {
		name, sent string
		echoed     bool
	}{
		{"a v4 id is echoed", "3f5b1c2a-9d4e-4f6a-8b7c-1d2e3f4a5b6c", true},
		{"a v5 id is echoed", "822fab12-c224-5d1f-8118-5fb5d2def8b9", true},
		{"the nil id is echoed", "00000000-0000-0000-0000-000000000000", true},
		{"an uppercase id is replaced", "3F5B1C2A-9D4E-4F6A-8B7C-1D2E3F4A5B6C", false},
		{"a v1 id is replaced", "3f5b1c2a-9d4e-1f6a-8b7c-1d2e3f4a5b6c", false},
		{"free text is replaced", "my-request-1", false},
		{"an id with spaces around is replaced", " 3f5b1c2a-9d4e-4f6a-8b7c-1d2e3f4a5b6c", false},
	} {
		for _, kind := range []struct {
			name string
			r    req
		}{
			{"on a 200", req{method: http.MethodGet, target: coll, cred: credMember}},
			{"on a 401", req{method: http.MethodGet, target: coll}},
			{"on a 404 of an unknown path", req{method: http.MethodGet, target: "/nowhere"}},
			{"on a 405", req{method: http.MethodPatch, target: coll, cred: credMember}},
			{"on a 400 type 8", req{method: http.MethodPost, target: coll, cred: credMember, body: "{}"}},
		} {
			t.Run(c.name+" "+kind.name, func(t *testing.T) {
				q := kind.r
				q.hdr = []string{"X-Request-ID", c.sent}
				r := h.do(t, q) // checkResponse asserts echo or replacement
				got := r.header.Get("X-Request-ID")
				if c.echoed != (got == c.sent) {
					t.Errorf("X-Request-ID = %q for %q sent, echoed = %v, want %v", got, c.sent, got == c.sent, c.echoed)
				}
			})
		}
	}
	t.Run("two requests without X-Request-ID get different ids", func(t *testing.T) {
		a := h.get(t, credMember, coll).header.Get("X-Request-ID")
		b := h.get(t, credMember, coll).header.Get("X-Request-ID")
		if a == b {
			t.Errorf("both requests got %s", a)
		}
	})
}

// TestUnknownPaths: a path that is none of the API's is 404 type 1.
func TestUnknownPaths(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{
		"/",
		"/accounts",
		"/accounts/" + acctA + "/core/v1/users/" + memberID,
		"/accounts/" + acctA + "/core/v1/users/" + memberID + "/tokens/",
		"/accounts/" + acctA + "/core/v1/users/" + memberID + "/tokens/" + tokScript + "/",
		"/accounts/" + acctA + "/core/v1/users/" + memberID + "/tokens/" + tokScript + "/extra",
		"/accounts/" + acctA + "/core/v2/users/" + memberID + "/tokens",
		"/accounts/" + acctA + "/core/v1/groups/" + groupID + "/tokens",
		"/accounts/" + acctA + "/core/v1/users/" + memberID + "/credentials",
		"/core/v1/users/" + memberID + "/tokens",
	} {
		for _, cred := range []string{"", credMember} {
			who := "without credentials"
			if cred != "" {
				who = "with a credential"
			}
			t.Run("GET "+p+" "+who+" is 404 type 1", func(t *testing.T) {
				wantProblem(t, h.get(t, cred, p), 1)
			})
			t.Run("POST "+p+" "+who+" is 404 type 1", func(t *testing.T) {
				wantProblem(t, h.post(t, cred, p, createJSON("x")), 1)
			})
		}
	}
}
