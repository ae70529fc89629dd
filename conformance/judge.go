package conformance

import (
	"strconv"
	"strings"
	"time"

	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
)

// This file holds what the judges of one exchange share (the validating
// proxy of package conformance/proxy today; the explorer's list laws say
// the same): the meaning of a filter, of an order, of an Accept header and
// of the coverage table, as schemas/CONTRACT.md states them.

// FilterMatches evaluates the filter `field op 'value'` on a list item (a
// token object) as schemas/CONTRACT.md §4 defines it: eq, lt, gt, lte, gte
// compare strings in byte order and timestamps in time order; in is a
// substring match; a label field matches when any label does; an absent
// field matches nothing. known is false for a field or operator it does not
// know, or an item that is not an object.
func FilterMatches(item any, field, op, value string) (ok, known bool) {
	obj, isObj := item.(map[string]any)
	if !isObj {
		return false, false
	}
	md, _ := obj["metadata"].(map[string]any)
	var values []string
	asTime := false
	switch field {
	case "type", "version", "id", "name", "userID":
		if s, ok := obj[field].(string); ok {
			values = append(values, s)
		}
	case "metadata.creationTimestamp", "metadata.modificationTimestamp", "metadata.createdBy", "metadata.modifiedBy":
		asTime = strings.HasSuffix(field, "Timestamp")
		if s, ok := md[strings.TrimPrefix(field, "metadata.")].(string); ok {
			values = append(values, s)
		}
	case "metadata.labels[*].name", "metadata.labels[*].value":
		key := strings.TrimPrefix(field, "metadata.labels[*].")
		labels, _ := md["labels"].([]any)
		for _, l := range labels {
			lm, _ := l.(map[string]any)
			if s, ok := lm[key].(string); ok {
				values = append(values, s)
			}
		}
	default:
		return false, false
	}
	for _, v := range values {
		ok, known := compareFilter(v, op, value, asTime)
		if !known || ok {
			return ok, known
		}
	}
	return false, true
}

// compareFilter applies op to a field's value and the filter's value.
func compareFilter(v, op, want string, asTime bool) (ok, known bool) {
	c := strings.Compare(v, want)
	if asTime && op != "in" {
		tv, err1 := time.Parse(time.RFC3339Nano, v)
		tw, err2 := time.Parse(time.RFC3339Nano, want)
		if err1 != nil || err2 != nil {
			return false, false
		}
		c = tv.Compare(tw)
	}
	switch op {
	case "eq":
		return c == 0, true
	case "lt":
		return c < 0, true
	case "gt":
		return c > 0, true
	case "lte":
		return c <= 0, true
	case "gte":
		return c >= 0, true
	case "in":
		return strings.Contains(v, want), true
	}
	return false, false
}

// OutOfOrder returns the index of the first list item whose string field
// key (an object's member, or an index of a projected array) sorts before
// the one of the item before it, in byte order, ascending or with desc
// descending (schemas/CONTRACT.md §4, orderBy); -1 when they are in order.
// ok is false when an item lacks the field: nothing is said then.
func OutOfOrder(items []any, key string, desc bool) (at int, ok bool) {
	var prev string
	for i, it := range items {
		v, has := wire.Field(it, key)
		if !has {
			return -1, false
		}
		if i > 0 && (!desc && v < prev || desc && v > prev) {
			return i, true
		}
		prev = v
	}
	return -1, true
}

// AcceptsJSON reports whether an Accept header allows an answer the Token
// API can give (schemas/CONTRACT.md §7): a missing header, or a range of
// */*, application/*, application/json or application/astra-token+json
// not weighted q=0.
func AcceptsJSON(accept string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(part, ";")
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "*/*", "application/*", "application/json", "application/astra-token+json":
		default:
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				q = 0 // a weight that does not parse excludes the range, as the mock reads it
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f <= 1 {
					q = f
				}
			}
		}
		if q > 0 {
			return true
		}
	}
	return false
}

// CoveragePercent is the share of the documented operation × status pairs
// of a coverage table that were observed, in percent (100 for an empty
// table).
func CoveragePercent(rows []CoverageRow) float64 {
	seen, all := 0, 0
	for _, r := range rows {
		seen += len(r.Observed)
		all += len(r.Observed) + len(r.Missing)
	}
	if all == 0 {
		return 100
	}
	return 100 * float64(seen) / float64(all)
}
