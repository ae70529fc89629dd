package conformance

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/fixtures"
)

// TestPlaceholdersAreExpanded keeps Placeholders (and so STEPS.md) in step
// with expand: every documented form expands against the default fixtures.
func TestPlaceholdersAreExpanded(t *testing.T) {
	st := placeholderScenario(t)
	st.tokens["NAME"] = &created{ID: "id", Secret: "secret", Name: "name", Location: "location"}
	st.saved["KEY"] = "saved"
	fill := strings.NewReplacer("ROLE", string(fixtures.PersonaMember), "fixture id of NAME", "fixture id of Snapshot Script")
	for _, p := range Placeholders() {
		for _, form := range regexp.MustCompile(`\{[^{}]+\}`).FindAllString(p.Form, -1) {
			got, err := st.expand(fill.Replace(form))
			if err != nil || got == "" || strings.ContainsAny(got, "{}") {
				t.Errorf("%s (from %q) expands to %q, %v", form, p.Form, got, err)
			}
		}
	}
}

// placeholderScenario is a scenario on the default fixtures that has made
// a token "ci" and saved "next".
func placeholderScenario(t *testing.T) *scenario {
	t.Helper()
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ConfigFromFixtures("http://127.0.0.1:1", set)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RunID = "cf-0123abcd"
	s, err := NewSuite(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st := &scenario{suite: s}
	st.reset("placeholders")
	st.tokens["ci"] = &created{ID: "4f0b8e0a-1c51-4a5e-8a8e-4b1d1c0c0c01", Name: "cf-0123abcd ci token", Secret: "c2VjcmV0"}
	st.saved["next"] = "a+b/c=="
	st.saved["slash"] = "x/y"
	return st
}

func TestExpandURLEncodesWhereAValueLands(t *testing.T) {
	st := placeholderScenario(t)
	member := "/accounts/5cef50e1-a468-4f74-98a6-832d4fd76096/core/v1/users/09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b/tokens"
	for _, tc := range []struct{ name, target, want string }{
		{"a collection path stays a path", "{user tokens of member}", member},
		{"an id in the path is one segment", "{user tokens of member}/{$slash}", member + "/x%2Fy"},
		{"a name with a space in a filter", "{user tokens of member}?filter=name%20eq%20%27{name of ci}%27", member + "?filter=name%20eq%20%27cf-0123abcd%20ci%20token%27"},
		{"a saved continue token", "{user tokens of member}?limit=1&continue={$next}", member + "?limit=1&continue=a%2Bb%2Fc%3D%3D"},
		{"the run id", "{user tokens of member}?filter=name%20in%20%27{run}%27", member + "?filter=name%20in%20%27cf-0123abcd%27"},
		{"JSON-like braces are not placeholders", "/x?q={\"a\":1}", "/x?q={\"a\":1}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := st.expandURL(tc.target)
			if err != nil || got != tc.want {
				t.Errorf("expandURL(%q) = %q, %v; want %q", tc.target, got, err, tc.want)
			}
		})
	}
	if _, err := st.expandURL("{user tokens of member}?filter=name eq 'x'"); err == nil || !strings.Contains(err.Error(), "has a space") {
		t.Errorf("a space typed in a target: %v, want an error naming it", err)
	}
}

func TestUnknownPlaceholdersNameTheNearest(t *testing.T) {
	st := placeholderScenario(t)
	for _, tc := range []struct{ text, want string }{
		{"{user token of member}", "unknown placeholder {user token of member}; did you mean {user tokens of member}"},
		{"{id of cj}", `the scenario has made no token called "cj"; did you mean "ci"?`},
		{"{$nxt}", `nothing was saved as "nxt"; did you mean {$next}?`},
		{"{user tokens of membr}", `unknown role "membr"; did you mean "member"?`},
		{"{acount}", "unknown placeholder {acount}; did you mean {account}"},
		{"{fixture id of Snapshot Scrip}", `the fixtures have no token named "Snapshot Scrip"; did you mean "Snapshot Script"`},
	} {
		_, err := st.expand(`{"name": "` + tc.text + `"}`)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("expand(%s) = %v, want an error with %q", tc.text, err, tc.want)
		}
		if st.skipReason != "" {
			t.Errorf("expand(%s) skipped the scenario: %s", tc.text, st.skipReason)
		}
	}
}

func TestQueryFromTable(t *testing.T) {
	st := placeholderScenario(t)
	table := tableOf(t, [][]string{
		{"filter", "name in '{run} lab-'"},
		{"filter", "metadata.labels[*].name eq 'team'"},
		{"orderBy", ""},
		{"include", "id,name"},
		{"continue", "{$next}"},
	})
	got, err := st.queryFrom(table)
	want := "filter=name%20in%20%27cf-0123abcd%20lab-%27&filter=metadata.labels%5B%2A%5D.name%20eq%20%27team%27&include=id%2Cname&continue=a%2Bb%2Fc%3D%3D"
	if err != nil || got != want {
		t.Errorf("queryFrom = %q, %v\nwant %q", got, err, want)
	}
	bad := tableOf(t, [][]string{{"filter"}})
	if _, err := st.queryFrom(bad); err == nil || !strings.Contains(err.Error(), "want two cells") {
		t.Errorf("a row of one cell: %v", err)
	}
}

// tableOf builds a step's data table (godog.Table is a cucumber messages
// type, read here from its JSON form).
func tableOf(t *testing.T, rows [][]string) *godog.Table {
	t.Helper()
	type cell struct {
		Value string `json:"value"`
	}
	var doc struct {
		Rows []struct {
			Cells []cell `json:"cells"`
		} `json:"rows"`
	}
	for _, r := range rows {
		var cells []cell
		for _, v := range r {
			cells = append(cells, cell{v})
		}
		doc.Rows = append(doc.Rows, struct {
			Cells []cell `json:"cells"`
		}{cells})
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var table godog.Table
	if err := json.Unmarshal(b, &table); err != nil {
		t.Fatal(err)
	}
	return &table
}
