package layering

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// moduleRoot is the directory of the kit's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// importGraph reads the non-test import graph of every package of the
// module with `go list -deps`, with extra go list arguments (an -overlay).
func importGraph(t *testing.T, extra ...string) Graph {
	t.Helper()
	args := append([]string{"list", "-deps", "-e", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}"}, extra...)
	cmd := exec.Command("go", append(args, "./...")...)
	cmd.Dir = moduleRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	g := Graph{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		g[f[0]] = f[1:]
	}
	if len(g[Module+"/mockserver"]) == 0 {
		t.Fatalf("go list gave no imports for %s/mockserver:\n%s", Module, out)
	}
	return g
}

// TestTheLayeringHolds is the policy check: no package of the kit reaches
// a package its layer must not know.
func TestTheLayeringHolds(t *testing.T) {
	for _, v := range Check(importGraph(t), Policy()) {
		t.Error(v)
	}
}

// TestAForbiddenImportFails adds, through a go list overlay (the files on
// disk are untouched), a store file importing net/http and a suite file
// importing the mock, and checks that the policy names both chains.
func TestAForbiddenImportFails(t *testing.T) {
	root := moduleRoot(t)
	dir := t.TempDir()
	files := map[string]string{
		filepath.Join(root, "mockserver/internal/store/zz_forbidden.go"): "package store\n\nimport _ \"net/http\"\n",
		filepath.Join(root, "conformance/zz_forbidden.go"):               "package conformance\n\nimport _ \"" + Module + "/mockserver\"\n",
	}
	overlay := struct{ Replace map[string]string }{Replace: map[string]string{}}
	for path, src := range files {
		tmp := filepath.Join(dir, filepath.Base(filepath.Dir(path))+".go")
		if err := os.WriteFile(tmp, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		overlay.Replace[path] = tmp
	}
	b, err := json.Marshal(overlay)
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(Check(importGraph(t, "-overlay="+overlayFile), Policy()), "\n")
	for _, want := range []string{
		"mockserver/internal/store reaches net/http (mockserver/internal/store → net/http)",
		"conformance reaches mockserver (conformance → mockserver)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the check did not report %q; it reported:\n%s", want, got)
		}
	}
}

// TestCheckNamesTheShortestChain checks the checker on a graph made up for
// it: a chain through two packages, and a pattern with /... .
func TestCheckNamesTheShortestChain(t *testing.T) {
	g := Graph{
		Module + "/mockserver/internal/query": {Module + "/mockserver/internal/token", "strings"},
		Module + "/mockserver/internal/token": {"io", "net/url"},
		"net/url":                             {"net/http"}, // made up
		"net/http":                            {"io"},
		"io":                                  nil,
		"strings":                             nil,
	}
	got := Check(g, []Rule{{From: "mockserver/internal/...", Never: []string{"net/http"}, Why: "no HTTP"}})
	want := []string{
		"mockserver/internal/query reaches net/http (mockserver/internal/query → mockserver/internal/token → net/url → net/http): no HTTP",
		"mockserver/internal/token reaches net/http (mockserver/internal/token → net/url → net/http): no HTTP",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
