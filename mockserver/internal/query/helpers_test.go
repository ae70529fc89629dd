package query

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// checkError fails t unless err is a *Error for param whose reason
// contains want.
func checkError(t *testing.T, err error, param, want string) {
	t.Helper()
	var qe *Error
	if !errors.As(err, &qe) {
		t.Fatalf("error = %v (%T), want a *query.Error", err, err)
	}
	if qe.Param != param {
		t.Errorf("Param = %q, want %q", qe.Param, param)
	}
	if !strings.Contains(qe.Reason, want) {
		t.Errorf("Reason = %q, want it to contain %q", qe.Reason, want)
	}
	if r := qe.Reason; r == "" || strings.ToLower(r[:1]) != r[:1] {
		t.Errorf("Reason = %q, want it to start in lower case", r)
	}
	if got, want := qe.Error(), qe.Param+": "+qe.Reason; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

var (
	// created is the first seeded timestamp of CONTRACT.md §8.
	created = time.Date(2022, 10, 6, 20, 58, 16, 305662000, time.UTC)

	adminID  = "8f84cf09-8036-51e4-b579-bd30cb07b269"
	memberID = "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b"

	// labelled was modified by its owner and has two labels.
	labelled = &token.Token{
		ID:                    "4e99da96-152e-4aee-9207-4b6d04d2238d",
		Name:                  "Snapshot Script",
		AccountID:             "5cef50e1-a468-4f74-98a6-832d4fd76096",
		UserID:                memberID,
		Labels:                []token.Label{{Name: "env", Value: "prod"}, {Name: "team", Value: "storage"}},
		CreationTimestamp:     created,
		ModificationTimestamp: created.Add(time.Hour),
		CreatedBy:             adminID,
		ModifiedBy:            memberID,
	}

	// bare has no labels, was never modified, and carries nanoseconds
	// that its written form (…16.305662Z) drops.
	bare = &token.Token{
		ID:                    "43ab09af-e558-4b1b-a6d5-49df7c39f22c",
		Name:                  "Zeta",
		AccountID:             "5cef50e1-a468-4f74-98a6-832d4fd76096",
		UserID:                memberID,
		CreationTimestamp:     created.Add(789),
		ModificationTimestamp: created.Add(789),
		CreatedBy:             adminID,
	}

	// zoned was stored with a non-UTC location: the same instant as created.
	zoned = &token.Token{
		ID:                    "cca48856-9e25-4170-b49a-d32265c5e5f1",
		Name:                  "Volume Checker",
		UserID:                memberID,
		CreationTimestamp:     created.In(time.FixedZone("CEST", 2*60*60)),
		ModificationTimestamp: created.In(time.FixedZone("CEST", 2*60*60)),
		CreatedBy:             adminID,
	}
)
