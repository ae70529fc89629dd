// Package placeholder is the {…} syntax of the step library's text
// ({run}, {user tokens of member}, {$KEY}), shared by the suite, which
// expands it in feature files, and the explorer, which writes it in the
// steps it generates and expands it the same way.
package placeholder

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

var re = regexp.MustCompile(`\{([^{}]+)\}`)

// Is tells a placeholder's key ("run", "id of ci", "$next") from other
// text in braces: JSON objects in bodies have quotes or colons, regular
// expressions' counts start with a digit.
func Is(key string) bool {
	return key != "" && !strings.ContainsAny(key, `":`) &&
		(key[0] == '$' || unicode.IsLetter(rune(key[0])))
}

// Expand replaces each placeholder of s by escape(offset of the
// placeholder in s, key, value(key)); escape nil leaves values as they
// are. Other text in braces is left alone. On errors of value it still
// expands the rest, and returns the first error.
func Expand(s string, value func(key string) (string, error), escape func(at int, key, v string) string) (string, error) {
	var b strings.Builder
	var first error
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		key := s[m[2]:m[3]]
		b.WriteString(s[last:m[0]])
		last = m[1]
		if !Is(key) {
			b.WriteString(s[m[0]:m[1]])
			continue
		}
		v, err := value(key)
		if err != nil && first == nil {
			first = err
		}
		if escape != nil {
			v = escape(m[0], key, v)
		}
		b.WriteString(v)
	}
	b.WriteString(s[last:])
	return b.String(), first
}

// ExpandTarget expands a request target, a path with an optional query:
// a value is escaped for where it lands, as a path segment before the ?,
// as a query value after it, except the collection paths ({user tokens
// of ROLE}, {group tokens of ROLE}), which are paths.
func ExpandTarget(target string, value func(key string) (string, error)) (string, error) {
	queryAt := strings.IndexByte(target, '?')
	return Expand(target, value, func(at int, key, v string) string {
		switch {
		case queryAt >= 0 && at > queryAt:
			return QueryEscape(v)
		case strings.HasPrefix(key, "user tokens of "), strings.HasPrefix(key, "group tokens of "):
			return v
		}
		return url.PathEscape(v)
	})
}

// QueryEscape escapes a query parameter's name or value, a space as %20
// (which the API's patterns allow, unlike +).
func QueryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// EscapeAround applies esc to the text of s between its placeholders,
// which it leaves as they are.
func EscapeAround(s string, esc func(string) string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		if !Is(s[m[2]:m[3]]) {
			continue
		}
		b.WriteString(esc(s[last:m[0]]))
		b.WriteString(s[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(esc(s[last:]))
	return b.String()
}

// Collection is the path {user tokens of ROLE} or {group tokens of ROLE}
// stands for: a collection template (Contract.Collections) with its
// parameters filled in (groupID empty in user scope).
func Collection(template, accountID, groupID, userID string) string {
	return strings.NewReplacer("{account_id}", accountID, "{group_id}", groupID, "{user_id}", userID).Replace(template)
}
