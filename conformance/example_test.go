package conformance_test

import (
	"fmt"
	"io"
	"log"
	"net/http/httptest"

	"github.com/cucumber/godog"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/features"
	"github.com/astra-contract/astra-token-kit/fixtures"
	"github.com/astra-contract/astra-token-kit/mockserver/admin"
)

// The suite runs features against a target: here one of the built-in
// features against the mock, started in-process. Against a real
// deployment the configuration comes from ConfigFromEnv instead.
func Example() {
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(stack.Handler())
	defer srv.Close()
	set, err := fixtures.Default()
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := conformance.ConfigFromFixtures(srv.URL, set)
	if err != nil {
		log.Fatal(err)
	}
	suite, err := conformance.NewSuite(cfg)
	if err != nil {
		log.Fatal(err)
	}
	status := suite.Run(godog.Options{
		Format: "progress", // "progress,junit:report.xml" would keep a report too
		Output: io.Discard,
		Strict: true,
		FS:     features.FS,
		Paths:  []string{"get.feature"},
	})
	passed, failed, skipped := suite.Counts()
	fmt.Printf("godog status %d: %d passed, %d failed, %d skipped\n", status, passed, failed, skipped)
	// Output: godog status 0: 6 passed, 0 failed, 0 skipped
}

// Against a target where only a member is configured, the scenarios that
// need another identity are skipped, with the reason.
func ExampleSuite_Results() {
	stack, err := admin.NewStack(admin.Config{})
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(stack.Handler())
	defer srv.Close()
	suite, err := conformance.NewSuite(&conformance.Config{
		BaseURL:   srv.URL,
		AccountID: "5cef50e1-a468-4f74-98a6-832d4fd76096",
		Identities: map[fixtures.Persona]conformance.Identity{fixtures.PersonaMember: {
			AccountID:  "5cef50e1-a468-4f74-98a6-832d4fd76096",
			UserID:     "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b",
			Credential: "mock-snapshot-taker",
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	suite.Run(godog.Options{
		Format: "progress",
		Output: io.Discard,
		Strict: true,
		FeatureContents: []godog.Feature{{Name: "roles.feature", Contents: []byte(`Feature: Roles
  Scenario: The member lists its tokens
    Given I am the member
    When I list the member's tokens with:
      | limit | 1 |
    Then the response status is 200

  Scenario: The viewer lists its tokens
    Given I am the viewer
    When I list the viewer's tokens with:
      | limit | 1 |
    Then the response status is 200
`)}},
	})
	for _, r := range suite.Results() {
		if r.Reason == "" {
			fmt.Printf("%s: %s\n", r.Name, r.Outcome)
		} else {
			fmt.Printf("%s: %s (%s)\n", r.Name, r.Outcome, r.Reason)
		}
	}
	// Output:
	// The member lists its tokens: passed
	// The viewer lists its tokens: skipped (no viewer identity is configured)
}

func ExampleSuggest() {
	for _, s := range conformance.Suggest(`I sends GET to "{user tokens of member}"`) {
		fmt.Println(s)
	}
	// Output: I send GET to "{user tokens of member}?limit=2"
}
