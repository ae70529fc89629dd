package journal_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/mockserver/journal"
)

// TestTheLargestJournalTakesMemoryAsEntriesArrive: a journal of
// MaxCapacity allocates nothing up front (a capacity of 200,000,000 made
// astra-mock die of out-of-memory at start), and a larger capacity is
// MaxCapacity.
func TestTheLargestJournalTakesMemoryAsEntriesArrive(t *testing.T) {
	allocated := testing.AllocsPerRun(5, func() { journal.New(journal.MaxCapacity, nil) })
	if allocated > 2 {
		t.Errorf("New(MaxCapacity) made %v allocations, want the journal alone", allocated)
	}
	if c := journal.New(200_000_000, nil).Capacity(); c != journal.MaxCapacity {
		t.Errorf("New(200000000).Capacity() = %d, want %d", c, journal.MaxCapacity)
	}
	j, h := newJournal(journal.MaxCapacity)
	for i := range 3 {
		request{target: fmt.Sprintf("/%d", i)}.serve(t, h)
	}
	var got []string
	for _, e := range j.List(journal.Filter{}) {
		got = append(got, e.Path)
	}
	if diff := cmp.Diff([]string{"/2", "/1", "/0"}, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
}

// TestPageCountsWhatTheLimitCut: Page lists at most the limit, newest
// first, and counts every match.
func TestPageCountsWhatTheLimitCut(t *testing.T) {
	j, h := newJournal(10)
	for i := range 15 {
		request{target: fmt.Sprintf("/%d", i)}.serve(t, h)
	}
	entries, total := j.Page(journal.Filter{Limit: 3})
	var got []string
	for _, e := range entries {
		got = append(got, e.Path)
	}
	if diff := cmp.Diff([]string{"/14", "/13", "/12"}, got); diff != "" || total != 10 {
		t.Errorf("Page: total %d, want 10; entries (-want +got):\n%s", total, diff)
	}
}

// TestParseFilterBoundsTheLimit: without limit a filter selects
// DefaultLimit entries; a limit above MaxLimit is refused, naming it.
func TestParseFilterBoundsTheLimit(t *testing.T) {
	f, err := journal.ParseFilter(url.Values{})
	if err != nil || f.Limit != journal.DefaultLimit {
		t.Errorf("ParseFilter() = limit %d, %v; want %d", f.Limit, err, journal.DefaultLimit)
	}
	if f, err := journal.ParseFilter(url.Values{"limit": {fmt.Sprint(journal.MaxLimit)}}); err != nil || f.Limit != journal.MaxLimit {
		t.Errorf("limit=%d: %d, %v", journal.MaxLimit, f.Limit, err)
	}
	_, err = journal.ParseFilter(url.Values{"limit": {fmt.Sprint(journal.MaxLimit + 1)}})
	if pe, ok := err.(*journal.ParamError); !ok || pe.Name != "limit" {
		t.Errorf("limit=%d: error %v, want a *ParamError naming limit", journal.MaxLimit+1, err)
	}
}
