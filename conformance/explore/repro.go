package explore

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/astra-contract/astra-token-kit/conformance/internal/placeholder"
)

// repro writes a finding's sequence as a feature file of the suite's
// steps: each request with the credential and headers it was sent with,
// the values later requests refer to saved as they arrive, and, after the
// last request, the checks of what its answer should have been. Token
// names start with {run}, so the suite names and deletes them as its own.
func (x *explorer) repro(f *Finding) string {
	seq := f.Sequence
	number := map[int]int{} // step id → its number in the repro
	for i, st := range seq {
		number[st.ID] = i + 1
	}
	renumber := func(s string) string {
		return savedRef.ReplaceAllStringFunc(s, func(m string) string {
			key := savedRef.FindStringSubmatch(m)[1]
			kind := savedKey.FindStringSubmatch(key)[1]
			return fmt.Sprintf("{$%s%d}", kind, number[refStep(key)])
		})
	}
	// What each step must save: the keys later steps and the checks read.
	saves := map[int][]string{}
	for _, st := range seq {
		for _, k := range st.refs() {
			if !slices.Contains(saves[refStep(k)], k) {
				saves[refStep(k)] = append(saves[refStep(k)], k)
			}
		}
	}
	var checks []string
	for _, c := range f.expect {
		if c.kind == "time after creation" {
			saves[c.n] = append(saves[c.n], fmt.Sprintf("created%d", c.n))
		}
		for _, line := range renderCheck(c, f.names) {
			checks = append(checks, line)
			for _, m := range savedRef.FindAllStringSubmatch(line, -1) {
				if k := m[1]; !slices.Contains(saves[refStep(k)], k) {
					saves[refStep(k)] = append(saves[refStep(k)], k)
				}
			}
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "# Found by astra-conformance -explore, seed %d.\n", x.cfg.Seed)
	fmt.Fprintf(&b, "# %s: %s\n", f.Family, firstLine(f.Message))
	b.WriteString("# Run it with: astra-conformance -features THIS_FILE (and the target flags).\n")
	b.WriteString("Feature: Exploration finding\n\n")
	fmt.Fprintf(&b, "  Scenario: %s\n", f.Family)
	auth := Auth{}
	headers := map[string]string{}
	for i, st := range seq {
		n := i + 1
		if st.Auth != auth {
			switch {
			case st.Auth.Persona != "":
				fmt.Fprintf(&b, "    Given I am the %s\n", st.Auth.Persona)
			case st.Auth.Header == "":
				b.WriteString("    Given I send no credentials\n")
			default:
				fmt.Fprintf(&b, "    Given I send the Authorization header \"%s\"\n", renumber(st.Auth.Header))
			}
			auth = st.Auth
		}
		want := map[string]string{}
		for _, h := range st.Headers {
			want[h.Name] = renumber(h.Value)
		}
		for _, name := range slices.Sorted(maps.Keys(headers)) {
			if _, ok := want[name]; !ok {
				fmt.Fprintf(&b, "    And I no longer send the header \"%s\"\n", name)
				delete(headers, name)
			}
		}
		for _, h := range st.Headers {
			if v := want[h.Name]; headers[h.Name] != v {
				fmt.Fprintf(&b, "    And I set the header \"%s\" to \"%s\"\n", h.Name, v)
				headers[h.Name] = v
			}
		}
		b.WriteString(request(st, renumber))
		for _, k := range saves[st.ID] {
			kind := savedKey.FindStringSubmatch(k)[1]
			as := fmt.Sprintf("%s%d", kind, n)
			switch kind {
			case "created":
				fmt.Fprintf(&b, "    And I save the JSON at \"metadata.creationTimestamp\" as \"%s\"\n", as)
			case "id":
				fmt.Fprintf(&b, "    And I save the JSON at \"id\" as \"%s\"\n", as)
			case "secret":
				fmt.Fprintf(&b, "    And I save the JSON at \"token\" as \"%s\"\n", as)
			case "etag":
				fmt.Fprintf(&b, "    And I save the response header \"ETag\" as \"%s\"\n", as)
			case "cont":
				fmt.Fprintf(&b, "    And I save the JSON at \"metadata.continue\" as \"%s\"\n", as)
			}
		}
	}
	keyword := "Then"
	for _, line := range checks {
		fmt.Fprintf(&b, "    %s %s\n", keyword, renumber(line))
		keyword = "And"
	}
	return b.String()
}

// request renders the request of a step.
func request(st Step, renumber func(string) string) string {
	target := renumber(st.Target())
	switch {
	case st.List != nil && len(st.List.Params()) > 0 && st.Method == "GET" && st.Body == nil:
		var b strings.Builder
		fmt.Fprintf(&b, "    When I list \"%s\" with:\n", renumber(st.Path))
		for _, p := range st.List.Params() {
			fmt.Fprintf(&b, "      | %s | %s |\n", p[0], cell(renumber(p[1])))
		}
		return b.String()
	case st.Body == nil:
		return fmt.Sprintf("    When I send %s to \"%s\"\n", st.Method, target)
	case st.Body.Pad > 0:
		return fmt.Sprintf("    When I send %s to \"%s\" with a body of %d bytes\n", st.Method, target, st.Body.Pad)
	}
	text := renumber(st.Body.Text)
	step := "with body:"
	if escaped := escapeBody(text); escaped != text {
		step, text = "with the escaped body:", escaped
	}
	if text != "" {
		text = "      " + text + "\n"
	}
	return fmt.Sprintf("    When I send %s to \"%s\" %s\n      \"\"\"\n%s      \"\"\"\n", st.Method, target, step, text)
}

// escapeBody writes a body for the step `with the escaped body:` when it
// is not one line of printable UTF-8 text: each byte that is not part of
// such text as \xNN, a backslash as \\. It returns text unchanged when it
// needs no escape.
func escapeBody(text string) string {
	plain := utf8.ValidString(text) && !strings.ContainsFunc(text, func(r rune) bool { return r < ' ' || r == 0x7f }) &&
		!strings.Contains(text, `"""`) && strings.TrimSpace(text) == text && text != ""
	if plain {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == utf8.RuneError && size <= 1, r < ' ', r == 0x7f, r == ' ' && (i == 0 || i == len(text)-1):
			fmt.Fprintf(&b, `\x%02x`, text[i])
		default:
			b.WriteString(text[i : i+size])
		}
		i += size
	}
	return b.String()
}

// cell escapes a table cell of a feature file.
func cell(s string) string {
	return strings.NewReplacer(`\`, `\\`, `|`, `\|`).Replace(s)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// renderCheck writes a check as steps (none when the step library cannot
// say it), values written with placeholders where a value is bound; {$…N}
// name steps by id.
func renderCheck(c check, ns *names) []string {
	if c.kind == "json" && containsTime(c.value) {
		// A time cannot be asserted literally: the values around it can.
		var out []string
		for _, leaf := range leaves(c.value, c.path) {
			if len(out) < 8 && !containsTime(leaf.value) {
				out = append(out, renderCheck(check{kind: "json", path: leaf.path, value: leaf.value}, ns)...)
			}
		}
		return out
	}
	if line := renderLine(c, ns); line != "" {
		return []string{line}
	}
	return nil
}

type leaf struct {
	path  string
	value any
}

// leaves returns the scalar values of v, with their paths.
func leaves(v any, path string) []leaf {
	switch v := v.(type) {
	case map[string]any:
		var out []leaf
		for _, k := range slices.Sorted(maps.Keys(v)) {
			out = append(out, leaves(v[k], joinPath(path, k))...)
		}
		return out
	case []any:
		var out []leaf
		for i, x := range v {
			out = append(out, leaves(x, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	}
	return []leaf{{path, v}}
}

// renderLine writes a check as a step, or "".
func renderLine(c check, ns *names) string {
	switch c.kind {
	case "status":
		return fmt.Sprintf("the response status is %d", c.n)
	case "not status":
		return fmt.Sprintf("the response status is not %d", c.n)
	case "problem":
		return fmt.Sprintf("the response is problem %d", c.n)
	case "absent", "present":
		return fmt.Sprintf("the JSON at \"%s\" is %s", c.path, c.kind)
	case "items":
		return fmt.Sprintf("the JSON at \"items\" has %d items", c.n)
	case "length":
		return fmt.Sprintf("the JSON at \"%s\" has %d items", c.path, c.n)
	case "ordered":
		desc := ""
		if c.desc {
			desc = " descending"
		}
		return fmt.Sprintf("the items are ordered by \"%s\"%s", c.path, desc)
	case "contains", "lacks":
		how := "contains"
		if c.kind == "lacks" {
			how = "does not contain"
		}
		return fmt.Sprintf("the response body %s \"%s\"", how, ns.text(fmt.Sprint(c.value)))
	case "header":
		return fmt.Sprintf("the response header \"%s\" is \"%s\"", c.path, ns.text(fmt.Sprint(c.value)))
	case "no header":
		return fmt.Sprintf("the response header \"%s\" is \"\"", c.path)
	case "header present":
		return fmt.Sprintf("the response header \"%s\" is present", c.path)
	case "header ends":
		return fmt.Sprintf("the response header \"%s\" matches \"%s\"", c.path, quoteRegexp(ns.text(pathOf(fmt.Sprint(c.value))))+"$")
	case "time after creation":
		return fmt.Sprintf("the JSON at \"%s\" is a time after \"{$created%d}\"", c.path, c.n)
	case "json":
		switch v := c.value.(type) {
		case string:
			if !strings.ContainsAny(v, "\"\n") {
				return fmt.Sprintf("the JSON at \"%s\" is \"%s\"", c.path, ns.text(v))
			}
		case float64, bool, nil:
			b, _ := json.Marshal(v)
			return fmt.Sprintf("the JSON at \"%s\" is %s", c.path, b)
		}
		b, _ := json.Marshal(ns.value(c.value))
		return fmt.Sprintf("the JSON at \"%s\" equals:\n      \"\"\"\n      %s\n      \"\"\"", c.path, b)
	}
	return ""
}

// pathOf returns the path of a URL.
func pathOf(u string) string {
	if i := strings.Index(u, "/accounts/"); i >= 0 {
		return u[i:]
	}
	return u
}

// quoteRegexp quotes the regular expression characters of s except its
// placeholders.
func quoteRegexp(s string) string { return placeholder.EscapeAround(s, regexp.QuoteMeta) }
