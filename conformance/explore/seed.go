package explore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/fixtures"
)

// SeedReference makes the reference hold what the target's configured
// identities can see, so that the two can be compared: it reads, through
// the Token API, every configured identity's own tokens and, as an admin,
// those of the other configured users of its account, and replaces the
// reference's state with them through the mock's admin API (PUT
// /__admin/state, a fixtures document; schemas/admin-openapi.yaml). With
// adminToken set, it is sent as the admin API's bearer token.
//
// The reference then has the same accounts, users (with the roles of
// their personas, or of target.Fixture when it has them), the configured
// group with the member and the viewer, and the same tokens, with the same
// ids, names, labels, timestamps and creators. What it cannot know, and
// so cannot be compared:
//
//   - which of a user's tokens is the credential the configuration holds:
//     the reference gives it to the user's first token (the explorer
//     never changes or deletes a token it did not create, so nothing
//     tells them apart);
//   - users the configuration does not name, and their tokens: the
//     explorer addresses only configured users (and made-up ids);
//   - who else is in the group: the explorer makes no group-scope request
//     for the admins against a deployment (Config.Deployment);
//   - what others change on the deployment during the run: a list then
//     disagrees.
func SeedReference(ctx context.Context, target, reference *conformance.Config, adminToken string) error {
	set, err := readState(ctx, target)
	if err != nil {
		return fmt.Errorf("explore: reading what the target's identities see: %w", err)
	}
	body, err := json.Marshal(set)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, reference.BaseURL+"/__admin/state", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if adminToken != "" {
		req.Header.Set("Authorization", "Bearer "+adminToken)
	}
	resp, err := reference.HTTPClient().Do(req)
	if err != nil {
		return fmt.Errorf("explore: seeding the reference: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2000))
		return fmt.Errorf("explore: seeding the reference: PUT %s/__admin/state answered %s (is it the mock, with its admin API?): %s",
			reference.BaseURL, resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}

// readState reads what target's identities see, as a fixtures document.
func readState(ctx context.Context, target *conformance.Config) (*fixtures.Set, error) {
	set := &fixtures.Set{}
	account := func(id string) *fixtures.Account {
		for i := range set.Accounts {
			if set.Accounts[i].ID == id {
				return &set.Accounts[i]
			}
		}
		set.Accounts = append(set.Accounts, fixtures.Account{ID: id, Name: "account " + id, Users: []fixtures.User{}, Groups: []fixtures.Group{}, Tokens: []fixtures.Token{}})
		return &set.Accounts[len(set.Accounts)-1]
	}
	addUser := func(a *fixtures.Account, id string, role fixtures.Role) {
		if !slices.ContainsFunc(a.Users, func(u fixtures.User) bool { return u.ID == id }) {
			a.Users = append(a.Users, fixtures.User{ID: id, Name: "user " + id, Role: role})
		}
	}
	for _, p := range fixtures.Personas() {
		id, ok := target.Identities[p]
		if !ok {
			continue
		}
		addUser(account(id.AccountID), id.UserID, roleOf(target, p, id))
	}
	if target.Fixture != nil {
		for _, fa := range target.Fixture.Accounts {
			if a := account(fa.ID); a != nil {
				for _, u := range fa.Users {
					addUser(a, u.ID, u.Role)
				}
			}
		}
	}
	if target.GroupID != "" {
		g := fixtures.Group{ID: target.GroupID, Name: "group " + target.GroupID, Members: []string{}}
		for _, p := range []fixtures.Persona{fixtures.PersonaMember, fixtures.PersonaViewer} {
			if id, ok := target.Identities[p]; ok {
				g.Members = append(g.Members, id.UserID)
			}
		}
		a := account(target.AccountID)
		a.Groups = append(a.Groups, g)
	}
	// Every configured identity's tokens, then, as an admin, those of the
	// account's other users.
	credential := map[string]string{} // user id → a credential of it
	for _, p := range fixtures.Personas() {
		id, ok := target.Identities[p]
		if !ok {
			continue
		}
		credential[id.UserID] = id.Credential
		users := []string{id.UserID}
		if p == fixtures.PersonaAdmin || p == fixtures.PersonaForeignAdmin {
			for _, u := range account(id.AccountID).Users {
				if u.ID != id.UserID {
					users = append(users, u.ID)
				}
			}
		}
		for _, user := range users {
			tokens, err := listAll(ctx, target, id, user)
			if err != nil {
				return nil, err
			}
			a := account(id.AccountID)
			for _, t := range tokens {
				if !slices.ContainsFunc(a.Tokens, func(x fixtures.Token) bool { return x.ID == t.ID }) {
					a.Tokens = append(a.Tokens, t)
				}
			}
		}
	}
	// Credentials, and the creators the tokens name.
	for i := range set.Accounts {
		a := &set.Accounts[i]
		given := map[string]bool{}
		for j := range a.Tokens {
			t := &a.Tokens[j]
			if c := credential[t.UserID]; c != "" && !given[t.UserID] {
				t.Secret, given[t.UserID] = c, true
			} else {
				t.SecretHash = fixtures.HashSecret(randomSecret())
			}
			for _, by := range []string{t.Metadata.CreatedBy, t.Metadata.ModifiedBy} {
				if by != "" && !knownUser(set, by) {
					addUser(a, by, fixtures.RoleViewer)
				}
			}
		}
	}
	return set, nil
}

func knownUser(set *fixtures.Set, id string) bool {
	for _, a := range set.Accounts {
		if slices.ContainsFunc(a.Users, func(u fixtures.User) bool { return u.ID == id }) {
			return true
		}
	}
	return false
}

// roleOf is the role of a persona's user: the fixtures' when known, else
// the one the persona names.
func roleOf(target *conformance.Config, p fixtures.Persona, id conformance.Identity) fixtures.Role {
	if target.Fixture != nil {
		for _, a := range target.Fixture.Accounts {
			if u, ok := a.User(id.UserID); ok {
				return u.Role
			}
		}
	}
	switch p {
	case fixtures.PersonaAdmin, fixtures.PersonaForeignAdmin:
		return fixtures.RoleAdmin
	case fixtures.PersonaViewer:
		return fixtures.RoleViewer
	}
	return fixtures.RoleMember
}

func randomSecret() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// listAll lists one user's tokens as id, following metadata.continue.
func listAll(ctx context.Context, target *conformance.Config, as conformance.Identity, user string) ([]fixtures.Token, error) {
	var out []fixtures.Token
	next := ""
	for page := 0; page < 10000; page++ {
		u := fmt.Sprintf("%s/accounts/%s/core/v1/users/%s/tokens", target.BaseURL, url.PathEscape(as.AccountID), url.PathEscape(user))
		if next != "" {
			u += "?continue=" + url.QueryEscape(next)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+as.Credential)
		resp, err := target.HTTPClient().Do(req)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s answered %s", u, resp.Status)
		}
		var list struct {
			Items    []fixtures.Token `json:"items"`
			Metadata struct {
				Continue string `json:"continue"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, fmt.Errorf("GET %s: %w", u, err)
		}
		out = append(out, list.Items...)
		if next = list.Metadata.Continue; next == "" {
			return out, nil
		}
	}
	return nil, fmt.Errorf("listing the tokens of user %s: paging does not end", user)
}
