package quickstart_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/mocktest"
)

// createToken stands in for your client: it creates a token for a user
// and tries once more when the API answers 503.
func createToken(c *http.Client, baseURL, accountID, userID, credential, name string) (int, error) {
	url := baseURL + "/accounts/" + accountID + "/core/v1/users/" + userID + "/tokens"
	body := `{"type":"application/astra-token","version":"1.0","name":"` + name + `"}`
	for try := 1; ; try++ {
		req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+credential)
		req.Header.Set("Content-Type", "application/astra-token+json")
		res, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable || try == 2 {
			return res.StatusCode, nil
		}
	}
}

func TestCreateTokenRetriesA503(t *testing.T) {
	m := mocktest.Start(t) // the default fixtures on a free port, stopped when the test ends
	// The next create answers 503; the one after it is served again.
	m.Fail(t, fault.Rule{Method: "POST", Path: "/tokens$", Times: 1, Status: 503})

	// The fixtures' member: its user id and a working credential.
	user, credential := m.User(t, mocktest.Member), m.Credential(t, mocktest.Member)
	status, err := createToken(m.Client(), m.URL, m.AccountID, user, credential, "ci")
	if err != nil || status != http.StatusCreated {
		t.Fatalf("createToken: %d, %v; want 201", status, err)
	}
	m.ExpectRequests(t, "POST", mocktest.Exactly(m.TokensPath(t, mocktest.Member)), 2) // the 503, then the retry
}
