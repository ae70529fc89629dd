package faultnote

import (
	"context"
	"testing"
)

func TestSetReachesTheNote(t *testing.T) {
	ctx, n := Attach(context.Background())
	Set(context.WithValue(ctx, struct{}{}, 1), "f3")
	if n.Rule != "f3" {
		t.Errorf("Note.Rule = %q, want f3", n.Rule)
	}
}

func TestSetWithoutANoteDoesNothing(t *testing.T) {
	Set(context.Background(), "f1")
}
