package wire

import (
	"fmt"
	"strconv"
	"strings"
)

// Lookup evaluates a simple path, as the step library writes them, into decoded JSON: dot-separated keys and
// [n] indexes, e.g. "items[0].name", "metadata.labels[1].value",
// "invalidParams[0].name". The empty path is the whole document.
func Lookup(doc any, path string) (any, bool, error) {
	cur := doc
	if path == "" || path == "$" {
		return cur, true, nil
	}
	path = strings.TrimPrefix(path, "$.")
	for _, part := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			obj, ok := cur.(map[string]any)
			if !ok {
				return nil, false, nil
			}
			if cur, ok = obj[key]; !ok {
				return nil, false, nil
			}
		}
		for rest != "" {
			idx, after, ok := strings.Cut(rest, "]")
			if !ok {
				return nil, false, fmt.Errorf("path %q: unclosed [", path)
			}
			n, err := strconv.Atoi(idx)
			if err != nil {
				return nil, false, fmt.Errorf("path %q: index %q is not a number", path, idx)
			}
			arr, isArr := cur.([]any)
			if !isArr || n < 0 || n >= len(arr) {
				return nil, false, nil
			}
			cur = arr[n]
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return cur, true, nil
}
