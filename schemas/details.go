package schemas

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// ProblemTypes returns the problem types openapi.yaml documents for one
// response of op: the type enum of the problem schema its status answers
// with, ascending, or none when that status has no problem body. For the 404
// of getUserToken it is [2], for that of updateUserToken [1] (CONTRACT.md §1
// note).
func (op Operation) ProblemTypes(status int) ([]int, error) {
	x, err := operationDetails()
	if err != nil {
		return nil, err
	}
	return slices.Clone(x[op.Method+" "+op.Template].problems[status]), nil
}

// QueryParameters returns the names of the query parameters openapi.yaml
// declares for op, in document order (CONTRACT.md §4 for the lists; the
// other operations take none).
func (op Operation) QueryParameters() ([]string, error) {
	x, err := operationDetails()
	if err != nil {
		return nil, err
	}
	return slices.Clone(x[op.Method+" "+op.Template].query), nil
}

// details is what the index of Operation leaves out.
type details struct {
	problems map[int][]int // status → problem types
	query    []string      // query parameter names
}

// operationDetails indexes the details of every operation by "METHOD
// template"; it is read once from the embedded document.
var operationDetails = sync.OnceValues(func() (map[string]details, error) {
	x, err := operations()
	if err != nil {
		return nil, err
	}
	out := map[string]details{}
	for item := x.model.Paths.PathItems.First(); item != nil; item = item.Next() {
		for op := item.Value().GetOperations().First(); op != nil; op = op.Next() {
			key := strings.ToUpper(op.Key()) + " " + item.Key()
			d := details{problems: map[int][]int{}}
			for _, p := range slices.Concat(item.Value().Parameters, op.Value().Parameters) {
				if p.In == "query" {
					d.query = append(d.query, p.Name)
				}
			}
			out[key] = d
			if op.Value().Responses == nil {
				continue
			}
			for code := op.Value().Responses.Codes.First(); code != nil; code = code.Next() {
				content := code.Value().Content
				if content == nil {
					continue
				}
				media := content.GetOrZero(ProblemMediaType)
				if media == nil || media.Schema == nil {
					continue
				}
				status, err := strconv.Atoi(code.Key())
				if err != nil {
					return nil, fmt.Errorf("schemas: %s %s: response %q is not a status", OpenAPIFile, key, code.Key())
				}
				types, err := problemTypeEnum(media.Schema)
				if err != nil {
					return nil, fmt.Errorf("schemas: %s %s %d: %w", OpenAPIFile, key, status, err)
				}
				slices.Sort(types)
				d.problems[status] = types
			}
		}
	}
	return out, nil
})

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
