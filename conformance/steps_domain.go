package conformance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
)

// domainSteps defines on l the steps phrased in the API's own words that go
// beyond the token steps of steps.go.
func (st *scenario) domainSteps(l *stepLibrary) {
	l.doc("Tokens", `Given the member has a token named "ci" made through the group scope`,
		"The role creates a token for itself by POST on its collection in that scope (the configured group in group scope), named with the run id; known to later steps as with `the member has a token named`. Scenario outlines use it with a `<scope>` column to run once per scope.")
	l.on.Step(`^the `+roleRE+` has a token named "([^"]*)" made through the (user|group) scope$`, st.createTokenInScope)
	l.doc("Requests", `When I send GET to "{user tokens of member}?orderBy=name&limit=2" with the continue token "{$next}"`,
		"GET the path with a `continue` parameter added: the token (placeholders expanded, typically one saved from metadata.continue) URL-encoded, so any base64 travels intact. Repeat the query that made the token to get the next page; change it to probe the refusal of foreign tokens.")
	l.on.Step(`^I send GET to "([^"]*)" with the continue token "([^"]*)"$`, st.sendContinue)
	l.doc("Requests", `When I send POST to "{user tokens of member}" with a token name of 63 characters`,
		"Send a token body (type, version, name) whose name has exactly this many characters: the run id, a space, then x's (only x's when the run id does not fit), so the schema's 1–63 bounds can be probed whatever the run id.")
	l.on.Step(`^I send `+methodRE+` to "([^"]*)" with a token name of (\d+) characters$`, st.sendNameOfLength)
	l.doc("JSON", `Then the items are the tokens "ord-c, ord-a, ord-b"`,
		"The list holds exactly these tokens the scenario made, in this order (comma-separated names; an empty string for none). Items are matched by id: objects by their id, projected arrays by an element equal to the id.")
	l.on.Step(`^the items are the tokens "([^"]*)"$`, st.itemsAre)
	l.doc("JSON", `Then the JSON at "metadata.modificationTimestamp" is a time after "{$created}"`,
		"The value is an RFC 3339 time in that relation to the given time (placeholders expanded), compared as instants, not as strings.")
	l.on.Step(`^the JSON at "([^"]*)" is a time (before|after|no earlier than) "([^"]*)"$`, st.timeIs)
	l.doc("Responses", `Then the response body does not contain "{secret of ci}"`,
		"The raw body has (or has not) this text, placeholders expanded: for secrets that must never be echoed.")
	l.on.Step(`^the response body (contains|does not contain) "([^"]*)"$`, st.bodyContains)
	l.doc("Responses", `Then the ETag is the MD5 of the response body`,
		"The ETag header, quotes removed, is the lowercase hex MD5 of the body exactly as sent.")
	l.on.Step(`^the ETag is the MD5 of the response body$`, st.etagIsMD5)
}

// createTokenInScope has role create a token for itself through the user
// or the group scope.
func (st *scenario) createTokenInScope(ctx context.Context, role, short, scope string) error {
	return st.createToken(ctx, role, role, short, scope, nil)
}

// sendContinue lists path with continue=token, the token URL-encoded.
func (st *scenario) sendContinue(ctx context.Context, path, token string) error {
	token, err := st.expand(token)
	if err != nil {
		return err
	}
	return st.send(ctx, http.MethodGet, withQuery(path, "continue="+url.QueryEscape(token)), nil)
}

// sendNameOfLength sends a create or update body whose name has n
// characters and starts with the run id when it fits.
func (st *scenario) sendNameOfLength(ctx context.Context, method, path string, n int) error {
	name := strings.Repeat("x", n)
	if prefix := st.cfg().RunID + " "; n >= len(prefix) {
		name = prefix + strings.Repeat("x", n-len(prefix))
	}
	body, err := st.suite.tokenBody(name, nil)
	if err != nil {
		return err
	}
	return st.send(ctx, method, path, body)
}

func (st *scenario) itemsAre(list string) error {
	var want []string
	for _, short := range strings.Split(list, ",") {
		if short = strings.TrimSpace(short); short == "" {
			continue
		}
		t, ok := st.tokens[short]
		if !ok {
			return fmt.Errorf("the scenario has made no token called %q", short)
		}
		want = append(want, short+" "+t.ID)
	}
	items, err := st.items()
	if err != nil {
		return err
	}
	byID := map[string]string{}
	for short, t := range st.tokens {
		byID[t.ID] = short
	}
	got := make([]string, len(items))
	for i, it := range items {
		got[i] = fmt.Sprintf("item %d (not made by the scenario)", i)
		for _, x := range itemIDs(it) {
			if id, ok := x.(string); ok && byID[id] != "" {
				got[i] = byID[id] + " " + id
			}
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		return st.failf("the items are not the tokens %q:\n  want: %s\n  got:  %s", list,
			strings.Join(want, ", "), strings.Join(got, ", "))
	}
	return nil
}

func (st *scenario) timeIs(path, relation, ref string) error {
	ref, err := st.expand(ref)
	if err != nil {
		return err
	}
	want, err := time.Parse(time.RFC3339Nano, ref)
	if err != nil {
		return fmt.Errorf("the reference time %q: %w", ref, err)
	}
	v, err := st.at(path)
	if err != nil {
		return err
	}
	s, _ := v.(string)
	got, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return st.failf("%s is %#v, not a time", path, v)
	}
	ok := map[string]bool{
		"before":          got.Before(want),
		"after":           got.After(want),
		"no earlier than": !got.Before(want),
	}[relation]
	if !ok {
		return st.failf("%s is %s, not a time %s %s", path, s, relation, ref)
	}
	return nil
}

func (st *scenario) etagIsMD5() error {
	if st.resp == nil {
		return st.failf("no response yet")
	}
	tag := st.resp.Header.Get("ETag")
	if want := wire.ETag(st.body); strings.Trim(tag, `"`) != want {
		return st.failf("ETag %s is not the MD5 of the body, %s", tag, want)
	}
	return nil
}

func (st *scenario) bodyContains(how, text string) error {
	text, err := st.expand(text)
	if err != nil {
		return err
	}
	if text == "" {
		return fmt.Errorf("the text to look for is empty")
	}
	if has := strings.Contains(string(st.body), text); has != (how == "contains") {
		if has {
			return st.failf("the body contains %q", text)
		}
		return st.failf("the body does not contain %q", text)
	}
	return nil
}
