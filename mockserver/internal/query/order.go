package query

import (
	"strings"
)

// Order is a parsed orderBy: one field, ascending unless Desc. The zero
// value is the default order: creationTimestamp, then id.
type Order struct {
	Field string
	Desc  bool
}

// orderFields are the fields a list may be ordered by.
var orderFields = map[string]bool{"id": true, "name": true, "type": true, "version": true, "userID": true}

// unorderable are top-level token fields that exist but cannot be ordered by.
var unorderable = map[string]bool{"metadata": true, "token": true}

func orderError(reason string) error { return newError(ParamOrderBy, reason) }

// ParseOrderBy parses an orderBy value, ^(([0-9a-zA-Z]+)(( |%20)desc)?)$,
// the query value after URL decoding (a literal "%20" is also taken as the
// space). The field must be one of id, name, type, version, userID.
func ParseOrderBy(s string) (Order, error) {
	field, dir, hasDir := strings.Cut(strings.ReplaceAll(s, "%20", " "), " ")
	if !isAlnum(field) {
		return Order{}, orderError("must be a field name of letters and digits, optionally followed by \" desc\"; got " + quote(s))
	}
	if hasDir && dir != "desc" {
		return Order{}, orderError("only \" desc\" may follow the field, got " + quote(dir))
	}
	switch {
	case unorderable[field]:
		return Order{}, orderError("cannot order by " + quote(field) + "; want id, name, type, version or userID")
	case !orderFields[field]:
		return Order{}, orderError("unknown field " + quote(field) + "; want id, name, type, version or userID")
	}
	return Order{Field: field, Desc: hasDir}, nil
}

// String returns the canonical form, "name" or "name desc"; "" for the
// default order.
func (o Order) String() string {
	if o.Desc {
		return o.Field + " desc"
	}
	return o.Field
}
