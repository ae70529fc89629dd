package explore

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// outcome is the answer schemas/CONTRACT.md prescribes for a request the
// generator made with at most one defect: a status, and for an error the
// problem type. Only answers that do not depend on the state are
// prescribed (a malformed body is refused whether or not the token
// exists), so that a shrunk sequence keeps them.
type outcome struct {
	status, problem int
	// policy: the rule is the mock's [policy], not NetApp's
	// documentation; against a deployment (Config.Deployment) it is not
	// checked.
	policy bool
}

// problem is the outcome of a documented problem type.
func problem(k schemas.ProblemKind, policy bool) *outcome {
	return &outcome{status: k.Status(), problem: int(k), policy: policy}
}

// expect gives st the outcome o when st is a plain request of owner: sent
// as owner, on owner's collection in user scope, with no header but
// X-Request-ID. A request that is not plain may meet an earlier check
// (role, membership, account) first.
func (g *generator) expect(st Step, owner string, o *outcome) Step {
	switch {
	case st.Path == "{group tokens of second member}" && st.Auth.Persona == "second member":
		// The second member is in no group with the member (a policy of
		// the configuration): its collection in the group is not found,
		// whatever else the request says.
		st.want = problem(schemas.ProblemCollectionNotFound, true)
		if st.Method == http.MethodPut || st.Method == http.MethodDelete {
			st.want = problem(schemas.ProblemResourceNotFound, true)
		}
	case o != nil && st.Auth.Persona == owner && strings.HasPrefix(st.Path, "{user tokens of "+owner+"}"):
		st.want = o
	}
	return st
}

// answerLaw: a request with one known defect gets the answer the contract
// prescribes for it.
func answerLaw(st *Step, a *answer, deployment bool) *Finding {
	w := st.want
	if w == nil || w.policy && deployment {
		return nil
	}
	if a.status == w.status && (w.problem == 0 || a.problemType() == w.problem) {
		return nil
	}
	want := fmt.Sprint(w.status)
	expect := []check{{kind: "status", n: w.status}}
	if w.problem != 0 {
		want += fmt.Sprintf(" problem %d", w.problem)
		expect = append(expect, check{kind: "problem", n: w.problem})
	}
	got := fmt.Sprint(a.status)
	if n := a.problemType(); n != 0 {
		got += fmt.Sprintf(" problem %d", n)
	}
	rule := "[doc]"
	if w.policy {
		rule = "[policy]"
	}
	return &Finding{Family: FamilyAnswer, Step: st.ID, expect: expect,
		Message: fmt.Sprintf("%s answered %s; schemas/CONTRACT.md prescribes %s %s", st.Kind, got, want, rule)}
}

// headerLaws: a new token's Location is its URL in the scope it was
// created through, and a token asked for as application/astra-token+json
// comes as that type (schemas/CONTRACT.md §7); every problem carries the
// correlation id of the X-Request-ID header, which is the client's when it
// sent a valid one (§6, a policy).
func headerLaws(st *Step, a *answer, deployment bool, identifier func(string) bool) *Finding {
	fail := func(msg string, expect ...check) *Finding {
		return &Finding{Family: FamilyAnswer, Step: st.ID, Message: msg, expect: expect}
	}
	obj, _ := a.doc.(map[string]any)
	if a.req.Method == http.MethodPost && a.status == http.StatusCreated {
		id, _ := obj["id"].(string)
		want := a.req.URL.EscapedPath() + "/" + id
		if loc := a.header.Get("Location"); id != "" && !strings.HasSuffix(loc, want) {
			return fail(fmt.Sprintf("Location %q is not the new token's URL, …%s", loc, want), check{kind: "header ends", path: "Location", value: want})
		}
	}
	if a.req.Method == http.MethodGet && a.status == http.StatusOK && a.req.Header.Get("Accept") == "application/astra-token+json" &&
		parseAddress(a.req).token != "" {
		if ct := wire.MediaType(a.header.Get("Content-Type")); ct != "application/astra-token+json" {
			return fail(fmt.Sprintf("a token asked for as application/astra-token+json came as %s", ct),
				check{kind: "header", path: "Content-Type", value: "application/astra-token+json"})
		}
	}
	if deployment {
		return nil
	}
	header := a.header.Get("X-Request-ID")
	if sent := a.req.Header.Get("X-Request-ID"); sent != "" && identifier(sent) && header != sent {
		return fail(fmt.Sprintf("the client's X-Request-ID %s came back as %q", sent, header), check{kind: "header", path: "X-Request-ID", value: sent})
	}
	if n := a.problemType(); n != 0 && wire.MediaType(a.header.Get("Content-Type")) == schemas.ProblemMediaType {
		id, ok := obj["correlationID"].(string)
		switch {
		case !ok:
			return fail("a problem without correlationID", check{kind: "present", path: "correlationID"})
		case header != "" && id != header:
			return fail(fmt.Sprintf("correlationID %s is not the X-Request-ID header %s", id, header), check{kind: "problem", n: n})
		}
	}
	return nil
}
