// Package fault injects faults into the mock's answers, in the manner of
// WireMock: a status answered instead of the real one, added latency, or a
// dropped connection, for the requests a rule matches; and a global latency
// (with jitter) on every request. Rules are added, listed and removed at
// run time, by an admin API built on Injector.
//
// A rule refused for its members is a *FieldError or an
// *UnknownFieldError naming them, or the *json.UnmarshalTypeError of
// encoding/json for a member of the wrong type.
package fault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/faultnote"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/httptoken"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// Header is the response header naming the rule that produced or delayed
// an answer.
const Header = "X-Mock-Fault"

// MaxLatencyMS is the largest latency a rule may add.
const MaxLatencyMS = 60000

// Rule is one fault: which requests it applies to, how often, and what it
// does to them.
type Rule struct {
	// ID is assigned by Add: "f1", "f2", ... An ID given to Add is ignored.
	ID string `json:"id"`
	// Method is the request method the rule applies to; empty: any. Add
	// stores it in upper case.
	Method string `json:"method,omitempty"`
	// Path is a Go regular expression matched (MatchString, so unanchored
	// unless anchored with ^ and $) against the request's URL path.
	Path string `json:"path"`
	// Times applies the rule to the next Times matching requests only;
	// after the last, the rule is removed.
	Times int `json:"times,omitempty"`
	// Probability applies the rule to each matching request with this
	// probability, in (0, 1]. With neither Times nor Probability the rule
	// applies to every matching request.
	Probability float64 `json:"probability,omitempty"`
	// Exactly one of Status, LatencyMS and Drop says what the rule does.
	// Status answers with this status (400–599) and a problem body, without
	// serving the request.
	Status int `json:"status,omitempty"`
	// LatencyMS serves the request after this many milliseconds (1–60000).
	LatencyMS int `json:"latencyMs,omitempty"`
	// Drop closes the connection without answering.
	Drop bool `json:"drop,omitempty"`
	// Remaining is, for a Times rule, how many applications are left. It
	// is set by Add and kept up to date in List; a value given is ignored.
	Remaining int `json:"remaining,omitempty"`
}

// FieldError is a rule refused for the value of one or more of its
// members.
type FieldError struct {
	// Fields are the JSON names of the members concerned: one, or all
	// those of a requirement that spans several ("give exactly one of
	// status, latencyMs or drop").
	Fields []string
	// Reason says what is wrong.
	Reason string
}

// Error names the member and the reason ("status: must be 400–599"), or
// for several members gives the reason alone, which names them.
func (e *FieldError) Error() string {
	if len(e.Fields) == 1 {
		return e.Fields[0] + ": " + e.Reason
	}
	return e.Reason
}

// UnknownFieldError is a member a rule does not have. Its message is the
// one encoding/json gives.
type UnknownFieldError struct {
	Field string // as sent, unescaped
}

func (e *UnknownFieldError) Error() string {
	return fmt.Sprintf("json: unknown field %q", e.Field)
}

// Validate checks r, reporting the first problem found as a *FieldError:
// "path: missing", "status: must be 400–599", ...
func (r Rule) Validate() error {
	_, err := r.compile()
	return err
}

func (r Rule) compile() (*regexp.Regexp, error) {
	if r.Path == "" {
		return nil, &FieldError{Fields: []string{"path"}, Reason: "missing"}
	}
	re, err := regexp.Compile(r.Path)
	if err != nil {
		return nil, &FieldError{Fields: []string{"path"}, Reason: "not a Go regular expression: " + err.Error()}
	}
	if r.Method != "" && !httptoken.Valid(r.Method) {
		return nil, &FieldError{Fields: []string{"method"}, Reason: fmt.Sprintf("not an HTTP method: %q", r.Method)}
	}
	actions := 0
	for _, set := range []bool{r.Status != 0, r.LatencyMS != 0, r.Drop} {
		if set {
			actions++
		}
	}
	if actions != 1 {
		return nil, &FieldError{Fields: []string{"status", "latencyMs", "drop"}, Reason: "give exactly one of status, latencyMs or drop"}
	}
	if r.Status != 0 && (r.Status < 400 || r.Status > 599) {
		return nil, &FieldError{Fields: []string{"status"}, Reason: "must be 400–599"}
	}
	if r.LatencyMS != 0 && (r.LatencyMS < 1 || r.LatencyMS > MaxLatencyMS) {
		return nil, &FieldError{Fields: []string{"latencyMs"}, Reason: fmt.Sprintf("must be 1–%d", MaxLatencyMS)}
	}
	if r.Times != 0 && r.Probability != 0 {
		return nil, &FieldError{Fields: []string{"times", "probability"}, Reason: "times and probability are exclusive"}
	}
	if r.Times < 0 {
		return nil, &FieldError{Fields: []string{"times"}, Reason: "must be positive"}
	}
	if r.Probability != 0 && !(r.Probability > 0 && r.Probability <= 1) { // NaN too
		return nil, &FieldError{Fields: []string{"probability"}, Reason: "must be in (0, 1]"}
	}
	return re, nil
}

// DecodeRule reads one rule as JSON, refusing unknown fields and anything
// after the rule, and validates it. Its errors start with "rule: " except
// those of Rule.Validate; a member of the wrong type is reported as the
// *json.UnmarshalTypeError, an unknown one as an *UnknownFieldError.
func DecodeRule(r io.Reader) (Rule, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return Rule{}, fmt.Errorf("rule: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var rule Rule
	if err := dec.Decode(&rule); err != nil {
		if errors.Is(err, io.EOF) {
			return Rule{}, errors.New("rule: empty body")
		}
		// encoding/json reports the first unknown member only by its
		// message, which quotes the name as sent.
		if quoted, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			if name, uerr := strconv.Unquote(quoted); uerr == nil {
				err = &UnknownFieldError{Field: name}
			}
		}
		return Rule{}, fmt.Errorf("rule: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Rule{}, errors.New("rule: unexpected data after the rule")
	}
	if err := rule.Validate(); err != nil {
		return Rule{}, err
	}
	return rule, nil
}

// ParseLatency reads a global latency: a Go duration ("20ms"), optionally
// followed by a jitter after "±" or "+-" ("20ms±5ms", "20ms+-5ms").
func ParseLatency(s string) (base, jitter time.Duration, err error) {
	b, j, hasJitter := strings.Cut(s, "±")
	if !hasJitter {
		b, j, hasJitter = strings.Cut(s, "+-")
	}
	b, j = strings.TrimSpace(b), strings.TrimSpace(j)
	if b == "" {
		return 0, 0, fmt.Errorf("latency %q: want a duration such as 20ms, optionally with a jitter: 20ms±5ms", s)
	}
	if base, err = time.ParseDuration(b); err != nil {
		return 0, 0, fmt.Errorf("latency %q: %q is not a duration such as 20ms", s, b)
	}
	if base < 0 {
		return 0, 0, fmt.Errorf("latency %q: must not be negative", s)
	}
	if hasJitter {
		if jitter, err = time.ParseDuration(j); err != nil {
			return 0, 0, fmt.Errorf("latency %q: jitter %q is not a duration such as 5ms", s, j)
		}
		if jitter < 0 {
			return 0, 0, fmt.Errorf("latency %q: jitter must not be negative", s)
		}
	}
	return base, jitter, nil
}

// Options configure an Injector. The zero value adds no global latency and
// uses math/rand/v2 and real timers.
type Options struct {
	// Random returns a number in [0, 1); nil means rand.Float64. The
	// injector calls it with its lock held, so it need not be safe for
	// concurrent use.
	Random func() float64
	// Sleep waits d, or returns ctx's error if ctx is done first; nil means
	// a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Latency is added to every request, before any rule applies; Jitter
	// varies it uniformly within ±Jitter, never below 0.
	Latency, Jitter time.Duration
}

// Injector holds the fault rules and applies them in its Middleware. It
// is safe for concurrent use.
type Injector struct {
	random          func() float64
	sleep           func(context.Context, time.Duration) error
	latency, jitter time.Duration

	mu      sync.Mutex
	rules   []*rule
	counter int
}

type rule struct {
	Rule
	re *regexp.Regexp
}

// New returns an Injector with no rules.
func New(opts Options) *Injector {
	in := &Injector{random: opts.Random, sleep: opts.Sleep, latency: opts.Latency, jitter: opts.Jitter}
	if in.random == nil {
		in.random = rand.Float64
	}
	if in.sleep == nil {
		in.sleep = sleep
	}
	return in
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Add validates r and appends it to the rules, returning it as stored:
// with its ID, its Method in upper case and, for a Times rule, Remaining.
func (in *Injector) Add(r Rule) (Rule, error) {
	re, err := r.compile()
	if err != nil {
		return Rule{}, err
	}
	r.Method = strings.ToUpper(r.Method)
	r.Remaining = r.Times
	in.mu.Lock()
	defer in.mu.Unlock()
	in.counter++
	r.ID = "f" + strconv.Itoa(in.counter)
	in.rules = append(in.rules, &rule{Rule: r, re: re})
	return r, nil
}

// List returns the rules in the order they were added.
func (in *Injector) List() []Rule {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make([]Rule, len(in.rules))
	for i, r := range in.rules {
		out[i] = r.Rule
	}
	return out
}

// Remove removes the rule with this id, reporting whether there was one.
func (in *Injector) Remove(id string) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	i := slices.IndexFunc(in.rules, func(r *rule) bool { return r.ID == id })
	if i < 0 {
		return false
	}
	in.rules = slices.Delete(in.rules, i, i+1)
	return true
}

// Clear removes every rule. IDs keep increasing from where they were.
func (in *Injector) Clear() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules = nil
}

// delay returns the global latency for one request.
func (in *Injector) delay() time.Duration {
	if in.jitter <= 0 {
		return in.latency
	}
	in.mu.Lock()
	x := in.random()
	in.mu.Unlock()
	return max(in.latency+time.Duration((2*x-1)*float64(in.jitter)), 0)
}

// pick returns the rule that applies to r, taking one application of a
// Times rule (and removing it when spent). Rules are tried in order; a
// Probability rule whose draw fails does not apply and the next rule is
// tried.
func (in *Injector) pick(r *http.Request) (Rule, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, ru := range in.rules {
		if ru.Method != "" && ru.Method != r.Method || !ru.re.MatchString(r.URL.Path) {
			continue
		}
		if ru.Probability != 0 && !(in.random() < ru.Probability) {
			continue
		}
		if ru.Times != 0 {
			ru.Remaining--
			if ru.Remaining <= 0 {
				in.rules = append(in.rules[:i:i], in.rules[i+1:]...)
			}
		}
		return ru.Rule, true
	}
	return Rule{}, false
}

// Middleware returns a handler that applies the global latency and then
// the first rule that applies to the request, and otherwise serves it
// with next:
//
//   - Status: answers a problem body in the documented shape (the
//     documented type of that status where there is exactly one, else
//     type about:blank) with the request's correlation id, and the header
//     X-Mock-Fault: <rule id>; next is not called.
//   - LatencyMS: waits, sets X-Mock-Fault, then calls next.
//   - Drop: hijacks the connection and closes it without an answer; where
//     the connection cannot be hijacked (HTTP/2, httptest.ResponseRecorder)
//     it panics with http.ErrAbortHandler, which net/http turns into an
//     aborted stream or connection.
//
// The rule's id is told to an enclosing journal.Middleware, which records
// it. If the client goes away during a wait, the request is left
// unanswered and next is not called.
func (in *Injector) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := in.delay(); d > 0 {
			if in.sleep(r.Context(), d) != nil {
				return
			}
		}
		ru, ok := in.pick(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		faultnote.Set(r.Context(), ru.ID)
		switch {
		case ru.Status != 0:
			w.Header().Set(Header, ru.ID)
			// The request's correlation id: the one in its context
			// (problem.CorrelationID), or else the X-Request-ID response
			// header the mock has set.
			p := problemFor(ru.Status)
			p.CorrelationID = w.Header().Get("X-Request-ID")
			p.WriteFor(w, r)
		case ru.LatencyMS != 0:
			if in.sleep(r.Context(), time.Duration(ru.LatencyMS)*time.Millisecond) != nil {
				return
			}
			w.Header().Set(Header, ru.ID)
			next.ServeHTTP(w, r)
		case ru.Drop:
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				panic(http.ErrAbortHandler)
			}
			conn.Close()
		}
	})
}

// documented are the statuses with exactly one documented problem type.
var documented = map[int]problem.Kind{
	http.StatusUnauthorized:          schemas.ProblemInvalidBearerToken,
	http.StatusForbidden:             schemas.ProblemForbidden,
	http.StatusNotFound:              schemas.ProblemResourceNotFound,
	http.StatusMethodNotAllowed:      schemas.ProblemMethodNotSupported,
	http.StatusNotAcceptable:         schemas.ProblemNotAcceptable,
	http.StatusConflict:              schemas.ProblemConflict,
	http.StatusPreconditionFailed:    schemas.ProblemPreconditionFailed,
	http.StatusRequestEntityTooLarge: schemas.ProblemRequestBodyTooLarge,
}

func problemFor(status int) *problem.Problem {
	if k, ok := documented[status]; ok {
		return problem.New(k)
	}
	p := problem.Blank(status)
	if p.Title == "" { // a status without a reason phrase, such as 599
		p.Title = "Status " + strconv.Itoa(status)
		p.Detail = p.Title + "."
	}
	return p
}
