package schemas

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/paths"
	"github.com/pb33f/libopenapi-validator/radix"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// Operation is one operation of openapi.yaml: what CONTRACT.md §1 lists as
// one of the ten endpoints of the Token API.
type Operation struct {
	Number   int    // its place in the document, from 1: CONTRACT.md §1's row
	ID       string // operationId: createUserToken, listGroupUserTokens, …
	Method   string // GET, POST, PUT, DELETE
	Template string // the path template, /accounts/{account_id}/core/v1/…
	// Statuses are the response statuses the document declares for it,
	// ascending.
	Statuses []int
}

// operations is the index, built once from the embedded document.
var operations = sync.OnceValues(newOperationIndex)

// Operations returns the operations of openapi.yaml in document order (which
// is CONTRACT.md §1's: per scope, create, list, get, update, delete).
func Operations() ([]Operation, error) {
	x, err := operations()
	if err != nil {
		return nil, err
	}
	out := make([]Operation, len(x.list))
	for i, op := range x.list {
		op.Statuses = slices.Clone(op.Statuses)
		out[i] = op
	}
	return out, nil
}

// FindOperation returns the operation a request addresses, matching its
// method and path the way libopenapi-validator does when it validates the
// request, or false when the document has no such operation (an unknown
// path, or a method the path does not have).
func FindOperation(r *http.Request) (Operation, bool) {
	x, err := operations()
	if err != nil {
		return Operation{}, false
	}
	item, errs, template := paths.FindPath(r, x.model, x.options)
	if item == nil || len(errs) > 0 {
		return Operation{}, false
	}
	e, ok := x.byKey[r.Method+" "+template]
	if !ok {
		return Operation{}, false
	}
	op := e.Operation
	op.Statuses = slices.Clone(op.Statuses)
	return op, true
}

// ProblemTypes returns the problem types openapi.yaml documents for one
// response of op: the type enum of the problem schema its status answers
// with, ascending, or none when that status has no problem body. For the 404
// of getUserToken it is [2], for that of updateUserToken [1] (CONTRACT.md §1
// note).
func (op Operation) ProblemTypes(status int) ([]int, error) {
	x, err := operations()
	if err != nil {
		return nil, err
	}
	return slices.Clone(x.byKey[op.Method+" "+op.Template].problems[status]), nil
}

// QueryParameters returns the names of the query parameters openapi.yaml
// declares for op, in document order (CONTRACT.md §4 for the lists; the
// other operations take none).
func (op Operation) QueryParameters() ([]string, error) {
	x, err := operations()
	if err != nil {
		return nil, err
	}
	return slices.Clone(x.byKey[op.Method+" "+op.Template].query), nil
}

type operationIndex struct {
	model   *v3.Document
	options *config.ValidationOptions
	list    []Operation
	byKey   map[string]indexed // "METHOD template"
}

// indexed is an operation with what Operation leaves out.
type indexed struct {
	Operation
	problems map[int][]int // status → problem types
	query    []string      // query parameter names
}

func newOperationIndex() (*operationIndex, error) {
	doc, err := OpenAPI()
	if err != nil {
		return nil, err
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("schemas: build %s: %w", OpenAPIFile, err)
	}
	x := &operationIndex{
		model: &model.Model,
		// A path tree and a regex cache, as validator.NewValidator sets
		// up: without them every lookup compiles the templates' regular
		// expressions.
		options: config.NewValidationOptions(config.WithPathTree(radix.BuildPathTree(&model.Model)), config.WithRegexCache(&sync.Map{})),
		byKey:   map[string]indexed{},
	}
	for item := model.Model.Paths.PathItems.First(); item != nil; item = item.Next() {
		for op := item.Value().GetOperations().First(); op != nil; op = op.Next() {
			o := Operation{
				Number:   len(x.list) + 1,
				ID:       op.Value().OperationId,
				Method:   strings.ToUpper(op.Key()),
				Template: item.Key(),
			}
			if o.ID == "" {
				return nil, fmt.Errorf("schemas: %s %s %s has no operationId", OpenAPIFile, o.Method, o.Template)
			}
			e := indexed{problems: map[int][]int{}}
			for _, p := range slices.Concat(item.Value().Parameters, op.Value().Parameters) {
				if p.In == "query" {
					e.query = append(e.query, p.Name)
				}
			}
			if op.Value().Responses != nil {
				for code := op.Value().Responses.Codes.First(); code != nil; code = code.Next() {
					n, err := strconv.Atoi(code.Key())
					if err != nil {
						return nil, fmt.Errorf("schemas: %s %s: response %q is not a status", OpenAPIFile, o.ID, code.Key())
					}
					o.Statuses = append(o.Statuses, n)
					content := code.Value().Content
					if content == nil {
						continue
					}
					if media := content.GetOrZero(ProblemMediaType); media != nil && media.Schema != nil {
						types, err := problemTypeEnum(media.Schema)
						if err != nil {
							return nil, fmt.Errorf("schemas: %s %s %d: %w", OpenAPIFile, o.ID, n, err)
						}
						slices.Sort(types)
						e.problems[n] = types
					}
				}
			}
			slices.Sort(o.Statuses)
			e.Operation = o
			x.list = append(x.list, o)
			x.byKey[o.Method+" "+o.Template] = e
		}
	}
	return x, nil
}

// problemTypeEnum collects the numbers of the type enum of a problem schema
// and of the schemas it is made of (allOf).
func problemTypeEnum(p *base.SchemaProxy) ([]int, error) {
	s, err := p.BuildSchema()
	if err != nil {
		return nil, err
	}
	var out []int
	if s.Properties != nil {
		if typ := s.Properties.GetOrZero("type"); typ != nil {
			ts, err := typ.BuildSchema()
			if err != nil {
				return nil, err
			}
			for _, v := range ts.Enum {
				n, err := strconv.Atoi(strings.TrimPrefix(v.Value, ProblemTypeBase))
				if !strings.HasPrefix(v.Value, ProblemTypeBase) || err != nil {
					return nil, fmt.Errorf("problem type %q is not %sN", v.Value, ProblemTypeBase)
				}
				out = append(out, n)
			}
		}
	}
	for _, part := range s.AllOf {
		types, err := problemTypeEnum(part)
		if err != nil {
			return nil, err
		}
		out = append(out, types...)
	}
	return out, nil
}
