package faultnote

import (
	"context"
	"testing"
)

func TestSetReachesTheNoteAndTheHandlersInside(t *testing.T) {
	ctx, n := Attach(context.Background())
	inner := Set(ctx, "f3")
	if got := n.Rule(); got != "f3" {
		t.Errorf("Note.Rule() = %q, want f3", got)
	}
	if got := Applied(inner); got != "f3" {
		t.Errorf("Applied = %q, want f3", got)
	}
	if got := Applied(ctx); got != "" {
		t.Errorf("Applied outside = %q, want empty", got)
	}
}

func TestSetWithoutANoteStillTellsTheHandlersInside(t *testing.T) {
	if got := Applied(Set(context.Background(), "f1")); got != "f1" {
		t.Errorf("Applied = %q, want f1", got)
	}
}
