package mockserver

import (
	"net/http"
	"strings"
	"testing"
)

// TestOrderOfChecks: when a request has several faults, the first in the
// order of CONTRACT.md §3 wins: 401 → 400 path id → 403 account → 404 (account,
// group, user, membership) → 403 role → 400 query → 406 → 400 body → 404
// token → 412 → 409.
func TestOrderOfChecks(t *testing.T) {
	memberU := userColl(acctA, memberID)
	memberG := groupColl(acctA, groupID, memberID)
	member2U := userColl(acctA, member2ID)
	missingU := userColl(acctA, missingID)
	bad := "not-an-id"
	conflicting := `{"type":"application/astra-token","version":"1.0","id":"` + tokTaker + `"}`
	cases := []struct {
		name string
		r    req
		want int
	}{
		{"no credential and a malformed account id: 401 type 3",
			req{method: http.MethodGet, target: userColl(bad, memberID)}, 3},
		{"no credential and a malformed token id: 401 type 3",
			req{method: http.MethodDelete, target: memberU + "/" + bad}, 3},
		{"an unknown credential and a malformed user id: 401 type 4",
			req{method: http.MethodGet, target: userColl(acctA, bad), cred: "nobody"}, 4},
		{"no credential and an unsupported query: 401 type 3",
			req{method: http.MethodGet, target: memberU + "?color=red"}, 3},
		{"no credential and a bad body: 401 type 3",
			req{method: http.MethodPost, target: memberU, body: "{"}, 3},

		{"a malformed account id and a caller of another account: 400 type 33",
			req{method: http.MethodGet, target: userColl(bad, memberID), cred: credForeign}, 33},
		{"a malformed user id and a caller of another account: 400 type 35",
			req{method: http.MethodGet, target: userColl(acctA, bad), cred: credForeign}, 35},
		{"a malformed group id and a caller of another account: 400 type 35",
			req{method: http.MethodGet, target: groupColl(acctA, bad, memberID), cred: credForeign}, 35},
		{"a malformed token id and a caller of another account: 400 type 35",
			req{method: http.MethodPut, target: memberU + "/" + bad, cred: credForeign, body: createJSON("x")}, 35},
		{"a malformed account id and a malformed user id: 400 type 33",
			req{method: http.MethodGet, target: userColl(bad, bad), cred: credMember}, 33},
		{"a malformed user id and a missing user: 400 type 35",
			req{method: http.MethodGet, target: userColl(acctA, "AAAAAAAA-2222-4333-8444-55555555555F"), cred: credAdmin}, 35},
		{"a malformed token id and an unsupported query: 400 type 35",
			req{method: http.MethodGet, target: memberU + "/" + bad + "?x=1", cred: credMember}, 35},

		{"a caller of another account and a missing user: 403 type 11",
			req{method: http.MethodGet, target: missingU, cred: credForeign}, 11},
		{"a caller of another account and a missing group: 403 type 11",
			req{method: http.MethodGet, target: groupColl(acctA, missingID, memberID), cred: credForeign}, 11},
		{"a caller of another account on an account that does not exist: 403 type 11",
			req{method: http.MethodGet, target: userColl(missingID, memberID), cred: credForeign}, 11},

		{"a missing user and a member acting on another user: 404 type 2",
			req{method: http.MethodGet, target: missingU, cred: credMember}, 2},
		{"a missing user and a member deleting another user's token: 404 type 1",
			req{method: http.MethodDelete, target: missingU + "/" + tokScript, cred: credMember}, 1},
		{"a user outside the group and a member acting on another user: 404 type 2",
			req{method: http.MethodPost, target: groupColl(acctA, groupID, member2ID), cred: credMember, body: createJSON("x")}, 2},
		{"a missing group and a viewer acting on another user: 404 type 1",
			req{method: http.MethodPut, target: groupColl(acctA, missingID, memberID) + "/" + tokScript, cred: credViewer, body: createJSON("x")}, 1},

		{"a member acting on another user with a bad query: 403 type 11",
			req{method: http.MethodGet, target: member2U + "?limit=0", cred: credMember}, 11},
		{"a member acting on another user with an unsupported query: 403 type 11",
			req{method: http.MethodGet, target: member2U + "/" + tokMember2 + "?x=1", cred: credMember}, 11},
		{"a member posting a bad body for another user: 403 type 11",
			req{method: http.MethodPost, target: member2U, cred: credMember, body: "{"}, 11},
		{"a member reading another user's missing token: 403 type 11",
			req{method: http.MethodGet, target: member2U + "/" + missingID, cred: credMember}, 11},
		{"a viewer asking another user's list as text/html: 403 type 11",
			req{method: http.MethodGet, target: memberU, cred: credViewer, hdr: []string{"Accept", "text/html"}}, 11},

		{"a bad query and a body that is not JSON on a list: 400 type 5 (the body of a GET is ignored)",
			req{method: http.MethodGet, target: memberU + "?limit=0", cred: credMember, body: "{"}, 5},
		{"a bad query and Accept: text/html on a list: 400 type 5",
			req{method: http.MethodGet, target: memberU + "?limit=0", cred: credMember, hdr: []string{"Accept", "text/html"}}, 5},
		{"an unsupported query and Accept: text/html on a token: 400 type 6",
			req{method: http.MethodGet, target: memberU + "/" + tokScript + "?include=id", cred: credMember, hdr: []string{"Accept", "text/html"}}, 6},
		{"a query and a bad body on POST: 400 type 6",
			req{method: http.MethodPost, target: memberU + "?limit=0", cred: credMember, body: "{"}, 6},
		{"a query and a bad body on PUT: 400 type 6",
			req{method: http.MethodPut, target: memberU + "/" + tokScript + "?limit=0", cred: credMember, body: `{"name":1}`}, 6},
		{"a query and a body too large on POST: 400 type 6",
			req{method: http.MethodPost, target: memberU + "?x=1", cred: credMember, body: strings.Repeat(" ", MaxBodyBytes+1)}, 6},

		{"Accept: text/html and a bad body on POST: 406 type 32",
			req{method: http.MethodPost, target: memberU, cred: credMember, body: "{", hdr: []string{"Accept", "text/html"}}, 32},
		{"Accept: text/html and a body too large on POST: 406 type 32",
			req{method: http.MethodPost, target: memberG, cred: credMember, body: strings.Repeat(" ", MaxBodyBytes+1), hdr: []string{"Accept", "text/html"}}, 32},
		{"Accept: text/html and a missing token: 406 type 32",
			req{method: http.MethodGet, target: memberU + "/" + missingID, cred: credMember, hdr: []string{"Accept", "text/html"}}, 32},

		{"a body that is not JSON and a missing token: 400 type 7",
			req{method: http.MethodPut, target: memberU + "/" + missingID, cred: credMember, body: "{"}, 7},
		{"a body breaking the schema and a missing token: 400 type 8",
			req{method: http.MethodPut, target: memberG + "/" + missingID, cred: credMember, body: `{"name":"x"}`}, 8},
		{"a bad name and another user's token: 400 type 9",
			req{method: http.MethodPut, target: memberU + "/" + tokViewer, cred: credAdmin, body: createJSON("<x>")}, 9},
		{"a body too large and a missing token: 413 type 85",
			req{method: http.MethodPut, target: memberU + "/" + missingID, cred: credMember, body: strings.Repeat(" ", MaxBodyBytes+1)}, 85},
		{"a schema failure and a bad name: 400 type 8",
			req{method: http.MethodPost, target: memberU, cred: credMember, body: `{"type":"application/astra-token","version":"1.0","name":"<x>","color":1}`}, 8},
		{"a bad name and a conflicting id: 400 type 9",
			req{method: http.MethodPut, target: memberU + "/" + tokScript, cred: credMember,
				body: `{"type":"application/astra-token","version":"1.0","id":"` + tokTaker + `","name":"a;b"}`}, 9},

		{"a missing token and a wrong If-Match: 404 type 1",
			req{method: http.MethodPut, target: memberU + "/" + missingID, cred: credMember, body: createJSON("x"), hdr: []string{"If-Match", `"abc"`}}, 1},
		{"a missing token and a conflicting id: 404 type 1",
			req{method: http.MethodPut, target: memberU + "/" + missingID, cred: credMember, body: conflicting}, 1},
		{"a wrong If-Match and a conflicting id: 412 type 38",
			req{method: http.MethodPut, target: memberU + "/" + tokScript, cred: credMember, body: conflicting, hdr: []string{"If-Match", `"abc"`}}, 38},
		{"an old If-Unmodified-Since and a conflicting userID: 412 type 38",
			req{method: http.MethodPut, target: memberG + "/" + tokScript, cred: credMember,
				body: `{"type":"application/astra-token","version":"1.0","userID":"` + adminID + `"}`,
				hdr:  []string{"If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}, 38},
	}
	h := newHarness(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, h.do(t, c.r), c.want)
		})
	}
	// None of the refused requests changed anything.
	r := h.get(t, credMember, memberU+"?include=id,name,metadata")
	got := r.obj(t)["items"].([]any)
	if len(got) != 3 {
		t.Errorf("the member has %d tokens after refused requests, want 3: %s", len(got), r.body)
	}
}
