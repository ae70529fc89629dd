package mockserver

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/parameters"
	"github.com/pb33f/libopenapi-validator/requests"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/astra-contract/astra-token-kit/mockserver/problem"
)

// contract checks requests against the OpenAPI document with
// libopenapi-validator and translates its findings into the documented
// problem types. It is built once and shared by every request.
type contract struct {
	model  *v3.Document
	params parameters.ParameterValidator
	bodies requests.RequestBodyValidator
}

func newContract(doc libopenapi.Document) (*contract, error) {
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
		model:  model,
		params: parameters.NewParameterValidator(model, config.WithoutSecurityValidation(), config.WithStrictMode(), config.WithRegexCache(regexes)),
		bodies: requests.NewRequestBodyValidator(model, config.WithoutSecurityValidation(), config.WithRegexCache(regexes)),
	}
	if err := c.warm(); err != nil {
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
	item, ok := c.model.Paths.PathItems.Get(template)
	if !ok {
		return nil
	}
	return item
}

// checkPathIDs reports a malformed id in the path: 33 for the account, 35
// for the others.
func (c *contract) checkPathIDs(r *http.Request, item *v3.PathItem, template string) *problem.Problem {
	ok, errs := c.params.ValidatePathParamsWithPathItem(r, item, template)
	if ok {
		return nil
	}
	kind := problem.InvalidResourceID
	for _, e := range errs {
		if e.ParameterName == "account_id" {
			kind = problem.InvalidAccountID
			break
		}
	}
	return problem.New(kind)
}

// checkQuery reports query parameters that break their declared pattern
// (5) and parameters the operation does not declare (6). It returns the
// names of the parameters already found invalid, so that semantic parsing
// does not report them twice.
func (c *contract) checkQuery(r *http.Request, item *v3.PathItem, template string) (*problem.Problem, map[string]bool) {
	ok, errs := c.params.ValidateQueryParamsWithPathItem(r, item, template)
	if ok {
		return nil, nil
	}
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
		p := problem.New(problem.UnsupportedQuery)
		p.InvalidParams = unsupported
		return p, seen
	}
	if len(invalid) > 0 {
		p := problem.New(problem.InvalidQuery)
		p.InvalidParams = invalid
		return p, seen
	}
	// A finding without a parameter name: report it as a whole.
	p := problem.New(problem.InvalidQuery)
	p.InvalidParams = []problem.Item{{Name: "query", Reason: reasonOf(errs[0])}}
	return p, seen
}

// checkBody validates a JSON body against the operation's request schema
// (8). The caller has already checked that the body is JSON (7). Content-Type
// is not enforced by the mock, so the validator always sees application/json.
func (c *contract) checkBody(r *http.Request, item *v3.PathItem, template string, body []byte) *problem.Problem {
	req := r.Clone(r.Context())
	req.Header.Set("Content-Type", "application/json")
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	ok, errs := c.bodies.ValidateRequestBodyWithPathItem(req, item, template)
	if ok {
		return nil
	}
	p := problem.New(problem.SchemaViolation)
	p.SchemaValidationFailure = describeSchemaErrors(errs)
	return p
}

// describeSchemaErrors turns the validator's findings into one line per
// failing location, "$.name: length must be <= 63", sorted for stable output.
func describeSchemaErrors(errs []*verrors.ValidationError) string {
	var lines []string
	seen := map[string]bool{}
	for _, e := range errs {
		if len(e.SchemaValidationErrors) == 0 {
			if s := reasonOf(e); !seen[s] {
				seen[s] = true
				lines = append(lines, s)
			}
			continue
		}
		for _, f := range e.SchemaValidationErrors {
			where := f.FieldPath
			if where == "" {
				where = "$"
			}
			s := where + ": " + f.Reason
			if !seen[s] {
				seen[s] = true
				lines = append(lines, s)
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "; ")
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
