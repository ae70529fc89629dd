package conformance_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/conformance"
)

// binding is where a step is bound to its method: the line of its Step
// call, and the method of the scenario it names.
type binding struct {
	file   string
	line   int
	method string
}

// bindings maps each step's example (a plain string literal, unlike
// patterns, which are built from parts) to the Step call that follows its
// doc call in the package's source. It fails the test if a step is bound to
// anything but a method of *scenario (st.name) declared in the package.
func bindings(t *testing.T) map[string]binding {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{} // the package's non-test files, by name
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name.Name == "conformance" {
			files[name] = f
		}
	}
	methods := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil {
				if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); ok && types.ExprString(star.X) == "scenario" {
					methods[fn.Name.Name] = true
				}
			}
		}
	}
	out := map[string]binding{}
	for _, file := range []string{"steps.go", "steps_domain.go", "steps_explore.go"} {
		f := files[file]
		if f == nil {
			t.Fatalf("no %s in the package", file)
		}
		example := ""
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch sel.Sel.Name {
			case "doc":
				lit, ok := call.Args[1].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("%s: the example of a step is not a string literal", fset.Position(call.Pos()))
				}
				example, _ = strconv.Unquote(lit.Value)
			case "Step":
				handler, ok := call.Args[1].(*ast.SelectorExpr)
				if !ok || types.ExprString(handler.X) != "st" || !methods[handler.Sel.Name] {
					t.Errorf("%s: the step is bound to %s, not to a method of *scenario", fset.Position(call.Pos()), types.ExprString(call.Args[1]))
					return false
				}
				if example == "" {
					t.Errorf("%s: a step without its doc call before it", fset.Position(call.Pos()))
				}
				out[example] = binding{file, fset.Position(call.Pos()).Line, handler.Sel.Name}
				example = ""
			}
			return true
		})
	}
	return out
}

// TestPrettyShowsWhereEachStepIsDefined: the location pretty prints after
// each step is the step's own definition, the line that binds its pattern
// to its method, not the line of a helper that registers every step.
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
	binds := bindings(t)
	if n := len(conformance.StepDefinitions()); len(binds) != n {
		t.Errorf("%d steps are bound in steps.go, steps_domain.go and steps_explore.go, want all %d", len(binds), n)
	}
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
		where, ok := binds[def.Example]
		if !ok {
			t.Fatalf("%q: no Step call binds the step of example %q", text, def.Example)
		}
		if file != where.file || line != where.line {
			t.Errorf("%q is shown at %s:%d, want the line that binds it to st.%s, %s:%d", text, file, line, where.method, where.file, where.line)
		}
	}
	if len(seen) != 4 {
		t.Errorf("four different steps share locations: %v", seen)
	}
	if !strings.Contains(out, "steps_domain.go:") {
		t.Errorf("no step of steps_domain.go is located there")
	}
}
