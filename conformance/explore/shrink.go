package explore

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/astra-contract/astra-token-kit/conformance"
)

// shrink reduces f.Sequence to a short sequence that still breaks a
// property of f's family, by delta debugging: first the failing step with
// the steps it refers to, then chunks of steps dropped, halving the
// chunks down to single steps, then each step simplified (a header
// dropped, a list parameter dropped, the member as the caller, user scope
// for group scope). Every candidate is replayed on fresh tokens (a fresh
// run id), which are deleted after it. It returns the number of replays,
// at most the budget; f then describes the shortest failing replay.
func (x *explorer) shrink(ctx context.Context, f *Finding, res *Result) int {
	budget := x.cfg.Replays
	if budget == 0 {
		budget = DefaultReplays
	}
	replays := 0
	seq := upTo(f.Sequence, f.Step)
	test := func(cand []Step) bool {
		cand = bound(cand)
		if len(cand) == 0 || replays >= budget || ctx.Err() != nil {
			return false
		}
		replays++
		g, left := x.replay(ctx, cand)
		res.Leftovers = append(res.Leftovers, left...)
		if g == nil || g.Family != f.Family {
			return false
		}
		seq = upTo(cand, g.Step)
		g.Sequence = seq
		*f = *g
		return true
	}

	// The failing step and what it refers to, often all it takes; else
	// with the steps that refer to the same values (the updates of its
	// token); else with every write before it, which made the state it
	// saw.
	if len(seq) > 1 {
		refs := withRefs(seq, seq[len(seq)-1].ID)
		in := func(st Step) bool { return slices.ContainsFunc(refs, func(r Step) bool { return r.ID == st.ID }) }
		related := keep(seq, func(st Step) bool {
			return in(st) || slices.ContainsFunc(st.refs(), func(k string) bool { return in(Step{ID: refStep(k)}) })
		})
		writes := keep(seq, func(st Step) bool { return in(st) || st.Method != http.MethodGet })
		_ = test(refs) || len(related) < len(seq) && test(related) || len(writes) < len(seq) && test(writes)
	}
	// Chunks, then single steps.
	for n := 2; len(seq) > 1 && replays < budget; {
		size := (len(seq) + n - 1) / n
		removed := false
		for start := 0; start < len(seq); start += size {
			cand := slices.Concat(seq[:start], seq[min(start+size, len(seq)):])
			if test(cand) {
				n = max(n-1, 2)
				removed = true
				break
			}
		}
		if !removed {
			if n >= len(seq) {
				break
			}
			n = min(2*n, len(seq))
		}
	}
	// Each step made simpler.
	for i := len(seq) - 1; i >= 0 && replays < budget; i-- {
		for changed := true; changed && i < len(seq); {
			changed = false
			for _, simpler := range simplifications(seq[i]) {
				cand := slices.Clone(seq)
				cand[i] = simpler
				if test(cand) {
					changed = true
					break
				}
			}
		}
	}
	f.Sequence = seq
	return replays
}

// replay runs a sequence on fresh tokens and returns its first finding
// (nil: none, or a step that could not be sent), having deleted what it
// made.
func (x *explorer) replay(ctx context.Context, seq []Step) (*Finding, []string) {
	r := x.newRun(conformance.NewRunID())
	var found *Finding
	for i := range seq {
		f, _, err := r.step(ctx, &seq[i])
		if err != nil {
			break
		}
		if f != nil {
			found = f
			break
		}
	}
	return found, r.cleanup(ctx)
}

// upTo returns the steps of seq up to the step with id last.
func upTo(seq []Step, last int) []Step {
	for i, st := range seq {
		if st.ID == last {
			return slices.Clone(seq[:i+1])
		}
	}
	return slices.Clone(seq)
}

// bound drops the steps that refer to a step not before them, until
// every reference is bound.
func bound(seq []Step) []Step {
	kept := map[int]bool{}
	var out []Step
	for _, st := range seq {
		ok := true
		for _, k := range st.refs() {
			if !kept[refStep(k)] {
				ok = false
			}
		}
		if ok {
			kept[st.ID] = true
			out = append(out, st)
		}
	}
	return out
}

// withRefs returns the step id of seq with every step it refers to,
// transitively, in order.
func withRefs(seq []Step, id int) []Step {
	need := map[int]bool{id: true}
	for i := len(seq) - 1; i >= 0; i-- {
		if need[seq[i].ID] {
			for _, k := range seq[i].refs() {
				need[refStep(k)] = true
			}
		}
	}
	return keep(seq, func(st Step) bool { return need[st.ID] })
}

// keep returns the steps of seq for which ok is true.
func keep(seq []Step, ok func(Step) bool) []Step {
	return slices.DeleteFunc(slices.Clone(seq), func(st Step) bool { return !ok(st) })
}

// simplifications returns simpler variants of a step, each one change.
func simplifications(st Step) []Step {
	var out []Step
	variant := func(change func(s *Step)) {
		s := st
		s.Headers = slices.Clone(st.Headers)
		if st.List != nil {
			q := *st.List
			q.Filters, q.Include = slices.Clone(q.Filters), slices.Clone(q.Include)
			s.List = &q
		}
		change(&s)
		s.want = nil // what the contract prescribes may have changed
		out = append(out, s)
	}
	for i := range st.Headers {
		variant(func(s *Step) { s.Headers = slices.Delete(s.Headers, i, i+1) })
	}
	if st.Auth.Persona != "member" {
		variant(func(s *Step) { s.Auth = Auth{Persona: "member"} })
	}
	if strings.HasPrefix(st.Path, "{group tokens of ") {
		variant(func(s *Step) { s.Path = "{user tokens of " + strings.TrimPrefix(st.Path, "{group tokens of ") })
	}
	if q := st.List; q != nil {
		for i := range q.Filters {
			variant(func(s *Step) { s.List.Filters = slices.Delete(s.List.Filters, i, i+1) })
		}
		if q.OrderBy != "" {
			variant(func(s *Step) { s.List.OrderBy, s.List.Desc = "", false })
		}
		if len(q.Include) > 0 {
			variant(func(s *Step) { s.List.Include = nil })
		}
		if q.Skip > 0 {
			variant(func(s *Step) { s.List.Skip = 0 })
		}
		if q.Count {
			variant(func(s *Step) { s.List.Count = false })
		}
	}
	return out
}
