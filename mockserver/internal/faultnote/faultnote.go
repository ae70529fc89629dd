// Package faultnote hands the id of the fault rule applied to a request
// from the fault injector to the middleware around it (the journal, which
// records it in the request's entry) and to the handlers inside it.
package faultnote

import (
	"context"
	"sync"
)

// Note is where the journal's middleware finds the id of the rule applied
// to the request it records; the fault injector writes it from inside.
type Note struct {
	mu   sync.Mutex
	rule string
}

type noteKey struct{}

type appliedKey struct{}

// Attach returns a context carrying a new, empty Note, and the Note.
func Attach(ctx context.Context) (context.Context, *Note) {
	n := &Note{}
	return context.WithValue(ctx, noteKey{}, n), n
}

// Rule returns the id of the rule Set recorded, or "".
func (n *Note) Rule() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.rule
}

// Set records that rule id was applied to the request whose context is (or
// derives from) ctx, in the Note Attach put there, if any, and returns ctx
// carrying the id for Applied.
func Set(ctx context.Context, id string) context.Context {
	if n, ok := ctx.Value(noteKey{}).(*Note); ok {
		n.mu.Lock()
		n.rule = id
		n.mu.Unlock()
	}
	return context.WithValue(ctx, appliedKey{}, id)
}

// Applied returns the id of the rule applied to the request whose context
// is ctx, or "" if none was.
func Applied(ctx context.Context) string {
	id, _ := ctx.Value(appliedKey{}).(string)
	return id
}
