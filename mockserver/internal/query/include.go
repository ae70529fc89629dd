package query

import (
	"strings"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// includeFields are the fields a list item may be projected to.
var includeFields = map[string]bool{"type": true, "version": true, "id": true, "name": true, "userID": true, "metadata": true}

func includeError(reason string) error { return newError(ParamInclude, reason) }

// ParseInclude parses an include value, ^([0-9a-zA-Z]+)(,[0-9a-zA-Z]+)*$,
// into its fields in the order given. Each must be one of type, version,
// id, name, userID, metadata (never token), and appear once.
func ParseInclude(s string) ([]string, error) {
	fields := strings.Split(s, ",")
	for i, f := range fields {
		if !isAlnum(f) {
			return nil, includeError("must be field names of letters and digits separated by commas, got " + quote(s))
		}
		if !includeFields[f] {
			return nil, includeError("unknown field " + quote(f) + "; want type, version, id, name, userID or metadata")
		}
		for _, g := range fields[:i] {
			if g == f {
				return nil, includeError("field " + quote(f) + " is named twice")
			}
		}
	}
	return fields, nil
}

// Project returns r as a list item under include: an array of the values
// of fields, in that order. "metadata" yields r.Metadata (a token.Metadata,
// labels never null). A field ParseInclude would refuse yields nil.
func Project(r token.Resource, fields []string) []any {
	item := make([]any, len(fields))
	for i, f := range fields {
		switch f {
		case "type":
			item[i] = r.Type
		case "version":
			item[i] = r.Version
		case "id":
			item[i] = r.ID
		case "name":
			item[i] = r.Name
		case "userID":
			item[i] = r.UserID
		case "metadata":
			m := r.Metadata
			if m.Labels == nil {
				m.Labels = []token.Label{}
			}
			item[i] = m
		}
	}
	return item
}
