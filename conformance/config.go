// Package conformance is a godog step library that judges an implementation
// of the Astra Token API — the mock, or a real Astra deployment — against
// the contract (schemas/CONTRACT.md). It talks HTTP only: everything it
// knows of the target comes from a Config.
//
// Use it from any Go module, in a go test (each scenario a subtest; see
// Suite.Test):
//
//	suite, err := conformance.NewSuite(conformance.ConfigFromEnv(nil))
//	if err != nil {
//		t.Skip(err) // ASTRA_* not set
//	}
//	suite.Test(t, godog.Options{Format: "progress", FS: features.FS, Paths: []string{"."}})
//
// or as a program, as the Example does:
//
//	status := suite.Run(godog.Options{Format: "progress,junit:report.xml", ...})
//
// Both report a scenario skipped for want of an identity as skipped, in
// every format; Results and Counts give every scenario's outcome.
package conformance

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/astra-contract/astra-token-kit/fixtures"
)

// roleNames are the personas as the steps write them ("I am the second
// member"), in the order the docs use them.
func roleNames() []string {
	var names []string
	for _, p := range fixtures.Personas() {
		names = append(names, string(p))
	}
	return names
}

// Identity is a user of the target and a credential that authenticates as
// that user.
type Identity struct {
	AccountID  string
	UserID     string
	Credential string
}

// Config describes the target and who the suite may act as. Only BaseURL,
// AccountID and the member are required; scenarios that need an identity or
// a group that is not configured are skipped with the reason.
type Config struct {
	// BaseURL is scheme, host and port; the suite adds /accounts/....
	BaseURL string
	// AccountID is the account the identities (except the foreign admin)
	// belong to.
	AccountID string
	// GroupID is a group of AccountID whose members include the member and
	// the viewer, and not the second member.
	GroupID string
	// Identities by the persona a scenario names ("I am the second
	// member"): fixtures.PersonaMember, fixtures.PersonaAdmin, ...
	Identities map[fixtures.Persona]Identity
	// Fixture holds facts only the mock's default fixtures guarantee (its
	// seeded token names and ids); scenarios tagged @mock-only need it.
	Fixture *fixtures.Set
	// Client sends the requests; nil means a client with Timeout.
	Client *http.Client
	// Timeout bounds one request when Client is nil.
	Timeout time.Duration
	// RunID prefixes the name of every token the suite creates, so a run
	// leaves nothing behind that cannot be found and removed.
	RunID string
	// NoAdminAPI, when not empty, says why the target has no admin API of
	// the mock ("the target has no admin API (GET /__admin/health answered
	// 404)..."): the scenarios that need the mock, tagged @mock-only,
	// sending a request to /__admin/ or reading {fixture id of NAME}, are
	// skipped with it as the reason. Empty, they run.
	NoAdminAPI string
}

// NamePrefix is what every token name the suite creates starts with.
const NamePrefix = "cf-"

// runID is the form of a run id, and madeBySuite that of the name of every
// token the suite creates: the run id and a space.
var (
	runID       = regexp.MustCompile(`^` + NamePrefix + `[0-9a-f]{8}$`)
	madeBySuite = regexp.MustCompile(`^` + NamePrefix + `[0-9a-f]{8} `)
)

// NewRunID returns a fresh run id, "cf-" and eight lowercase hex digits.
func NewRunID() string {
	var b [4]byte
	rand.Read(b[:])
	return NamePrefix + hex.EncodeToString(b[:])
}

// IsRunID reports whether s has the form of a run id: "cf-" and eight
// lowercase hex digits.
func IsRunID(s string) bool { return runID.MatchString(s) }

// MadeBySuite reports whether a token name has the form of the names the
// suite gives its tokens: a run id, a space, then the scenario's name for
// it ("cf-1a2b3c4d ci"). A name a person chose ("cf-prod key") does not.
func MadeBySuite(name string) bool { return madeBySuite.MatchString(name) }

// ConfigFromFixtures builds a Config for a target serving set, which must
// have every persona, each with a plain secret to send: set.Identities
// finds them (with the default fixtures, those of schemas/CONTRACT.md §8).
func ConfigFromFixtures(baseURL string, set *fixtures.Set) (*Config, error) {
	ids := set.Identities()
	cfg := &Config{
		BaseURL:    strings.TrimSuffix(baseURL, "/"),
		AccountID:  ids.AccountID,
		GroupID:    ids.GroupID,
		Identities: map[fixtures.Persona]Identity{},
		Fixture:    set,
	}
	for _, p := range fixtures.Personas() {
		id, err := ids.Get(p)
		if err != nil {
			return nil, fmt.Errorf("conformance: %w", err)
		}
		cfg.Identities[p] = Identity(id)
	}
	return cfg, nil
}

// ConfigFromEnv reads a target from ASTRA_* environment variables:
// ASTRA_BASE_URL, ASTRA_ACCOUNT_ID, ASTRA_GROUP_ID, and for each role
// ASTRA_<ROLE>_USER_ID and ASTRA_<ROLE>_TOKEN (ROLE: ADMIN, MEMBER, VIEWER,
// SECOND_MEMBER, FOREIGN_ADMIN; the foreign admin also needs
// ASTRA_FOREIGN_ADMIN_ACCOUNT_ID).
func ConfigFromEnv(getenv func(string) string) *Config {
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg := &Config{
		BaseURL:    strings.TrimSuffix(getenv("ASTRA_BASE_URL"), "/"),
		AccountID:  getenv("ASTRA_ACCOUNT_ID"),
		GroupID:    getenv("ASTRA_GROUP_ID"),
		Identities: map[fixtures.Persona]Identity{},
	}
	for _, p := range fixtures.Personas() {
		key := "ASTRA_" + strings.ToUpper(strings.ReplaceAll(string(p), " ", "_"))
		id := Identity{AccountID: cfg.AccountID, UserID: getenv(key + "_USER_ID"), Credential: getenv(key + "_TOKEN")}
		if p == fixtures.PersonaForeignAdmin {
			id.AccountID = getenv(key + "_ACCOUNT_ID")
		}
		if id.UserID != "" && id.Credential != "" && id.AccountID != "" {
			cfg.Identities[p] = id
		}
	}
	return cfg
}

// HTTPClient returns the client requests to the target go through:
// Client, or one with Timeout (30 seconds when 0); either way it follows
// no redirect, a 3xx being an answer to judge, not a detour.
func (c *Config) HTTPClient() *http.Client {
	client := http.Client{Timeout: cmp.Or(c.Timeout, 30*time.Second)}
	if c.Client != nil {
		client = *c.Client
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client
}

// Validate reports what a usable Config lacks.
func (c *Config) Validate() error {
	var missing []string
	if c.BaseURL == "" {
		missing = append(missing, "the target's base URL")
	}
	if c.AccountID == "" {
		missing = append(missing, "the account id")
	}
	if _, ok := c.Identities[fixtures.PersonaMember]; !ok {
		missing = append(missing, "the member's user id and credential")
	}
	if c.RunID != "" && !IsRunID(c.RunID) {
		return fmt.Errorf("conformance: run id %q: want %s and eight lowercase hex digits, the form -cleanup recognizes", c.RunID, NamePrefix)
	}
	if len(missing) > 0 {
		return fmt.Errorf("conformance: the configuration lacks %s", strings.Join(missing, ", "))
	}
	return nil
}
