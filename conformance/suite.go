package conformance

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// Suite is one run of the step library against one target: the shared,
// concurrency-safe part (configuration, HTTP client, contract checker,
// skip reasons). Each scenario gets its own state.
type Suite struct {
	cfg      *Config
	client   *http.Client
	contract *Contract
	problem  *jsonschema.Schema

	// What the steps write into requests, read from schemas: the type and
	// version of a token body, the templates of the token collections.
	tokenType, tokenVersion string
	userTokens, groupTokens string

	mu       sync.Mutex
	skipped  map[string]string        // scenario name → reason
	results  []*ScenarioResult        // in the order the scenarios started
	features map[string]*featureIndex // by URI, the feature files of Run
}

// NewSuite prepares a run against cfg's target.
func NewSuite(cfg *Config) (*Suite, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.RunID = cmp.Or(cfg.RunID, NewRunID())
	contract, err := NewContract()
	if err != nil {
		return nil, err
	}
	problem, err := schemas.Compile(schemas.Problem)
	if err != nil {
		return nil, err
	}
	s := &Suite{cfg: cfg, client: cfg.HTTPClient(), contract: contract, problem: problem, skipped: map[string]string{}, features: map[string]*featureIndex{}}
	if s.tokenType, s.tokenVersion, err = tokenKind(); err != nil {
		return nil, err
	}
	if s.userTokens, s.groupTokens, err = contract.Collections(); err != nil {
		return nil, err
	}
	return s, nil
}

// Coverage returns the contract-coverage table of everything sent so far.
func (s *Suite) Coverage() []CoverageRow { return s.contract.Coverage() }

// Skipped returns the scenarios skipped for want of configuration, with
// the reason, sorted by scenario name.
func (s *Suite) Skipped() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.skipped))
	for name, why := range s.skipped {
		out = append(out, name+": "+why)
	}
	sort.Strings(out)
	return out
}

// skip marks the scenario skipped for reason and returns the error that
// makes godog skip it.
func (st *scenario) skip(reason string) error {
	s := st.suite
	s.mu.Lock()
	s.skipped[st.name] = reason
	s.mu.Unlock()
	if st.skipReason == "" {
		st.skipReason = reason
	}
	return fmt.Errorf("%w: %s", godog.ErrSkip, reason)
}

// InitializeScenario registers every step of the library on sc, with a
// fresh state per scenario, so that scenarios may run concurrently, and
// the hooks that record the scenario's outcome (Results). Run and Test use
// it; use it to run godog yourself.
func (s *Suite) InitializeScenario(sc *godog.ScenarioContext) {
	s.initialize(sc, nil)
}

// initialize is InitializeScenario with the scenario a subtest of obs
// (nil: none).
func (s *Suite) initialize(sc *godog.ScenarioContext, obs *subtests) {
	st := &scenario{suite: s}
	sc.Before(func(ctx context.Context, gs *godog.Scenario) (context.Context, error) {
		st.reset(gs.Uri + ": " + gs.Name)
		return ctx, nil
	})
	sc.After(func(ctx context.Context, gs *godog.Scenario, err error) (context.Context, error) {
		return ctx, st.cleanup(ctx)
	})
	s.record(sc, st, obs)
	sc.Before(st.start)
	st.defineSteps(&stepLibrary{on: sc})
}

// tokenBody is the body of a request that creates a token named name, with
// the metadata given (nil: none).
func (s *Suite) tokenBody(name string, metadata any) ([]byte, error) {
	return json.Marshal(tokenRequest{Metadata: metadata, Name: name, Type: s.tokenType, Version: s.tokenVersion})
}

// paddedBody is a token body of n bytes, the name made as long as it takes
// (or the body with an empty name, if n is less).
func (s *Suite) paddedBody(n int) ([]byte, error) {
	empty, err := s.tokenBody("", nil)
	if err != nil {
		return nil, err
	}
	return s.tokenBody(strings.Repeat("x", max(n-len(empty), 0)), nil)
}

// FormatCoverage writes the coverage table as text.
func FormatCoverage(rows []CoverageRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-3s %-24s %-6s %-28s %s\n", "#", "operation", "method", "observed", "not observed")
	for _, r := range rows {
		fmt.Fprintf(&b, "%-3d %-24s %-6s %-28s %s", r.Number, r.ID, r.Method, joinInts(r.Observed), joinInts(r.Missing))
		if len(r.Undocumented) > 0 {
			fmt.Fprintf(&b, "  UNDOCUMENTED: %s", joinInts(r.Undocumented))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func joinInts(ns []int) string {
	if len(ns) == 0 {
		return "-"
	}
	return strings.Trim(fmt.Sprint(ns), "[]") // "1 2 3"
}
