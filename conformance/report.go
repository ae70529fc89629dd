package conformance

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"
	"time"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/colors"
)

// suiteName names a run in godog's output and in the JUnit report.
const suiteName = "astra-token-api"

// Run runs the scenarios opts selects against the suite's target with
// godog, and returns godog's exit status: 0 when no scenario failed, 1 when
// one did, 2 for bad options.
//
// opts.Format is a comma list of formats, each written to opts.Output (nil:
// stdout) or, as "junit:FILE", to a file; "" means pretty:
//
//   - pretty and progress are godog's, as the scenarios run, then a summary
//     from Results, which counts a scenario skipped for want of an identity
//     as skipped (godog v0.15 counts it as passed) and names the nearest
//     defined steps for an undefined one;
//   - junit is a JUnit XML report (the Jenkins schema): a skipped scenario is
//     a <skipped message="reason"/> testcase, counted in its testsuite's
//     skipped attribute;
//   - cucumber is a Cucumber JSON report: the reason a scenario was skipped
//     is its step's error_message.
//
// Reports are written from Results when the run ends. Other formats are
// godog's own.
func (s *Suite) Run(opts godog.Options) int {
	return s.run(opts, nil)
}

// output is one format of a format option and the file it goes to ("":
// Options.Output).
type output struct{ format, file string }

// run is Run with each scenario a subtest of obs (nil: none).
func (s *Suite) run(opts godog.Options, obs *subtests) int {
	registerConsole()
	out := opts.Output
	if out == nil {
		out = os.Stdout
	}
	if opts.Format == "" {
		opts.Format = "pretty"
	}
	var godogFormats []string
	var summaries, reports []output
	for _, entry := range strings.Split(opts.Format, ",") {
		name, file, _ := strings.Cut(entry, ":")
		switch name {
		case "pretty", "progress":
			summaries = append(summaries, output{name, file})
			godogFormats = append(godogFormats, "astra-"+entry)
		case "junit", "cucumber":
			reports = append(reports, output{name, file})
		default:
			godogFormats = append(godogFormats, entry)
		}
	}
	if len(godogFormats) == 0 { // reports only: godog has nothing to show
		godogFormats, opts.Output = []string{"astra-progress"}, io.Discard
	}
	opts.Format = strings.Join(godogFormats, ",")
	// The report files are created first, as godog creates its own: a
	// path that cannot be written is a bad option, not a lost run.
	for _, o := range reports {
		if o.file == "" {
			continue
		}
		f, err := os.Create(o.file)
		if err == nil {
			err = f.Close()
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "conformance: the %s report: %v\n", o.format, err)
			return 2
		}
	}

	scenarios := s.index(opts)
	s.mu.Lock()
	first := len(s.results)
	s.mu.Unlock()
	start := time.Now()
	status := godog.TestSuite{
		Name:                suiteName,
		ScenarioInitializer: func(sc *godog.ScenarioContext) { s.initialize(sc, obs) },
		Options:             &opts,
	}.Run()
	elapsed := time.Since(start)
	if status == 2 { // a bad option: godog said which, and ran nothing
		return status
	}
	s.addNotStarted(scenarios, first)
	s.mu.Lock()
	results := copyResults(s.results[first:])
	s.mu.Unlock()

	// The summaries end godog's output, then come the reports.
	var errs []error
	for _, o := range append(summaries, reports...) {
		errs = append(errs, writeTo(out, o.file, func(w io.Writer) error {
			switch o.format {
			case "junit":
				return writeJUnit(w, results)
			case "cucumber":
				return writeCucumber(w, results)
			}
			return writeSummary(w, results, elapsed, !opts.NoColors)
		}))
	}
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(os.Stderr, "conformance: writing the reports:", err)
		status = max(status, 1)
	}
	return status
}

// writeTo calls write with out, or with file (which godog, or run for a
// report, has created) opened for appending.
func writeTo(out io.Writer, file string, write func(io.Writer) error) error {
	if file == "" {
		return write(out)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	return errors.Join(write(f), f.Close())
}

// registerConsole adds godog's pretty and progress without their summary
// to godog's registry of formatters, where godog finds a formatter by name;
// the registry is global, so once per process.
var registerConsole = sync.OnceFunc(func() {
	godog.Format("astra-pretty", "godog's pretty without its summary", func(suite string, out io.Writer) godog.Formatter {
		return quietPretty{godog.NewPrettyFmt(suite, out)}
	})
	godog.Format("astra-progress", "godog's progress without its summary", func(suite string, out io.Writer) godog.Formatter {
		return quietProgress{godog.NewProgressFmt(suite, out), out}
	})
})

// quietPretty is godog's pretty formatter without its summary, which counts
// a scenario of skipped steps as passed; Run writes one from Results.
type quietPretty struct{ *godog.PrettyFmt }

// Summary writes nothing.
func (quietPretty) Summary() {}

// quietProgress is godog's progress formatter without its summary, which
// counts a scenario of skipped steps as passed; Run writes one from
// Results.
type quietProgress struct {
	*godog.ProgressFmt
	out io.Writer
}

// Summary ends the last row of step characters with the number of steps
// and a blank line, as godog's does.
func (f quietProgress) Summary() {
	if n, row := *f.Steps, f.StepsPerRow; n%row != 0 {
		pad := 0
		if n > row {
			pad = row - n%row
		}
		fmt.Fprintf(f.out, "%s %d\n", strings.Repeat(" ", pad), n)
	}
	fmt.Fprintln(f.out)
}

// index reads the feature files opts selects, as godog reads them for the
// run, so that the results can name the features and give keywords and
// lines, which godog's hooks do not; it returns the scenarios.
func (s *Suite) index(opts godog.Options) []*godog.Scenario {
	var scenarios []*godog.Scenario
	read := func(o godog.Options) {
		features, err := godog.TestSuite{Options: &o}.RetrieveFeatures()
		if err != nil {
			return // godog reports it when it runs
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, f := range features {
			s.features[f.Uri] = indexFeature(f.GherkinDocument)
			scenarios = append(scenarios, f.Pickles...)
		}
	}
	if len(opts.FeatureContents) > 0 {
		// godog parses them apart from Paths, in order: as files of their
		// own file system, they get the same ids.
		o := opts
		fsys := fstest.MapFS{}
		o.FS, o.Paths = fsys, nil
		for _, f := range opts.FeatureContents {
			if fsys[f.Name] == nil {
				fsys[f.Name] = &fstest.MapFile{Data: f.Contents}
			}
			o.Paths = append(o.Paths, f.Name)
		}
		read(o)
	}
	if len(opts.Paths) > 0 || len(opts.FeatureContents) == 0 {
		read(opts)
	}
	return scenarios
}

// addNotStarted adds the results of the scenarios godog did not start:
// those without steps, which godog counts as undefined, and with
// StopOnFailure those after a failure. first is where the run's results
// begin.
func (s *Suite) addNotStarted(scenarios []*godog.Scenario, first int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	started := map[[2]string]bool{}
	for _, r := range s.results[first:] {
		started[[2]string{r.Feature.URI, strconv.Itoa(r.order)}] = true
	}
	for _, p := range scenarios {
		if started[[2]string{p.Uri, p.Id}] {
			continue
		}
		r := s.features[p.Uri].result(p)
		r.Outcome, r.Reason = Skipped, "not run: the run stopped at the first failure"
		if len(p.Steps) == 0 {
			r.Outcome, r.Reason = Undefined, "the scenario has no steps"
		}
		s.results = append(s.results, r)
	}
}

// writeSummary writes what godog's pretty and progress end with, from the
// results: the failed steps, the scenarios and steps counted by outcome,
// the time the run took, and the undefined steps with the nearest defined
// ones.
func writeSummary(w io.Writer, results []ScenarioResult, elapsed time.Duration, color bool) error {
	paint := func(c colors.ColorFunc, s string) string {
		if color {
			return c(s)
		}
		return s
	}
	type count struct {
		n     int
		label string
		color colors.ColorFunc
	}
	// tally says "5 scenarios (2 passed, 3 skipped)", or "No scenarios".
	tally := func(noun string, counts ...count) string {
		total, parts := 0, []string{}
		for _, c := range counts {
			if c.n > 0 {
				total += c.n
				parts = append(parts, paint(c.color, fmt.Sprintf("%d %s", c.n, c.label)))
			}
		}
		if total == 0 {
			return "No " + noun
		}
		return fmt.Sprintf("%d %s (%s)", total, noun, strings.Join(parts, ", "))
	}
	var b strings.Builder
	scenarios := map[Outcome]int{}
	steps := map[godog.StepResultStatus]int{}
	var failed, undefined []string
	seen := map[string]bool{}
	for _, r := range results {
		scenarios[r.Outcome]++
		for _, st := range r.Steps {
			steps[st.Status]++
			switch {
			case st.Status == godog.StepFailed:
				failed = append(failed,
					"  "+paint(colors.Red, r.Keyword+": "+r.Name)+paint(colors.Black, fmt.Sprintf(" # %s:%d", r.Feature.URI, r.Line)),
					"    "+paint(colors.Red, strings.TrimSpace(st.Keyword)+" "+st.Text)+paint(colors.Black, fmt.Sprintf(" # %s:%d", r.Feature.URI, st.Line)),
					"      "+paint(colors.Red, "Error: ")+paint(colors.Bold(colors.Red), st.Error), "")
			case st.Status == godog.StepUndefined && !seen[st.Text]:
				seen[st.Text] = true
				undefined = append(undefined, st.Text)
			}
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(&b, "\n--- %s\n\n%s\n", paint(colors.Red, "Failed steps:"), strings.Join(failed, "\n"))
	}
	fmt.Fprintf(&b, "\n%s\n%s\n%v\n",
		tally("scenarios", count{scenarios[Passed], "passed", colors.Green}, count{scenarios[Failed], "failed", colors.Red},
			count{scenarios[Undefined], "undefined", colors.Yellow}, count{scenarios[Pending], "pending", colors.Yellow},
			count{scenarios[Skipped], "skipped", colors.Cyan}),
		tally("steps", count{steps[godog.StepPassed], "passed", colors.Green}, count{steps[godog.StepFailed], "failed", colors.Red},
			count{steps[godog.StepPending], "pending", colors.Yellow}, count{steps[godog.StepAmbiguous], "ambiguous", colors.Yellow},
			count{steps[godog.StepUndefined], "undefined", colors.Yellow}, count{steps[godog.StepSkipped], "skipped", colors.Cyan}),
		elapsed)
	if len(undefined) > 0 {
		fmt.Fprintf(&b, "\n%s\n", paint(colors.Yellow, "Undefined steps (every step is listed in conformance/STEPS.md):"))
		for _, text := range undefined {
			fmt.Fprintf(&b, "  %s\n    did you mean:\n", paint(colors.Yellow, text))
			for _, s := range Suggest(text) {
				fmt.Fprintf(&b, "      %s\n", s)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// byFeature splits results, sorted as Results sorts them, by feature file.
func byFeature(results []ScenarioResult) [][]ScenarioResult {
	var out [][]ScenarioResult
	for i, r := range results {
		if i == 0 || r.Feature.URI != results[i-1].Feature.URI {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], r)
	}
	return out
}

// caseNames returns the names of a feature's scenarios as godog's reports
// give them: a name that occurs more than once (the rows of an outline)
// gets " #1", " #2"… in the order written.
func caseNames(feature []ScenarioResult) []string {
	count := map[string]int{}
	for _, r := range feature {
		count[r.Name]++
	}
	number := map[string]int{}
	names := make([]string, len(feature))
	for i, r := range feature {
		names[i] = r.Name
		if count[r.Name] > 1 {
			number[r.Name]++
			names[i] += fmt.Sprintf(" #%d", number[r.Name])
		}
	}
	return names
}

// featureName is the name of a feature, or its file when it is not known.
func featureName(f Feature) string {
	if f.Name == "" {
		return f.URI
	}
	return f.Name
}

// span is the time from the first start to the last finish of results.
func span(results []ScenarioResult) time.Duration {
	var from, to time.Time
	for _, r := range results {
		if r.Started.IsZero() {
			continue
		}
		if from.IsZero() || r.Started.Before(from) {
			from = r.Started
		}
		if r.Finished.After(to) {
			to = r.Finished
		}
	}
	return max(to.Sub(from), 0)
}

// The JUnit report: what the Jenkins JUnit schema (xunit-plugin's
// junit-10.xsd) allows.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name    string        `xml:"name,attr"`
		Time    string        `xml:"time,attr"`
		Skipped *junitMessage `xml:"skipped"`
		Failure *junitMessage `xml:"failure"`
		Error   *junitMessage `xml:"error"`
	}
	junitMessage struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
	}
)

// writeJUnit writes results as a JUnit report: a testsuite per feature, a
// testcase per scenario, which failed (<failure>), is in error (a pending
// or undefined step: <error>), was skipped (<skipped>) or passed.
func writeJUnit(w io.Writer, results []ScenarioResult) error {
	out := junitSuites{Name: suiteName, Time: seconds(span(results))}
	for _, feature := range byFeature(results) {
		suite := junitSuite{Name: featureName(feature[0].Feature), Time: seconds(span(feature))}
		for i, name := range caseNames(feature) {
			r := feature[i]
			tc := junitCase{Name: name, Time: seconds(span([]ScenarioResult{r}))}
			switch r.Outcome {
			case Skipped:
				tc.Skipped = &junitMessage{Message: r.Reason}
				suite.Skipped++
			case Pending, Undefined:
				tc.Error = &junitMessage{Message: r.Reason, Type: r.Outcome.String()}
				suite.Errors++
			case Failed:
				tc.Failure = &junitMessage{Message: r.Reason}
				suite.Failures++
			}
			suite.Tests++
			suite.Cases = append(suite.Cases, tc)
		}
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Errors += suite.Errors
		out.Suites = append(out.Suites, suite)
	}
	b, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s%s\n", xml.Header, b)
	return err
}

// seconds writes a duration in seconds as the Jenkins schema wants it: at
// most three decimals.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

// The Cucumber JSON report: what the canonical schema of
// cucumber/cucumber-json-schema describes.
type (
	cukeFeature struct {
		URI      string        `json:"uri"`
		ID       string        `json:"id"`
		Keyword  string        `json:"keyword"`
		Name     string        `json:"name"`
		Line     int           `json:"line"`
		Elements []cukeElement `json:"elements"`
	}
	cukeElement struct {
		ID          string     `json:"id"`
		Keyword     string     `json:"keyword"`
		Name        string     `json:"name"`
		Description string     `json:"description"`
		Line        int        `json:"line"`
		Type        string     `json:"type"`
		Tags        []cukeTag  `json:"tags,omitempty"`
		Steps       []cukeStep `json:"steps"`
	}
	cukeTag struct {
		Name string `json:"name"`
	}
	cukeStep struct {
		Keyword   string         `json:"keyword"`
		Name      string         `json:"name"`
		Line      int            `json:"line"`
		DocString *cukeDocString `json:"doc_string,omitempty"`
		Rows      []cukeRow      `json:"rows,omitempty"`
		Result    cukeResult     `json:"result"`
	}
	cukeDocString struct {
		Value       string `json:"value"`
		ContentType string `json:"content_type,omitempty"`
		Line        int    `json:"line"`
	}
	cukeRow struct {
		Cells []string `json:"cells"`
	}
	cukeResult struct {
		Status   string `json:"status"`
		Error    string `json:"error_message,omitempty"`
		Duration *int64 `json:"duration,omitempty"` // nanoseconds
	}
)

// writeCucumber writes results as a Cucumber JSON report: a feature per
// file, an element per scenario, the steps with their results; a step's
// error_message says how it failed or why it skipped the scenario.
func writeCucumber(w io.Writer, results []ScenarioResult) error {
	features := []cukeFeature{}
	for _, feature := range byFeature(results) {
		f := feature[0].Feature
		cf := cukeFeature{URI: f.URI, ID: cukeID(featureName(f)), Keyword: f.Keyword, Name: f.Name, Line: f.Line, Elements: []cukeElement{}}
		for i, name := range caseNames(feature) {
			r := feature[i]
			e := cukeElement{ID: cf.ID + ";" + cukeID(name), Keyword: r.Keyword, Name: r.Name, Line: r.Line, Type: "scenario", Steps: []cukeStep{}}
			for _, t := range r.Tags {
				e.Tags = append(e.Tags, cukeTag{t})
			}
			for _, st := range r.Steps {
				cs := cukeStep{Keyword: st.Keyword, Name: st.Text, Line: st.Line, Result: cukeResult{Status: st.Status.String(), Error: st.Error}}
				if st.Status == godog.StepPassed || st.Status == godog.StepFailed {
					d := st.Duration.Nanoseconds()
					cs.Result.Duration = &d
				}
				if st.DocString != nil {
					cs.DocString = &cukeDocString{Value: st.DocString.Content, ContentType: st.DocString.MediaType, Line: st.DocString.Line}
				}
				for _, row := range st.Rows {
					cs.Rows = append(cs.Rows, cukeRow{row})
				}
				e.Steps = append(e.Steps, cs)
			}
			cf.Elements = append(cf.Elements, e)
		}
		features = append(features, cf)
	}
	out, err := json.MarshalIndent(features, "", "    ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}

// cukeID is the id Cucumber JSON gives a name: lower case, dashes for
// spaces.
func cukeID(name string) string {
	return strings.ReplaceAll(strings.ToLower(name), " ", "-")
}
