package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/go-memdb"

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
	// Lower and Upper, when set, bound the sort value (the OrderBy field)
	// of every match, inclusively: a filter such as `name gte 'x'` under
	// orderBy=name. The store then seeks to the bound and stops past the
	// other instead of walking matches it would only filter out. Match must
	// still hold the filter itself; the bounds are only a shortcut.
	Lower, Upper       string
	HasLower, HasUpper bool
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

// orderIndex maps an orderBy field to its index. Within one user's list,
// userID, type and version are the same for every token, so sorting by them
// is sorting by the id tie-breaker alone.
func orderIndex(field string) (string, error) {
	switch field {
	case "":
		return indexCreated, nil
	case "name":
		return indexName, nil
	case "id", "userID", "type", "version":
		return indexByID, nil
	}
	return "", fmt.Errorf("store: cannot order by %q", field)
}

// checkEvery is how many tokens a walk visits between looks at its context.
const checkEvery = 256

// List returns one page of q.UserID's tokens from a consistent snapshot.
// The work is the seek plus the walk over skipped and non-matching tokens up
// to the page end; only Count walks the whole collection. A walk stops with
// ctx's error once ctx is done (the client has gone).
func (s *Store) List(ctx context.Context, q List) (Page, error) {
	index, err := orderIndex(q.OrderBy)
	if err != nil {
		return Page{}, err
	}
	prefix := append([]byte(q.UserID), 0)
	if q.After != "" && strings.IndexByte(q.After, 0) < 0 {
		return Page{}, ErrBadPosition
	}
	txn := s.db.Txn(false)
	var page Page
	if q.Count {
		page.Total, err = s.count(ctx, txn, index, prefix, q.Match)
		if err != nil {
			return Page{}, err
		}
	}
	start := q.After
	if start == "" {
		switch {
		case !q.Desc && q.HasLower:
			start = q.Lower
		case q.Desc && q.HasUpper:
			// Past every key whose value is Upper: ids are below 0xff.
			start = q.Upper + "\x00\xff"
		}
	}
	it, err := seek(txn, index, prefix, start, q.Desc)
	if err != nil {
		return Page{}, err
	}
	skip := q.Skip
	if q.After != "" {
		skip = 0
	}
	for n, raw := 1, it.Next(); raw != nil; n, raw = n+1, it.Next() {
		if n%checkEvery == 0 && ctx.Err() != nil {
			return Page{}, ctx.Err()
		}
		t := raw.(*token.Token)
		key := orderKey(t.UserID, sortValue(index, t), t.ID)
		if !bytes.HasPrefix(key, prefix) {
			break
		}
		if q.After != "" && string(key[len(prefix):]) == q.After {
			continue // the previous page's last item, if it still exists
		}
		if v := sortValue(index, t); !q.Desc && q.HasUpper && v > q.Upper || q.Desc && q.HasLower && v < q.Lower {
			break // every match lies before this point
		}
		if q.Match != nil && !q.Match(t) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if q.Limit > 0 && len(page.Items) == q.Limit {
			last := page.Items[len(page.Items)-1]
			page.Next = string(orderKey(last.UserID, sortValue(index, last), last.ID)[len(prefix):])
			break
		}
		page.Items = append(page.Items, t)
	}
	return page, nil
}

// seek positions an iterator on the first key of the user's range at or
// after (descending: at or before) from; the caller stops at the range end
// and steps over a previous page's last item.
func seek(txn *memdb.Txn, index string, prefix []byte, from string, desc bool) (memdb.ResultIterator, error) {
	start := append(append([]byte{}, prefix...), from...)
	if !desc {
		return txn.LowerBound(table, index, start)
	}
	if from == "" {
		// Every key of the range is below prefix+0xff: values are ASCII.
		start = append(start, 0xff)
	}
	return txn.ReverseLowerBound(table, index, start)
}

func (s *Store) count(ctx context.Context, txn *memdb.Txn, index string, prefix []byte, match func(*token.Token) bool) (int, error) {
	it, err := txn.LowerBound(table, index, prefix)
	if err != nil {
		return 0, err
	}
	n := 0
	for seen, raw := 1, it.Next(); raw != nil; seen, raw = seen+1, it.Next() {
		if seen%checkEvery == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		t := raw.(*token.Token)
		if t.UserID != string(prefix[:len(prefix)-1]) {
			break
		}
		if match == nil || match(t) {
			n++
		}
	}
	return n, nil
}
