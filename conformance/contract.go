package conformance

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"

	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// Contract checks every response against the OpenAPI operation it answers
// and records which documented statuses were observed. One Contract is
// shared by all scenarios of a run; it is safe for concurrent use.
type Contract struct {
	validator  validator.Validator
	operations []schemas.Operation // the ten, in schemas/CONTRACT.md §1 order

	mu       sync.Mutex
	observed map[string]map[int]bool // operation → status
}

// NewContract returns a Contract with its own coverage, checking with the
// response validator of the embedded OpenAPI document and reading its
// operations (schemas.Operations).
func NewContract() (*Contract, error) {
	v, err := responseValidator()
	if err != nil {
		return nil, err
	}
	ops, err := schemas.Operations()
	if err != nil {
		return nil, err
	}
	return &Contract{validator: v, operations: ops, observed: map[string]map[int]bool{}}, nil
}

// responseValidator is built once and shared by every Contract: building
// it compiles every schema of the document (most of a suite's start-up),
// and once built it only reads its caches, so it is safe for concurrent use
// as the scenarios of one run already use it.
var responseValidator = sync.OnceValues(func() (validator.Validator, error) {
	doc, err := schemas.OpenAPI()
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(doc, config.WithoutSecurityValidation())
	if len(errs) > 0 {
		return nil, fmt.Errorf("conformance: building the response validator: %v", errs)
	}
	return v, nil
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
	if ok, errs := c.validator.ValidateHttpResponse(req, resp); !ok {
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
