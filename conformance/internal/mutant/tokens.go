package mutant

import (
	"net/http"
	"strings"
	"sync"

	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
)

// tokenEditor rewrites the token representations of GET answers: the body
// of a GET of one token and, with lists set, every item of a list page
// (projected items as far as their included fields go). A rewritten token's
// ETag is recomputed from the bytes sent, as the mock computes it, and
// remembered, so that a later If-Match carrying it still matches: the
// mutant changes what the token looks like, not how preconditions work.
type tokenEditor struct {
	next  http.Handler
	lists bool
	edit  func(r *http.Request, tok map[string]any)

	mu    sync.Mutex
	etags map[string]string // ETag sent → the mock's ETag
}

// editTokens is the Wrap of a tokenEditor.
func editTokens(lists bool, edit func(r *http.Request, tok map[string]any)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return &tokenEditor{next: next, lists: lists, edit: edit, etags: map[string]string{}}
	}
}

func (e *tokenEditor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPut {
		e.translateIfMatch(r)
	}
	a := serve(e.next, r)
	switch {
	case a.status != http.StatusOK:
	case isItemGet(r):
		if m, ok := a.object(); ok {
			e.edit(r, m)
			a.setObject(m)
			if old := strings.Trim(a.header.Get("ETag"), `"`); old != "" {
				tag := wire.ETag(a.body)
				e.mu.Lock()
				e.etags[tag] = old
				e.mu.Unlock()
				a.header.Set("ETag", `"`+tag+`"`)
			}
		}
	case e.lists && isList(r):
		if m, ok := a.object(); ok {
			items, _ := m["items"].([]any)
			include, _ := queryValue(r, "include")
			fields := strings.Split(include, ",")
			for _, it := range items {
				switch v := it.(type) {
				case map[string]any:
					e.edit(r, v)
				case []any:
					view := map[string]any{}
					for i, f := range fields {
						if i < len(v) {
							view[f] = v[i]
						}
					}
					e.edit(r, view)
					for i, f := range fields {
						if x, ok := view[f]; ok && i < len(v) {
							v[i] = x
						}
					}
				}
			}
			a.setObject(m)
		}
	}
	a.send(w)
}

// translateIfMatch replaces ETags this mutant made up by the mock's own.
func (e *tokenEditor) translateIfMatch(r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	values := r.Header["If-Match"]
	for i, v := range values {
		tags := strings.Split(v, ",")
		for j, tag := range tags {
			t := strings.TrimSpace(tag)
			if strings.HasPrefix(t, "W/") {
				continue
			}
			if old, ok := e.etags[strings.Trim(t, `"`)]; ok {
				tags[j] = `"` + old + `"`
			}
		}
		values[i] = strings.Join(tags, ",")
	}
}
