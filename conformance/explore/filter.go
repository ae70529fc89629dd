package explore

import (
	"strings"
	"time"
)

// timeFields are the filter fields compared as instants.
var timeFields = map[string]bool{"metadata.creationTimestamp": true, "metadata.modificationTimestamp": true}

// matches evaluates a filter on a list item as schemas/CONTRACT.md §4
// defines it: eq, lt, gt, lte, gte compare strings in byte order and
// timestamps in time order; in is a substring match; a label field matches
// when any label does; an absent field matches nothing. known is false for
// a field or operator it does not know, or an item that is not an object.
func matches(item any, f Filter, expand func(string) (string, error)) (ok, known bool) {
	obj, isObj := item.(map[string]any)
	value, err := expand(f.Value)
	if !isObj || err != nil {
		return false, false
	}
	md, _ := obj["metadata"].(map[string]any)
	var values []string
	switch f.Field {
	case "type", "version", "id", "name", "userID":
		if s, ok := obj[f.Field].(string); ok {
			values = append(values, s)
		}
	case "metadata.creationTimestamp", "metadata.modificationTimestamp", "metadata.createdBy", "metadata.modifiedBy":
		if s, ok := md[strings.TrimPrefix(f.Field, "metadata.")].(string); ok {
			values = append(values, s)
		}
	case "metadata.labels[*].name", "metadata.labels[*].value":
		key := strings.TrimPrefix(f.Field, "metadata.labels[*].")
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
		ok, known := compare(v, f.Op, value, timeFields[f.Field])
		if !known {
			return false, false
		}
		if ok {
			return true, true
		}
	}
	return false, true
}

// compare applies op to a field's value and the filter's value.
func compare(v, op, want string, asTime bool) (ok, known bool) {
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
