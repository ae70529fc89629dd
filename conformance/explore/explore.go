// Package explore judges a Token API with generated requests instead of
// written scenarios: it sends sequences that build state and use it, valid
// and invalid, across the ten operations and both scopes, and judges every
// answer by the contract (Contract.Check), by the answer the contract
// prescribes for a request with one known defect, by the API's own laws (a
// created token reads back equal, an update is visible, a delete is final,
// lists agree with paging, filters, orders and projections), and, with a
// reference implementation, by agreement with it after normalisation. On
// the first broken property it shrinks the sequence to a minimal one and
// writes it as a feature file of the suite's steps (see
// conformance/README.md, "Exploring").
//
// Like the suite, it speaks HTTP only, to the target and to the
// reference; it never imports the mock.
package explore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/conformance/internal/placeholder"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// Config configures a run of the explorer.
type Config struct {
	// Target is the implementation judged, with the identities to act as
	// (conformance.Config); its RunID, if set, is the run id of the
	// exploration.
	Target *conformance.Config
	// Reference, when set, is an implementation every answer is compared
	// with, acting as the same identities (in practice the mock, seeded
	// with what the target's identities see: SeedReference).
	Reference *conformance.Config
	// Requests is how many steps to explore (each one request to the
	// target, and one to the reference).
	Requests int
	// Seed makes the sequence reproducible.
	Seed uint64
	// Rate bounds the requests per second to the target; 0: no bound.
	Rate float64
	// Replays bounds the replays of shrinking; 0: DefaultReplays; less:
	// none (the finding's whole sequence is its repro).
	Replays int
	// Deployment says the reference was seeded from a real deployment:
	// requests whose answers depend on what the seeding cannot copy
	// (which groups the admins are in) are not generated.
	Deployment bool
	// Progress, when set, is called after every step: requests done of
	// Requests, findings so far.
	Progress func(done, total, findings int)
}

// DefaultReplays is the shrinking budget when Config.Replays is 0.
const DefaultReplays = 300

// Result is what a run found.
type Result struct {
	Seed  uint64
	RunID string
	// Requests is how many steps were explored, Replays how many
	// sequences shrinking replayed.
	Requests, Replays int
	Elapsed           time.Duration
	// Findings holds the first broken property or disagreement, shrunk,
	// with its repro; empty when everything held.
	Findings []*Finding
	// Judged counts, per family, the answers it judged.
	Judged   map[Family]int
	Coverage []conformance.CoverageRow
	// Leftovers are tokens the run made that its cleanup could not
	// delete.
	Leftovers []string
}

// errUnbound is the error of a step that refers to a value its sequence
// did not produce on a side.
var errUnbound = errors.New("unbound placeholder")

// explorer is what the runs of one exploration share.
type explorer struct {
	cfg      Config
	contract *conformance.Contract
	problem  *jsonschema.Schema
	// identifier is the pattern of ids, for the generator.
	identifier *jsonschema.Schema
	paths      collections
	kind       tokenKind
	judged     map[Family]int
}

func newExplorer(cfg Config) (*explorer, error) {
	if err := cfg.Target.Validate(); err != nil {
		return nil, err
	}
	if cfg.Requests <= 0 {
		return nil, fmt.Errorf("explore: %d requests: want 1 or more", cfg.Requests)
	}
	if cfg.Rate > 0 {
		target := *cfg.Target
		target.Client = cfg.Target.HTTPClient()
		p := &paced{next: target.Client.Transport, interval: time.Duration(float64(time.Second) / cfg.Rate)}
		if p.next == nil {
			p.next = http.DefaultTransport
		}
		target.Client.Transport = p
		cfg.Target = &target
	}
	contract, err := conformance.NewContract()
	if err != nil {
		return nil, err
	}
	problem, err := schemas.Compile(schemas.Problem)
	if err != nil {
		return nil, err
	}
	identifier, err := schemas.Compile(schemas.Types + "#/$defs/identifier")
	if err != nil {
		return nil, err
	}
	x := &explorer{cfg: cfg, contract: contract, problem: problem, identifier: identifier, judged: map[Family]int{}}
	if x.kind.typ, x.kind.version, err = conformance.TokenKind(); err != nil {
		return nil, err
	}
	if x.paths.user, x.paths.group, err = contract.Collections(); err != nil {
		return nil, err
	}
	return x, nil
}

// Run explores cfg.Target: cfg.Requests generated steps, each judged; on
// the first finding it stops, deletes what it made, shrinks the sequence
// and writes the repro (Finding.Repro). It returns an error when the run
// could not be carried out (bad configuration, a target that does not
// answer). A stopped ctx ends the exploration early; what was made is
// deleted all the same.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	start := time.Now()
	x, err := newExplorer(cfg)
	if err != nil {
		return nil, err
	}
	runID := cfg.Target.RunID
	if runID == "" {
		runID = conformance.NewRunID()
	}
	res := &Result{Seed: cfg.Seed, RunID: runID, Judged: x.judged}
	gen := newGenerator(cfg.Seed, cfg.Target, x.kind, x.identifier, cfg.Reference != nil, !cfg.Deployment)
	r := x.newRun(runID)
	var steps []Step
	var found *Finding
	var runErr error
	for res.Requests < cfg.Requests && found == nil && runErr == nil && ctx.Err() == nil {
		st := gen.next()
		f, ta, err := r.step(ctx, &st)
		if errors.Is(err, errUnbound) {
			continue // it refers to a value the target did not give: not sent
		}
		steps = append(steps, st)
		res.Requests++
		gen.observe(&st, ta)
		found, runErr = f, err
		if cfg.Progress != nil {
			findings := 0
			if found != nil {
				findings = 1
			}
			cfg.Progress(res.Requests, cfg.Requests, findings)
		}
	}
	res.Leftovers = append(res.Leftovers, r.cleanup(ctx)...)
	if runErr != nil && ctx.Err() == nil {
		return res, runErr
	}
	if found != nil {
		found.Sequence = steps
		if ctx.Err() == nil {
			res.Replays = x.shrink(ctx, found, res)
		}
		found.Repro = x.repro(found)
		if ctx.Err() == nil {
			x.verify(ctx, found)
		}
		res.Findings = append(res.Findings, found)
	}
	res.Coverage = x.contract.Coverage()
	res.Elapsed = time.Since(start)
	return res, nil
}

// run is one pass over a sequence: fresh tokens on each side, named with
// its own run id, and a fresh model.
type run struct {
	x      *explorer
	target *side
	ref    *side
	model  *model
	tnorm  *normalizer
	rnorm  *normalizer
}

func (x *explorer) newRun(runID string) *run {
	r := &run{x: x, target: newSide("target", x.cfg.Target, runID, x.paths, x.kind), model: newModel(x.cfg.Target, runID)}
	r.model.expand = func(s string) (string, error) { return placeholder.Expand(s, r.target.value, nil) }
	if x.cfg.Reference != nil {
		r.ref = newSide("reference", x.cfg.Reference, runID, x.paths, x.kind)
		r.tnorm, r.rnorm = newNormalizer(), newNormalizer()
	}
	return r
}

// paced sends at most one request per interval (-rate) through next, the
// rest waiting their turn: every request to the target, the exploration's,
// the shrinking's, the cleanup's and the repro's.
type paced struct {
	next     http.RoundTripper
	interval time.Duration
	mu       sync.Mutex
	turn     time.Time // when the next request may go
}

func (p *paced) RoundTrip(r *http.Request) (*http.Response, error) {
	p.mu.Lock()
	at := p.turn
	if now := time.Now(); at.Before(now) {
		at = now
	}
	p.turn = at.Add(p.interval)
	p.mu.Unlock()
	t := time.NewTimer(time.Until(at))
	defer t.Stop()
	select {
	case <-t.C:
		return p.next.RoundTrip(r)
	case <-r.Context().Done():
		return nil, context.Cause(r.Context())
	}
}

// step sends st to the target (and the reference) and judges the answer.
// It returns the target's answer; an error means the step could not be
// sent (errUnbound: it refers to a value the sequence did not produce).
func (r *run) step(ctx context.Context, st *Step) (*Finding, *answer, error) {
	ta, err := r.target.do(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	f := r.judge(st, ta)
	if r.ref == nil {
		return f, ta, nil
	}
	ra, err := r.ref.do(ctx, st)
	if errors.Is(err, errUnbound) {
		if f == nil {
			f = &Finding{Family: FamilyReference, Step: st.ID, Message: "the reference cannot be sent this step: " + err.Error()}
		}
		return f, ta, nil
	}
	if err != nil {
		return nil, ta, fmt.Errorf("the reference: %w", err)
	}
	tn, rn := r.tnorm.normalize(r.target, st, ta), r.rnorm.normalize(r.ref, st, ra)
	if f == nil {
		r.x.judged[FamilyReference]++
		if f = compareAnswers(st, ta, ra, tn, rn); f != nil {
			f.names = r.ref.names
			f.Request, f.Target = describeRequest(ta), describeAnswer(ta)
		}
	}
	if f != nil {
		f.Reference = describeAnswer(ra)
	}
	return f, ta, nil
}

// judge checks the target's answer: the contract, then the laws.
func (r *run) judge(st *Step, a *answer) *Finding {
	describe := func(f *Finding) *Finding {
		if f != nil {
			f.Request, f.Target = describeRequest(a), describeAnswer(a)
			if f.names == nil {
				f.names = r.target.names
			}
		}
		return f
	}
	r.x.judged[FamilyContract]++
	if err := r.x.contract.Check(a.req, a.resp); err != nil {
		return describe(&Finding{Family: FamilyContract, Step: st.ID, Message: err.Error()})
	}
	if a.status >= 400 {
		if _, ok := schemas.FindOperation(a.req); !ok {
			// Outside the ten operations the contract still says: a
			// problem.
			if a.jsonErr != nil || a.doc == nil {
				return describe(&Finding{Family: FamilyContract, Step: st.ID, Message: "the error answer is not a problem: its body is not JSON"})
			}
			if err := r.x.problem.Validate(a.doc); err != nil {
				return describe(&Finding{Family: FamilyContract, Step: st.ID, Message: "the error answer is not a problem: " + err.Error()})
			}
		}
	}
	if st.want != nil {
		r.x.judged[FamilyAnswer]++
	}
	f := answerLaw(st, a, r.x.cfg.Deployment)
	if f == nil {
		f = headerLaws(st, a, r.x.cfg.Deployment, func(id string) bool { return r.x.identifier.Validate(id) == nil })
	}
	if f == nil {
		f = r.model.judge(st, a)
	}
	for _, fam := range lawsOf(st, a) {
		r.x.judged[fam]++
	}
	return describe(f)
}

// lawsOf names the law families an answer was judged by, for the counts
// of the report.
func lawsOf(st *Step, a *answer) []Family {
	var out []Family
	switch {
	case st.List != nil && a.status == http.StatusOK:
		out = append(out, FamilyListContents)
		if !st.List.Unpaged() || st.List.Count {
			out = append(out, FamilyPaging)
		}
		if st.List.OrderBy != "" {
			out = append(out, FamilyOrder)
		}
		if len(st.List.Filters) > 0 {
			out = append(out, FamilyFilter)
		}
		if len(st.List.Include) > 0 {
			out = append(out, FamilyInclude)
		}
	case a.req.Method == http.MethodPost && a.status == http.StatusCreated:
		out = append(out, FamilyReadBack)
	case a.req.Method == http.MethodGet && a.status == http.StatusOK:
		out = append(out, FamilyReadBack, FamilyUpdate)
	case a.req.Method == http.MethodDelete && a.status == http.StatusNoContent:
		out = append(out, FamilyDelete)
	}
	if strings.HasPrefix(st.Auth.Header, "Bearer {$secret") {
		out = append(out, FamilyCredential)
	}
	return out
}

// cleanup deletes what the run made, on both sides.
func (r *run) cleanup(ctx context.Context) []string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	left := r.target.cleanup(ctx)
	if r.ref != nil {
		left = append(left, r.ref.cleanup(ctx)...)
	}
	return left
}

// describeRequest writes a request for a report.
func describeRequest(a *answer) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", a.req.Method, a.req.URL.RequestURI())
	for _, k := range []string{"Authorization", "Accept", "Content-Type", "If-Match", "If-Unmodified-Since", "X-Request-ID"} {
		if v := a.req.Header.Get(k); v != "" {
			if k == "Authorization" {
				v = redact(v)
			}
			fmt.Fprintf(&b, "\n%s: %s", k, v)
		}
	}
	if a.sent != nil {
		fmt.Fprintf(&b, "\n\n%s", abbrev(string(a.sent)))
	}
	return b.String()
}

// redact keeps the scheme of a credential and its first characters.
func redact(v string) string {
	scheme, cred, ok := strings.Cut(v, " ")
	if !ok || len(cred) <= 8 {
		return v
	}
	return scheme + " " + cred[:4] + "…"
}

// describeAnswer writes an answer for a report.
func describeAnswer(a *answer) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", a.status, http.StatusText(a.status))
	for _, k := range []string{"Content-Type", "Location", "ETag", "Allow", "X-Request-ID"} {
		if v := a.header.Get(k); v != "" {
			fmt.Fprintf(&b, "\n%s: %s", k, v)
		}
	}
	if len(a.body) > 0 {
		body := string(a.body)
		// A secret the run made is redacted as credentials are: it
		// authenticates until the cleanup.
		if obj, ok := a.doc.(map[string]any); ok {
			if secret, ok := obj["token"].(string); ok && len(secret) > 8 {
				body = strings.ReplaceAll(body, secret, secret[:4]+"…")
			}
		}
		fmt.Fprintf(&b, "\n\n%s", abbrev(body))
	}
	return b.String()
}

func abbrev(s string) string {
	if len(s) > 1200 {
		return s[:1200] + "…"
	}
	return s
}
