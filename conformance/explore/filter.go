package explore

import "github.com/astra-contract/astra-token-kit/conformance"

// matches evaluates a filter on a list item as schemas/CONTRACT.md §4
// defines it (conformance.FilterMatches), once its value's placeholders
// are expanded. known is false for a field or operator it does not know,
// an item that is not an object, or a value that does not expand.
func matches(item any, f Filter, expand func(string) (string, error)) (ok, known bool) {
	value, err := expand(f.Value)
	if err != nil {
		return false, false
	}
	return conformance.FilterMatches(item, f.Field, f.Op, value)
}
