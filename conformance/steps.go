package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v5"

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
	// bind registers the step's handler for st with c.Step(p, handler),
	// p being Pattern. godog records the line that calls c.Step as the
	// step's location (pretty output, cucumber JSON match.location): the
	// call is written in each definition, so that line is the definition's.
	bind func(c *godog.ScenarioContext, p string, st *scenario)
}

func (d StepDefinition) register(sc *godog.ScenarioContext, st *scenario) {
	d.bind(sc, d.Pattern, st)
}

// StepDefinitions returns every step of the library, in reference order.
func StepDefinitions() []StepDefinition { return append([]StepDefinition(nil), stepDefinitions...) }

// stepDefinitions is the whole library: the generic HTTP and JSON steps of
// this file, then the domain steps of steps_domain.go.
var stepDefinitions = append(append([]StepDefinition(nil), coreSteps...), domainSteps...)

const (
	roleRE   = `(admin|member|viewer|second member|foreign admin)`
	methodRE = `(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)`
)

var coreSteps = []StepDefinition{
	// Who is asking.
	{"Credentials", `^I am the ` + roleRE + `$`, `Given I am the member`,
		"Send the role's configured credential as `Authorization: Bearer …` from now on.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.actAs) }},
	{"Credentials", `^I send no credentials$`, `Given I send no credentials`,
		"Send no Authorization header.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func() error { st.auth = nil; return nil })
		}},
	{"Credentials", `^I send the Authorization header "([^"]*)"$`, `Given I send the Authorization header "Basic bWU6cHc="`,
		"Send this exact Authorization header (placeholders expanded).",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(v string) error {
				v, err := st.expand(v)
				st.auth = &v
				return err
			})
		}},
	{"Credentials", `^I use the credential of token "([^"]*)"$`, `Given I use the credential of token "ci"`,
		"Authenticate with the secret returned when the scenario created token \"ci\".",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(short string) error {
				t, ok := st.tokens[short]
				if !ok || t.Secret == "" {
					return fmt.Errorf("the scenario has no secret for a token called %q", short)
				}
				h := "Bearer " + t.Secret
				st.auth = &h
				return nil
			})
		}},

	// Requests.
	{"Requests", `^I set the header "([^"]*)" to "([^"]*)"$`, `Given I set the header "Accept" to "application/astra-token+json"`,
		"Send this header with every following request of the scenario.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(k, v string) error {
				v, err := st.expand(v)
				st.headers.Set(k, v)
				return err
			})
		}},
	{"Requests", `^I send ` + methodRE + ` to "([^"]*)"$`, `When I send GET to "{user tokens of member}?limit=2"`,
		"Send a request without a body. The path is expanded (see Placeholders) and appended to the target's base URL.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, method, path string) error { return st.send(ctx, method, path, nil) })
		}},
	{"Requests", `^I send ` + methodRE + ` to "([^"]*)" with body:$`, "When I send POST to \"{user tokens of member}\" with body:\n  \"\"\"\n  {\"type\": \"application/astra-token\", \"version\": \"1.0\", \"name\": \"{run} ci\"}\n  \"\"\"",
		"Send the doc string as the body, placeholders expanded.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, method, path string, body *godog.DocString) error {
				b, err := st.expand(body.Content)
				if err != nil {
					return err
				}
				return st.send(ctx, method, path, []byte(b))
			})
		}},
	{"Requests", `^I send ` + methodRE + ` to "([^"]*)" with a body of (\d+) bytes$`, `When I send POST to "{user tokens of member}" with a body of 70000 bytes`,
		"Send a JSON body (a long name) of exactly this size.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, method, path string, n int) error {
				return st.send(ctx, method, path, paddedBody(n))
			})
		}},

	{"Requests", `^I list "([^"]*)" with:$`, "When I list \"{user tokens of member}\" with:\n  | filter  | name in '{run} lab-'               |\n  | filter  | metadata.labels[*].name eq 'team' |\n  | orderBy | name desc                         |",
		"GET a list with the query parameters of the table, one per row: the parameter, then its value as the API's documentation writes it (no header row). The suite expands the placeholders and URL-encodes names and values (a space as %20), so nothing is encoded by hand. A parameter may be repeated (filter); a row whose value is empty is left out, so that a scenario outline can omit a parameter.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.list) }},
	{"Requests", `^I list the ` + roleRE + `'s tokens(?: through the (user|group) scope)? with:$`, "When I list the member's tokens with:\n  | filter | name eq '{name of ci}' |",
		"As `I list \"…\" with:`, on the role's own collection, in user scope unless `through the group scope` follows (the configured group).",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, role, scope string, table *godog.Table) error {
				path, err := st.value(scopeOr(scope) + " tokens of " + role)
				if err != nil {
					return err
				}
				return st.list(ctx, path, table)
			})
		}},

	// Tokens, in the API's own words.
	{"Tokens", `^the ` + roleRE + ` has a token named "([^"]*)"$`, `Given the member has a token named "ci"`,
		"The role creates a token for itself (through user scope), named with the run id; the scenario then knows it as \"ci\" ({id of ci}, {secret of ci}, {name of ci}). It is deleted after the scenario.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, role, short string) error {
				return st.createToken(ctx, role, role, short, "")
			})
		}},
	{"Tokens", `^the ` + roleRE + ` has a token named "([^"]*)" with labels:$`, "Given the member has a token named \"ci\" with labels:\n  | name | value |\n  | team | qa    |",
		"As above, with metadata labels from the table.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, role, short string, table *godog.Table) error {
				labels, err := labelsJSON(table)
				if err != nil {
					return err
				}
				return st.createToken(ctx, role, role, short, labels)
			})
		}},
	{"Tokens", `^the ` + roleRE + ` has created a token named "([^"]*)" for the ` + roleRE + `$`, `Given the admin has created a token named "delegated" for the member`,
		"The first role creates a token owned by the second (user scope).",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, creator, short, owner string) error {
				return st.createToken(ctx, creator, owner, short, "")
			})
		}},
	{"Tokens", `^the ` + roleRE + ` has (\d+) tokens named "([^"]*)"$`, `Given the member has 9 tokens named "page"`,
		"The role creates that many tokens, known as \"page1\" … \"page9\".",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, role string, n int, short string) error {
				for i := 1; i <= n; i++ {
					if err := st.createToken(ctx, role, role, fmt.Sprintf("%s%d", short, i), ""); err != nil {
						return err
					}
				}
				return nil
			})
		}},
	{"Tokens", `^the token "([^"]*)" authenticates$`, `Then the token "ci" authenticates`,
		"The token's secret, sent as a bearer credential, is accepted (its owner's list answers 200).",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, short string) error { return st.credentialWorks(ctx, short, true) })
		}},
	{"Tokens", `^the token "([^"]*)" no longer authenticates$`, `Then the token "ci" no longer authenticates`,
		"The token's secret is refused with 401, problem type 4.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, short string) error { return st.credentialWorks(ctx, short, false) })
		}},
	{"Tokens", `^paging through "([^"]*)" with limit (\d+) lists every token exactly once$`, `Then paging through "{user tokens of member}?orderBy=name" with limit 2 lists every token exactly once`,
		"Follow metadata.continue from the first page to the last; the items must be those of one unpaged list, in the same order, none twice.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.pageThrough) }},

	{"Tokens", `^paging through "([^"]*)" with limit (\d+) and these parameters lists every token exactly once:$`, "Then paging through \"{user tokens of member}\" with limit 2 and these parameters lists every token exactly once:\n  | filter  | name in '{run} page' |\n  | orderBy | name desc            |",
		"As the step above, with the query parameters of the table (as in `I list \"…\" with:`).",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(ctx context.Context, path string, limit int, table *godog.Table) error {
				query, err := st.queryFrom(table)
				if err != nil {
					return err
				}
				return st.pageThrough(ctx, withQuery(path, query), limit)
			})
		}},

	// Responses.
	{"Responses", `^the response status is (\d+)$`, `Then the response status is 201`,
		"The HTTP status.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.statusIs) }},
	{"Responses", `^the response is problem (\d+)$`, `Then the response is problem 4`,
		"A problem of that documented type: its status, application/problem+json, the exact type, title and detail of the problem catalogue (schemas/CONTRACT.md §6, from schemas/problem.json), status as a string, and a correlationID equal to the X-Request-ID header when both are present.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.problemIs) }},
	{"Responses", `^the problem names the (parameter|field) "([^"]*)"$`, `Then the problem names the parameter "limit"`,
		"invalidParams (or invalidFields) has an entry with this name.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.problemNames) }},
	{"Responses", `^the problem has a schema validation failure$`, `Then the problem has a schema validation failure`,
		"schemaValidationFailure is a non-empty string.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func() error {
				v, _, _ := lookup(st.doc, "schemaValidationFailure")
				if s, ok := v.(string); !ok || s == "" {
					return st.failf("schemaValidationFailure is missing or empty")
				}
				return nil
			})
		}},
	{"Responses", `^the response header "([^"]*)" is "([^"]*)"$`, `Then the response header "Content-Type" is "application/json"`,
		"A header's exact value (placeholders expanded; media type parameters ignored for Content-Type).",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.headerIs) }},
	{"Responses", `^the response header "([^"]*)" is present$`, `Then the response header "ETag" is present`,
		"The header is sent (with a non-empty value).",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(k string) error {
				if st.resp == nil || st.resp.Header.Get(k) == "" {
					return st.failf("header %s is missing", k)
				}
				return nil
			})
		}},
	{"Responses", `^the response header "([^"]*)" matches "([^"]*)"$`, `Then the response header "Location" matches "/tokens/{id of ci}$"`,
		"The header matches a regular expression (placeholders expanded first).",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.headerMatches) }},
	{"Responses", `^the response body is empty$`, `Then the response body is empty`,
		"No body at all (204 answers).",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func() error {
				if len(st.body) != 0 {
					return st.failf("the body is not empty")
				}
				return nil
			})
		}},
	{"Responses", `^the response body matches the schema "([^"]*)"$`, `Then the response body matches the schema "token.json"`,
		"The body validates against a schema of schemas/ (jsonschema/v5); a failure shows the validator's detailed error.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(name string) error {
				err := schemas.ValidateJSON(name, st.body)
				var detailed *jsonschema.ValidationError
				switch {
				case errors.As(err, &detailed):
					return st.failf("the body does not match %s:\n%#v", name, detailed) // %#v: the validator's whole tree
				case err != nil:
					return st.failf("the body does not match %s: %v", name, err)
				}
				return nil
			})
		}},

	// JSON.
	{"JSON", `^the JSON at "([^"]*)" is "([^"]*)"$`, `Then the JSON at "name" is "{name of ci}"`,
		"A string value at a path (keys and [n] indexes: items[0].name), placeholders expanded.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.jsonIsString) }},
	{"JSON", `^the JSON at "([^"]*)" is (true|false|null|-?[0-9]+(?:\.[0-9]+)?)$`, `Then the JSON at "metadata.count" is 4`,
		"A number, boolean or null at a path.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.jsonIsLiteral) }},
	{"JSON", `^the JSON at "([^"]*)" equals:$`, "Then the JSON at \"items\" equals:\n  \"\"\"\n  [[\"{id of ci}\", \"{name of ci}\"]]\n  \"\"\"",
		"The value at a path equals the doc string's JSON (placeholders expanded); a mismatch prints a go-cmp diff.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.jsonEquals) }},
	{"JSON", `^the JSON at "([^"]*)" has (\d+) items?$`, `Then the JSON at "items" has 3 items`,
		"An array of that length.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.jsonLength) }},
	{"JSON", `^the JSON at "([^"]*)" is present$`, `Then the JSON at "metadata.continue" is present`,
		"The path exists.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(path string) error { return st.jsonPresence(path, true) })
		}},
	{"JSON", `^the JSON at "([^"]*)" is absent$`, `Then the JSON at "token" is absent`,
		"The path does not exist.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(path string) error { return st.jsonPresence(path, false) })
		}},
	{"JSON", `^the JSON at "([^"]*)" has exactly the keys "([^"]*)"$`, `Then the JSON at "metadata" has exactly the keys "count"`,
		"An object whose keys are exactly this comma-separated list (empty string: no keys).",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.jsonKeys) }},
	{"JSON", `^the items are ordered by "([^"]*)"( descending)?$`, `Then the items are ordered by "name" descending`,
		"Each item's field (an object key, or a 0-based index for projected arrays) is in byte order.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.itemsOrdered) }},
	{"JSON", `^the items include the token "([^"]*)"$`, `Then the items include the token "ci"`,
		"Some item is the token (an object with its id, or an array containing its id).",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(short string) error { return st.itemsInclude(short, true) })
		}},
	{"JSON", `^the items do not include the token "([^"]*)"$`, `Then the items do not include the token "ci"`,
		"No item is the token.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(short string) error { return st.itemsInclude(short, false) })
		}},
	{"JSON", `^I save the JSON at "([^"]*)" as "([^"]*)"$`, `When I save the JSON at "metadata.continue" as "next"`,
		"Keep a string value for later steps as {$next}.",
		func(c *godog.ScenarioContext, p string, st *scenario) { c.Step(p, st.save) }},
	{"JSON", `^I save the response header "([^"]*)" as "([^"]*)"$`, `When I save the response header "ETag" as "etag"`,
		"Keep a header value for later steps as {$etag}.",
		func(c *godog.ScenarioContext, p string, st *scenario) {
			c.Step(p, func(k, key string) error {
				if st.resp == nil || st.resp.Header.Get(k) == "" {
					return st.failf("header %s is missing", k)
				}
				st.saved[key] = st.resp.Header.Get(k)
				return nil
			})
		}},
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
		parts = append(parts, queryEscape(name)+"="+queryEscape(value))
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

// scopeOr is the scope a step names, user scope if it names none.
func scopeOr(scope string) string {
	if scope == "" {
		return "user"
	}
	return scope
}

func paddedBody(n int) []byte {
	const head, tail = `{"type":"application/astra-token","version":"1.0","name":"`, `"}`
	if n < len(head)+len(tail) {
		n = len(head) + len(tail)
	}
	return []byte(head + strings.Repeat("x", n-len(head)-len(tail)) + tail)
}

func labelsJSON(table *godog.Table) (string, error) {
	var labels []map[string]string
	for i, row := range table.Rows {
		if i == 0 {
			continue
		}
		if len(row.Cells) != 2 {
			return "", fmt.Errorf("labels table: want two columns (name, value)")
		}
		labels = append(labels, map[string]string{"name": row.Cells[0].Value, "value": row.Cells[1].Value})
	}
	b, err := json.Marshal(labels)
	return string(b), err
}

// createToken has creator create a token for owner in user scope.
func (st *scenario) createToken(ctx context.Context, creator, owner, short, labels string) error {
	o, err := st.identity(owner)
	if err != nil {
		return err
	}
	return st.createTokenAt(ctx, creator, owner, short, labels, "/accounts/"+o.AccountID+"/core/v1/users/"+o.UserID+"/tokens")
}

// createTokenAt has creator POST a token named with the run id to the
// collection at path, and remembers it as short, owned by owner. The
// scenario's own credential and headers are left as they were.
func (st *scenario) createTokenAt(ctx context.Context, creator, owner, short, labels, path string) error {
	c, err := st.identity(creator)
	if err != nil {
		return err
	}
	body := map[string]any{"type": "application/astra-token", "version": "1.0", "name": st.cfg().RunID + " " + short}
	if labels != "" {
		var ls any
		if err := json.Unmarshal([]byte(labels), &ls); err != nil {
			return err
		}
		body["metadata"] = map[string]any{"labels": ls}
	}
	data, err := json.Marshal(body)
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
	t := st.lastCreated()
	t.Short, t.Owner = short, owner
	st.tokens[short] = t
	return nil
}

func (st *scenario) credentialWorks(ctx context.Context, short string, want bool) error {
	t, ok := st.tokens[short]
	if !ok {
		return fmt.Errorf("the scenario has made no token called %q", short)
	}
	owner, err := st.identity(t.Owner)
	if err != nil {
		return err
	}
	saved := st.auth
	h := "Bearer " + t.Secret
	st.auth = &h
	err = st.send(ctx, http.MethodGet, "/accounts/"+owner.AccountID+"/core/v1/users/"+owner.UserID+"/tokens?limit=1", nil)
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
	want, ok := st.suite.problems[n]
	if !ok {
		return fmt.Errorf("problem type %d is not documented (schemas/problem.json)", n)
	}
	if st.resp == nil {
		return st.failf("no response yet")
	}
	status, _ := strconv.Atoi(want.Status)
	if st.resp.StatusCode != status {
		return st.failf("status %d, want %d (problem %d)", st.resp.StatusCode, status, n)
	}
	if ct := mediaType(st.resp.Header.Get("Content-Type")); ct != "application/problem+json" {
		return st.failf("Content-Type %q, want application/problem+json", ct)
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
	v, _, _ := lookup(st.doc, key)
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

func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
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
		got = mediaType(got)
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
	v, ok, err := lookup(st.doc, path)
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
	v, err := st.at(path)
	if err != nil {
		return err
	}
	if diff := cmp.Diff(want, v); diff != "" {
		return st.failf("%s (-want +got):\n%s", path, diff)
	}
	return nil
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
	_, ok, err := lookup(st.doc, path)
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

func field(item any, f string) (string, bool) {
	switch it := item.(type) {
	case map[string]any:
		s, ok := it[f].(string)
		return s, ok
	case []any:
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n >= len(it) {
			return "", false
		}
		s, ok := it[n].(string)
		return s, ok
	}
	return "", false
}

func (st *scenario) itemsOrdered(f, desc string) error {
	items, err := st.items()
	if err != nil {
		return err
	}
	var prev string
	for i, it := range items {
		v, ok := field(it, f)
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
	found := false
	for _, it := range items {
		switch v := it.(type) {
		case map[string]any:
			found = found || v["id"] == t.ID
		case []any:
			for _, x := range v {
				found = found || x == t.ID
			}
		}
	}
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
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	var paged []any
	next := ""
	for pages := 0; ; pages++ {
		if pages > len(whole)+2 {
			return st.failf("paging does not end after %d pages", pages)
		}
		pageURL := fmt.Sprintf("%s%slimit=%d", target, sep, limit)
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
		c, ok, _ := lookup(st.doc, "metadata.continue")
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
