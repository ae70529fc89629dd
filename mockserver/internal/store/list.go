package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// ErrBadPosition is returned for a list position that no order of this
// store could have produced.
var ErrBadPosition = errors.New("store: list position does not belong to this collection")

// List asks for one page of one user's tokens.
type List struct {
	UserID string
	// OrderBy is the field to sort by: "" for the default order
	// (creationTimestamp, then id), or id, name, type, version or userID.
	// Ties are broken by id; Desc reverses the whole order.
	OrderBy string
	Desc    bool
	// Match, if not nil, keeps only the tokens for which it returns true.
	Match func(*token.Token) bool
	// After, if not empty, is the Position of the last item of the previous
	// page: the page starts with the first match after it. Skip is then not
	// applied, since the position is already past the skipped items.
	After string
	Skip  int
	Limit int // 0: no limit
	Count bool
}

// Page is the answer to a List.
type Page struct {
	Items []*token.Token
	// Next is the position of the last item, set only when more matches
	// follow it: pass it back as List.After for the next page.
	Next string
	// Total is the number of matches ignoring After, Skip and Limit; it is
	// computed only when List.Count is set.
	Total int
}

// order is a sort order of a user's tokens: the order of their positions.
type order int

const (
	byCreated order = iota // creationTimestamp, then id
	byName                 // name, then id
	byID                   // id
)

// orderOf maps an orderBy field to its order. Within one user's list,
// userID, type and version are the same for every token, so sorting by them
// is sorting by the id tie-breaker alone.
func orderOf(field string) (order, error) {
	switch field {
	case "":
		return byCreated, nil
	case "name":
		return byName, nil
	case "id", "userID", "type", "version":
		return byID, nil
	}
	return 0, fmt.Errorf("store: cannot order by %q", field)
}

// sortableTimeLayout writes a time with a fixed width, so that byte order
// is time order.
const sortableTimeLayout = "2006-01-02T15:04:05.000000000Z"

// position returns where t stands in o, what a List sorts by and gives
// back as Page.Next: its sort value, a NUL byte, then its id. Sort values
// hold no NUL (names are printable ASCII, times are written as
// sortableTimeLayout), so the NUL keeps "ab" before "abc" and ties between
// equal values go by id.
func (o order) position(t *token.Token) string {
	value := t.ID
	switch o {
	case byCreated:
		value = t.CreationTimestamp.UTC().Format(sortableTimeLayout)
	case byName:
		value = t.Name
	}
	return value + "\x00" + t.ID
}

// List returns one page of q.UserID's tokens from a consistent snapshot:
// the user's matching tokens sorted by position, from the first after
// q.After (or past q.Skip of them) up to q.Limit. It returns ctx's error if
// ctx is done (the client has gone) once the snapshot is taken.
func (s *Store) List(ctx context.Context, q List) (Page, error) {
	o, err := orderOf(q.OrderBy)
	if err != nil {
		return Page{}, err
	}
	if q.After != "" && !strings.Contains(q.After, "\x00") {
		return Page{}, ErrBadPosition
	}
	type entry struct {
		pos string
		t   *token.Token
	}
	var matches []entry
	s.mu.RLock()
	for _, t := range s.byID {
		if t.UserID == q.UserID && (q.Match == nil || q.Match(t)) {
			matches = append(matches, entry{o.position(t), t})
		}
	}
	s.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return Page{}, err
	}
	sign := 1
	if q.Desc {
		sign = -1
	}
	slices.SortFunc(matches, func(a, b entry) int { return sign * strings.Compare(a.pos, b.pos) })
	var page Page
	if q.Count {
		page.Total = len(matches)
	}
	if q.After != "" {
		i, found := slices.BinarySearchFunc(matches, q.After, func(e entry, after string) int {
			return sign * strings.Compare(e.pos, after)
		})
		if found {
			i++ // the previous page's last item, still there
		}
		matches = matches[i:]
	} else {
		matches = matches[min(q.Skip, len(matches)):]
	}
	if q.Limit > 0 && len(matches) > q.Limit {
		matches = matches[:q.Limit]
		page.Next = matches[q.Limit-1].pos
	}
	page.Items = make([]*token.Token, len(matches))
	for i, e := range matches {
		page.Items[i] = e.t
	}
	return page, nil
}
