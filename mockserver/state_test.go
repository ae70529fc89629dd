package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func do(t *testing.T, s *Server, method, target, auth, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if auth != "" {
		r.Header.Set("Authorization", "Bearer "+auth)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// TestStateExportResetAndReplace walks the state API an admin endpoint is
// built on: a created token is exported (as a hash), Reset forgets it and
// its credential, SetState with the export brings both back.
func TestStateExportResetAndReplace(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := do(t, s, http.MethodPost, benchBase, "mock-snapshot-taker", `{"type":"application/astra-token","version":"1.0","name":"kept"}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var created struct{ ID, Token string }
	json.Unmarshal(w.Body.Bytes(), &created)

	saved := s.State()
	exported, _ := json.Marshal(saved)
	if strings.Contains(string(exported), created.Token) || strings.Contains(string(exported), `"secret"`) {
		t.Fatal("the exported state carries a plain secret")
	}
	if !strings.Contains(string(exported), created.ID) {
		t.Fatal("the exported state lacks the created token")
	}

	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	if w := do(t, s, http.MethodGet, benchBase, created.Token, ""); w.Code != http.StatusUnauthorized {
		t.Fatalf("after Reset the new credential answers %d, want 401", w.Code)
	}
	if w := do(t, s, http.MethodGet, benchBase+"/"+created.ID, "mock-admin", ""); w.Code != http.StatusNotFound {
		t.Fatalf("after Reset the created token answers %d, want 404", w.Code)
	}

	if err := s.SetState(saved); err != nil {
		t.Fatal(err)
	}
	if w := do(t, s, http.MethodGet, benchBase+"/"+created.ID, created.Token, ""); w.Code != http.StatusOK {
		t.Fatalf("after SetState the token read with its own credential answers %d, want 200", w.Code)
	}
}
