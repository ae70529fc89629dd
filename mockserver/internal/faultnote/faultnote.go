// Package faultnote hands the id of the fault rule applied to a request
// from the fault injector to the middleware around it: the journal, which
// records it in the request's entry.
package faultnote

import "context"

// Note is where the journal's middleware finds the id of the rule applied
// to the request it records. The fault injector writes it from inside,
// before the journal's middleware returns, in the same goroutine.
type Note struct {
	// Rule is the id of the rule Set recorded, or "".
	Rule string
}

type noteKey struct{}

// Attach returns a context carrying a new, empty Note, and the Note.
func Attach(ctx context.Context) (context.Context, *Note) {
	n := &Note{}
	return context.WithValue(ctx, noteKey{}, n), n
}

// Set records that rule id was applied to the request whose context is (or
// derives from) ctx, in the Note Attach put there, if any.
func Set(ctx context.Context, id string) {
	if n, ok := ctx.Value(noteKey{}).(*Note); ok {
		n.Rule = id
	}
}
