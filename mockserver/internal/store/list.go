package store

import (
	"context"
	"errors"
	"fmt"
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
	// Lower and Upper, when set, bound the sort value (the OrderBy field)
	// of every match, inclusively: a filter such as `name gte 'x'` under
	// orderBy=name. The store then seeks to the bound and stops past the
	// other instead of walking matches it would only filter out. Match must
	// still hold the filter itself; the bounds are only a shortcut, taken
	// for the orders by name and by id.
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

// checkEvery is how many tokens a walk visits between looks at its context.
const checkEvery = 256

// List returns one page of q.UserID's tokens from a consistent snapshot.
// The work is the seek plus the walk over skipped and non-matching tokens up
// to the page end; only Count walks the whole collection. A walk stops with
// ctx's error once ctx is done (the client has gone).
func (s *Store) List(ctx context.Context, q List) (Page, error) {
	o, err := orderOf(q.OrderBy)
	if err != nil {
		return Page{}, err
	}
	if q.After != "" && strings.IndexByte(q.After, 0) < 0 {
		return Page{}, ErrBadPosition
	}
	c := s.collection(q.UserID)
	if c == nil {
		return Page{}, nil
	}
	var page Page
	if q.Count {
		if page.Total, err = count(ctx, c, o, q.Match); err != nil {
			return Page{}, err
		}
	}
	from, lower, upper := q.start(o)
	skip := q.Skip
	if q.After != "" {
		skip = 0
	}
	if q.Match == nil {
		// Without a filter the page size is known to within the one
		// item a position may step over.
		size := max(c.len()-skip, 0)
		if q.Limit > 0 {
			size = min(size, q.Limit)
		}
		page.Items = make([]*token.Token, 0, size)
	}
	n := 0
	c.walk(o, from, q.Desc, func(t *token.Token) bool {
		n++
		if n%checkEvery == 0 && ctx.Err() != nil {
			err = ctx.Err()
			return false
		}
		if n == 1 && q.After != "" && compareKey(o.value(t), t.ID, q.After) == 0 {
			return true // the previous page's last item, if it still exists
		}
		if lower || upper {
			if v := o.value(t); !q.Desc && upper && v > q.Upper || q.Desc && lower && v < q.Lower {
				return false // every match lies before this point
			}
		}
		if q.Match != nil && !q.Match(t) {
			return true
		}
		if skip > 0 {
			skip--
			return true
		}
		if q.Limit > 0 && len(page.Items) == q.Limit {
			page.Next = o.position(page.Items[len(page.Items)-1])
			return false
		}
		page.Items = append(page.Items, t)
		return true
	})
	if err != nil {
		return Page{}, err
	}
	return page, nil
}

// start returns the key a walk in o starts at ("": the start of the order),
// and which bounds apply: bounds hold on sort values that are strings,
// names and ids.
func (q *List) start(o order) (from string, lower, upper bool) {
	lower, upper = q.HasLower && o != byCreated, q.HasUpper && o != byCreated
	switch {
	case q.After != "":
		return q.After, lower, upper
	case !q.Desc && lower:
		return q.Lower, lower, upper
	case q.Desc && upper:
		// Past every key whose value is Upper: ids are below 0xff.
		return q.Upper + "\x00\xff", lower, upper
	}
	return "", lower, upper
}

// count returns the number of c's tokens that match.
func count(ctx context.Context, c *collection, o order, match func(*token.Token) bool) (int, error) {
	n, seen := 0, 0
	var err error
	c.trees[o].Ascend(func(t *token.Token) bool {
		seen++
		if seen%checkEvery == 0 && ctx.Err() != nil {
			err = ctx.Err()
			return false
		}
		if match == nil || match(t) {
			n++
		}
		return true
	})
	return n, err
}
