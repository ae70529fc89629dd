package proxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// answerJudge holds the schemas the laws of one answer need.
type answerJudge struct {
	identifier *jsonschema.Schema
	fields     map[string]*jsonschema.Schema // token.json's members, for include
}

func newAnswerJudge() (*answerJudge, error) {
	id, err := schemas.Compile(schemas.Types + "#/$defs/identifier")
	if err != nil {
		return nil, err
	}
	token, err := schemas.Compile(schemas.Token)
	if err != nil {
		return nil, err
	}
	return &answerJudge{identifier: id, fields: token.Properties}, nil
}

// problemType is the number of a problem body's type, 0 for another body.
func problemType(doc any) int {
	obj, _ := doc.(map[string]any)
	s, _ := obj["type"].(string)
	n, err := strconv.Atoi(strings.TrimPrefix(s, schemas.ProblemTypeBase))
	if err != nil || !strings.HasPrefix(s, schemas.ProblemTypeBase) {
		return 0
	}
	return n
}

// judgeAnswer judges the answer to ex, whose body is body.
func (p *Proxy) judgeAnswer(ex *exchange, resp *http.Response, body []byte) {
	var doc any
	json.Unmarshal(body, &doc)
	status := resp.StatusCode
	got := problemType(doc)
	if ex.known {
		resp.Body = io.NopCloser(bytes.NewReader(body))
		req := *ex.in
		req.Body = http.NoBody
		if err := p.contract.Check(&req, resp); err != nil {
			p.report(ex, ruleContract, status, err.Error())
		}
	}
	if len(ex.defects) > 0 {
		p.prescribed(ex, resp, got)
	} else if ex.known && got != 0 && unfounded[got] {
		p.report(ex, ruleUnfounded, status, fmt.Sprintf("problem type %d, and the request has no defect it names", got))
	}
	p.headerLaws(ex, resp, doc, got)
	p.tokenLaws(ex, status, doc)
	if ex.known && status == http.StatusOK && strings.HasPrefix(ex.op.ID, "list") {
		p.listLaws(ex, doc)
	}
}

// unfounded are the problem types a request's own text decides: the proxy
// sees every defect they answer, so a request without one must not get
// them.
var unfounded = map[int]bool{3: true, 6: true, 7: true, 8: true, 9: true, 32: true, 33: true, 35: true, 69: true, 85: true}

// prescribed judges the answer to a request with defects: it must be the
// error of one of its earliest defects in the order of checks, or the
// error of an earlier check, which depends on what the proxy cannot see.
func (p *Proxy) prescribed(ex *exchange, resp *http.Response, got int) {
	first := slices.MinFunc(ex.defects, func(a, b defect) int { return a.rule.check - b.rule.check }).rule.check
	var want []string
	for _, d := range ex.defects {
		if d.rule.check != first {
			continue
		}
		want = append(want, fmt.Sprintf("%d problem %d (%s)", d.rule.status, d.rule.problem, d.rule.ID))
		if resp.StatusCode == d.rule.status && got == d.rule.problem {
			if d.rule == ruleMethod && resp.Header.Get("Allow") == "" {
				p.report(ex, rulePrescribed, resp.StatusCode, "405 without Allow")
			}
			return
		}
	}
	if c, ok := checkOf[got]; ok && c < first {
		return
	}
	answer := strconv.Itoa(resp.StatusCode)
	if got != 0 {
		answer += fmt.Sprintf(" problem %d", got)
	}
	p.report(ex, rulePrescribed, resp.StatusCode, fmt.Sprintf("answered %s; CONTRACT.md prescribes %s", answer, strings.Join(slices.Compact(want), " or ")))
}

// headerLaws: Location, the echoed media type, the correlation id.
func (p *Proxy) headerLaws(ex *exchange, resp *http.Response, doc any, got int) {
	obj, _ := doc.(map[string]any)
	status := resp.StatusCode
	if ex.known && ex.op.Method == http.MethodPost && status == http.StatusCreated {
		id, _ := obj["id"].(string)
		want := ex.in.URL.EscapedPath() + "/" + id
		if loc := resp.Header.Get("Location"); id != "" && !strings.HasSuffix(trimURL(loc), want) {
			p.report(ex, ruleLocation, status, fmt.Sprintf("Location %q is not the new token's URL, …%s", loc, want))
		}
	}
	if ex.known && ex.op.Method == http.MethodGet && status == http.StatusOK && !strings.HasPrefix(ex.op.ID, "list") &&
		ex.in.Header.Get("Accept") == "application/astra-token+json" {
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/astra-token+json") {
			p.report(ex, ruleMediaType, status, "Content-Type "+ct)
		}
	}
	header := resp.Header.Get("X-Request-ID")
	if sent := ex.in.Header.Get("X-Request-ID"); sent != "" && p.answers.identifier.Validate(sent) == nil && header != sent {
		p.report(ex, ruleCorrelation, status, fmt.Sprintf("the client's X-Request-ID %s came back as %q", sent, header))
	}
	if got != 0 {
		switch id, ok := obj["correlationID"].(string); {
		case !ok:
			p.report(ex, ruleCorrelation, status, "a problem without correlationID")
		case header != "" && id != header:
			p.report(ex, ruleCorrelation, status, fmt.Sprintf("correlationID %s is not the X-Request-ID header %s", id, header))
		}
	}
}

// tokenLaws: a created token is what was asked for; a modified one says
// by whom (CONTRACT.md §2).
func (p *Proxy) tokenLaws(ex *exchange, status int, doc any) {
	if !ex.known || status != http.StatusOK && status != http.StatusCreated {
		return
	}
	var tokens []any
	switch {
	case strings.HasPrefix(ex.op.ID, "list"):
		obj, _ := doc.(map[string]any)
		tokens, _ = obj["items"].([]any)
	case ex.op.Method == http.MethodGet || ex.op.Method == http.MethodPost:
		tokens = []any{doc}
	}
	for i, t := range tokens {
		obj, _ := t.(map[string]any)
		md, _ := obj["metadata"].(map[string]any)
		created, _ := md["creationTimestamp"].(string)
		modified, _ := md["modificationTimestamp"].(string)
		if _, ok := md["modifiedBy"]; !ok && created != "" && modified != "" && later(modified, created) {
			p.report(ex, ruleModifiedBy, status, fmt.Sprintf("token %d (%v) was modified at %s without modifiedBy", i, obj["id"], modified))
		}
	}
	if ex.op.Method != http.MethodPost || status != http.StatusCreated {
		return
	}
	var asked struct {
		Name     string
		Metadata struct{ Labels []any }
	}
	if json.Unmarshal(ex.body, &asked) != nil {
		return
	}
	obj, _ := doc.(map[string]any)
	md, _ := obj["metadata"].(map[string]any)
	labels, _ := md["labels"].([]any)
	switch {
	case obj["name"] != asked.Name:
		p.report(ex, ruleCreated, status, fmt.Sprintf("name %v, asked %q", obj["name"], asked.Name))
	case asked.Metadata.Labels != nil && !reflect.DeepEqual(labels, asked.Metadata.Labels):
		p.report(ex, ruleCreated, status, fmt.Sprintf("labels %v, asked %v", labels, asked.Metadata.Labels))
	}
}

// later reports whether timestamp a is after b.
func later(a, b string) bool {
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	return err1 == nil && err2 == nil && ta.After(tb)
}

// trimURL is the path of a URL, without its query.
func trimURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return u.EscapedPath()
}

// listLaws: what one list answer shows of its query (CONTRACT.md §4).
func (p *Proxy) listLaws(ex *exchange, doc any) {
	obj, _ := doc.(map[string]any)
	items, ok := obj["items"].([]any)
	if !ok {
		return // the contract check said so
	}
	q := ex.in.URL.Query()
	report := func(rule *Rule, format string, args ...any) {
		p.report(ex, rule, http.StatusOK, fmt.Sprintf(format, args...))
	}
	if limit, err := strconv.Atoi(q.Get("limit")); err == nil && len(items) > limit {
		report(ruleLimit, "%d items, limit %d", len(items), limit)
	}
	var include []string
	if v := q.Get("include"); v != "" {
		include = strings.Split(v, ",")
	}
	key := func(f string) (string, bool) { // where an item holds field f
		if include == nil {
			return f, true
		}
		i := slices.Index(include, f)
		return strconv.Itoa(i), i >= 0
	}
	if v := q.Get("orderBy"); v != "" {
		f, dir, _ := strings.Cut(strings.ReplaceAll(v, "%20", " "), " ")
		if k, ok := key(f); ok {
			if i, ok := conformance.OutOfOrder(items, k, dir == "desc"); ok && i >= 0 {
				report(ruleOrder, "items[%d] is out of order by %s", i, v)
			}
		}
	} else if include == nil {
		if i := defaultDisorder(items); i >= 0 {
			report(ruleDefaultOrder, "items[%d] is out of order by creationTimestamp, then id", i)
		}
	}
	if include == nil {
		for _, v := range q["filter"] {
			field, op, value := parseFilter(v)
			for i, it := range items {
				if ok, known := conformance.FilterMatches(it, field, op, value); known && !ok {
					report(ruleFilter, "items[%d] does not satisfy the filter %s", i, v)
					break
				}
			}
		}
	}
	for i, it := range items {
		if include == nil {
			break
		}
		arr, ok := it.([]any)
		if !ok || len(arr) != len(include) {
			report(ruleInclude, "items[%d] is not an array of the %d fields of include=%s", i, len(include), q.Get("include"))
			break
		}
		if f := p.misplaced(include, arr); f != "" {
			report(ruleInclude, "items[%d]: the value at the place of %s is not a %s", i, f, f)
			break
		}
	}
	md, _ := obj["metadata"].(map[string]any)
	count, ok := md["count"].(float64)
	if !ok || q.Get("count") != "true" || q.Has("continue") {
		return
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	skip, _ := strconv.Atoi(q.Get("skip"))
	want := max(0, int(count)-skip)
	if limit > 0 {
		want = min(want, limit)
	}
	if len(items) != want {
		report(ruleCount, "metadata.count %v and %d items (limit %q, skip %q): want %d items", count, len(items), q.Get("limit"), q.Get("skip"), want)
	} else if _, has := md["continue"]; limit > 0 && skip+len(items) < int(count) && !has {
		report(ruleContinue, "%d of %d matches from %d, and no metadata.continue", len(items), int(count), skip)
	}
}

// misplaced returns the first include field whose value in a projected item
// fails the field's schema in token.json.
func (p *Proxy) misplaced(include []string, arr []any) string {
	for i, f := range include {
		if s := p.answers.fields[f]; s != nil && s.Validate(arr[i]) != nil {
			return f
		}
	}
	return ""
}

// defaultDisorder returns the index of the first item out of the default
// order (CONTRACT.md §4 [policy]: creationTimestamp, then id), or -1.
func defaultDisorder(items []any) int {
	key := func(it any) (time.Time, string, bool) {
		obj, _ := it.(map[string]any)
		md, _ := obj["metadata"].(map[string]any)
		s, _ := md["creationTimestamp"].(string)
		ts, err := time.Parse(time.RFC3339Nano, s)
		id, ok := obj["id"].(string)
		return ts, id, err == nil && ok
	}
	for i := 1; i < len(items); i++ {
		t0, id0, ok0 := key(items[i-1])
		t1, id1, ok1 := key(items[i])
		if !ok0 || !ok1 {
			return -1
		}
		if c := t0.Compare(t1); c > 0 || c == 0 && id0 > id1 {
			return i
		}
	}
	return -1
}
