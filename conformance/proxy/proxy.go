// Package proxy is a validating reverse proxy for the Token API: it
// forwards every request to a target (the mock, or a real deployment)
// and every answer back, unchanged but for Location, which it points back
// through itself, and judges both against schemas/CONTRACT.md. A request
// that breaks the contract is a client violation; an answer that does (its
// OpenAPI contract, the documented error for a broken request, the laws
// one list answer shows on its own) is a server violation. It counts them
// per operation and rule, keeps the first few of each in full, and keeps
// the contract-coverage table of what passed through.
//
// Like the suite, it talks HTTP only: it never imports the mock.
package proxy

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// MaxAnswer is the largest answer body the proxy judges, and the most of
// one it holds: an unpaged list of a few thousand tokens. A larger answer
// is passed on as it comes, judged by its status alone.
const MaxAnswer = 1 << 20

// ViolationsHeader names the answer header that lists, with
// Config.ViolationsHeader, the ids of the rules the exchange broke
// ("client/query-unsupported, server/limit").
const ViolationsHeader = "X-Astra-Violations"

// Config configures a Proxy.
type Config struct {
	// Target is the base URL of the API judged, scheme://host[:port].
	Target *url.URL
	// Transport sends the requests to the target (nil:
	// http.DefaultTransport); it carries the TLS settings.
	Transport http.RoundTripper
	// Timeout bounds one exchange with the target, answer body included
	// (0: 30s); past it the client gets 504.
	Timeout time.Duration
	// ViolationsHeader makes every answer carry the header
	// ViolationsHeader when the exchange broke a rule.
	ViolationsHeader bool
	// Log, when set, is called with every violation as it is found, from
	// the goroutine of the exchange.
	Log func(Violation)
	// Keep is how many violations of each operation and rule are kept in
	// full (0: 5); the others are only counted.
	Keep int
}

// Violation is one broken rule, in one exchange. It holds no secret: the
// request is its method and URI, and any credential or token secret of
// the exchange is replaced by [REDACTED] in Detail.
type Violation struct {
	Time      time.Time `json:"time"`
	Rule      Rule      `json:"rule"`
	Operation string    `json:"operation"` // an operationId, or "unknown"
	Request   string    `json:"request"`   // "GET /accounts/…?limit=0"
	Status    int       `json:"status"`    // of the answer; 0 when judged before it
	Detail    string    `json:"detail,omitempty"`
}

// String writes v on one line.
func (v Violation) String() string {
	s := fmt.Sprintf("%s violation %s (CONTRACT.md %s): %s: %s", v.Rule.Side, v.Rule.ID, v.Rule.Section, v.Operation, v.Request)
	if v.Status != 0 {
		s += " → " + strconv.Itoa(v.Status)
	}
	if v.Detail != "" {
		s += ": " + strings.ReplaceAll(v.Detail, "\n", " ")
	}
	return s
}

// Unknown is the operation of a request that addresses none of the API's.
const Unknown = "unknown"

// Proxy is the validating reverse proxy, an http.Handler. It is safe for
// concurrent use.
type Proxy struct {
	cfg      Config
	rp       *httputil.ReverseProxy
	requests *requestJudge
	answers  *answerJudge
	contract *conformance.Contract

	mu        sync.Mutex
	exchanges map[string]int // by operation
	unjudged  int            // answers too large to judge, admin API calls
	tallies   map[tallyKey]*tally
}

type tallyKey struct{ op, rule string }

type tally struct {
	rule Rule
	n    int
	kept []Violation
}

// New returns a proxy to cfg.Target.
func New(cfg Config) (*Proxy, error) {
	if cfg.Target == nil || cfg.Target.Host == "" {
		return nil, errors.New("proxy: no target")
	}
	cfg.Timeout = cmp.Or(cfg.Timeout, 30*time.Second)
	cfg.Keep = cmp.Or(cfg.Keep, 5)
	reqs, err := newRequestJudge()
	if err != nil {
		return nil, err
	}
	answers, err := newAnswerJudge()
	if err != nil {
		return nil, err
	}
	contract, err := conformance.NewContract()
	if err != nil {
		return nil, err
	}
	p := &Proxy{cfg: cfg, requests: reqs, answers: answers, contract: contract,
		exchanges: map[string]int{}, tallies: map[tallyKey]*tally{}}
	if cfg.Transport == nil {
		cfg.Transport = Transport(http.DefaultTransport.(*http.Transport))
	}
	target := *cfg.Target
	target.Path, target.RawQuery = "", ""
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(&target)
			// ReverseProxy drops what does not parse (a ';'): the query
			// goes as it came.
			pr.Out.URL.RawQuery = pr.In.URL.RawQuery
		},
		Transport:      cfg.Transport,
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.errorHandler,
		ErrorLog:       log.New(io.Discard, "", 0),
		BufferPool:     &buffers{},
	}
	return p, nil
}

// Transport returns a copy of t fit to carry a proxy's traffic: it keeps
// as many idle connections to the target as clients may hold to the proxy
// (net/http keeps 2 by default, and every other request would dial anew).
func Transport(t *http.Transport) *http.Transport {
	t = t.Clone()
	t.MaxIdleConnsPerHost = 100
	return t
}

// buffers lends the ReverseProxy the buffers it copies answers through,
// which it would otherwise allocate (32 KiB) for every answer.
type buffers struct{ pool sync.Pool }

func (b *buffers) Get() []byte {
	if buf, ok := b.pool.Get().(*[]byte); ok {
		return *buf
	}
	return make([]byte, 32<<10)
}

func (b *buffers) Put(buf []byte) { b.pool.Put(&buf) }

// exchange is what the proxy knows of one request while it is forwarded.
type exchange struct {
	in      *http.Request // as received, the body read into body
	body    []byte        // at most MaxBody bytes
	op      schemas.Operation
	known   bool // op is one of the API's
	judged  bool // false for the mock's admin API
	defects []defect
	found   []string // the ids of the rules broken, for ViolationsHeader
	secrets []string // never stored: the credential, token secrets
	client  context.Context
}

type exchangeKey struct{}

// ServeHTTP judges the request, forwards it and judges the answer.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ex := &exchange{in: r, client: r.Context(), judged: !strings.HasPrefix(r.URL.Path, "/__admin/")}
	over := false
	if r.Body != nil && r.Body != http.NoBody {
		// The body is read up to the bound and put back before what
		// remains, so that the target gets it whole.
		head, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
		if err != nil {
			ex.judged = false
		}
		over = len(head) > MaxBody
		ex.body = head[:min(len(head), MaxBody)]
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	}
	auth := r.Header.Get("Authorization")
	_, cred, _ := strings.Cut(auth, " ")
	ex.secrets = append(ex.secrets, auth, strings.TrimSpace(cred), tokenSecret(ex.body))
	if ex.judged {
		ex.op, ex.known, ex.defects = p.requests.judge(r, ex.body, over)
		for _, d := range ex.defects {
			p.report(ex, d.rule, 0, d.detail)
		}
	}
	p.mu.Lock()
	switch {
	case !ex.judged:
		p.unjudged++
	case ex.known:
		p.exchanges[ex.op.ID]++
	default:
		p.exchanges[Unknown]++
	}
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(r.Context(), p.cfg.Timeout)
	defer cancel()
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(ctx, exchangeKey{}, ex)))
}

// modifyResponse points Location back through the proxy and judges the
// answer, whose body it reads up to MaxAnswer and puts back.
func (p *Proxy) modifyResponse(resp *http.Response) error {
	ex := resp.Request.Context().Value(exchangeKey{}).(*exchange)
	if loc := resp.Header.Get("Location"); loc != "" {
		resp.Header.Set("Location", p.back(ex.in, loc))
	}
	if ex.judged {
		head, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
		if err != nil {
			return err
		}
		rest := resp.Body
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), rest), rest}
		if len(head) > MaxAnswer {
			p.mu.Lock()
			p.unjudged++
			p.mu.Unlock()
		} else {
			ex.secrets = append(ex.secrets, tokenSecret(head))
			p.judgeAnswer(ex, resp, head)
			resp.Body = io.NopCloser(bytes.NewReader(head))
			rest.Close()
		}
	}
	if p.cfg.ViolationsHeader && len(ex.found) > 0 {
		resp.Header.Set(ViolationsHeader, strings.Join(slices.Compact(ex.found), ", "))
	}
	return nil
}

// back rewrites a Location of the target to the same path through the
// proxy, as the client addressed it.
func (p *Proxy) back(in *http.Request, loc string) string {
	u, err := url.Parse(loc)
	if err != nil || !strings.EqualFold(u.Host, p.cfg.Target.Host) {
		return loc
	}
	u.Scheme, u.Host = "http", in.Host
	if in.TLS != nil {
		u.Scheme = "https"
	}
	return u.String()
}

// errorHandler answers a request the target did not answer: 504 when the
// exchange ran out of time, 502 otherwise, as a problem of type
// about:blank (CONTRACT.md §6: statuses without a documented type).
func (p *Proxy) errorHandler(w http.ResponseWriter, r *http.Request, err error) {
	ex := r.Context().Value(exchangeKey{}).(*exchange)
	if ex.client.Err() != nil {
		return // the client has gone: nobody to answer
	}
	status := http.StatusBadGateway
	if errors.Is(err, context.DeadlineExceeded) {
		status = http.StatusGatewayTimeout
	}
	p.report(ex, ruleNoAnswer, status, err.Error())
	text := http.StatusText(status)
	body, _ := json.Marshal(map[string]string{"type": "about:blank", "title": text, "status": strconv.Itoa(status),
		"detail": fmt.Sprintf("The proxy got no answer from %s: %v.", p.cfg.Target.Host, err)})
	w.Header().Set("Content-Type", schemas.ProblemMediaType)
	if p.cfg.ViolationsHeader {
		w.Header().Set(ViolationsHeader, strings.Join(slices.Compact(ex.found), ", "))
	}
	w.WriteHeader(status)
	w.Write(body)
}

// report records a violation of rule by the exchange.
func (p *Proxy) report(ex *exchange, rule *Rule, status int, detail string) {
	for _, s := range ex.secrets {
		if len(s) >= 4 {
			detail = strings.ReplaceAll(detail, s, "[REDACTED]")
		}
	}
	op := Unknown
	if ex.known {
		op = ex.op.ID
	}
	v := Violation{Time: time.Now(), Rule: *rule, Operation: op, Request: ex.in.Method + " " + ex.in.URL.RequestURI(), Status: status, Detail: detail}
	ex.found = append(ex.found, rule.ID)
	p.mu.Lock()
	t := p.tallies[tallyKey{op, rule.ID}]
	if t == nil {
		t = &tally{rule: *rule}
		p.tallies[tallyKey{op, rule.ID}] = t
	}
	t.n++
	if len(t.kept) < p.cfg.Keep {
		t.kept = append(t.kept, v)
	}
	p.mu.Unlock()
	if p.cfg.Log != nil {
		p.cfg.Log(v)
	}
}

// tokenSecret returns the "token" member of a JSON object body (a created
// token's secret), or "".
func tokenSecret(body []byte) string {
	if !bytes.Contains(body, []byte(`"token"`)) {
		return ""
	}
	var doc struct {
		Token string `json:"token"`
	}
	json.Unmarshal(body, &doc)
	return doc.Token
}

// Summary is what the proxy has seen so far.
type Summary struct {
	// Exchanges counts the requests judged, by operation (Unknown for
	// those that address none).
	Exchanges map[string]int `json:"exchanges"`
	// Unjudged counts the requests to the mock's admin API and the answers
	// over MaxAnswer, forwarded without judging.
	Unjudged int                       `json:"unjudged"`
	Coverage []conformance.CoverageRow `json:"coverage"`
	// Tallies are the rules broken, by operation and rule.
	Tallies []Tally `json:"violations"`
}

// Tally is how often one rule was broken in exchanges of one operation,
// with the first few violations in full.
type Tally struct {
	Operation string      `json:"operation"`
	Rule      Rule        `json:"rule"`
	Count     int         `json:"count"`
	First     []Violation `json:"first"`
}

// Count returns how many violations of side the summary holds.
func (s Summary) Count(side Side) int {
	n := 0
	for _, t := range s.Tallies {
		if t.Rule.Side == side {
			n += t.Count
		}
	}
	return n
}

// Summary returns what the proxy has seen so far: tallies by operation
// (in CONTRACT.md §1 order, Unknown last) and rule (client first).
func (p *Proxy) Summary() Summary {
	rows := p.contract.Coverage()
	order := map[string]int{Unknown: len(rows)}
	for i, r := range rows {
		order[r.ID] = i
	}
	rules := map[string]int{}
	for i, r := range Rules() {
		rules[r.ID] = i
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Summary{Exchanges: map[string]int{}, Unjudged: p.unjudged, Coverage: rows}
	for op, n := range p.exchanges {
		s.Exchanges[op] = n
	}
	for k, t := range p.tallies {
		s.Tallies = append(s.Tallies, Tally{Operation: k.op, Rule: t.rule, Count: t.n, First: slices.Clone(t.kept)})
	}
	slices.SortFunc(s.Tallies, func(a, b Tally) int {
		return cmp.Or(cmp.Compare(order[a.Operation], order[b.Operation]), cmp.Compare(rules[a.Rule.ID], rules[b.Rule.ID]))
	})
	return s
}
