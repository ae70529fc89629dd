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
	op, ok := x.byKey[r.Method+" "+template]
	if !ok {
		return Operation{}, false
	}
	op.Statuses = slices.Clone(op.Statuses)
	return op, true
}

type operationIndex struct {
	model   *v3.Document
	options *config.ValidationOptions
	list    []Operation
	byKey   map[string]Operation // "METHOD template"
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
		model:   &model.Model,
		options: config.NewValidationOptions(),
		byKey:   map[string]Operation{},
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
			if op.Value().Responses != nil {
				for code := op.Value().Responses.Codes.First(); code != nil; code = code.Next() {
					n, err := strconv.Atoi(code.Key())
					if err != nil {
						return nil, fmt.Errorf("schemas: %s %s: response %q is not a status", OpenAPIFile, o.ID, code.Key())
					}
					o.Statuses = append(o.Statuses, n)
				}
			}
			slices.Sort(o.Statuses)
			x.list = append(x.list, o)
			x.byKey[o.Method+" "+o.Template] = o
		}
	}
	return x, nil
}
