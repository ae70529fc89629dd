package schemas_test

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// TestContractIsCurrent regenerates the problem catalogue of CONTRACT.md
// from problem.json and compares.
func TestContractIsCurrent(t *testing.T) {
	got, err := os.ReadFile(schemas.ContractFile)
	if err != nil {
		t.Fatal(err)
	}
	want, err := schemas.UpdateContract(got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Fatalf("CONTRACT.md is stale; run go generate ./schemas (-generated +file):\n%s", diff)
	}
}

func TestProblemTypesAreTheCatalogue(t *testing.T) {
	types, err := schemas.ProblemTypes()
	if err != nil {
		t.Fatal(err)
	}
	var numbers []int
	for _, p := range types {
		numbers = append(numbers, p.N)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 32, 33, 35, 38, 69, 85}, numbers); diff != "" {
		t.Errorf("problem types (-want +got):\n%s", diff)
	}
	want := schemas.ProblemType{N: 2, Status: "404", Title: "Collection not found", Detail: "The collection specified in the request URI wasn't found."}
	if diff := cmp.Diff(want, types[1]); diff != "" {
		t.Errorf("type 2 (-want +got):\n%s", diff)
	}
	for _, p := range types {
		if code := p.StatusCode(); code < 400 || code > 599 || strconv.Itoa(code) != p.Status {
			t.Errorf("type %d: status %q is not an error status", p.N, p.Status)
		}
		if p.Title == "" || p.Detail == "" {
			t.Errorf("type %d: problem.json does not fix its title and detail", p.N)
		}
	}
}

func TestUpdateContractNeedsItsMarkers(t *testing.T) {
	if _, err := schemas.UpdateContract([]byte("# no markers\n")); err == nil || !strings.Contains(err.Error(), "lacks the line") {
		t.Errorf("err = %v, want one naming the missing marker", err)
	}
}

var (
	specReference     = regexp.MustCompile(`\bSPEC\b`)
	contractReference = regexp.MustCompile(`CONTRACT(?:\.md)? §(\d+)`)
	markdownLink      = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	markdownHeading   = regexp.MustCompile(`(?m)^#{1,6} (.+)$`)
	markdownCode      = regexp.MustCompile("(?s)```.*?```|`[^`\n]*`")
)

// TestEveryReferenceResolves walks the repository: no file cites SPEC (which
// is not in it), every "CONTRACT.md §N" names a section of CONTRACT.md, and
// every relative Markdown link names a file of the repository (and, with
// #anchor into a Markdown file, one of its headings).
func TestEveryReferenceResolves(t *testing.T) {
	root := ".."
	contract, err := os.ReadFile(schemas.ContractFile)
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^## (\d+)\. `).FindAllStringSubmatch(string(contract), -1) {
		sections[m[1]] = true
	}
	if len(sections) < 9 {
		t.Fatalf("CONTRACT.md has sections %v, want 1 to 9", sections)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if d.IsDir() {
			if name := d.Name(); name == ".git" || name == "bin" || (strings.HasPrefix(name, ".") && p != root) {
				return filepath.SkipDir
			}
			return nil
		}
		switch path.Ext(rel) {
		case ".go", ".md", ".json", ".yaml", ".feature", ".txt":
		default:
			if d.Name() != "Makefile" {
				return nil
			}
		}
		text, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if specReference.Match(text) && rel != "schemas/contract_test.go" { // this file names what it looks for
			t.Errorf("%s cites SPEC, which is not in the repository: cite schemas/CONTRACT.md §N", rel)
		}
		for _, m := range contractReference.FindAllSubmatch(text, -1) {
			if !sections[string(m[1])] {
				t.Errorf("%s cites %q: CONTRACT.md has no section %s", rel, m[0], m[1])
			}
		}
		if path.Ext(rel) == ".md" {
			checkLinks(t, root, rel, text)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkLinks checks the relative links of the Markdown file rel.
func checkLinks(t *testing.T, root, rel string, text []byte) {
	t.Helper()
	for _, m := range markdownLink.FindAllSubmatch(markdownCode.ReplaceAll(text, nil), -1) {
		link := string(m[1])
		if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
			continue
		}
		file, anchor, _ := strings.Cut(link, "#")
		target := rel
		if file != "" {
			target = path.Join(path.Dir(rel), file)
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(target)))
		if err != nil {
			t.Errorf("%s links to %s: %v", rel, link, err)
			continue
		}
		if anchor != "" && path.Ext(target) == ".md" && !slices.Contains(anchors(data), anchor) {
			t.Errorf("%s links to %s: %s has no heading with anchor #%s", rel, link, target, anchor)
		}
	}
}

// anchors returns GitHub's anchors of the headings of a Markdown document:
// lower case, spaces as hyphens, punctuation other than - and _ dropped.
func anchors(doc []byte) []string {
	var out []string
	for _, m := range markdownHeading.FindAllSubmatch(markdownCode.ReplaceAll(doc, nil), -1) {
		var b bytes.Buffer
		for _, r := range strings.ToLower(strings.TrimSpace(string(m[1]))) {
			switch {
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r > 127:
				b.WriteRune(r)
			case r == ' ':
				b.WriteByte('-')
			}
		}
		out = append(out, b.String())
	}
	return out
}

// TestProblemKindsAreTheDocumentedTypes holds the ProblemKind constants to
// problem.json: every constant is documented, every documented type has a
// constant, and each name says what its title says.
func TestProblemKindsAreTheDocumentedTypes(t *testing.T) {
	documented, err := schemas.ProblemTypes()
	if err != nil {
		t.Fatal(err)
	}
	named := map[int]bool{}
	for _, k := range schemas.ProblemKinds() {
		if _, ok := schemas.LookupProblemType(int(k)); !ok {
			t.Errorf("ProblemKind %d is not documented in problem.json", k)
		}
		named[int(k)] = true
	}
	for _, d := range documented {
		if !named[d.N] {
			t.Errorf("problem.json documents type %d, which has no ProblemKind constant", d.N)
		}
	}
	for k, title := range map[schemas.ProblemKind]string{
		schemas.ProblemResourceNotFound: "Resource not found", schemas.ProblemCollectionNotFound: "Collection not found",
		schemas.ProblemMissingBearerToken: "Missing bearer token", schemas.ProblemInvalidBearerToken: "Invalid bearer token",
		schemas.ProblemInvalidQuery: "Invalid query parameters", schemas.ProblemUnsupportedQuery: "Query parameters not supported",
		schemas.ProblemInvalidJSON: "Invalid JSON payload", schemas.ProblemSchemaViolation: "Invalid JSON resource",
		schemas.ProblemExtendedValidation: "Invalid JSON resource", schemas.ProblemConflict: "JSON resource conflict",
		schemas.ProblemForbidden: "Operation not permitted", schemas.ProblemNotAcceptable: "Unsupported content type",
		schemas.ProblemInvalidAccountID: "Invalid account ID", schemas.ProblemInvalidResourceID: "Invalid resource ID",
		schemas.ProblemPreconditionFailed: "Precondition not met", schemas.ProblemMethodNotSupported: "Method not supported",
		schemas.ProblemRequestBodyTooLarge: "Request body too large",
	} {
		if got := k.Type().Title; got != title {
			t.Errorf("ProblemKind %d is %q, want the type titled %q", k, got, title)
		}
	}
}
