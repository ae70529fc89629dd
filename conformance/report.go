package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/colors"
)

// The kit's formats are godog's pretty, progress, junit and cucumber with
// what godog v0.15 reports wrongly put right:
//
//   - pretty and progress count a scenario whose steps were skipped as
//     skipped, not passed ("3 scenarios (1 passed, 2 skipped)"), and name the
//     nearest defined steps for an undefined one instead of Go snippets;
//   - junit writes a skipped scenario as <testcase><skipped message="reason"/>
//     and counts it in the suite's skipped attribute, where godog writes it
//     as passed with an <error type="skipped"> per step and skipped="0"; and
//     it writes only what the Jenkins JUnit schema (xunit-plugin's
//     junit-10.xsd) allows: no status attribute on a testcase, times with at
//     most three decimals, no skipped attribute on <testsuites>;
//   - cucumber gives a skipped step the reason as its result's
//     error_message (godog has none), instead of an embedding.
//
// Everything else is godog's own output: the formatters wrap godog's and
// rewrite only the parts named above.
var kitFormats = []struct {
	godog, kit, description string
	new                     godog.FormatterFunc
}{
	{"pretty", "astra-pretty", "godog's pretty, counting skipped scenarios as skipped", newPretty},
	{"progress", "astra-progress", "godog's progress, counting skipped scenarios as skipped", newProgress},
	{"junit", "astra-junit", "JUnit XML (Jenkins schema) with <skipped> for skipped scenarios", newJUnit},
	{"cucumber", "astra-cucumber", "Cucumber JSON with skip reasons", newCucumber},
}

// registerFormats adds the kit's formatters to godog's registry, which is
// the only way godog finds a formatter (by the name in Options.Format); it
// is global, so they are added once per process.
var registerFormats = sync.OnceFunc(func() {
	for _, f := range kitFormats {
		godog.Format(f.kit, f.description, f.new)
	}
})

// Format returns a godog format option (Options.Format: "pretty",
// "junit:report.xml", "progress,cucumber:report.json") with each of pretty,
// progress, junit and cucumber replaced by the kit's version, which reports
// a skipped scenario as skipped (see kitFormats); it registers them with
// godog on first use. Other formats are left as they are; "" means pretty.
func Format(option string) string {
	registerFormats()
	if option == "" {
		option = "pretty"
	}
	parts := strings.Split(option, ",")
	for i, p := range parts {
		name, file, hasFile := strings.Cut(p, ":")
		for _, f := range kitFormats {
			if name == f.godog {
				name = f.kit
			}
		}
		if hasFile {
			name += ":" + file
		}
		parts[i] = name
	}
	return strings.Join(parts, ",")
}

// summaryWriter passes a formatter's output through, except while its
// summary is being rewritten.
type summaryWriter struct {
	out  io.Writer
	held *bytes.Buffer
}

func (w *summaryWriter) Write(p []byte) (int, error) {
	if w.held != nil {
		return w.held.Write(p)
	}
	return w.out.Write(p)
}

// rewrite runs summary with its output held, and writes it rewritten by
// honestSummary.
func (w *summaryWriter) rewrite(base *godog.BaseFmt, summary func()) {
	w.held = &bytes.Buffer{}
	summary()
	text := w.held.String()
	w.held = nil
	if _, err := io.WriteString(w.out, honestSummary(text, base)); err != nil {
		fmt.Fprintln(os.Stderr, "conformance: writing the summary:", err)
	}
}

// godogFormatter is one of godog's formatters: a Formatter that godog
// hands its storage of the run with SetStorage, whose argument is a type of
// godog's internals (S).
type godogFormatter[S any] interface {
	godog.Formatter
	SetStorage(S)
}

// kitFormatter is a godog formatter with its summary replaced; everything
// else, SetStorage included, is godog's.
type kitFormatter[S any] struct {
	godogFormatter[S]
	summary func()
}

// Summary writes the kit's summary.
func (f *kitFormatter[S]) Summary() { f.summary() }

// withSummary returns f with its Summary replaced by summary.
func withSummary[S any](f godogFormatter[S], summary func()) godog.Formatter {
	return &kitFormatter[S]{godogFormatter: f, summary: summary}
}

// newPretty is godog's pretty with honest scenario counts in its summary.
func newPretty(suite string, out io.Writer) godog.Formatter {
	w := &summaryWriter{out: out}
	f := godog.NewPrettyFmt(suite, w)
	return withSummary(f, func() { w.rewrite(f.Base, f.Summary) })
}

// newProgress is godog's progress with honest scenario counts in its
// summary.
func newProgress(suite string, out io.Writer) godog.Formatter {
	w := &summaryWriter{out: out}
	f := godog.NewProgressFmt(suite, w)
	return withSummary(f, func() { w.rewrite(f.Base, f.Summary) })
}

var (
	scenarioCountLine = regexp.MustCompile(`(?m)^\d+ scenarios \(.*\)$`)
	snippetsIntro     = "You can implement step definitions for undefined steps with these snippets:"
)

// honestSummary replaces, in godog's summary text, the line counting
// scenarios (which counts a scenario of skipped steps as passed) with one
// counted from the step results, and the Go snippets for undefined steps
// with the nearest defined steps.
func honestSummary(text string, base *godog.BaseFmt) string {
	counts := map[string]int{}
	for _, pr := range base.Storage.MustGetPickleResults() {
		counts[scenarioStatus(base, pr.PickleID)]++
	}
	var parts []string
	for _, c := range []struct {
		status string
		color  colors.ColorFunc
	}{
		{"passed", colors.Green}, {"failed", colors.Red}, {"ambiguous", colors.Yellow},
		{"undefined", colors.Yellow}, {"pending", colors.Yellow}, {"skipped", colors.Cyan},
	} {
		if n := counts[c.status]; n > 0 {
			parts = append(parts, c.color(fmt.Sprintf("%d %s", n, c.status)))
		}
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	text = scenarioCountLine.ReplaceAllLiteralString(text, fmt.Sprintf("%d scenarios (%s)", total, strings.Join(parts, ", ")))
	if i := strings.Index(text, snippetsIntro); i >= 0 {
		// Back to the start of the (colored) line that holds the intro.
		if nl := strings.LastIndex(text[:i], "\n"); nl >= 0 {
			text = text[:nl+1]
		} else {
			text = ""
		}
		text += undefinedSteps(base)
	}
	return text
}

// scenarioStatus is the status of one scenario: the worst of its steps'.
func scenarioStatus(base *godog.BaseFmt, pickleID string) string {
	results := base.Storage.MustGetPickleStepResultsByPickleID(pickleID)
	if len(results) == 0 {
		return "undefined"
	}
	rank := map[godog.StepResultStatus]int{
		godog.StepPassed: 0, godog.StepSkipped: 1, godog.StepPending: 2,
		godog.StepUndefined: 3, godog.StepAmbiguous: 4, godog.StepFailed: 5,
	}
	worst := godog.StepPassed
	for _, r := range results {
		if rank[r.Status] > rank[worst] {
			worst = r.Status
		}
	}
	return worst.String()
}

// undefinedSteps lists the undefined steps of the run, each with the
// nearest defined steps.
func undefinedSteps(base *godog.BaseFmt) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, r := range base.Storage.MustGetPickleStepResultsByStatus(godog.StepUndefined) {
		text := base.Storage.MustGetPickleStep(r.PickleStepID).Text
		if seen[text] {
			continue
		}
		seen[text] = true
		if b.Len() == 0 {
			b.WriteString(colors.Yellow("Undefined steps (every step is listed in conformance/STEPS.md):") + "\n")
		}
		fmt.Fprintf(&b, "  %s\n    did you mean:\n", colors.Yellow(text))
		for _, s := range Suggest(text) {
			fmt.Fprintf(&b, "      %s\n", s)
		}
	}
	return b.String()
}

// skipReasons returns, by pickle id, the reason attached to the step that
// skipped a scenario.
func skipReasons(base *godog.BaseFmt) map[string]string {
	out := map[string]string{}
	for _, r := range base.Storage.MustGetPickleStepResultsByStatus(godog.StepSkipped) {
		for _, a := range r.Attachments {
			if a.Name == SkipReasonName && out[r.PickleID] == "" {
				out[r.PickleID] = string(a.Data)
			}
		}
	}
	return out
}

// newJUnit is godog's JUnit report, rewritten by honestJUnit.
func newJUnit(suite string, out io.Writer) godog.Formatter {
	buf := &bytes.Buffer{}
	f := godog.NewJUnitFmt(suite, buf)
	return withSummary(f, func() {
		f.Summary()
		reasons := junitSkipReasons(f.Base)
		writeRewritten(out, "junit", buf.Bytes(), func(b []byte) ([]byte, error) { return honestJUnit(b, reasons) })
	})
}

// writeRewritten writes the report a godog formatter wrote, rewritten; if
// the rewrite fails, godog's own, with the reason on stderr (a formatter
// has no error to return).
func writeRewritten(out io.Writer, format string, report []byte, rewrite func([]byte) ([]byte, error)) {
	rewritten, err := rewrite(report)
	if err != nil {
		fmt.Fprintf(os.Stderr, "conformance: %s report: %v\n", format, err)
		rewritten = report
	}
	if _, err := out.Write(rewritten); err != nil {
		fmt.Fprintf(os.Stderr, "conformance: writing the %s report: %v\n", format, err)
	}
}

// junitSkipReasons returns the skip reasons by testsuite (feature) name and
// testcase name, the testcases named as godog's JUnit formatter names them:
// a scenario name that occurs more than once in a feature gets " #1", " #2"…
// in pickle order.
func junitSkipReasons(base *godog.BaseFmt) map[[2]string]string {
	reasons := skipReasons(base)
	out := map[[2]string]string{}
	for _, feature := range base.Storage.MustGetFeatures() {
		pickles := base.Storage.MustGetPickles(feature.Uri)
		sort.SliceStable(pickles, func(i, j int) bool {
			a, _ := strconv.Atoi(pickles[i].Id)
			b, _ := strconv.Atoi(pickles[j].Id)
			return a < b
		})
		occurrences := map[string]int{}
		for _, p := range pickles {
			occurrences[p.Name]++
		}
		number := map[string]int{}
		for _, p := range pickles {
			name := p.Name
			if occurrences[name] > 1 {
				number[name]++
				name += fmt.Sprintf(" #%d", number[name])
			}
			if r, ok := reasons[p.Id]; ok {
				out[[2]string{feature.Feature.Name, name}] = r
			}
		}
	}
	return out
}

// godogJUnit is the shape of godog's JUnit report.
type godogJUnit struct {
	Name   string `xml:"name,attr"`
	Time   string `xml:"time,attr"`
	Suites []struct {
		Name  string `xml:"name,attr"`
		Time  string `xml:"time,attr"`
		Cases []struct {
			Name    string `xml:"name,attr"`
			Status  string `xml:"status,attr"`
			Time    string `xml:"time,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
			} `xml:"failure"`
			Errors []struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
			} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// The report the kit writes: what the Jenkins JUnit schema allows.
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
		Name    string         `xml:"name,attr"`
		Time    string         `xml:"time,attr"`
		Skipped *junitMessage  `xml:"skipped"`
		Failure *junitMessage  `xml:"failure"`
		Errors  []junitMessage `xml:"error"`
	}
	junitMessage struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
	}
)

// honestJUnit rewrites godog's JUnit report: a testcase is failed (a
// failure), in error (undefined, pending, ambiguous steps: errors), skipped
// (steps skipped, none failed: <skipped message="reason"/>) or passed, and
// every level counts them. The steps skipped after a failure are not
// reported (godog writes an <error type="skipped"> for each).
func honestJUnit(report []byte, reasons map[[2]string]string) ([]byte, error) {
	var in godogJUnit
	if err := xml.Unmarshal(report, &in); err != nil {
		return nil, fmt.Errorf("reading godog's report: %w", err)
	}
	out := junitSuites{Name: in.Name, Time: seconds(in.Time)}
	for _, s := range in.Suites {
		suite := junitSuite{Name: s.Name, Time: seconds(s.Time)}
		for _, c := range s.Cases {
			tc := junitCase{Name: c.Name, Time: seconds(c.Time)}
			skipped := c.Status == "skipped" // never started (stop on failure)
			for _, e := range c.Errors {
				switch e.Type {
				case "skipped":
					skipped = true
				case "undefined":
					tc.Errors = append(tc.Errors, junitMessage{Message: undefinedMessage(strings.TrimPrefix(e.Message, "Step ")), Type: e.Type})
				default:
					tc.Errors = append(tc.Errors, junitMessage{Message: e.Message, Type: e.Type})
				}
			}
			switch {
			case c.Failure != nil:
				tc.Failure = &junitMessage{Message: c.Failure.Message, Type: c.Failure.Type}
				suite.Failures++
			case len(tc.Errors) > 0:
				suite.Errors++
			case skipped:
				reason, ok := reasons[[2]string{s.Name, c.Name}]
				if !ok {
					reason = "skipped"
				}
				tc.Skipped = &junitMessage{Message: reason}
				suite.Skipped++
			}
			suite.Tests++
			suite.Cases = append(suite.Cases, tc)
		}
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Errors += suite.Errors
		out.Suites = append(out.Suites, suite)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// seconds writes a duration in seconds as the Jenkins schema wants it: at
// most three decimals.
func seconds(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "0.000"
	}
	return strconv.FormatFloat(f, 'f', 3, 64)
}

// newCucumber is godog's Cucumber JSON report, rewritten by
// honestCucumber.
func newCucumber(suite string, out io.Writer) godog.Formatter {
	buf := &bytes.Buffer{}
	f := godog.NewCukeFmt(suite, buf)
	return withSummary(f, func() {
		f.Summary()
		writeRewritten(out, "cucumber", buf.Bytes(), honestCucumber)
	})
}

// The shape of godog's Cucumber JSON, field for field, so that a rewrite
// keeps godog's order and omissions.
type (
	cukeFeature struct {
		URI         string        `json:"uri"`
		ID          string        `json:"id"`
		Keyword     string        `json:"keyword"`
		Name        string        `json:"name"`
		Description string        `json:"description"`
		Line        int           `json:"line"`
		Comments    []cukeComment `json:"comments,omitempty"`
		Tags        []cukeTag     `json:"tags,omitempty"`
		Elements    []cukeElement `json:"elements,omitempty"`
	}
	cukeComment struct {
		Value string `json:"value"`
		Line  int    `json:"line"`
	}
	cukeTag struct {
		Name string `json:"name"`
		Line int    `json:"line"`
	}
	cukeElement struct {
		ID          string     `json:"id"`
		Keyword     string     `json:"keyword"`
		Name        string     `json:"name"`
		Description string     `json:"description"`
		Line        int        `json:"line"`
		Type        string     `json:"type"`
		Tags        []cukeTag  `json:"tags,omitempty"`
		Steps       []cukeStep `json:"steps,omitempty"`
	}
	cukeStep struct {
		Keyword   string `json:"keyword"`
		Name      string `json:"name"`
		Line      int    `json:"line"`
		Docstring *struct {
			Value       string `json:"value"`
			ContentType string `json:"content_type"`
			Line        int    `json:"line"`
		} `json:"doc_string,omitempty"`
		Match struct {
			Location string `json:"location"`
		} `json:"match"`
		Result struct {
			Status   string `json:"status"`
			Error    string `json:"error_message,omitempty"`
			Duration *int64 `json:"duration,omitempty"`
		} `json:"result"`
		DataTable []struct {
			Cells []string `json:"cells"`
		} `json:"rows,omitempty"`
		Embeddings []cukeEmbedding `json:"embeddings,omitempty"`
	}
	cukeEmbedding struct {
		Name     string `json:"name"`
		MimeType string `json:"mime_type"`
		Data     string `json:"data"`
	}
)

// honestCucumber moves the reason a step was skipped from godog's
// embedding (the attachment SkipReasonName) to the step result's
// error_message, where the cucumber tools show why a step did not pass.
func honestCucumber(report []byte) ([]byte, error) {
	var features []cukeFeature
	if err := json.Unmarshal(report, &features); err != nil {
		return nil, fmt.Errorf("reading godog's report: %w", err)
	}
	for fi := range features {
		for ei := range features[fi].Elements {
			steps := features[fi].Elements[ei].Steps
			for si := range steps {
				step := &steps[si]
				var kept []cukeEmbedding
				for _, e := range step.Embeddings {
					if e.Name != SkipReasonName {
						kept = append(kept, e)
						continue
					}
					data, err := base64.StdEncoding.DecodeString(e.Data)
					if err != nil {
						return nil, fmt.Errorf("the skip reason of step %q: %w", step.Name, err)
					}
					if step.Result.Error == "" {
						step.Result.Error = string(data)
					}
				}
				step.Embeddings = kept
			}
		}
	}
	out, err := json.MarshalIndent(features, "", "    ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
