package conformance_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/fixtures"
)

func TestMadeBySuite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"cf-1a2b3c4d ci", true},
		{conformance.NewRunID() + " page1", true},
		{"cf-1a2b3c4d", false}, // no space: not a name the suite gives
		{"cf-prod deploy key", false},
		{"cf-1A2B3C4D ci", false},
		{"cf-1a2b3c4 ci", false},
		{"cf-1a2b3c4de ci", false},
		{"my cf-1a2b3c4d ci", false},
	} {
		if got := conformance.MadeBySuite(tc.name); got != tc.want {
			t.Errorf("MadeBySuite(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRunIDHasTheFormCleanupFinds(t *testing.T) {
	t.Parallel()
	if id := conformance.NewRunID(); !conformance.IsRunID(id) || !conformance.MadeBySuite(id+" x") {
		t.Errorf("NewRunID() = %q, not the form cleanup finds", id)
	}
	cfg := mockConfig(t)
	cfg.RunID = "cf-nightly"
	if _, err := conformance.NewSuite(cfg); err == nil || !strings.Contains(err.Error(), "eight lowercase hex digits") {
		t.Errorf("NewSuite with run id cf-nightly: %v, want an error", err)
	}
}

func TestConfigFromFixtures(t *testing.T) {
	t.Parallel()
	const accountA, accountB = "5cef50e1-a468-4f74-98a6-832d4fd76096", "28d13515-3af2-46d8-9a55-87b89e3eccb4"
	t.Run("the default fixtures give the identities of CONTRACT.md §8", func(t *testing.T) {
		set, err := fixtures.Default()
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := conformance.ConfigFromFixtures("http://target/", set)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.BaseURL != "http://target" || cfg.AccountID != accountA || cfg.GroupID != "8266f1f1-eabe-41a5-a92d-0c2ef173efc5" {
			t.Errorf("BaseURL, AccountID, GroupID = %s, %s, %s", cfg.BaseURL, cfg.AccountID, cfg.GroupID)
		}
		want := map[fixtures.Persona]conformance.Identity{
			fixtures.PersonaAdmin:        {AccountID: accountA, UserID: "8f84cf09-8036-51e4-b579-bd30cb07b269", Credential: "mock-admin"},
			fixtures.PersonaMember:       {AccountID: accountA, UserID: "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b", Credential: "mock-snapshot-taker"},
			fixtures.PersonaViewer:       {AccountID: accountA, UserID: "4086070b-0abe-4642-940f-5636b77e7d2f", Credential: "mock-viewer"},
			fixtures.PersonaSecondMember: {AccountID: accountA, UserID: "eebaeb5c-8ae5-4ca9-8fe4-c798ed00af27", Credential: "mock-member2"},
			fixtures.PersonaForeignAdmin: {AccountID: accountB, UserID: "5285bef6-55fc-40e5-8f91-458869509dfa", Credential: "mock-foreign"},
		}
		if diff := cmp.Diff(want, cfg.Identities); diff != "" {
			t.Errorf("identities (-want +got):\n%s", diff)
		}
	})
	for _, tc := range []struct {
		name   string
		change func(*fixtures.Set)
		want   string
	}{
		{"a set without a foreign admin is refused, naming it", func(s *fixtures.Set) { s.Accounts = s.Accounts[:1] },
			"conformance: the fixtures have no foreign admin: want a user of role admin or owner in an account other than the first"},
		{"a persona whose tokens have no plain secret is refused, naming it", func(s *fixtures.Set) {
			for i := range s.Accounts[0].Tokens {
				if tok := &s.Accounts[0].Tokens[i]; tok.UserID == "4086070b-0abe-4642-940f-5636b77e7d2f" {
					tok.SecretHash, tok.Secret = fixtures.HashSecret(tok.Secret), ""
				}
			}
		}, "conformance: the fixtures' viewer has no token with a plain secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, err := fixtures.Default()
			if err != nil {
				t.Fatal(err)
			}
			tc.change(set)
			if _, err := conformance.ConfigFromFixtures("http://target", set); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("ConfigFromFixtures: %v, want %q", err, tc.want)
			}
		})
	}
}
