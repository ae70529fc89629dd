package main

import (
	"context"
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

// listing is one user's token collection, read with one credential.
type listing struct {
	account, user string
	as            fixtures.Persona // whose credential is used
	credential    string
}

func (l listing) path() string {
	return "/accounts/" + l.account + "/core/v1/users/" + l.user + "/tokens"
}

// leftover is a token the suite made and did not delete.
type leftover struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	UserID string `json:"userID"`
	from   listing
}

// cleanupStopped is what -cleanup says after Ctrl-C.
const cleanupStopped = "no token was deleted after it; run -cleanup again for those left"

// cleanup deletes the tokens the suite made that the configured identities
// can see: each identity's own tokens, and as an admin every user of its
// account the configuration knows. A token the suite made is named with a
// run id and a space ("cf-1a2b3c4d ci", conformance.MadeBySuite); with
// runID, only that run's. With dryRun it lists them and deletes none.
func cleanup(ctx context.Context, cfg *conformance.Config, runID string, dryRun bool, stdout, stderr io.Writer) int {
	prefix, what := conformance.NamePrefix, "made by the suite (cf-XXXXXXXX …)"
	if runID != "" {
		prefix, what = runID+" ", "of run "+runID
	}
	var found []leftover
	seen := map[string]bool{}
	failures := 0
	for _, l := range listings(cfg) {
		toks, err := listLeftovers(ctx, cfg, l, prefix)
		if err != nil {
			fmt.Fprintf(stderr, "astra-conformance: cleanup: %v\n", err)
			failures++
			continue
		}
		for _, t := range toks {
			if !seen[t.ID] {
				seen[t.ID] = true
				found = append(found, t)
			}
		}
	}
	deleted := 0
	for _, t := range found {
		if dryRun {
			fmt.Fprintf(stdout, "would delete %s %q of user %s (as the %s)\n", t.ID, t.Name, t.UserID, t.from.as)
			continue
		}
		l := t.from // the collection of the token's owner
		l.user = t.UserID
		resp, _, err := do(ctx, cfg, http.MethodDelete, cfg.BaseURL+l.path()+"/"+t.ID, l.credential)
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "astra-conformance: cleanup: deleting %s %q of user %s: %v\n", t.ID, t.Name, t.UserID, err)
			failures++
		case resp.StatusCode == http.StatusNoContent:
			fmt.Fprintf(stdout, "deleted %s %q of user %s (as the %s)\n", t.ID, t.Name, t.UserID, t.from.as)
			deleted++
		case resp.StatusCode == http.StatusNotFound:
			fmt.Fprintf(stdout, "already gone %s %q of user %s\n", t.ID, t.Name, t.UserID)
		default:
			fmt.Fprintf(stderr, "astra-conformance: cleanup: deleting %s %q of user %s as the %s: status %d\n", t.ID, t.Name, t.UserID, t.from.as, resp.StatusCode)
			failures++
		}
	}
	if dryRun {
		fmt.Fprintf(stdout, "cleanup -dry-run: %d tokens %s would be deleted; nothing was deleted\n", len(found), what)
	} else {
		fmt.Fprintf(stdout, "cleanup: %d tokens %s deleted, %d failures\n", deleted, what, failures)
	}
	if failures > 0 {
		return exitFail
	}
	return exitPass
}

// listings are the collections to search: every identity's own, then, for
// each admin, every other user of its account that the configuration or the
// fixtures name.
func listings(cfg *conformance.Config) []listing {
	var out []listing
	users := map[string][]string{} // account → user ids, in order
	addUser := func(acct, user string) {
		if !slices.Contains(users[acct], user) {
			users[acct] = append(users[acct], user)
		}
	}
	for _, role := range fixtures.Personas() {
		if id, ok := cfg.Identities[role]; ok {
			out = append(out, listing{id.AccountID, id.UserID, role, id.Credential})
			addUser(id.AccountID, id.UserID)
		}
	}
	if cfg.Fixture != nil {
		for _, a := range cfg.Fixture.Accounts {
			for _, u := range a.Users {
				addUser(a.ID, u.ID)
			}
		}
	}
	for _, role := range []fixtures.Persona{fixtures.PersonaAdmin, fixtures.PersonaForeignAdmin} {
		admin, ok := cfg.Identities[role]
		if !ok {
			continue
		}
		for _, u := range users[admin.AccountID] {
			if u != admin.UserID {
				out = append(out, listing{admin.AccountID, u, role, admin.Credential})
			}
		}
	}
	return out
}

// listLeftovers pages through one collection filtered by name.
func listLeftovers(ctx context.Context, cfg *conformance.Config, l listing, prefix string) ([]leftover, error) {
	filter := "name in '" + strings.TrimSpace(prefix) + "'"
	query := "?filter=" + strings.ReplaceAll(url.QueryEscape(filter), "+", "%20")
	var out []leftover
	next := ""
	for page := 0; page < 1000; page++ {
		u := cfg.BaseURL + l.path() + query
		if next != "" {
			u += "&continue=" + url.QueryEscape(next)
		}
		var list struct {
			Items    []leftover `json:"items"`
			Metadata struct {
				Continue string `json:"continue"`
			} `json:"metadata"`
		}
		resp, body, err := do(ctx, cfg, http.MethodGet, u, l.credential)
		if err != nil {
			return nil, fmt.Errorf("listing the tokens of user %s as the %s: %w", l.user, l.as, err)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("listing the tokens of user %s as the %s: status %d: %s", l.user, l.as, resp.StatusCode, abbrev(body))
		}
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, fmt.Errorf("listing the tokens of user %s as the %s: %v", l.user, l.as, err)
		}
		for _, t := range list.Items {
			// The filter is a substring match: keep the names the
			// suite makes, starting with the prefix.
			if conformance.MadeBySuite(t.Name) && strings.HasPrefix(t.Name, prefix) {
				if t.UserID == "" {
					t.UserID = l.user
				}
				t.from = l
				out = append(out, t)
			}
		}
		if next = list.Metadata.Continue; next == "" {
			return out, nil
		}
	}
	return nil, fmt.Errorf("listing the tokens of user %s as the %s: paging does not end", l.user, l.as)
}

// do sends a request without a body as the holder of credential and reads
// the answer: the response (nil if none came) and its body, read and
// closed.
func do(ctx context.Context, cfg *conformance.Config, method, u, credential string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+credential)
	resp, err := cfg.Client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	return resp, body, err
}

func abbrev(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
