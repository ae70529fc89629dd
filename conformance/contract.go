package conformance

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// Endpoint is one of the ten operations of the Token API.
type Endpoint struct {
	Number    int // schemas/CONTRACT.md §1 row: 1–5 user scope, 6–10 group scope
	Operation string
	Method    string
	Template  string
	// Documented lists the statuses the contract documents for it.
	Documented []int
}

// Endpoints are the ten operations, in schemas/CONTRACT.md §1 order.
var Endpoints = func() []Endpoint {
	const base = "/accounts/{account_id}/core/v1"
	scopes := []struct{ prefix, path string }{
		{"User", base + "/users/{user_id}/tokens"},
		{"GroupUser", base + "/groups/{group_id}/users/{user_id}/tokens"},
	}
	var out []Endpoint
	for i, sc := range scopes {
		item := sc.path + "/{token_id}"
		out = append(out,
			Endpoint{5*i + 1, "create" + sc.prefix + "Token", http.MethodPost, sc.path, []int{201, 400, 401, 403, 404, 406, 409, 413}},
			Endpoint{5*i + 2, "list" + sc.prefix + "Tokens", http.MethodGet, sc.path, []int{200, 400, 401, 403, 404, 406}},
			Endpoint{5*i + 3, "get" + sc.prefix + "Token", http.MethodGet, item, []int{200, 400, 401, 403, 404, 406}},
			Endpoint{5*i + 4, "update" + sc.prefix + "Token", http.MethodPut, item, []int{204, 400, 401, 403, 404, 409, 412, 413}},
			Endpoint{5*i + 5, "delete" + sc.prefix + "Token", http.MethodDelete, item, []int{204, 400, 401, 403, 404}},
		)
	}
	return out
}()

// endpointFor finds the operation a request addresses, or nil.
func endpointFor(method, path string) *Endpoint {
	for i := range Endpoints {
		if e := &Endpoints[i]; e.Method == method && matchTemplate(e.Template, path) {
			return e
		}
	}
	return nil
}

// matchTemplate reports whether path has the template's shape.
func matchTemplate(template, path string) bool {
	t := strings.Split(template, "/")
	p := strings.Split(path, "/")
	if len(t) != len(p) {
		return false
	}
	for i := range t {
		if strings.HasPrefix(t[i], "{") {
			if p[i] == "" {
				return false
			}
			continue
		}
		if t[i] != p[i] {
			return false
		}
	}
	return true
}

// Contract checks every response against the OpenAPI operation it answers
// and records which documented statuses were observed. One Contract is
// shared by all scenarios of a run; it is safe for concurrent use.
type Contract struct {
	validator validator.Validator

	mu       sync.Mutex
	observed map[string]map[int]bool // operation → status
}

// NewContract builds the response validator from the embedded OpenAPI
// document.
func NewContract() (*Contract, error) {
	doc, err := schemas.OpenAPI()
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(doc, config.WithoutSecurityValidation())
	if len(errs) > 0 {
		return nil, fmt.Errorf("conformance: building the response validator: %v", errs)
	}
	return &Contract{validator: v, observed: map[string]map[int]bool{}}, nil
}

// Check validates resp (whose body has been read into body and restored)
// against the operation req addresses. Requests outside the ten operations
// (unknown paths, unsupported methods) are not checked here.
func (c *Contract) Check(req *http.Request, resp *http.Response) error {
	e := endpointFor(req.Method, req.URL.Path)
	if e == nil {
		return nil
	}
	c.mu.Lock()
	if c.observed[e.Operation] == nil {
		c.observed[e.Operation] = map[int]bool{}
	}
	c.observed[e.Operation][resp.StatusCode] = true
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
			e.Operation, e.Method, e.Template, strings.Join(lines, "\n"))
	}
	return nil
}

// Coverage returns, for each endpoint, the documented statuses observed
// and those not observed.
func (c *Contract) Coverage() []CoverageRow {
	c.mu.Lock()
	defer c.mu.Unlock()
	rows := make([]CoverageRow, 0, len(Endpoints))
	for _, e := range Endpoints {
		row := CoverageRow{Endpoint: e}
		for _, s := range e.Documented {
			if c.observed[e.Operation][s] {
				row.Observed = append(row.Observed, s)
			} else {
				row.Missing = append(row.Missing, s)
			}
		}
		for s := range c.observed[e.Operation] {
			if !containsInt(e.Documented, s) {
				row.Undocumented = append(row.Undocumented, s)
			}
		}
		sort.Ints(row.Undocumented)
		rows = append(rows, row)
	}
	return rows
}

// CoverageRow is one line of the contract-coverage table.
type CoverageRow struct {
	Endpoint
	Observed, Missing, Undocumented []int
}

func containsInt(list []int, n int) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}
