package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/mockserver/admin"
	"github.com/astra-contract/astra-token-kit/mockserver/mocktest"
)

const (
	account      = "5cef50e1-a468-4f74-98a6-832d4fd76096"
	adminUser    = "8f84cf09-8036-51e4-b579-bd30cb07b269"
	memberUser   = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b"
	member2User  = "eebaeb5c-8ae5-4ca9-8fe4-c798ed00af27"
	memberTokens = "/accounts/" + account + "/core/v1/users/" + memberUser + "/tokens"
)

// command runs the command with env as its whole environment.
func command(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runEnv(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	t.Logf("astra-conformance %s → %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out.String(), errOut.String())
	return code, out.String(), errOut.String()
}

// featureDir writes feature files of the test's own into a temporary
// directory, so that these tests do not depend on the features of the
// repository, which grow.
func featureDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const rolesFeature = `Feature: Roles
  @member
  Scenario: The member lists its tokens
    Given I am the member
    When I send GET to "{user tokens of member}?count=true"
    Then the response status is 200
    And the response body matches the schema "token-list.json"

  @admin
  Scenario: The admin creates a token for the member
    Given the admin has created a token named "delegated" for the member
    Then the token "delegated" authenticates
`

const failingFeature = `Feature: Failing
  Scenario: A wrong expectation
    Given I am the member
    When I send GET to "{user tokens of member}"
    Then the response status is 418
`

func TestEmbeddedFeaturesPassAgainstMock(t *testing.T) {
	t.Parallel()
	// The working directory (this package's) has no features/: the
	// embedded copy runs. fixtures/default.json does not exist here either
	// and means the embedded default fixtures.
	code, out, _ := command(t, nil, "-target", mocktest.Start(t).URL, "-fixtures", "fixtures/default.json", "-format", "progress", "-concurrency", "4")
	if code != exitPass {
		t.Fatalf("exit %d, want 0 (a failing feature may be work in progress in features/)", code)
	}
	for _, want := range []string{"built-in features", "Contract coverage", "createUserToken", "deleteGroupUserToken", " 0 failed, 0 skipped"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
}

func TestUnreachableTarget(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, out, errOut := command(t, nil, "-target", "http://"+addr, "-fixtures", "default")
	if code == exitPass {
		t.Fatal("exit 0 against a closed port")
	}
	if !strings.Contains(errOut, "cannot reach target http://"+addr) {
		t.Errorf("stderr lacks the reason")
	}
	if strings.Contains(out, "Scenario") {
		t.Errorf("scenarios ran against an unreachable target")
	}
}

func TestWrongCredentialIsOneClearMessage(t *testing.T) {
	t.Parallel()
	code, _, errOut := command(t, nil, "-target", mocktest.Start(t).URL, "-account", account, "-member-user", memberUser, "-member-token", "wrong")
	if code != exitFail || !strings.Contains(errOut, "refused the member's credential") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestNoScenarioSelected(t *testing.T) {
	t.Parallel()
	code, _, errOut := command(t, nil, "-target", mocktest.Start(t).URL, "-fixtures", "default", "-tags", "@nonexistent")
	if code == exitPass || !strings.Contains(errOut, "no scenario selected") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestJUnitOnStdoutIsXML(t *testing.T) {
	t.Parallel()
	dir := featureDir(t, map[string]string{"roles.feature": rolesFeature})
	code, out, errOut := command(t, nil, "-target", mocktest.Start(t).URL, "-fixtures", "default", "-features", dir, "-format", "junit")
	if code != exitPass {
		t.Fatalf("exit %d", code)
	}
	var suites struct {
		XMLName xml.Name `xml:"testsuites"`
		Tests   int      `xml:"tests,attr"`
	}
	if err := xml.Unmarshal([]byte(out), &suites); err != nil {
		t.Fatalf("stdout is not JUnit XML: %v", err)
	}
	if suites.Tests != 2 {
		t.Errorf("tests=%d, want 2", suites.Tests)
	}
	// The report goes to stderr so that stdout stays XML.
	if !strings.Contains(errOut, "Contract coverage") || strings.Contains(out, "Contract coverage") {
		t.Errorf("the coverage table is not on stderr alone")
	}
}

func TestCucumberToFileIsJSON(t *testing.T) {
	t.Parallel()
	dir := featureDir(t, map[string]string{"roles.feature": rolesFeature})
	file := filepath.Join(t.TempDir(), "report.json")
	code, out, _ := command(t, nil, "-target", mocktest.Start(t).URL, "-fixtures", "default", "-features", dir, "-format", "cucumber", "-out", file)
	if code != exitPass {
		t.Fatalf("exit %d", code)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var report []struct {
		Name     string `json:"name"`
		Elements []struct {
			Name string `json:"name"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("-out is not cucumber JSON: %v\n%s", err, data)
	}
	if len(report) != 1 || len(report[0].Elements) != 2 {
		t.Errorf("report: %+v", report)
	}
	// With -out, the report goes to stdout.
	if !strings.Contains(out, "Contract coverage") {
		t.Errorf("stdout lacks the coverage table")
	}
}

func TestFailingScenarioFailsTheRun(t *testing.T) {
	t.Parallel()
	dir := featureDir(t, map[string]string{"roles.feature": rolesFeature, "failing.feature": failingFeature})
	code, out, _ := command(t, nil, "-target", mocktest.Start(t).URL, "-fixtures", "default", "-features", dir, "-format", "progress")
	if code != exitFail {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(out, "failing.feature: A wrong expectation") || !strings.Contains(out, "2 passed, 1 failed, 0 skipped") {
		t.Errorf("the report does not name the failure")
	}
}

// memberOnly is a configuration from the environment with the member alone.
var memberOnly = map[string]string{
	"ASTRA_ACCOUNT_ID":     account,
	"ASTRA_MEMBER_USER_ID": memberUser,
	"ASTRA_MEMBER_TOKEN":   "mock-snapshot-taker",
}

func TestMissingIdentitySkipsItsScenarios(t *testing.T) {
	t.Parallel()
	dir := featureDir(t, map[string]string{"roles.feature": rolesFeature})
	env := map[string]string{"ASTRA_BASE_URL": mocktest.Start(t).URL}
	for k, v := range memberOnly {
		env[k] = v
	}
	code, out, _ := command(t, env, "-features", dir, "-format", "progress")
	if code != exitPass {
		t.Fatalf("exit %d, want 0: a skip for a missing identity is not a failure", code)
	}
	for _, want := range []string{
		"The admin creates a token for the member: no admin identity is configured",
		"1 passed, 0 failed, 1 skipped",
		"not configured: admin, viewer, second member, foreign admin, group",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}

	// Skipped scenarios never count as passed: a run of nothing but skips
	// fails.
	code, out, _ = command(t, env, "-features", dir, "-format", "progress", "-tags", "@admin")
	if code != exitFail || !strings.Contains(out, "no scenario passed") {
		t.Errorf("all skipped: exit %d, want 1 and a reason", code)
	}
}

// TestSkippedIsSkippedInEveryFormat: with the member alone, the admin's
// scenario is skipped, and every format says so.
func TestSkippedIsSkippedInEveryFormat(t *testing.T) {
	t.Parallel()
	dir := featureDir(t, map[string]string{"roles.feature": rolesFeature})
	env := map[string]string{"ASTRA_BASE_URL": mocktest.Start(t).URL}
	for k, v := range memberOnly {
		env[k] = v
	}
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{"pretty", []string{"2 scenarios (1 passed, 1 skipped)"}},
		{"progress", []string{"2 scenarios (1 passed, 1 skipped)"}},
		{"junit", []string{`<testsuites name="astra-token-api" tests="2" failures="0" errors="0"`, `skipped="1"`, `<skipped message="no admin identity is configured">`}},
		{"cucumber", []string{`"status": "skipped",` + "\n" + `                            "error_message": "no admin identity is configured"`}},
	} {
		code, out, _ := command(t, env, "-features", dir, "-format", tc.format)
		if code != exitPass {
			t.Errorf("-format %s: exit %d", tc.format, code)
		}
		for _, want := range tc.want {
			if !strings.Contains(out, want) {
				t.Errorf("-format %s: stdout lacks %q", tc.format, want)
			}
		}
		if strings.Contains(out, "2 passed") {
			t.Errorf("-format %s: stdout counts the skipped scenario as passed", tc.format)
		}
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	t.Parallel()
	dir := featureDir(t, map[string]string{"roles.feature": rolesFeature})
	env := map[string]string{"ASTRA_BASE_URL": "http://127.0.0.1:1", "ASTRA_MEMBER_TOKEN": "wrong"}
	for k, v := range memberOnly {
		if k != "ASTRA_MEMBER_TOKEN" {
			env[k] = v
		}
	}
	code, out, _ := command(t, env, "-target", mocktest.Start(t).URL, "-member-token", "mock-snapshot-taker",
		"-admin-user", adminUser, "-admin-token", "mock-admin", "-features", dir, "-format", "progress")
	if code != exitPass || !strings.Contains(out, "2 passed, 0 failed, 0 skipped") {
		t.Fatalf("exit %d", code)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	base := []string{"-target", "http://127.0.0.1:1"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-fixtures", "default", "-format", "html"}, "-format"},
		{[]string{"-fixtures", "default", "-tags", "not @policy"}, "-tags"},
		{[]string{"-fixtures", "default", "-tags", "@a && "}, "-tags"},
		{[]string{"-fixtures", "default", "-member-user", memberUser}, "-fixtures gives every identity"},
		{[]string{"-account", account, "-member-user", memberUser}, "-member-token"},
		{[]string{"-account", account, "-member-user", memberUser, "-member-token", "x", "-viewer-token", "y"}, "incomplete identities"},
		{[]string{"-fixtures", "default", "-run-id", "run1"}, "-run-id"},
		{[]string{"-fixtures", "default", "-run-id", "cf-nightly"}, "eight lowercase hex digits"},
		{[]string{"-fixtures", "default", "-dry-run"}, "-dry-run goes with -cleanup"},
		{[]string{"-fixtures", "default", "-concurrency", "0"}, "-concurrency"},
		{[]string{"-fixtures", "default", "-features", "/nonexistent"}, "-features"},
		{[]string{"-fixtures", "default", "-ca-file", "/nonexistent"}, "-ca-file"},
		{[]string{"-fixtures", "default", "-timeout", "5"}, "-timeout"},
		{[]string{"-fixtures", "default", "-timeout", "-1s"}, "-timeout"},
		{[]string{"-fixtures", "default", "-concurrency", "x"}, "-concurrency"},
		{[]string{"-fixtures", "default", "-no-such-flag"}, "-no-such-flag"},
		{[]string{"-fixtures", "default", "run"}, "unexpected arguments"},
		{[]string{"-fixtures", "/nonexistent.json"}, "/nonexistent.json"},
	} {
		code, _, errOut := command(t, nil, append(append([]string(nil), base...), tc.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	code, _, errOut := command(t, nil, "-fixtures", "default")
	if code != exitUsage || !strings.Contains(errOut, "ASTRA_BASE_URL") {
		t.Errorf("no target: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = command(t, nil, "-target", "http://h/accounts/x", "-fixtures", "default")
	if code != exitUsage || !strings.Contains(errOut, "scheme://host[:port]") {
		t.Errorf("target with a path: exit %d, stderr %q", code, errOut)
	}
}

// api sends one request to the mock as credential and decodes the answer.
func api(t *testing.T, method, url, credential, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+credential)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	json.NewDecoder(resp.Body).Decode(&doc)
	return resp.StatusCode, doc
}

func create(t *testing.T, base, user, credential, name string) string {
	t.Helper()
	status, doc := api(t, http.MethodPost, base+"/accounts/"+account+"/core/v1/users/"+user+"/tokens", credential,
		`{"type":"application/astra-token","version":"1.0","name":"`+name+`"}`)
	if status != http.StatusCreated {
		t.Fatalf("creating %q: %d %v", name, status, doc)
	}
	return doc["id"].(string)
}

func names(t *testing.T, base, user, credential string) []string {
	t.Helper()
	status, doc := api(t, http.MethodGet, base+"/accounts/"+account+"/core/v1/users/"+user+"/tokens?include=name&orderBy=name", credential, "")
	if status != http.StatusOK {
		t.Fatalf("list: %d %v", status, doc)
	}
	var out []string
	for _, it := range doc["items"].([]any) {
		out = append(out, it.([]any)[0].(string))
	}
	return out
}

func TestCleanupDeletesWhatTheSuiteMadeOnly(t *testing.T) {
	t.Parallel()
	base := mocktest.Start(t).URL
	mine := create(t, base, memberUser, "mock-snapshot-taker", "cf-1111aaaa leftover")
	theirs := create(t, base, member2User, "mock-admin", "cf-2222bbbb made by the admin")
	other := create(t, base, memberUser, "mock-snapshot-taker", "cf-3333cccc other run")
	// Names a person may give: they start with cf- but are not the suite's.
	for _, name := range []string{"keep cf- in the middle", "cf-prod deploy key", "cf-1111aaaaX", "cf-1111AAAA upper case", "cf-1111aaa short"} {
		create(t, base, memberUser, "mock-snapshot-taker", name)
	}
	kept := "Snapshot Script,Snapshot Taker,Volume Checker,cf-1111AAAA upper case,cf-1111aaa short,cf-1111aaaaX,cf-prod deploy key,keep cf- in the middle"

	// -dry-run lists what would go, and deletes nothing.
	before := strings.Join(names(t, base, memberUser, "mock-snapshot-taker"), ",")
	code, out, _ := command(t, nil, "-target", base, "-fixtures", "default", "-cleanup", "-dry-run")
	if code != exitPass {
		t.Fatalf("cleanup -dry-run: exit %d", code)
	}
	for _, want := range []string{"would delete " + mine, "would delete " + theirs, "would delete " + other, "3 tokens made by the suite (cf-XXXXXXXX …) would be deleted; nothing was deleted"} {
		if !strings.Contains(out, want) {
			t.Errorf("cleanup -dry-run: stdout lacks %q", want)
		}
	}
	if strings.Contains(out, "prod deploy") || strings.Contains(out, "middle") {
		t.Errorf("cleanup -dry-run would delete a token a person named")
	}
	if after := strings.Join(names(t, base, memberUser, "mock-snapshot-taker"), ","); after != before {
		t.Errorf("cleanup -dry-run changed the member's tokens:\n%s\n%s", before, after)
	}

	// One run's tokens only.
	code, out, _ = command(t, nil, "-target", base, "-fixtures", "default", "-cleanup", "-run-id", "cf-1111aaaa")
	if code != exitPass || !strings.Contains(out, mine) || !strings.Contains(out, "1 tokens of run cf-1111aaaa deleted") {
		t.Fatalf("cleanup -run-id: exit %d", code)
	}
	// Every token the suite made, including another user's (found as the
	// admin); none a person named.
	code, out, _ = command(t, nil, "-target", base, "-fixtures", "default", "-cleanup")
	if code != exitPass || !strings.Contains(out, theirs) || !strings.Contains(out, "2 tokens made by the suite (cf-XXXXXXXX …) deleted, 0 failures") {
		t.Fatalf("cleanup: exit %d", code)
	}
	if got := strings.Join(names(t, base, memberUser, "mock-snapshot-taker"), ","); got != kept {
		t.Errorf("the member's tokens after cleanup: %s, want %s", got, kept)
	}
	if got := strings.Join(names(t, base, member2User, "mock-member2"), ","); got != "Second Member" {
		t.Errorf("the second member's tokens after cleanup: %s", got)
	}
}

func TestTLS(t *testing.T) {
	t.Parallel()
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(stack.Handler())
	t.Cleanup(srv.Close)
	dir := featureDir(t, map[string]string{"roles.feature": rolesFeature})
	args := []string{"-target", srv.URL, "-fixtures", "default", "-features", dir, "-format", "progress"}

	code, _, errOut := command(t, nil, args...)
	if code != exitFail || !strings.Contains(errOut, "cannot reach target") || !strings.Contains(errOut, "certificate") {
		t.Errorf("unknown CA: exit %d, want 1 and a certificate error", code)
	}

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, block, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := command(t, nil, append(args, "-ca-file", caFile)...); code != exitPass {
		t.Errorf("-ca-file: exit %d, want 0", code)
	}

	code, _, errOut = command(t, nil, append(args, "-insecure")...)
	if code != exitPass || !strings.Contains(errOut, "WARNING: -insecure") {
		t.Errorf("-insecure: exit %d, want 0 and a warning", code)
	}
}

// withoutAdminAPI starts the Token API of the mock alone, as a real
// deployment serves it: /__admin/health answers 404.
func withoutAdminAPI(t *testing.T) string {
	t.Helper()
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack.API)
	t.Cleanup(srv.Close)
	return srv.URL
}

const mockOnlyFeature = `Feature: Needs the mock
  @mock-only
  Scenario: Tagged for the mock
    Given I am the member
    When I send GET to "{user tokens of member}"
    Then the response status is 200

  Scenario: Asks the admin API
    Given I am the member
    When I send GET to "/__admin/health"
    Then the response status is 200

  Scenario: Reads a token of the fixtures
    Given I am the member
    When I send GET to "{user tokens of member}/{fixture id of Snapshot Script}"
    Then the response status is 200
`

// TestNoAdminAPISkipsWhatNeedsTheMock: against a target without the mock's
// admin API, the scenarios that need it (tagged @mock-only, sending to
// /__admin/, reading the mock's fixtures) are skipped with the reason, in
// every format, and the run passes.
func TestNoAdminAPISkipsWhatNeedsTheMock(t *testing.T) {
	t.Parallel()
	target := withoutAdminAPI(t)
	dir := featureDir(t, map[string]string{"roles.feature": rolesFeature, "mock.feature": mockOnlyFeature})
	const reason = "the target has no admin API (GET /__admin/health answered 404); this scenario needs the mock"
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{"progress", []string{"2 passed, 0 failed, 3 skipped", "mock.feature: Tagged for the mock: " + reason, "mock.feature: Asks the admin API: " + reason, "mock.feature: Reads a token of the fixtures: " + reason}},
		{"junit", []string{`skipped="3"`, `<skipped message="` + reason}},
		{"cucumber", []string{`"error_message": "` + reason}},
	} {
		code, out, errOut := command(t, nil, "-target", target, "-fixtures", "default", "-features", dir, "-format", tc.format)
		if code != exitPass {
			t.Errorf("-format %s: exit %d, want 0", tc.format, code)
		}
		for _, want := range tc.want {
			if !strings.Contains(out+errOut, want) {
				t.Errorf("-format %s: output lacks %q", tc.format, want)
			}
		}
	}
	// Explicit tags select as before.
	code, out, _ := command(t, nil, "-target", target, "-fixtures", "default", "-features", dir, "-format", "progress", "-tags", "~@mock-only")
	if code != exitPass || !strings.Contains(out, "2 passed, 0 failed, 2 skipped") {
		t.Errorf("-tags ~@mock-only: exit %d", code)
	}
}

// TestMemberOnlyRunAgainstADeployment is the first run of a new user: the
// member alone, from the environment, the built-in features and no -tags,
// against a target without the admin API. Nothing fails.
func TestMemberOnlyRunAgainstADeployment(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ASTRA_BASE_URL": withoutAdminAPI(t)}
	for k, v := range memberOnly {
		env[k] = v
	}
	code, out, _ := command(t, env, "-format", "progress", "-concurrency", "4")
	if code != exitPass || !strings.Contains(out, " 0 failed, ") {
		t.Fatalf("exit %d, want 0 and no failure", code)
	}
	if !strings.Contains(out, "admin.feature: The admin API reports its health: the target has no admin API") {
		t.Errorf("stdout lacks the reason the admin scenarios were skipped")
	}
}

// TestTargetErrorsSayWhatToWrite: a target without a scheme is a usage
// error that says what to write and names where the value came from.
func TestTargetErrorsSayWhatToWrite(t *testing.T) {
	t.Parallel()
	for _, target := range []string{"127.0.0.1:18091", "localhost:18091", "mock", "ftp://h", "http://"} {
		code, _, errOut := command(t, nil, "-target", target, "-fixtures", "default")
		if code != exitUsage || !strings.Contains(errOut, `-target "`+target+`": want scheme://host[:port]`) {
			t.Errorf("-target %s: exit %d, stderr %q", target, code, errOut)
		}
		code, _, errOut = command(t, map[string]string{"ASTRA_BASE_URL": target}, "-fixtures", "default")
		if code != exitUsage || !strings.Contains(errOut, `ASTRA_BASE_URL "`+target+`": want scheme://host[:port]`) {
			t.Errorf("ASTRA_BASE_URL=%s: exit %d, stderr %q", target, code, errOut)
		}
	}
	if _, _, errOut := command(t, nil, "-target", "127.0.0.1:18091", "-fixtures", "default"); strings.Contains(errOut, "first path segment") {
		t.Errorf("stderr has Go's parse error: %q", errOut)
	}
}

// TestIdentityErrorsNameWhatWasSet: half an identity names the variable
// or the flag the user set, not both.
func TestIdentityErrorsNameWhatWasSet(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ASTRA_BASE_URL": "http://127.0.0.1:1", "ASTRA_VIEWER_TOKEN": "v"}
	for k, v := range memberOnly {
		env[k] = v
	}
	code, _, errOut := command(t, env)
	if code != exitUsage || !strings.Contains(errOut, "the viewer has ASTRA_VIEWER_TOKEN but not ") {
		t.Errorf("from the environment: exit %d, stderr %q", code, errOut)
	}
	delete(env, "ASTRA_VIEWER_TOKEN")
	code, _, errOut = command(t, env, "-viewer-token", "v")
	if code != exitUsage || !strings.Contains(errOut, "the viewer has -viewer-token but not ") {
		t.Errorf("from a flag: exit %d, stderr %q", code, errOut)
	}
}

// TestHelpTellsTheRules: -h says what the suite runs and what it skips,
// and how it exits.
func TestHelpTellsTheRules(t *testing.T) {
	t.Parallel()
	code, _, errOut := command(t, nil, "-h")
	if code != exitPass {
		t.Errorf("-h: exit %d", code)
	}
	for _, want := range []string{
		"built-in scenarios",
		"a ./features directory is never read unless -features names it",
		"GET /__admin/health",
		"@mock-only",
		"130",
		"143",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("-h lacks %q", want)
		}
	}
	if strings.Contains(errOut, "default ./features") {
		t.Errorf("-h still says ./features is the default")
	}
}
