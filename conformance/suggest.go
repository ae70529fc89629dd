package conformance

import (
	"regexp"
	"slices"
	"strings"
)

// maxSuggestions bounds the steps Suggest names.
const maxSuggestions = 3

var (
	quoted  = regexp.MustCompile(`"[^"]*"`)
	number  = regexp.MustCompile(`\b\d+\b`)
	keyword = regexp.MustCompile(`^(Given|When|Then|And|But|\*) `)
)

// Suggest returns the defined steps nearest to the text of an undefined
// one, as examples of the step reference (STEPS.md), nearest first: what a
// scenario writer most likely meant. Quoted arguments and numbers are
// compared as placeholders, so `I sends GET to "x"` is next to
// `I send GET to "{user tokens of member}?limit=2"`.
func Suggest(text string) []string {
	want := shape(text)
	var examples []string
	for _, d := range stepDefinitions() {
		example, _, _ := strings.Cut(d.Example, "\n") // without its table or doc string
		example = keyword.ReplaceAllString(example, "")
		if !slices.Contains(examples, example) {
			examples = append(examples, example)
		}
	}
	dist := func(example string) int { return distance(want, shape(example)) }
	slices.SortStableFunc(examples, func(a, b string) int { return dist(a) - dist(b) })
	var out []string
	for i, e := range examples[:min(maxSuggestions, len(examples))] {
		// The nearest always; the others only if they share at least half
		// of the text.
		if i > 0 && 2*dist(e) > max(len(want), len(shape(e))) {
			break
		}
		out = append(out, e)
	}
	return out
}

// shape reduces a step's text to the words that tell steps apart.
func shape(text string) string {
	text = keyword.ReplaceAllString(strings.TrimSpace(text), "")
	text = quoted.ReplaceAllString(text, `"…"`)
	return number.ReplaceAllString(text, "N")
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(t)]
}
