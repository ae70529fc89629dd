package mockserver

import (
	"net/http"
	"strings"
	"testing"
)

// addBodySeeds seeds a fuzz target with the request bodies of the table
// tests and a few more.
func addBodySeeds(f *testing.F) {
	for _, c := range bodyCases {
		f.Add([]byte(c.body))
	}
	for _, s := range []string{
		`{"type":"application/astra-token","version":"1.0","name":"Snapshot Script"}`,
		`{"type":"application/astra-token","version":"1.0","name":"ci-token_2 (prod)","metadata":{"labels":[{"name":"env","value":"ci"}]}}`,
		`{"type":"application/astra-token","version":"1.0","id":"` + tokScript + `","userID":"` + memberID + `","name":"x"}`,
		`{"type":"application/astra-token","version":"1.0","id":"` + missingID + `"}`,
		`{"type":"application/astra-token","version":"1.0","name":"\ud800"}`,
		`{"type":"application/astra-token","version":"1.0","name":"x","name":"<y>"}`,
		`{"type":"application/astra-token","version":"1.0","name":"x","metadata":{"labels":[{"name":"a","value":"b"}],"labels":[]}}`,
		"{\"type\":\"application/astra-token\",\"version\":\"1.0\",\"name\":\"\xff\xfe\"}",
		`{"type":"application/astra-token","version":"1.0","name":"x","metadata":{"labels":[` + strings.Repeat(`{"name":"a","value":"b"},`, 3) + `{"name":"a","value":"c"}]}}`,
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		`{"type":"application/astra-token","version":"1.0","name":"x","metadata":{"creationTimestamp":"9999-12-31T23:59:59.999999999Z"}}`,
		`1e999`,
		"\xef\xbb\xbf{}",
	} {
		f.Add([]byte(s))
	}
}

// FuzzCreateBody sends arbitrary bytes as a POST body: the mock never
// panics, answers 201 or 400 (types 7, 8, 9) or 413, every answer is
// inside the OpenAPI document, and the store gains at most one token.
func FuzzCreateBody(f *testing.F) {
	addBodySeeds(f)
	h := newHarness(f)
	coll := userColl(acctA, memberID)
	f.Fuzz(func(t *testing.T, body []byte) {
		before := h.tokenCount(t, memberID)
		r := h.do(t, req{method: http.MethodPost, target: coll, cred: credMember, body: string(body)})
		after := h.tokenCount(t, memberID)
		switch r.status {
		case http.StatusCreated:
			if after != before+1 {
				t.Errorf("201 but the token count went %d → %d", before, after)
			}
			m := r.obj(t)
			if secret, _ := m["token"].(string); secret == "" {
				t.Fatalf("201 without a secret: %s", r.body)
			} else if g := h.get(t, secret, coll+"/"+m["id"].(string)); g.status != http.StatusOK {
				t.Errorf("the new secret does not read the new token: %d %s", g.status, g.body)
			}
			if d := h.delete(t, credMember, coll+"/"+m["id"].(string)); d.status != http.StatusNoContent {
				t.Fatalf("cleaning up: %d %s", d.status, d.body)
			}
		case http.StatusBadRequest:
			if n := problemOf(t, r); n != 7 && n != 8 && n != 9 {
				t.Errorf("400 of type %d, want 7, 8 or 9: %s", n, r.body)
			}
			if after != before {
				t.Errorf("a refused POST changed the token count %d → %d", before, after)
			}
		case http.StatusRequestEntityTooLarge:
			if len(body) <= MaxBodyBytes {
				t.Errorf("413 for a body of %d bytes", len(body))
			}
			if after != before {
				t.Errorf("a refused POST changed the token count %d → %d", before, after)
			}
		default:
			t.Errorf("status %d, want 201, 400 or 413: %s", r.status, r.body)
		}
	})
}

// FuzzUpdateBody sends arbitrary bytes as a PUT body: the mock never
// panics, answers 204, 400 (types 7, 8, 9), 409 or 413, never changes the
// token's id, owner, creation or credential, and changes nothing when it
// refuses.
func FuzzUpdateBody(f *testing.F) {
	addBodySeeds(f)
	h := newHarness(f)
	coll := userColl(acctA, memberID)
	item := coll + "/" + tokScript
	f.Fuzz(func(t *testing.T, body []byte) {
		before := h.get(t, credMember, item)
		count := h.tokenCount(t, memberID)
		r := h.do(t, req{method: http.MethodPut, target: item, cred: credMember, body: string(body)})
		after := h.get(t, credMember, item) // also proves the credential still works
		if after.status != http.StatusOK {
			t.Fatalf("GET after PUT: %d %s", after.status, after.body)
		}
		if n := h.tokenCount(t, memberID); n != count {
			t.Errorf("PUT changed the token count %d → %d", count, n)
		}
		switch r.status {
		case http.StatusNoContent:
			if len(r.body) != 0 {
				t.Errorf("204 with a body: %s", r.body)
			}
			b, a := before.obj(t), after.obj(t)
			bm, am := b["metadata"].(map[string]any), a["metadata"].(map[string]any)
			for _, k := range []string{"id", "userID", "type", "version"} {
				if b[k] != a[k] {
					t.Errorf("PUT changed %s from %v to %v", k, b[k], a[k])
				}
			}
			for _, k := range []string{"creationTimestamp", "createdBy"} {
				if bm[k] != am[k] {
					t.Errorf("PUT changed metadata.%s from %v to %v", k, bm[k], am[k])
				}
			}
			if am["modifiedBy"] != memberID {
				t.Errorf("modifiedBy = %v, want the caller", am["modifiedBy"])
			}
			return
		case http.StatusBadRequest:
			if n := problemOf(t, r); n != 7 && n != 8 && n != 9 {
				t.Errorf("400 of type %d, want 7, 8 or 9: %s", n, r.body)
			}
		case http.StatusConflict:
			if n := problemOf(t, r); n != 10 {
				t.Errorf("409 of type %d: %s", n, r.body)
			}
		case http.StatusRequestEntityTooLarge:
			if len(body) <= MaxBodyBytes {
				t.Errorf("413 for a body of %d bytes", len(body))
			}
		default:
			t.Errorf("status %d, want 204, 400, 409 or 413: %s", r.status, r.body)
		}
		if diff := jsonDiff(t, before.body, after.body); diff != "" {
			t.Errorf("a refused PUT changed the token (-before +after):\n%s", diff)
		}
	})
}
