package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/astra-contract/astra-token-kit/conformance/internal/placeholder"
	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// StepDefinition documents one step of the library: the pattern godog
// matches, an example as it appears in a feature, and what it does. The
// step reference (STEPS.md) is generated from StepDefinitions.
type StepDefinition struct {
	Group   string
	Pattern string
	Example string
	Doc     string
}

// StepDefinitions returns every step of the library, in reference order.
func StepDefinitions() []StepDefinition { return slices.Clone(stepDefinitions()) }

// stepDefinitions records the library once: its steps are defined on a
// scenario that never runs.
var stepDefinitions = sync.OnceValue(func() []StepDefinition {
	rec := &stepRecorder{}
	(*scenario)(nil).defineSteps(&stepLibrary{on: rec})
	if rec.next != nil {
		panic(fmt.Sprintf("conformance: the step of example %q is documented but not defined", rec.next.Example))
	}
	return rec.defs
})

// stepper is what a step is defined on: godog's *ScenarioContext when a
// scenario runs, a stepRecorder when the library is listed.
type stepper interface {
	Step(expr, stepFunc any)
}

// stepLibrary is where the steps are defined. Each step is documented with
// doc, then bound to its method of the scenario with on.Step, the call
// godog's own examples make. godog records the line that calls Step as the
// step's location, which pretty shows, so each step calls it on a line of
// its own, next to its documentation.
type stepLibrary struct{ on stepper }

// doc documents the step whose on.Step call follows.
func (l *stepLibrary) doc(group, example, doc string) {
	rec, ok := l.on.(*stepRecorder)
	if !ok {
		return
	}
	if rec.next != nil {
		panic(fmt.Sprintf("conformance: the step of example %q is documented but not defined", rec.next.Example))
	}
	rec.next = &StepDefinition{Group: group, Example: example, Doc: doc}
}

// stepRecorder lists the steps defined on it, each with its documentation.
type stepRecorder struct {
	defs []StepDefinition
	next *StepDefinition // documented, not yet defined
}

// Step records the step documented last with its pattern, expr.
func (r *stepRecorder) Step(expr, _ any) {
	if r.next == nil {
		panic(fmt.Sprintf("conformance: step %v has no documentation", expr))
	}
	d := *r.next
	d.Pattern, r.next = expr.(string), nil
	r.defs = append(r.defs, d)
}

// defineSteps defines the whole library on l, bound to st: the generic
// HTTP and JSON steps of this file, then the domain steps of
// steps_domain.go and the explorer's of steps_explore.go.
func (st *scenario) defineSteps(l *stepLibrary) {
	st.coreSteps(l)
	st.domainSteps(l)
	st.exploreSteps(l)
}

const (
	roleRE   = `(admin|member|viewer|second member|foreign admin)`
	methodRE = `(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)`
)

// coreSteps defines on l the generic steps: credentials, requests, the
// token steps, responses and JSON.
func (st *scenario) coreSteps(l *stepLibrary) {
	// Who is asking.
	l.doc("Credentials", `Given I am the member`,
		"Send the role's configured credential as `Authorization: Bearer …` from now on.")
	l.on.Step(`^I am the `+roleRE+`$`, st.actAs)
	l.doc("Credentials", `Given I send no credentials`,
		"Send no Authorization header.")
	l.on.Step(`^I send no credentials$`, st.sendNoCredentials)
	l.doc("Credentials", `Given I send the Authorization header "Basic bWU6cHc="`,
		"Send this exact Authorization header (placeholders expanded).")
	l.on.Step(`^I send the Authorization header "([^"]*)"$`, st.sendAuthorization)
	l.doc("Credentials", `Given I use the credential of token "ci"`,
		"Authenticate with the secret returned when the scenario created token \"ci\".")
	l.on.Step(`^I use the credential of token "([^"]*)"$`, st.useTokenCredential)

	// Requests.
	l.doc("Requests", `Given I set the header "Accept" to "application/astra-token+json"`,
		"Send this header with every following request of the scenario.")
	l.on.Step(`^I set the header "([^"]*)" to "([^"]*)"$`, st.setHeader)
	l.doc("Requests", `When I send GET to "{user tokens of member}?limit=2"`,
		"Send a request without a body. The path is expanded (see Placeholders) and appended to the target's base URL.")
	l.on.Step(`^I send `+methodRE+` to "([^"]*)"$`, st.sendWithoutBody)
	l.doc("Requests", "When I send POST to \"{user tokens of member}\" with body:\n  \"\"\"\n  {\"type\": \"application/astra-token\", \"version\": \"1.0\", \"name\": \"{run} ci\"}\n  \"\"\"",
		"Send the doc string as the body, placeholders expanded.")
	l.on.Step(`^I send `+methodRE+` to "([^"]*)" with body:$`, st.sendWithBody)
	l.doc("Requests", `When I send POST to "{user tokens of member}" with a body of 70000 bytes`,
		"Send a JSON body (a long name) of exactly this size.")
	l.on.Step(`^I send `+methodRE+` to "([^"]*)" with a body of (\d+) bytes$`, st.sendBodyOfSize)

	l.doc("Requests", "When I list \"{user tokens of member}\" with:\n  | filter  | name in '{run} lab-'               |\n  | filter  | metadata.labels[*].name eq 'team' |\n  | orderBy | name desc                         |",
		"GET a list with the query parameters of the table, one per row: the parameter, then its value as the API's documentation writes it (no header row). The suite expands the placeholders and URL-encodes names and values (a space as %20), so nothing is encoded by hand. A parameter may be repeated (filter); a row whose value is empty is left out, so that a scenario outline can omit a parameter.")
	l.on.Step(`^I list "([^"]*)" with:$`, st.list)
	l.doc("Requests", "When I list the member's tokens with:\n  | filter | name eq '{name of ci}' |",
		"As `I list \"…\" with:`, on the role's own collection, in user scope unless `through the group scope` follows (the configured group).")
	l.on.Step(`^I list the `+roleRE+`'s tokens(?: through the (user|group) scope)? with:$`, st.listRoleTokens)

	// Tokens, in the API's own words.
	l.doc("Tokens", `Given the member has a token named "ci"`,
		"The role creates a token for itself (through user scope), named with the run id; the scenario then knows it as \"ci\" ({id of ci}, {secret of ci}, {name of ci}). It is deleted after the scenario.")
	l.on.Step(`^the `+roleRE+` has a token named "([^"]*)"$`, st.hasToken)
	l.doc("Tokens", "Given the member has a token named \"ci\" with labels:\n  | name | value |\n  | team | qa    |",
		"As above, with metadata labels from the table.")
	l.on.Step(`^the `+roleRE+` has a token named "([^"]*)" with labels:$`, st.hasTokenWithLabels)
	l.doc("Tokens", `Given the admin has created a token named "delegated" for the member`,
		"The first role creates a token owned by the second (user scope).")
	l.on.Step(`^the `+roleRE+` has created a token named "([^"]*)" for the `+roleRE+`$`, st.hasCreatedTokenFor)
	l.doc("Tokens", `Given the member has 9 tokens named "page"`,
		"The role creates that many tokens, known as \"page1\" … \"page9\".")
	l.on.Step(`^the `+roleRE+` has (\d+) tokens named "([^"]*)"$`, st.hasTokens)
	l.doc("Tokens", `Then the token "ci" authenticates`,
		"The token's secret, sent as a bearer credential, is accepted (its owner's list answers 200).")
	l.on.Step(`^the token "([^"]*)" authenticates$`, st.tokenAuthenticates)
	l.doc("Tokens", `Then the token "ci" no longer authenticates`,
		"The token's secret is refused with 401, problem type 4.")
	l.on.Step(`^the token "([^"]*)" no longer authenticates$`, st.tokenNoLongerAuthenticates)
	l.doc("Tokens", `Then paging through "{user tokens of member}?orderBy=name" with limit 2 lists every token exactly once`,
		"Follow metadata.continue from the first page to the last; the items must be those of one unpaged list, in the same order, none twice.")
	l.on.Step(`^paging through "([^"]*)" with limit (\d+) lists every token exactly once$`, st.pageThrough)

	l.doc("Tokens", "Then paging through \"{user tokens of member}\" with limit 2 and these parameters lists every token exactly once:\n  | filter  | name in '{run} page' |\n  | orderBy | name desc            |",
		"As the step above, with the query parameters of the table (as in `I list \"…\" with:`).")
	l.on.Step(`^paging through "([^"]*)" with limit (\d+) and these parameters lists every token exactly once:$`, st.pageThroughWith)

	// Responses.
	l.doc("Responses", `Then the response status is 201`,
		"The HTTP status.")
	l.on.Step(`^the response status is (\d+)$`, st.statusIs)
	l.doc("Responses", `Then the response is problem 4`,
		"A problem of that documented type: its status, application/problem+json, the exact type, title and detail of the problem catalogue (schemas/CONTRACT.md §6, from schemas/problem.json), status as a string, and a correlationID equal to the X-Request-ID header when both are present.")
	l.on.Step(`^the response is problem (\d+)$`, st.problemIs)
	l.doc("Responses", `Then the problem names the parameter "limit"`,
		"invalidParams (or invalidFields) has an entry with this name.")
	l.on.Step(`^the problem names the (parameter|field) "([^"]*)"$`, st.problemNames)
	l.doc("Responses", `Then the problem has a schema validation failure`,
		"schemaValidationFailure is a non-empty string.")
	l.on.Step(`^the problem has a schema validation failure$`, st.problemHasSchemaFailure)
	l.doc("Responses", `Then the response header "Content-Type" is "application/json"`,
		"A header's exact value (placeholders expanded; media type parameters ignored for Content-Type).")
	l.on.Step(`^the response header "([^"]*)" is "([^"]*)"$`, st.headerIs)
	l.doc("Responses", `Then the response header "ETag" is present`,
		"The header is sent (with a non-empty value).")
	l.on.Step(`^the response header "([^"]*)" is present$`, st.headerIsPresent)
	l.doc("Responses", `Then the response header "Location" matches "/tokens/{id of ci}$"`,
		"The header matches a regular expression (placeholders expanded first).")
	l.on.Step(`^the response header "([^"]*)" matches "([^"]*)"$`, st.headerMatches)
	l.doc("Responses", `Then the response body is empty`,
		"No body at all (204 answers).")
	l.on.Step(`^the response body is empty$`, st.bodyIsEmpty)
	l.doc("Responses", `Then the response body matches the schema "token.json"`,
		"The body validates against a schema of schemas/ (jsonschema/v5); a failure shows the validator's detailed error.")
	l.on.Step(`^the response body matches the schema "([^"]*)"$`, st.bodyMatchesSchema)

	// JSON.
	l.doc("JSON", `Then the JSON at "name" is "{name of ci}"`,
		"A string value at a path (keys and [n] indexes: items[0].name), placeholders expanded.")
	l.on.Step(`^the JSON at "([^"]*)" is "([^"]*)"$`, st.jsonIsString)
	l.doc("JSON", `Then the JSON at "metadata.count" is 4`,
		"A number, boolean or null at a path.")
	l.on.Step(`^the JSON at "([^"]*)" is (true|false|null|-?[0-9]+(?:\.[0-9]+)?)$`, st.jsonIsLiteral)
	l.doc("JSON", "Then the JSON at \"items\" equals:\n  \"\"\"\n  [[\"{id of ci}\", \"{name of ci}\"]]\n  \"\"\"",
		"The value at a path equals the doc string's JSON (placeholders expanded); a mismatch prints a go-cmp diff.")
	l.on.Step(`^the JSON at "([^"]*)" equals:$`, st.jsonEquals)
	l.doc("JSON", `Then the JSON at "items" has 3 items`,
		"An array of that length.")
	l.on.Step(`^the JSON at "([^"]*)" has (\d+) items?$`, st.jsonLength)
	l.doc("JSON", `Then the JSON at "metadata.continue" is present`,
		"The path exists.")
	l.on.Step(`^the JSON at "([^"]*)" is present$`, st.jsonIsPresent)
	l.doc("JSON", `Then the JSON at "token" is absent`,
		"The path does not exist.")
	l.on.Step(`^the JSON at "([^"]*)" is absent$`, st.jsonIsAbsent)
	l.doc("JSON", `Then the JSON at "metadata" has exactly the keys "count"`,
		"An object whose keys are exactly this comma-separated list (empty string: no keys).")
	l.on.Step(`^the JSON at "([^"]*)" has exactly the keys "([^"]*)"$`, st.jsonKeys)
	l.doc("JSON", `Then the items are ordered by "name" descending`,
		"Each item's field (an object key, or a 0-based index for projected arrays) is in byte order.")
	l.on.Step(`^the items are ordered by "([^"]*)"( descending)?$`, st.itemsOrdered)
	l.doc("JSON", `Then the items include the token "ci"`,
		"Some item is the token (an object with its id, or an array containing its id).")
	l.on.Step(`^the items include the token "([^"]*)"$`, st.itemsIncludeToken)
	l.doc("JSON", `Then the items do not include the token "ci"`,
		"No item is the token.")
	l.on.Step(`^the items do not include the token "([^"]*)"$`, st.itemsExcludeToken)
	l.doc("JSON", `When I save the JSON at "metadata.continue" as "next"`,
		"Keep a string value for later steps as {$next}.")
	l.on.Step(`^I save the JSON at "([^"]*)" as "([^"]*)"$`, st.save)
	l.doc("JSON", `When I save the response header "ETag" as "etag"`,
		"Keep a header value for later steps as {$etag}.")
	l.on.Step(`^I save the response header "([^"]*)" as "([^"]*)"$`, st.saveHeader)
}

// sendNoCredentials sends no Authorization header from now on.
func (st *scenario) sendNoCredentials() error {
	st.auth = nil
	return nil
}

// sendAuthorization sends v, expanded, as the Authorization header from
// now on.
func (st *scenario) sendAuthorization(v string) error {
	v, err := st.expand(v)
	st.auth = &v
	return err
}

// useTokenCredential authenticates with the secret of the token the
// scenario made as short.
func (st *scenario) useTokenCredential(short string) error {
	t, ok := st.tokens[short]
	if !ok || t.Secret == "" {
		return fmt.Errorf("the scenario has no secret for a token called %q", short)
	}
	h := "Bearer " + t.Secret
	st.auth = &h
	return nil
}

// setHeader sends the header k: v, expanded, with every following request.
func (st *scenario) setHeader(k, v string) error {
	v, err := st.expand(v)
	st.headers.Set(k, v)
	return err
}

// sendWithoutBody sends a request without a body.
func (st *scenario) sendWithoutBody(ctx context.Context, method, path string) error {
	return st.send(ctx, method, path, nil)
}

// sendWithBody sends the doc string, expanded, as the body.
func (st *scenario) sendWithBody(ctx context.Context, method, path string, body *godog.DocString) error {
	b, err := st.expand(body.Content)
	if err != nil {
		return err
	}
	return st.send(ctx, method, path, []byte(b))
}

// sendBodyOfSize sends a token body of exactly n bytes (a long name).
func (st *scenario) sendBodyOfSize(ctx context.Context, method, path string, n int) error {
	body, err := st.suite.paddedBody(n)
	if err != nil {
		return err
	}
	return st.send(ctx, method, path, body)
}

// listRoleTokens lists the role's own collection in scope (user scope if
// none) with the query of table.
func (st *scenario) listRoleTokens(ctx context.Context, role, scope string, table *godog.Table) error {
	if scope == "" {
		scope = "user"
	}
	path, err := st.tokensOf(scope, role)
	if err != nil {
		return err
	}
	return st.list(ctx, path, table)
}

// hasToken has role create a token for itself, known as short.
func (st *scenario) hasToken(ctx context.Context, role, short string) error {
	return st.createToken(ctx, role, role, short, "user", nil)
}

// hasTokenWithLabels is hasToken with the metadata labels of table, rows
// of name and value under a header.
func (st *scenario) hasTokenWithLabels(ctx context.Context, role, short string, table *godog.Table) error {
	var labels []map[string]string
	for _, row := range table.Rows[1:] {
		if len(row.Cells) != 2 {
			return fmt.Errorf("labels table: want two columns (name, value)")
		}
		labels = append(labels, map[string]string{"name": row.Cells[0].Value, "value": row.Cells[1].Value})
	}
	return st.createToken(ctx, role, role, short, "user", map[string]any{"labels": labels})
}

// hasCreatedTokenFor has creator create a token for owner, known as short.
func (st *scenario) hasCreatedTokenFor(ctx context.Context, creator, short, owner string) error {
	return st.createToken(ctx, creator, owner, short, "user", nil)
}

// hasTokens has role create n tokens for itself, known as short1 … shortN.
func (st *scenario) hasTokens(ctx context.Context, role string, n int, short string) error {
	for i := 1; i <= n; i++ {
		if err := st.createToken(ctx, role, role, fmt.Sprintf("%s%d", short, i), "user", nil); err != nil {
			return err
		}
	}
	return nil
}

// tokenAuthenticates checks that the secret of the token short is accepted.
func (st *scenario) tokenAuthenticates(ctx context.Context, short string) error {
	return st.credentialWorks(ctx, short, true)
}

// tokenNoLongerAuthenticates checks that the secret of the token short is
// refused.
func (st *scenario) tokenNoLongerAuthenticates(ctx context.Context, short string) error {
	return st.credentialWorks(ctx, short, false)
}

// pageThroughWith is pageThrough on path with the query of table.
func (st *scenario) pageThroughWith(ctx context.Context, path string, limit int, table *godog.Table) error {
	query, err := st.queryFrom(table)
	if err != nil {
		return err
	}
	return st.pageThrough(ctx, withQuery(path, query), limit)
}

// problemHasSchemaFailure checks that the problem's schemaValidationFailure
// is a non-empty string.
func (st *scenario) problemHasSchemaFailure() error {
	v, _, _ := wire.Lookup(st.doc, "schemaValidationFailure")
	if s, ok := v.(string); !ok || s == "" {
		return st.failf("schemaValidationFailure is missing or empty")
	}
	return nil
}

// headerIsPresent checks that the response has the header k, not empty.
func (st *scenario) headerIsPresent(k string) error {
	if st.resp == nil || st.resp.Header.Get(k) == "" {
		return st.failf("header %s is missing", k)
	}
	return nil
}

// bodyIsEmpty checks that the response has no body.
func (st *scenario) bodyIsEmpty() error {
	if len(st.body) != 0 {
		return st.failf("the body is not empty")
	}
	return nil
}

// bodyMatchesSchema validates the body against the schema file name.
func (st *scenario) bodyMatchesSchema(name string) error {
	err := schemas.ValidateJSON(name, st.body)
	var detailed *jsonschema.ValidationError
	switch {
	case errors.As(err, &detailed):
		return st.failf("the body does not match %s:\n%#v", name, detailed) // %#v: the validator's whole tree
	case err != nil:
		return st.failf("the body does not match %s: %v", name, err)
	}
	return nil
}

// jsonIsPresent checks that something is at path.
func (st *scenario) jsonIsPresent(path string) error { return st.jsonPresence(path, true) }

// jsonIsAbsent checks that nothing is at path.
func (st *scenario) jsonIsAbsent(path string) error { return st.jsonPresence(path, false) }

// itemsIncludeToken checks that an item is the token short.
func (st *scenario) itemsIncludeToken(short string) error { return st.itemsInclude(short, true) }

// itemsExcludeToken checks that no item is the token short.
func (st *scenario) itemsExcludeToken(short string) error { return st.itemsInclude(short, false) }

// saveHeader keeps the response header k as {$key}.
func (st *scenario) saveHeader(k, key string) error {
	if err := st.headerIsPresent(k); err != nil {
		return err
	}
	st.saved[key] = st.resp.Header.Get(k)
	return nil
}

// queryFrom builds a query string from a table of parameters, one per
// row: name and value, the value expanded; both URL-encoded. A row whose
// value is empty is left out.
func (st *scenario) queryFrom(table *godog.Table) (string, error) {
	var parts []string
	for i, row := range table.Rows {
		if len(row.Cells) != 2 {
			return "", fmt.Errorf("query table, row %d: want two cells, the parameter and its value, not %d", i+1, len(row.Cells))
		}
		name, value := strings.TrimSpace(row.Cells[0].Value), row.Cells[1].Value
		if name == "" {
			return "", fmt.Errorf("query table, row %d: no parameter name", i+1)
		}
		if value == "" {
			continue
		}
		value, err := st.expand(value)
		if err != nil {
			return "", err
		}
		parts = append(parts, placeholder.QueryEscape(name)+"="+placeholder.QueryEscape(value))
	}
	return strings.Join(parts, "&"), nil
}

// withQuery appends an encoded query to a target that may have one.
func withQuery(target, query string) string {
	switch {
	case query == "":
		return target
	case strings.Contains(target, "?"):
		return target + "&" + query
	}
	return target + "?" + query
}

// list GETs path with the query of table.
func (st *scenario) list(ctx context.Context, path string, table *godog.Table) error {
	query, err := st.queryFrom(table)
	if err != nil {
		return err
	}
	return st.send(ctx, http.MethodGet, withQuery(path, query), nil)
}

// createToken has creator POST a token named with the run id, with
// metadata (nil: none), to owner's collection in scope ("user" or
// "group"), and remembers it as short. The scenario's own credential and
// headers are left as they were.
func (st *scenario) createToken(ctx context.Context, creator, owner, short, scope string, metadata any) error {
	path, err := st.tokensOf(scope, owner)
	if err != nil {
		return err
	}
	c, err := st.identity(creator)
	if err != nil {
		return err
	}
	data, err := st.suite.tokenBody(st.cfg().RunID+" "+short, metadata)
	if err != nil {
		return err
	}
	saved, savedHeaders := st.auth, st.headers
	h := "Bearer " + c.Credential
	st.auth, st.headers = &h, http.Header{}
	err = st.send(ctx, http.MethodPost, path, data)
	st.auth, st.headers = saved, savedHeaders
	if err != nil {
		return err
	}
	if st.resp.StatusCode != http.StatusCreated {
		return st.failf("creating token %q for the %s at %s: want 201", short, owner, path)
	}
	t := st.created[len(st.created)-1] // the 201 just received
	t.Owner = owner
	st.tokens[short] = t
	return nil
}

func (st *scenario) credentialWorks(ctx context.Context, short string, want bool) error {
	t, ok := st.tokens[short]
	if !ok {
		return fmt.Errorf("the scenario has made no token called %q", short)
	}
	path, err := st.tokensOf("user", t.Owner)
	if err != nil {
		return err
	}
	saved := st.auth
	h := "Bearer " + t.Secret
	st.auth = &h
	err = st.send(ctx, http.MethodGet, path+"?limit=1", nil)
	st.auth = saved
	if err != nil {
		return err
	}
	if want && st.resp.StatusCode != http.StatusOK {
		return st.failf("the secret of token %q does not authenticate", short)
	}
	if !want {
		return st.problemIs(4)
	}
	return nil
}

func (st *scenario) statusIs(want int) error {
	if st.resp == nil {
		return st.failf("no response yet")
	}
	if st.resp.StatusCode != want {
		return st.failf("status %d, want %d", st.resp.StatusCode, want)
	}
	return nil
}

func (st *scenario) problemIs(n int) error {
	want, ok := schemas.LookupProblemType(n)
	if !ok {
		return fmt.Errorf("problem type %d is not documented (schemas/problem.json)", n)
	}
	if st.resp == nil {
		return st.failf("no response yet")
	}
	if status := want.StatusCode(); st.resp.StatusCode != status {
		return st.failf("status %d, want %d (problem %d)", st.resp.StatusCode, status, n)
	}
	if ct := wire.MediaType(st.resp.Header.Get("Content-Type")); ct != schemas.ProblemMediaType {
		return st.failf("Content-Type %q, want %s", ct, schemas.ProblemMediaType)
	}
	if st.docErr != nil {
		return st.failf("the problem body is not JSON: %v", st.docErr)
	}
	got := map[string]any{}
	obj, _ := st.doc.(map[string]any)
	for _, k := range []string{"type", "title", "detail", "status"} {
		got[k] = obj[k]
	}
	wantObj := map[string]any{"type": want.URI(), "title": want.Title, "detail": want.Detail, "status": want.Status}
	if diff := cmp.Diff(wantObj, got); diff != "" {
		return st.failf("not problem %d (-want +got):\n%s", n, diff)
	}
	if id, ok := obj["correlationID"].(string); ok {
		if h := st.resp.Header.Get("X-Request-ID"); h != "" && h != id {
			return st.failf("correlationID %q differs from the X-Request-ID header %q", id, h)
		}
	}
	return nil
}

func (st *scenario) problemNames(kind, name string) error {
	key := "invalidParams"
	if kind == "field" {
		key = "invalidFields"
	}
	v, _, _ := wire.Lookup(st.doc, key)
	items, _ := v.([]any)
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && m["name"] == name {
			if r, _ := m["reason"].(string); r == "" {
				return st.failf("%s entry %q has no reason", key, name)
			}
			return nil
		}
	}
	return st.failf("%s does not name %q", key, name)
}

func (st *scenario) headerIs(k, want string) error {
	want, err := st.expand(want)
	if err != nil {
		return err
	}
	if st.resp == nil {
		return st.failf("no response yet")
	}
	got := st.resp.Header.Get(k)
	if strings.EqualFold(k, "Content-Type") {
		got = wire.MediaType(got)
	}
	if got != want {
		return st.failf("header %s is %q, want %q", k, got, want)
	}
	return nil
}

func (st *scenario) headerMatches(k, pattern string) error {
	pattern, err := st.expand(pattern)
	if err != nil {
		return err
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return err
	}
	if st.resp == nil || !re.MatchString(st.resp.Header.Get(k)) {
		return st.failf("header %s does not match %q", k, pattern)
	}
	return nil
}

func (st *scenario) at(path string) (any, error) {
	if st.docErr != nil || st.doc == nil {
		return nil, st.failf("the body is not JSON")
	}
	v, ok, err := wire.Lookup(st.doc, path)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, st.failf("nothing at %q", path)
	}
	return v, nil
}

func (st *scenario) jsonIsString(path, want string) error {
	want, err := st.expand(want)
	if err != nil {
		return err
	}
	v, err := st.at(path)
	if err != nil {
		return err
	}
	if s, ok := v.(string); !ok || s != want {
		return st.failf("%s is %#v, want %q", path, v, want)
	}
	return nil
}

func (st *scenario) jsonIsLiteral(path, literal string) error {
	var want any
	if err := json.Unmarshal([]byte(literal), &want); err != nil {
		return err
	}
	return st.jsonIs(path, want)
}

func (st *scenario) jsonEquals(path string, doc *godog.DocString) error {
	text, err := st.expand(doc.Content)
	if err != nil {
		return err
	}
	var want any
	if err := json.Unmarshal([]byte(text), &want); err != nil {
		return fmt.Errorf("the expected JSON does not parse: %w", err)
	}
	return st.jsonIs(path, want)
}

// jsonIs compares the value at path with want, decoded JSON.
func (st *scenario) jsonIs(path string, want any) error {
	v, err := st.at(path)
	if err != nil {
		return err
	}
	if diff := cmp.Diff(want, v); diff != "" {
		return st.failf("%s (-want +got):\n%s", path, diff)
	}
	return nil
}

func (st *scenario) jsonLength(path string, n int) error {
	v, err := st.at(path)
	if err != nil {
		return err
	}
	arr, ok := v.([]any)
	if !ok {
		return st.failf("%s is not an array", path)
	}
	if len(arr) != n {
		return st.failf("%s has %d items, want %d", path, len(arr), n)
	}
	return nil
}

func (st *scenario) jsonPresence(path string, want bool) error {
	if st.docErr != nil || st.doc == nil {
		return st.failf("the body is not JSON")
	}
	_, ok, err := wire.Lookup(st.doc, path)
	if err != nil {
		return err
	}
	if ok != want {
		if want {
			return st.failf("%s is absent", path)
		}
		return st.failf("%s is present", path)
	}
	return nil
}

func (st *scenario) jsonKeys(path, list string) error {
	v, err := st.at(path)
	if err != nil {
		return err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return st.failf("%s is not an object", path)
	}
	want := map[string]bool{}
	for _, k := range strings.Split(list, ",") {
		if k = strings.TrimSpace(k); k != "" {
			want[k] = true
		}
	}
	got := map[string]bool{}
	for k := range obj {
		got[k] = true
	}
	if diff := cmp.Diff(want, got); diff != "" {
		return st.failf("keys of %s (-want +got):\n%s", path, diff)
	}
	return nil
}

func (st *scenario) items() ([]any, error) {
	v, err := st.at("items")
	if err != nil {
		return nil, err
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, st.failf("items is not an array")
	}
	return arr, nil
}

// itemIDs returns what may be the id of a list item: an object's id, or
// every element of a projected array.
func itemIDs(item any) []any {
	switch v := item.(type) {
	case map[string]any:
		return []any{v["id"]}
	case []any:
		return v
	}
	return nil
}

func (st *scenario) itemsOrdered(f, desc string) error {
	items, err := st.items()
	if err != nil {
		return err
	}
	var prev string
	for i, it := range items {
		v, ok := wire.Field(it, f)
		if !ok {
			return st.failf("item %d has no string %q", i, f)
		}
		if i > 0 && (desc == "" && v < prev || desc != "" && v > prev) {
			return st.failf("item %d (%q) is out of order after %q", i, v, prev)
		}
		prev = v
	}
	return nil
}

func (st *scenario) itemsInclude(short string, want bool) error {
	t, ok := st.tokens[short]
	if !ok {
		return fmt.Errorf("the scenario has made no token called %q", short)
	}
	items, err := st.items()
	if err != nil {
		return err
	}
	found := slices.ContainsFunc(items, func(it any) bool { return slices.Contains(itemIDs(it), any(t.ID)) })
	if found != want {
		if want {
			return st.failf("the items do not include token %q (%s)", short, t.ID)
		}
		return st.failf("the items include token %q (%s)", short, t.ID)
	}
	return nil
}

func (st *scenario) save(path, key string) error {
	v, err := st.at(path)
	if err != nil {
		return err
	}
	s, ok := v.(string)
	if !ok {
		b, _ := json.Marshal(v)
		s = string(b)
	}
	st.saved[key] = s
	return nil
}

// listItems GETs a list and returns its items; anything but a 200 fails.
func (st *scenario) listItems(ctx context.Context, target string) ([]any, error) {
	if err := st.send(ctx, http.MethodGet, target, nil); err != nil {
		return nil, err
	}
	if err := st.statusIs(http.StatusOK); err != nil {
		return nil, err
	}
	return st.items()
}

// pageThrough lists target once unpaged, then page by page with limit,
// following metadata.continue; both walks must give the same items.
func (st *scenario) pageThrough(ctx context.Context, target string, limit int) error {
	whole, err := st.listItems(ctx, target)
	if err != nil {
		return err
	}
	var paged []any
	next := ""
	for pages := 0; ; pages++ {
		if pages > len(whole)+2 {
			return st.failf("paging does not end after %d pages", pages)
		}
		pageURL := withQuery(target, fmt.Sprintf("limit=%d", limit))
		if next != "" {
			pageURL += "&continue=" + url.QueryEscape(next)
		}
		page, err := st.listItems(ctx, pageURL)
		if err != nil {
			return err
		}
		if len(page) > limit {
			return st.failf("a page has %d items, more than limit %d", len(page), limit)
		}
		paged = append(paged, page...)
		c, ok, _ := wire.Lookup(st.doc, "metadata.continue")
		if !ok {
			break
		}
		if next, ok = c.(string); !ok || next == "" {
			return st.failf("metadata.continue is not a non-empty string")
		}
	}
	if diff := cmp.Diff(whole, paged); diff != "" {
		return st.failf("paging with limit %d differs from the whole list (-whole +paged):\n%s", limit, diff)
	}
	return nil
}
