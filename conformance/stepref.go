package conformance

import (
	_ "embed"
	"strings"
	"text/template"
)

// stepsTemplate is the text of the step reference around the steps and
// placeholders.
//
//go:embed steps.tmpl
var stepsTemplate string

// StepReference renders the step reference, conformance/STEPS.md, from
// StepDefinitions and Placeholders with steps.tmpl. `go generate
// ./conformance` writes it; a test fails when the file and the library
// disagree.
func StepReference() []byte {
	type group struct {
		Name  string
		Steps []StepDefinition
	}
	var groups []*group // in the order of their first step
	byName := map[string]*group{}
	for _, d := range StepDefinitions() {
		if byName[d.Group] == nil {
			byName[d.Group] = &group{Name: d.Group}
			groups = append(groups, byName[d.Group])
		}
		byName[d.Group].Steps = append(byName[d.Group].Steps, d)
	}
	t := template.Must(template.New("steps.tmpl").Funcs(template.FuncMap{
		// GitHub's anchor of a plain heading.
		"anchor": func(heading string) string { return strings.ToLower(strings.ReplaceAll(heading, " ", "-")) },
		// A form lists one or more placeholders: "{id of NAME} {secret of NAME}".
		"codes": func(form string) string {
			return "`" + strings.ReplaceAll(form, "} {", "}` `{") + "`"
		},
		"cell": func(s string) string { return strings.ReplaceAll(s, "|", `\|`) },
	}).Parse(stepsTemplate))
	var b strings.Builder
	if err := t.Execute(&b, map[string]any{"Groups": groups, "Placeholders": Placeholders()}); err != nil {
		panic(err) // the template and its data are the package's own
	}
	return []byte(b.String())
}
