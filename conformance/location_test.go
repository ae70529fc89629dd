package conformance_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/conformance"
)

// definitionLines maps each step's example (a plain string literal, unlike
// patterns, which are built from parts) to the file and the lines of its
// StepDefinition literal in the package's source.
func definitionLines(t *testing.T) map[string]struct {
	file       string
	start, end int
} {
	t.Helper()
	out := map[string]struct {
		file       string
		start, end int
	}{}
	fset := token.NewFileSet()
	for _, file := range []string{"steps.go", "steps_domain.go"} {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || len(lit.Elts) != 5 {
				return true
			}
			example, ok := lit.Elts[2].(*ast.BasicLit)
			if !ok || example.Kind != token.STRING {
				return true
			}
			p, err := strconv.Unquote(example.Value)
			if err != nil {
				return true
			}
			out[p] = struct {
				file       string
				start, end int
			}{file, fset.Position(lit.Pos()).Line, fset.Position(lit.End()).Line}
			return false
		})
	}
	return out
}

// TestPrettyShowsWhereEachStepIsDefined: the location pretty prints after
// each step is the step's own definition, not the line of the helper that
// registers every step.
func TestPrettyShowsWhereEachStepIsDefined(t *testing.T) {
	t.Parallel()
	_, status, out := runFeature(t, mockConfig(t), "pretty", `Feature: Locations
  Scenario: Four steps from two files
    Given I am the member
    When I send GET to "{user tokens of member}?limit=1"
    Then the response status is 200
    And the response body contains "application/astra-tokens"
`)
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	defs := definitionLines(t)
	located := regexp.MustCompile(`(?m)^\s+(?:Given|When|Then|And) (.+?)\s+# (\w+\.go):(\d+) `)
	matches := located.FindAllStringSubmatch(out, -1)
	if len(matches) != 4 {
		t.Fatalf("want 4 steps with a location, found %d", len(matches))
	}
	seen := map[string]bool{}
	for _, m := range matches {
		text, file := m[1], m[2]
		line, _ := strconv.Atoi(m[3])
		seen[file+":"+m[3]] = true
		var def *conformance.StepDefinition
		for _, d := range conformance.StepDefinitions() {
			if regexp.MustCompile(d.Pattern).MatchString(text) {
				def = &d
			}
		}
		if def == nil {
			t.Fatalf("no definition matches %q", text)
		}
		where := defs[def.Example]
		if file != where.file || line < where.start || line > where.end {
			t.Errorf("%q is shown at %s:%d, want within its definition, %s:%d-%d", text, file, line, where.file, where.start, where.end)
		}
	}
	if len(seen) != 4 {
		t.Errorf("four different steps share locations: %v", seen)
	}
	if !strings.Contains(out, "steps_domain.go:") {
		t.Errorf("no step of steps_domain.go is located there")
	}
}
