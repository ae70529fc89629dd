package admin

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/journal"
)

// TestResetPutsBackWhatItNames: POST /__admin/reset is a full reset; what
// chooses the parts.
func TestResetPutsBackWhatItNames(t *testing.T) {
	for _, tc := range []struct {
		name, target string
		reset        []Part // what must be back as it started
	}{
		{"without what, everything", "/__admin/reset", []Part{State, Journal, Faults}},
		{"the state alone", "/__admin/reset?what=state", []Part{State}},
		{"the journal and the faults", "/__admin/reset?what=journal,faults", []Part{Journal, Faults}},
		{"all three, named", "/__admin/reset?what=faults,state,journal", []Part{State, Journal, Faults}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStack(t)
			fixtureState := state(t, s)
			_, secret := createToken(t, s) // a journal entry, a state change
			if _, err := s.Faults.Add(fault.Rule{Path: "^/nowhere$", Status: 503}); err != nil {
				t.Fatal(err)
			}
			wantStatus(t, do(t, s.Handler(), req{method: "POST", target: tc.target}), http.StatusNoContent)

			got := map[Part]bool{
				State:   string(state(t, s)) == string(fixtureState),
				Journal: s.Journal.Count(journal.Filter{}) == 0,
				Faults:  len(s.Faults.List()) == 0,
			}
			want := map[Part]bool{}
			for _, p := range AllParts() {
				want[p] = false
			}
			for _, p := range tc.reset {
				want[p] = true
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("parts back as the mock started (-want +got):\n%s", diff)
			}
			if revoked := listStatus(t, s, secret) == http.StatusUnauthorized; revoked != want[State] {
				t.Errorf("the credential created before the reset is revoked: %v, want %v", revoked, want[State])
			}
		})
	}
}

func TestResetRefusesWhatItCannotDo(t *testing.T) {
	s := newStack(t)
	_, secret := createToken(t, s)
	for _, tc := range []struct{ target, param, reason string }{
		{"/__admin/reset?what=tokens", "what", `unknown part "tokens"`},
		{"/__admin/reset?what=", "what", "empty"},
		{"/__admin/reset?what=state,state", "what", "named twice"},
		{"/__admin/reset?what=state&what=journal", "what", "give it once"},
		{"/__admin/reset?all=true", "all", "unknown parameter"},
	} {
		a := do(t, s.Handler(), req{method: "POST", target: tc.target})
		wantStatus(t, a, http.StatusBadRequest)
		p := a.Problem(t)
		if len(p.InvalidParams) != 1 || p.InvalidParams[0].Name != tc.param || !strings.Contains(p.InvalidParams[0].Reason, tc.reason) {
			t.Errorf("%s: invalidParams %+v, want %s: …%s…", tc.target, p.InvalidParams, tc.param, tc.reason)
		}
	}
	if listStatus(t, s, secret) != http.StatusOK {
		t.Error("a refused reset changed the state")
	}
}

func TestParseParts(t *testing.T) {
	for _, tc := range []struct {
		what    string
		want    []Part
		wantErr string
	}{
		{"state", []Part{State}, ""},
		{"journal, faults", []Part{Journal, Faults}, ""},
		{"state,journal,faults", []Part{State, Journal, Faults}, ""},
		{"", nil, "empty"},
		{"state,", nil, `unknown part ""`},
		{"State", nil, `unknown part "State"`},
		{"faults,faults", nil, "named twice"},
	} {
		got, err := ParseParts(tc.what)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseParts(%q) = %v, %v; want an error with %q", tc.what, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !cmp.Equal(got, tc.want) {
			t.Errorf("ParseParts(%q) = %v, %v; want %v", tc.what, got, err, tc.want)
		}
	}
}
