package proxy_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/conformance/internal/mutant"
	"github.com/astra-contract/astra-token-kit/conformance/proxy"
	"github.com/astra-contract/astra-token-kit/fixtures"
)

// caughtBy is, for each mutant whose breakage shows in one exchange, the
// scenario (feature file, and title as written there) that makes it show
// and the rule the proxy reports it by.
var caughtBy = map[string]struct{ feature, scenario, rule string }{
	"get-omits-userID":           {"get.feature", "A token reads back as it was created, without its secret", "server/contract"},
	"secret-on-get":              {"credentials.feature", "The secret is shown only in the answer to the create", "server/contract"},
	"create-drops-labels":        {"create.feature", "Labels are kept, and the server sets the timestamps and the creator", "server/created"},
	"put-omits-modifiedBy":       {"update.feature", "The documented update renames a token", "server/modified-by"},
	"problem-status-number":      {"authentication.feature", "Creating a token needs a valid credential", "server/contract"},
	"problem-content-type-json":  {"authentication.feature", "Creating a token needs a valid credential", "server/contract"},
	"correlation-id-missing":     {"http.feature", "An Accept that allows no JSON type is refused (<method>, <scope> scope)", "server/correlation-id"},
	"correlation-id-mismatch":    {"http.feature", "An Accept that allows no JSON type is refused (<method>, <scope> scope)", "server/correlation-id"},
	"client-request-id-ignored":  {"http.feature", "A client's request id is used as the correlation id", "server/correlation-id"},
	"get-missing-token-type1":    {"paths.feature", "Reading a token that does not exist answers problem 2", "server/contract"},
	"delete-missing-token-type2": {"paths.feature", "Deleting a token that does not exist answers problem 1", "server/contract"},
	"malformed-id-404":           {"paths.feature", "A malformed account id is refused with problem 33, any other malformed id with 35: <case>", "server/prescribed-answer"},
	"invalid-json-type8":         {"request-bodies.feature", "A body that is not JSON is refused (<method>)", "server/prescribed-answer"},
	"missing-credential-type4":   {"authentication.feature", "Creating a token needs a valid credential", "server/prescribed-answer"},
	"non-bearer-as-missing":      {"authentication.feature", "An Authorization header other than a bearer credential is invalid", "server/prescribed-answer"},
	"method-not-allowed-404":     {"http.feature", "Another method is refused with the methods allowed (<path>)", "server/prescribed-answer"},
	"create-answers-200":         {"create.feature", "The documented create answers 201 with the new token", "server/contract"},
	"location-missing":           {"create.feature", "The documented create answers 201 with the new token", "server/location"},
	"location-user-scope":        {"create.feature", "The documented create answers 201 with the new token", "server/location"},
	"accept-token-not-echoed":    {"http.feature", "A token is sent in the media type asked for: <accept>", "server/media-type"},
	"accept-unchecked":           {"http.feature", "An Accept that allows no JSON type is refused (<method>, <scope> scope)", "server/prescribed-answer"},
	"list-refuses-token-accept":  {"http.feature", "A list is always application/json: <accept>", "server/unfounded-error"},
	"etag-missing":               {"get.feature", "A token reads back as it was created, without its secret", "server/contract"},
	"limit-ignored":              {"list-queries.feature", "limit caps the number of items and skip passes over the first matches", "server/limit"},
	"limit-zero-accepted":        {"list-queries.feature", "A value outside its documented pattern is refused: <query>", "server/prescribed-answer"},
	"skip-ignored":               {"list-queries.feature", "A query that does not parse is refused, not dropped: <query>", "server/prescribed-answer"},
	"filter-ignored":             {"list-queries.feature", "Filtering by name with <operator>", "server/filter"},
	"desc-ignored":               {"list-queries.feature", "orderBy sorts by a field, ascending or descending", "server/order"},
	"default-order-reversed":     {"list-queries.feature", "Without orderBy the oldest token comes first", "server/default-order"},
	"include-order-ignored":      {"list-queries.feature", "include projects each item to the named fields, in that order", "server/include"},
	"count-ignores-filter":       {"list-queries.feature", "List metadata carries count only when asked, continue only when more remain", "server/count"},
	"continue-missing":           {"list-queries.feature", "count counts every match, ignoring limit and skip", "server/continue"},
	"bad-continue-restarts":      {"list-queries.feature", "A continue token the server did not make is refused: <continue>", "server/prescribed-answer"},
	"unsupported-query-ignored":  {"http.feature", "Operations other than the list take no query parameters (<method>, <scope> scope)", "server/prescribed-answer"},
	"name-validation-off":        {"request-bodies.feature", "A name that fails extended validation is refused (<method>)", "server/prescribed-answer"},
	"put-conflict-ignored":       {"update.feature", "An update whose <field> conflicts with the stored token is refused", "server/prescribed-answer"},
	"body-limit-off":             {"request-bodies.feature", "A body over 64 KiB is refused (<method>)", "server/prescribed-answer"},
}

// notInOneExchange are the mutants whose breakage no single exchange
// shows: it needs a second request (a secret that must authenticate, a
// state read back, a page after a page) or knowing who a credential is.
var notInOneExchange = map[string]string{
	"create-returns-hash":             "the secret must authenticate in a later request",
	"put-clears-labels":               "the labels are read back by a later GET",
	"put-keeps-modificationTimestamp": "a fixed clock makes an unchanged timestamp legitimate; only a later GET tells",
	"delete-does-not-revoke":          "the revoked secret is used in a later request",
	"foreign-account-404":             "the proxy does not know whose credential it is",
	"viewer-read-only":                "the proxy does not know whose credential it is",
	"member-manages-others":           "the proxy does not know whose credential it is",
	"group-membership-unchecked":      "the proxy does not know the group's members",
	"if-match-ignored":                "the ETag is stale only after a later change",
	"continue-overlaps":               "the overlap shows across two pages",
}

// scenarioLine returns feature:line of the scenario titled title.
func scenarioLine(t *testing.T, feature, title string) string {
	path := filepath.Join(featureDir, feature)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	heading := regexp.MustCompile(`^\s*Scenario( Outline)?: (.*)$`)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if m := heading.FindStringSubmatch(sc.Text()); m != nil && strings.TrimSpace(m[2]) == title {
			return fmt.Sprintf("%s:%d", path, n)
		}
	}
	t.Fatalf("%s has no scenario %q", feature, title)
	return ""
}

// TestMutantsThroughProxy puts the proxy in front of each mutant of the
// mock whose breakage shows on the wire, runs the scenario that makes it
// show, and requires the proxy to report it as a server violation of the
// rule it breaks.
func TestMutantsThroughProxy(t *testing.T) {
	set, err := fixtures.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mutant.All(set) {
		want, ok := caughtBy[m.Name]
		if !ok {
			if _, ok := notInOneExchange[m.Name]; !ok {
				t.Errorf("mutant %s is neither in caughtBy nor in notInOneExchange", m.Name)
			}
			continue
		}
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			s := newStage(t, m.Wrap)
			s.run(t, scenarioLine(t, want.feature, want.scenario))
			var server []string
			for _, tl := range s.proxy.Summary().Tallies {
				if tl.Rule.ID == want.rule {
					t.Logf("%d× %s, first: %s", tl.Count, tl.Rule.ID, tl.First[0])
					return
				}
				if tl.Rule.Side == proxy.Server {
					server = append(server, tl.Rule.ID)
				}
			}
			t.Errorf("the proxy did not report %s (%s) as %s; server violations: %v", m.Name, m.Rule, want.rule, server)
		})
	}
}
