package conformance_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/astra-contract/astra-token-kit/conformance"
)

// skipsFeature has, for a configuration with the member alone, a scenario
// that passes, one skipped at its first step and one skipped midway, and
// an outline whose two rows share a name (godog's JUnit report numbers
// them #1, #2), the second skipped.
const skipsFeature = `Feature: Honest reports
  Scenario: The member lists its tokens
    Given I am the member
    When I send GET to "{user tokens of member}?count=true"
    Then the response status is 200

  Scenario: The admin lists the member's tokens
    Given I am the admin
    When I send GET to "{user tokens of member}"
    Then the response status is 200

  Scenario: The member, then the viewer
    Given I am the member
    When I send GET to "{user tokens of member}"
    And I am the viewer
    Then the response status is 200

  Scenario Outline: A role lists its own tokens
    Given I am the <role>
    When I send GET to "{user tokens of <role>}"
    Then the response status is 200

    Examples:
      | role          |
      | member        |
      | second member |
`

const (
	noAdmin        = "no admin identity is configured"
	noViewer       = "no viewer identity is configured"
	noSecondMember = "no second member identity is configured"
)

// junitReport is what the tests read of a JUnit report.
type junitReport struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Skipped  int `xml:"skipped,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			Failure *struct {
				Message string `xml:"message,attr"`
			} `xml:"failure"`
			Errors []struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
			} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// cucumberReport is what the tests read of a Cucumber JSON report.
type cucumberReport []struct {
	Name     string `json:"name"`
	Elements []struct {
		Keyword string `json:"keyword"`
		Name    string `json:"name"`
		Line    int    `json:"line"`
		Steps   []struct {
			Keyword string `json:"keyword"`
			Name    string `json:"name"`
			Line    int    `json:"line"`
			Result  struct {
				Status string `json:"status"`
				Error  string `json:"error_message"`
			} `json:"result"`
		} `json:"steps"`
	} `json:"elements"`
}

// validateCucumber validates a report against the canonical Cucumber JSON
// schema, which describes {"implementation", "features": report}.
func validateCucumber(t *testing.T, report string) {
	t.Helper()
	f, err := os.Open("testdata/cucumber-json-canonical.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := jsonschema.NewCompiler()
	if err := c.AddResource("canonical.json", f); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("canonical.json")
	if err != nil {
		t.Fatal(err)
	}
	var features any
	if err := json.Unmarshal([]byte(report), &features); err != nil {
		t.Fatalf("the report is not JSON: %v", err)
	}
	if err := schema.Validate(map[string]any{"implementation": "godog", "features": features}); err != nil {
		t.Errorf("the report does not match the canonical Cucumber JSON schema: %#v", err)
	}
}

// scenarioStatus derives a scenario's status from its steps' as the
// cucumber tools do: the worst one.
func scenarioStatus(statuses []string) string {
	rank := map[string]int{"passed": 0, "skipped": 1, "pending": 2, "undefined": 3, "ambiguous": 4, "failed": 5}
	worst := "passed"
	for _, s := range statuses {
		if rank[s] > rank[worst] {
			worst = s
		}
	}
	return worst
}

// TestEveryFormatReportsSkippedAsSkipped runs a feature with skipped
// scenarios in each of the kit's formats: no output counts them as passed.
func TestEveryFormatReportsSkippedAsSkipped(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"pretty", "progress", "junit", "cucumber"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			suite, status, out := runFeature(t, memberOnly(t), format, skipsFeature)
			if status != 0 {
				t.Fatalf("godog status %d", status)
			}
			if p, f, s := suite.Counts(); p != 2 || f != 0 || s != 3 {
				t.Fatalf("Counts() = %d passed, %d failed, %d skipped; want 2, 0, 3", p, f, s)
			}
			switch format {
			case "pretty", "progress":
				if !strings.Contains(out, "5 scenarios (2 passed, 3 skipped)\n") {
					t.Errorf("no line counts 2 passed and 3 skipped scenarios")
				}
				if regexp.MustCompile(`\d+ scenarios \([^)]*[345] passed`).MatchString(out) {
					t.Errorf("a line counts skipped scenarios as passed")
				}
			case "junit":
				checkJUnit(t, out)
			case "cucumber":
				checkCucumber(t, out)
			}
		})
	}
}

func checkJUnit(t *testing.T, out string) {
	t.Helper()
	if err := loadXSD(t, "testdata/junit-10.xsd").validate([]byte(out)); err != nil {
		t.Errorf("the report breaks junit-10.xsd:\n%v", err)
	}
	var r junitReport
	if err := xml.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Tests != 5 || r.Failures != 0 || r.Errors != 0 || len(r.Suites) != 1 {
		t.Fatalf("testsuites: tests=%d failures=%d errors=%d with %d suites; want 5, 0, 0, 1", r.Tests, r.Failures, r.Errors, len(r.Suites))
	}
	s := r.Suites[0]
	if s.Tests != 5 || s.Skipped != 3 || s.Failures != 0 || s.Errors != 0 {
		t.Errorf("testsuite: tests=%d skipped=%d failures=%d errors=%d; want 5, 3, 0, 0", s.Tests, s.Skipped, s.Failures, s.Errors)
	}
	skipped := map[string]string{}
	for _, c := range s.Cases {
		if len(c.Errors) > 0 || c.Failure != nil {
			t.Errorf("testcase %q has an error or a failure", c.Name)
		}
		if c.Skipped != nil {
			skipped[c.Name] = c.Skipped.Message
		}
	}
	want := map[string]string{
		"The admin lists the member's tokens": noAdmin,
		"The member, then the viewer":         noViewer,
		"A role lists its own tokens #2":      noSecondMember,
	}
	if diff := cmp.Diff(want, skipped); diff != "" {
		t.Errorf("skipped testcases and their messages (-want +got):\n%s", diff)
	}
}

func checkCucumber(t *testing.T, out string) {
	t.Helper()
	validateCucumber(t, out)
	var r cucumberReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	reasons := map[string]string{}
	var lines []string // what the report says of the feature file
	for _, f := range r {
		lines = append(lines, "Feature: "+f.Name)
		for _, e := range f.Elements {
			var statuses []string
			lines = append(lines, fmt.Sprintf("%d %s: %s", e.Line, e.Keyword, e.Name))
			for _, s := range e.Steps {
				lines = append(lines, fmt.Sprintf("%d %s%s", s.Line, s.Keyword, s.Name))
				statuses = append(statuses, s.Result.Status)
				if s.Result.Status == "skipped" && s.Result.Error != "" {
					reasons[e.Name+"/"+s.Name] = s.Result.Error
				}
			}
			got[e.Name+" "+strings.Join(statuses, ",")] = scenarioStatus(statuses)
		}
	}
	want := map[string]string{
		"The member lists its tokens passed,passed,passed":            "passed",
		"The admin lists the member's tokens skipped,skipped,skipped": "skipped",
		"The member, then the viewer passed,passed,skipped,skipped":   "skipped",
		"A role lists its own tokens passed,passed,passed":            "passed",
		"A role lists its own tokens skipped,skipped,skipped":         "skipped",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scenarios, step statuses and derived status (-want +got):\n%s", diff)
	}
	wantReasons := map[string]string{
		"The admin lists the member's tokens/I am the admin": noAdmin,
		"The member, then the viewer/I am the viewer":        noViewer,
		"A role lists its own tokens/I am the second member": noSecondMember,
	}
	if diff := cmp.Diff(wantReasons, reasons); diff != "" {
		t.Errorf("skip reasons (-want +got):\n%s", diff)
	}
	// The rows of an outline are at their line of examples.
	for _, want := range []string{
		"Feature: Honest reports",
		"12 Scenario: The member, then the viewer",
		"15 And I am the viewer",
		"26 Scenario Outline: A role lists its own tokens",
		`20 When I send GET to "{user tokens of second member}"`,
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("the report lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
}

// TestFormatsToFiles runs a feature as -godog.format=progress,junit:FILE,cucumber:FILE
// does: the console output and both reports, each where it belongs.
func TestFormatsToFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	junit, cucumber := filepath.Join(dir, "report.xml"), filepath.Join(dir, "report.json")
	_, status, out := runFeature(t, memberOnly(t), "progress,junit:"+junit+",cucumber:"+cucumber, skipsFeature)
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	if !strings.Contains(out, "5 scenarios (2 passed, 3 skipped)\n") || strings.Contains(out, "<?xml") || strings.Contains(out, `"uri"`) {
		t.Errorf("the console output is not progress alone:\n%s", out)
	}
	report, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	checkJUnit(t, string(report))
	if report, err = os.ReadFile(cucumber); err != nil {
		t.Fatal(err)
	}
	checkCucumber(t, string(report))
}

func TestReportFileThatCannotBeWritten(t *testing.T) {
	t.Parallel()
	_, status, _ := runFeature(t, memberOnly(t), "progress,junit:"+filepath.Join(t.TempDir(), "no", "such", "dir", "report.xml"), skipsFeature)
	if status != 2 {
		t.Errorf("status %d, want 2 (a bad option)", status)
	}
}

// TestScenarioWithoutSteps: godog does not start a scenario without steps
// and fails the run for it (an undefined scenario); the reports say so.
func TestScenarioWithoutSteps(t *testing.T) {
	t.Parallel()
	const feature = `Feature: Unfinished
  Scenario: Not written yet

  Scenario: The member lists its tokens
    Given I am the member
    When I send GET to "{user tokens of member}"
    Then the response status is 200
`
	suite, status, out := runFeature(t, mockConfig(t), "progress,junit", feature)
	if status == 0 {
		t.Error("status 0 for a scenario without steps")
	}
	if p, f, s := suite.Counts(); p != 1 || f != 1 || s != 0 {
		t.Errorf("Counts() = %d passed, %d failed, %d skipped; want 1, 1, 0", p, f, s)
	}
	if !strings.Contains(out, "2 scenarios (1 passed, 1 undefined)\n") {
		t.Errorf("no line counts 1 passed and 1 undefined scenario")
	}
	var r junitReport
	if err := xml.Unmarshal([]byte(out[strings.Index(out, "<?xml"):]), &r); err != nil {
		t.Fatal(err)
	}
	if r.Tests != 2 || r.Errors != 1 || len(r.Suites) != 1 || len(r.Suites[0].Cases) != 2 {
		t.Fatalf("tests=%d errors=%d; want 2, 1", r.Tests, r.Errors)
	}
	if errs := r.Suites[0].Cases[0].Errors; len(errs) != 1 || errs[0].Type != "undefined" || errs[0].Message != "the scenario has no steps" {
		t.Errorf("the scenario without steps: errors %+v", errs)
	}
}

// failuresFeature has, with every identity configured, a scenario that
// fails and one with an undefined step.
const failuresFeature = `Feature: Failures
  Scenario: A wrong expectation
    Given I am the member
    When I send GET to "{user tokens of member}"
    Then the response status is 418
    And the response status is 200

  Scenario: A misspelt step
    Given I am the member
    When I sends GET to "{user tokens of member}"
    Then the response status is 200
`

func TestReportsOfFailuresAndUndefinedSteps(t *testing.T) {
	t.Parallel()
	cucumber := filepath.Join(t.TempDir(), "report.json")
	_, status, out := runFeature(t, mockConfig(t), "junit,cucumber:"+cucumber, failuresFeature)
	if status == 0 {
		t.Fatal("godog status 0 for a failing run")
	}
	if err := loadXSD(t, "testdata/junit-10.xsd").validate([]byte(out)); err != nil {
		t.Errorf("the report breaks junit-10.xsd:\n%v", err)
	}
	var r junitReport
	if err := xml.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Tests != 2 || r.Failures != 1 || r.Errors != 1 || r.Suites[0].Skipped != 0 {
		t.Fatalf("tests=%d failures=%d errors=%d skipped=%d; want 2, 1, 1, 0", r.Tests, r.Failures, r.Errors, r.Suites[0].Skipped)
	}
	for _, c := range r.Suites[0].Cases {
		if c.Skipped != nil {
			t.Errorf("%q: the steps after a failure make it skipped", c.Name)
		}
	}
	undefined := r.Suites[0].Cases[1].Errors
	if len(undefined) != 1 || undefined[0].Type != "undefined" || !strings.Contains(undefined[0].Message, `did you mean:`) ||
		!strings.Contains(undefined[0].Message, `I send GET to "{user tokens of member}?limit=2"`) {
		t.Errorf("the undefined step's error %+v does not name the nearest step", undefined)
	}

	report, err := os.ReadFile(cucumber)
	if err != nil {
		t.Fatal(err)
	}
	validateCucumber(t, string(report))
	var c cucumberReport
	if err := json.Unmarshal(report, &c); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range c[0].Elements {
		for _, s := range e.Steps {
			first, _, _ := strings.Cut(s.Result.Error, "\n")
			got[s.Keyword+s.Name] = strings.TrimSpace(s.Result.Status + " " + first)
		}
	}
	want := map[string]string{
		"Given I am the member":                         "passed",
		`When I send GET to "{user tokens of member}"`:  "passed",
		"Then the response status is 418":               "failed status 200, want 418",
		"And the response status is 200":                "skipped",
		`When I sends GET to "{user tokens of member}"`: `undefined undefined step "I sends GET to \"{user tokens of member}\"" (the steps are listed in conformance/STEPS.md); did you mean:`,
		"Then the response status is 200":               "skipped",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cucumber: steps and results (-want +got):\n%s", diff)
	}
}

func TestUndefinedStepNamesTheNearestSteps(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"pretty", "progress"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			_, _, out := runFeature(t, mockConfig(t), format, failuresFeature)
			for _, want := range []string{
				"2 scenarios (1 failed, 1 undefined)",
				"I sends GET to \"{user tokens of member}\"\n    did you mean:\n      I send GET to \"{user tokens of member}?limit=2\"\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q", want)
				}
			}
			for _, unwanted := range []string{"func ", "godog.ScenarioContext", "snippets"} {
				if strings.Contains(out, unwanted) {
					t.Errorf("output has Go snippets (%q)", unwanted)
				}
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want string // the first suggestion
	}{
		{`I sends GET to "{user tokens of member}"`, `I send GET to "{user tokens of member}?limit=2"`},
		{`the respons status is 404`, `the response status is 201`},
		{`I am a member`, `I am the member`},
		{`the JSON at "items" has 2 item`, `the JSON at "items" has 3 items`},
		{`the response is problem type 4`, `the response is problem 4`},
	} {
		got := conformance.Suggest(tc.text)
		if len(got) == 0 || got[0] != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q first", tc.text, got, tc.want)
		}
	}
}
