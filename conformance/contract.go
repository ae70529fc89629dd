package conformance

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"

	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/cache"
	"github.com/pb33f/libopenapi-validator/config"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// Contract checks every response against the OpenAPI operation it answers
// and records which documented statuses were observed. One Contract is
// shared by all scenarios of a run; it is safe for concurrent use.
type Contract struct {
	validators validators
	operations []schemas.Operation // the ten, in schemas/CONTRACT.md §1 order

	mu       sync.Mutex
	observed map[string]map[int]bool // operation → status
	// validBodies remembers the answer bodies the validator passed, by
	// operation, status, Content-Type and SHA-256: checking a body's
	// schema costs more than the rest of a proxied GET (without it the
	// proxy held under a third of the mock's direct throughput), and the
	// same answers come again and again. A remembered body is not checked
	// again; the rest of the answer (status, headers) always is.
	validBodies schemas.KnownValid
}

// NewContract returns a Contract with its own coverage, checking with the
// response validator of the embedded OpenAPI document and reading its
// operations (schemas.Operations).
func NewContract() (*Contract, error) {
	v, err := responseValidators()
	if err != nil {
		return nil, err
	}
	ops, err := schemas.Operations()
	if err != nil {
		return nil, err
	}
	return &Contract{validators: v, operations: ops, observed: map[string]map[int]bool{}}, nil
}

// validators are the response validators of the embedded OpenAPI document:
// all checks, and all but the body's (for a body known valid).
type validators struct{ all, notBody validator.Validator }

// responseValidators are built once and shared by every Contract: building
// them compiles every schema of the document (most of a suite's start-up),
// and once built they only read their caches, so they are safe for
// concurrent use as the scenarios of one run already use them.
var responseValidators = sync.OnceValues(func() (validators, error) {
	doc, err := schemas.OpenAPI()
	if err != nil {
		return validators{}, err
	}
	// They share one cache of compiled schemas: the second finds it warm.
	compiled := config.WithSchemaCache(cache.NewDefaultCache())
	all, errs := validator.NewValidator(doc, config.WithoutSecurityValidation(), compiled)
	if len(errs) > 0 {
		return validators{}, fmt.Errorf("conformance: building the response validator: %v", errs)
	}
	model, err := doc.BuildV3Model() // built already: the same model
	if err != nil {
		return validators{}, err
	}
	notBody := validator.NewValidatorFromV3Model(&model.Model, config.WithoutSecurityValidation(), config.WithoutResponseBodyValidation(), compiled)
	return validators{all, notBody}, nil
})

// Check validates resp (whose body has been read into body and restored)
// against the operation req addresses, found as the validator finds it
// (schemas.FindOperation). Requests outside the ten operations (unknown
// paths, unsupported methods) are not checked here.
func (c *Contract) Check(req *http.Request, resp *http.Response) error {
	op, ok := schemas.FindOperation(req)
	if !ok {
		return nil
	}
	c.mu.Lock()
	if c.observed[op.ID] == nil {
		c.observed[op.ID] = map[int]bool{}
	}
	c.observed[op.ID][resp.StatusCode] = true
	c.mu.Unlock()
	var body []byte
	if resp.Body != nil {
		var err error
		body, err = io.ReadAll(resp.Body)
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("reading the response of %s: %w", op.ID, err)
		}
	}
	sum := sha256.Sum256(body)
	key := fmt.Sprintf("%s\n%d\n%s\n%s", op.ID, resp.StatusCode, resp.Header.Get("Content-Type"), sum[:])
	v := c.validators.all
	if c.validBodies.Has(key) {
		v = c.validators.notBody
	}
	ok, errs := v.ValidateHttpResponse(req, resp)
	if ok && v == c.validators.all {
		c.validBodies.Add(key)
	}
	if !ok {
		var lines []string
		for _, e := range errs {
			line := e.Message
			if e.Reason != "" && e.Reason != e.Message {
				line += ": " + e.Reason
			}
			for _, f := range e.SchemaValidationErrors {
				line += "\n      " + f.Error()
			}
			lines = append(lines, "  - "+line)
		}
		sort.Strings(lines)
		return fmt.Errorf("the response is outside the contract of %s (%s %s):\n%s",
			op.ID, op.Method, op.Template, strings.Join(lines, "\n"))
	}
	return nil
}

// Coverage returns, for each operation, the documented statuses observed
// and those not observed, and any other status observed.
func (c *Contract) Coverage() []CoverageRow {
	c.mu.Lock()
	defer c.mu.Unlock()
	rows := make([]CoverageRow, 0, len(c.operations))
	for _, op := range c.operations {
		row := CoverageRow{Operation: op}
		for _, s := range op.Statuses {
			if c.observed[op.ID][s] {
				row.Observed = append(row.Observed, s)
			} else {
				row.Missing = append(row.Missing, s)
			}
		}
		for s := range c.observed[op.ID] {
			if !slices.Contains(op.Statuses, s) {
				row.Undocumented = append(row.Undocumented, s)
			}
		}
		sort.Ints(row.Undocumented)
		rows = append(rows, row)
	}
	return rows
}

// CoverageRow is one line of the contract-coverage table: an operation of
// openapi.yaml, with its documented statuses (Statuses) split into those
// observed and those not, and the statuses it answered that the contract
// does not document.
type CoverageRow struct {
	schemas.Operation
	Observed, Missing, Undocumented []int
}

// Collections returns the path templates of the token collections in user
// and in group scope: the paths of the contract's two create operations.
func (c *Contract) Collections() (user, group string, err error) {
	for _, op := range c.operations {
		switch op.ID {
		case "createUserToken":
			user = op.Template
		case "createGroupUserToken":
			group = op.Template
		}
	}
	if user == "" || group == "" {
		return "", "", fmt.Errorf("conformance: %s lacks createUserToken or createGroupUserToken", schemas.OpenAPIFile)
	}
	return user, group, nil
}

// tokenRequest is the body of a request that creates a token, its members
// in the order encoding/json writes a map's.
type tokenRequest struct {
	Metadata any    `json:"metadata,omitempty"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Version  string `json:"version"`
}

// tokenKind reads the type and version every token request carries from
// types.json: the one value its mediaType and its version enums allow.
func tokenKind() (typ, version string, err error) {
	one := func(def string) (string, error) {
		s, err := schemas.Compile(schemas.Types + "#/$defs/" + def)
		if err != nil {
			return "", fmt.Errorf("conformance: %w", err)
		}
		if len(s.Enum) == 1 {
			if v, ok := s.Enum[0].(string); ok {
				return v, nil
			}
		}
		return "", fmt.Errorf("conformance: %s#/$defs/%s does not allow exactly one value", schemas.Types, def)
	}
	if typ, err = one("mediaType"); err != nil {
		return "", "", err
	}
	version, err = one("version")
	return typ, version, err
}
