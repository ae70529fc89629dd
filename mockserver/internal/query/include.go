package query

import "strings"

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
