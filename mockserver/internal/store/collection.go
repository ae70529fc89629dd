package store

import (
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/btree"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// degree is the B-trees' minimum degree: nodes hold 15 to 31 tokens. Small
// nodes keep the copies a write makes short; larger ones save little.
const degree = 16

// order is a sort order of a user's tokens. The position of a token in an
// order, and its key, is its sort value, a NUL byte, then its id; orders
// compare keys byte by byte. Sort values hold no NUL (names are printable
// ASCII, times are written as sortableTime), so the NUL keeps "ab" before
// "abc" and the tie-break by id follows the value.
type order int

const (
	byCreated order = iota // creationTimestamp, then id
	byName                 // name, then id
	byID                   // id
	orders
)

// less orders two tokens of one user by o, as their keys compare.
func (o order) less(a, b *token.Token) bool {
	switch o {
	case byCreated:
		if c := a.CreationTimestamp.Compare(b.CreationTimestamp); c != 0 {
			return c < 0
		}
	case byName:
		if a.Name != b.Name {
			return a.Name < b.Name
		}
	}
	return a.ID < b.ID
}

// compare is less as a three-way comparison; keys are unique, so only a
// token compares equal to itself.
func (o order) compare(a, b *token.Token) int {
	switch {
	case a == b:
		return 0
	case o.less(a, b):
		return -1
	}
	return 1
}

// sortableTimeLayout writes a time with a fixed width, so that byte order
// is time order.
const sortableTimeLayout = "2006-01-02T15:04:05.000000000Z"

// value returns the sort value of t in o.
func (o order) value(t *token.Token) string {
	switch o {
	case byCreated:
		return t.CreationTimestamp.UTC().Format(sortableTimeLayout)
	case byName:
		return t.Name
	}
	return t.ID
}

// position returns t's key in o: what a List gets back as Page.Next.
func (o order) position(t *token.Token) string { return o.value(t) + "\x00" + t.ID }

// compareKey compares the key value+"\x00"+id with from byte by byte,
// without building the key.
func compareKey(value, id, from string) int {
	if len(from) <= len(value) {
		if c := strings.Compare(value[:len(from)], from); c != 0 {
			return c
		}
		return 1 // from is a prefix of the key
	}
	if c := strings.Compare(value, from[:len(value)]); c != 0 {
		return c
	}
	if from[len(value)] != 0 {
		return -1 // the key has the NUL there, below any other byte
	}
	return strings.Compare(id, from[len(value)+1:])
}

// pivot returns a token that sorts, in o, at or before the first key at or
// after from, and at or after the last key at or before it, so that a walk
// can start from it and step over the few keys on the wrong side of from.
// ok is false when no such token is cheap to find: the walk then starts at
// the end of the order.
func (o order) pivot(from string) (p *token.Token, ok bool) {
	value, id, _ := strings.Cut(from, "\x00")
	switch o {
	case byCreated:
		at, err := time.Parse(sortableTimeLayout, value)
		if err != nil || at.Format(sortableTimeLayout) != value {
			return nil, false
		}
		return &token.Token{CreationTimestamp: at, ID: id}, true
	case byName:
		return &token.Token{Name: value, ID: id}, true
	}
	return &token.Token{ID: value}, true
}

// collection is one user's tokens in every order.
type collection struct {
	trees [orders]*btree.BTreeG[*token.Token]
	// seen is set when a reader takes the collection (Store.collection):
	// from then on it must not change, and a write changes a clone. A
	// collection no reader has taken is changed in place, under the
	// store's lock, so that a run of writes copies nothing.
	seen atomic.Bool
}

func newCollection(free *btree.FreeListG[*token.Token]) *collection {
	var c collection
	for o := range orders {
		c.trees[o] = btree.NewWithFreeListG(degree, o.less, free)
	}
	return &c
}

// clone returns a copy of c that can be changed while readers walk c.
func (c *collection) clone() *collection {
	var n collection
	for o := range orders {
		n.trees[o] = c.trees[o].Clone()
	}
	return &n
}

func (c *collection) insert(t *token.Token) {
	for _, tree := range c.trees {
		tree.ReplaceOrInsert(t)
	}
}

func (c *collection) delete(t *token.Token) {
	for _, tree := range c.trees {
		tree.Delete(t)
	}
}

func (c *collection) len() int { return c.trees[byID].Len() }

// walk calls visit with c's tokens in o (descending with desc) from the
// first whose key is at or after from (descending: at or before it), or
// from the start when from is empty, until visit returns false.
func (c *collection) walk(o order, from string, desc bool, visit func(*token.Token) bool) {
	tree := c.trees[o]
	seeking := from != ""
	step := func(t *token.Token) bool {
		if seeking {
			if c := compareKey(o.value(t), t.ID, from); desc && c > 0 || !desc && c < 0 {
				return true
			}
			seeking = false
		}
		return visit(t)
	}
	var pivot *token.Token
	if seeking {
		var ok bool
		if pivot, ok = o.pivot(from); !ok {
			pivot = nil
		}
	}
	switch {
	case pivot == nil && !desc:
		tree.Ascend(step)
	case pivot == nil:
		tree.Descend(step)
	case !desc:
		tree.AscendGreaterOrEqual(pivot, step)
	default:
		tree.DescendLessOrEqual(pivot, step)
	}
}
