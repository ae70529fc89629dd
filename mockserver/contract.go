package mockserver

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/parameters"
	"github.com/pb33f/libopenapi-validator/requests"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/query"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// contract checks requests against the OpenAPI document with
// libopenapi-validator and translates its findings into the documented
// problem types. It is built once and shared by every request.
type contract struct {
	model  *v3.Document
	params parameters.ParameterValidator
	bodies requests.RequestBodyValidator
	// queryNames holds, by opKey, the names of the query parameters each
	// operation declares (schemas.Operation.QueryParameters).
	queryNames map[string]map[string]bool
	// validPaths remembers paths whose parameters the validator passed,
	// validBodies the request bodies it passed (by operation and SHA-256).
	// They pay for themselves: libopenapi-validator's path check costs
	// about as much as the rest of a GET, and its body check more than the
	// rest of a POST (without them, BenchmarkGet takes about 40 µs of CPU
	// instead of 22, and BenchmarkCreate 72 instead of 31), which would put
	// GET list and POST create below 40% and 25% of a bare net/http server.
	validPaths, validBodies schemas.KnownValid
}

func newContract() (*contract, error) {
	doc, err := schemas.OpenAPI()
	if err != nil {
		return nil, err
	}
	built, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("openapi: building model: %w", err)
	}
	model := &built.Model
	// The regex cache keeps the validator from compiling a path segment's
	// regular expression on every request.
	regexes := &sync.Map{}
	// Strict mode makes the parameter validator report query parameters the
	// operation does not declare (problem type 6). Security is documented in
	// the OpenAPI document but checked by the mock itself, which needs to
	// tell a missing credential (3) from a bad one (4).
	c := &contract{
		model:      model,
		params:     parameters.NewParameterValidator(model, config.WithoutSecurityValidation(), config.WithStrictMode(), config.WithRegexCache(regexes)),
		bodies:     requests.NewRequestBodyValidator(model, config.WithoutSecurityValidation(), config.WithRegexCache(regexes)),
		queryNames: map[string]map[string]bool{},
	}
	ops, err := schemas.Operations()
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		names, err := op.QueryParameters()
		if err != nil {
			return nil, err
		}
		declared := map[string]bool{}
		for _, name := range names {
			declared[name] = true
		}
		c.queryNames[opKey(op.Method, op.Template)] = declared
	}
	// Compiling renders schemas of the document, beside which no libopenapi
	// build may run (the admin API bundles its document on first use).
	if err := schemas.WithBuildLock(c.warm); err != nil {
		return nil, err
	}
	return c, nil
}

// warmQuery sets every list parameter, so that warming compiles each of
// their schemas.
const warmQuery = "include=id&limit=1&skip=1&count=true&orderBy=name&filter=name%20eq%20%27x%27&continue=QUJD"

var templateVars = regexp.MustCompile(`\{[a-z_]+\}`)

// warm validates one request of every operation of the document before the
// server answers any, so that the validators compile and cache every schema
// the mock checks against. Compiling a schema renders it, and rendering
// writes to the shared document model: two first requests compiling the
// same schema at once raced (the race detector found it with concurrent
// first PUTs). Once cached, validation only reads.
func (c *contract) warm() error {
	for pair := c.model.Paths.PathItems.First(); pair != nil; pair = pair.Next() {
		template, item := pair.Key(), pair.Value()
		path := templateVars.ReplaceAllString(template, "00000000-0000-0000-0000-000000000000")
		for op := item.GetOperations().First(); op != nil; op = op.Next() {
			r, err := http.NewRequest(strings.ToUpper(op.Key()), path+"?"+warmQuery, nil)
			if err != nil {
				return fmt.Errorf("openapi: warming %s %s: %w", op.Key(), template, err)
			}
			c.params.ValidatePathParamsWithPathItem(r, item, template)
			c.params.ValidateQueryParamsWithPathItem(r, item, template)
			if op.Value().RequestBody != nil {
				c.checkBody(r, item, template, []byte("{}"))
			}
		}
	}
	return nil
}

// pathItem returns the path item of a route template of the document.
func (c *contract) pathItem(template string) *v3.PathItem {
	item, _ := c.model.Paths.PathItems.Get(template)
	return item
}

// checkPathIDs reports a malformed id in the path: 33 for the account, 35
// for the others.
//
// The verdict is a function of the template and the path alone, so a path
// the validator passed once is recognised and not validated again.
func (c *contract) checkPathIDs(r *http.Request, item *v3.PathItem, template string) *problem.Problem {
	key := template + "\n" + r.URL.Path + "\n" + r.URL.RawPath
	if c.validPaths.Has(key) {
		return nil
	}
	ok, errs := c.params.ValidatePathParamsWithPathItem(r, item, template)
	if ok {
		c.validPaths.Add(key)
		return nil
	}
	if slices.ContainsFunc(errs, func(e *verrors.ValidationError) bool { return e.ParameterName == "account_id" }) {
		return problem.New(schemas.ProblemInvalidAccountID)
	}
	return problem.New(schemas.ProblemInvalidResourceID)
}

// undeclaredChunk is how many distinct undeclared parameter names go to the
// validator at once. Its strict check costs the square of the number of
// parameters in the query it is given (it re-parses the whole query for
// each undeclared name), so undeclared names are judged a few at a time.
const undeclaredChunk = 4

// MaxNamedParams is the most parameters one problem names in invalidParams.
// Past it, the answer names the first MaxNamedParams and one more item,
// "query", says how many others there are, so that a query of thousands of
// bad parameters costs little to judge and to answer.
const MaxNamedParams = 100

// checkQuery parses the query of r and checks it against the operation's
// parameters: a query that does not parse (a ';', a malformed %-escape,
// bytes that are not UTF-8) is refused with each bad parameter named, as 5
// on an operation that takes a query and 6 on one that takes none; then
// libopenapi-validator reports parameters that break their declared
// pattern (5) and parameters the operation does not declare (6). It
// returns the parsed query and the names of the parameters already found
// invalid, so that semantic parsing neither re-parses the query nor
// reports a parameter twice.
func (c *contract) checkQuery(r *http.Request, item *v3.PathItem, template string) (*problem.Problem, url.Values, map[string]bool) {
	if r.URL.RawQuery == "" {
		return nil, nil, nil
	}
	declared := c.queryNames[opKey(r.Method, template)]
	pairs, malformed := query.ParseRaw(r.URL.RawQuery)
	if len(malformed) > 0 {
		kind := schemas.ProblemInvalidQuery
		if len(declared) == 0 {
			kind = schemas.ProblemUnsupportedQuery
		}
		p := problem.New(kind)
		seen := map[string]bool{}
		for _, e := range malformed {
			if seen[e.Param] {
				continue
			}
			seen[e.Param] = true
			if len(p.InvalidParams) < MaxNamedParams {
				p.InvalidParams = append(p.InvalidParams, problem.Item{Name: e.Param, Reason: e.Reason})
			}
		}
		if more := len(seen) - len(p.InvalidParams); more > 0 {
			p.InvalidParams = append(p.InvalidParams, problem.Item{Name: "query",
				Reason: fmt.Sprintf("%d more parameters do not parse either", more)})
		}
		return p, nil, nil
	}
	errs, unjudged, err := c.validateQuery(r, item, template, pairs, declared)
	if err != nil {
		return nil, nil, nil // the client has gone; the caller sees it in the context
	}
	if len(errs) == 0 {
		return nil, query.Values(pairs), nil
	}
	// The validator reports in no fixed order: name parameters in the
	// order the query gives them.
	position := make(map[string]int, len(pairs))
	for i, p := range slices.Backward(pairs) {
		position[p.Name] = i
	}
	slices.SortStableFunc(errs, func(a, b *verrors.ValidationError) int {
		return position[a.ParameterName] - position[b.ParameterName]
	})
	var invalid, unsupported []problem.Item
	seen := map[string]bool{}
	for _, e := range errs {
		name := e.ParameterName
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		it := problem.Item{Name: name, Reason: reasonOf(e)}
		if e.ValidationType == verrors.StrictValidationType {
			it.Reason = "the parameter is not supported by this endpoint"
			unsupported = append(unsupported, it)
		} else {
			invalid = append(invalid, it)
		}
	}
	if len(unsupported) > 0 {
		p := problem.New(schemas.ProblemUnsupportedQuery)
		p.InvalidParams = unsupported
		if unjudged > 0 {
			p.InvalidParams = append(p.InvalidParams, problem.Item{Name: "query",
				Reason: fmt.Sprintf("%d more parameters are not supported by this endpoint either", unjudged)})
		}
		return p, nil, seen
	}
	if len(invalid) > 0 {
		p := problem.New(schemas.ProblemInvalidQuery)
		p.InvalidParams = invalid
		return p, query.Values(pairs), seen
	}
	// A finding without a parameter name: report it as a whole.
	p := problem.New(schemas.ProblemInvalidQuery)
	p.InvalidParams = []problem.Item{{Name: "query", Reason: reasonOf(errs[0])}}
	return p, query.Values(pairs), seen
}

// validateQuery runs libopenapi-validator's query check on pairs. A query
// of declared parameters only goes to the validator whole. Otherwise the
// declared parameters go together, then the first MaxNamedParams
// undeclared names, each once, in chunks of undeclaredChunk, of which only
// the strict findings count; unjudged is how many more undeclared names
// there are. It stops early, with the context's error, when the client has
// gone.
func (c *contract) validateQuery(r *http.Request, item *v3.PathItem, template string, pairs []query.Pair, declared map[string]bool) (errs []*verrors.ValidationError, unjudged int, err error) {
	var known, unknown []string
	seen := map[string]bool{}
	for _, p := range pairs {
		switch {
		case declared[p.Name]:
			known = append(known, p.Raw)
		case seen[p.Name]:
		case len(unknown) < MaxNamedParams:
			seen[p.Name] = true
			unknown = append(unknown, p.Raw)
		default:
			seen[p.Name] = true
			unjudged++
		}
	}
	if len(unknown) == 0 {
		_, errs := c.params.ValidateQueryParamsWithPathItem(r, item, template)
		return errs, 0, nil
	}
	if len(known) > 0 {
		_, found := c.params.ValidateQueryParamsWithPathItem(withQuery(r, known), item, template)
		errs = append(errs, found...)
	}
	for start := 0; start < len(unknown); start += undeclaredChunk {
		if err := r.Context().Err(); err != nil {
			return nil, 0, err
		}
		chunk := unknown[start:min(start+undeclaredChunk, len(unknown))]
		_, found := c.params.ValidateQueryParamsWithPathItem(withQuery(r, chunk), item, template)
		for _, e := range found {
			if e.ValidationType == verrors.StrictValidationType {
				errs = append(errs, e)
			}
		}
	}
	return errs, unjudged, nil
}

// withQuery is a shallow copy of r whose query is the given raw pairs.
func withQuery(r *http.Request, raw []string) *http.Request {
	u := *r.URL
	u.RawQuery = strings.Join(raw, "&")
	c := *r
	c.URL = &u
	return &c
}

// opKey names an operation of the document: its method and path template.
func opKey(method, template string) string { return strings.ToUpper(method) + " " + template }

// checkBody validates a JSON body against the operation's request schema
// (8). The caller has already checked that the body is JSON (7). Content-Type
// is not enforced by the mock, so the validator always sees application/json.
//
// The verdict is a function of the operation and the body alone, so a body
// the validator passed once for an operation is recognised by its SHA-256
// and not validated again.
func (c *contract) checkBody(r *http.Request, item *v3.PathItem, template string, body []byte) *problem.Problem {
	sum := sha256.Sum256(body)
	key := opKey(r.Method, template) + "\n" + string(sum[:])
	if c.validBodies.Has(key) {
		return nil
	}
	req := r.Clone(r.Context())
	req.Header.Set("Content-Type", "application/json")
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	ok, errs := c.bodies.ValidateRequestBodyWithPathItem(req, item, template)
	if ok {
		c.validBodies.Add(key)
		return nil
	}
	p := problem.New(schemas.ProblemSchemaViolation)
	p.SchemaValidationFailure = describeSchemaErrors(errs)
	return p
}

// describeSchemaErrors turns the validator's findings into one line per
// failing location, "$.name: length must be <= 63", sorted for stable output.
func describeSchemaErrors(errs []*verrors.ValidationError) string {
	var lines []string
	for _, e := range errs {
		if len(e.SchemaValidationErrors) == 0 {
			lines = append(lines, reasonOf(e))
		}
		for _, f := range e.SchemaValidationErrors {
			lines = append(lines, cmp.Or(f.FieldPath, "$")+": "+f.Reason)
		}
	}
	slices.Sort(lines)
	return strings.Join(slices.Compact(lines), "; ")
}

func reasonOf(e *verrors.ValidationError) string {
	var parts []string
	for _, f := range e.SchemaValidationErrors {
		if f.Reason != "" {
			parts = append(parts, f.Reason)
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, "; ")
	}
	if e.Reason != "" {
		return e.Reason
	}
	return e.Message
}
