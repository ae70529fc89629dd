package mockserver

import (
	"maps"
	"strings"
	"testing"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// TestEveryOperationHasItsHandler: New refuses a document operation
// without a handler, and a handler for an operation the document lacks.
func TestEveryOperationHasItsHandler(t *testing.T) {
	s := benchServer(t)
	ops, err := schemas.Operations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.routes(ops, handlers()); err != nil {
		t.Fatalf("the document's operations and the handlers: %v", err)
	}
	missing := handlers()
	delete(missing, "getGroupUserToken")
	if _, err := s.routes(ops, missing); err == nil || !strings.Contains(err.Error(), "no handler for getGroupUserToken") {
		t.Errorf("without the handler of getGroupUserToken: %v", err)
	}
	extra := maps.Clone(handlers())
	extra["patchUserToken"] = (*Server).update
	if _, err := s.routes(ops, extra); err == nil || !strings.Contains(err.Error(), "patchUserToken") {
		t.Errorf("with a handler for patchUserToken: %v", err)
	}
}
