package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ProblemTypeBase is the URI every documented problem type starts with; the
// number follows it.
const ProblemTypeBase = "https://astra.netapp.io/problems/"

// ProblemType is one documented problem type: the number at the end of its
// type URI and the status, title and detail problem.json fixes for it.
type ProblemType struct {
	N      int
	Status string // as on the wire: "404"
	Title  string
	Detail string
}

// URI returns the type URI, https://astra.netapp.io/problems/N.
func (p ProblemType) URI() string { return ProblemTypeBase + strconv.Itoa(p.N) }

// StatusCode returns the HTTP status of the type as a number.
func (p ProblemType) StatusCode() int {
	n, _ := strconv.Atoi(p.Status) // a test checks every status is a number
	return n
}

// ProblemKind is a documented problem type, named by the number at the end
// of its type URI. Its status, title and detail are what problem.json fixes
// (Type); the constants name every type it documents, and a test holds the
// two together.
type ProblemKind int

// The documented problem types (CONTRACT.md §6).
const (
	ProblemResourceNotFound    ProblemKind = 1
	ProblemCollectionNotFound  ProblemKind = 2
	ProblemMissingBearerToken  ProblemKind = 3
	ProblemInvalidBearerToken  ProblemKind = 4
	ProblemInvalidQuery        ProblemKind = 5
	ProblemUnsupportedQuery    ProblemKind = 6
	ProblemInvalidJSON         ProblemKind = 7
	ProblemSchemaViolation     ProblemKind = 8
	ProblemExtendedValidation  ProblemKind = 9
	ProblemConflict            ProblemKind = 10
	ProblemForbidden           ProblemKind = 11
	ProblemNotAcceptable       ProblemKind = 32
	ProblemInvalidAccountID    ProblemKind = 33
	ProblemInvalidResourceID   ProblemKind = 35
	ProblemPreconditionFailed  ProblemKind = 38
	ProblemMethodNotSupported  ProblemKind = 69
	ProblemRequestBodyTooLarge ProblemKind = 85
)

// ProblemKinds lists the ProblemKind constants, in number order.
func ProblemKinds() []ProblemKind {
	return []ProblemKind{
		ProblemResourceNotFound, ProblemCollectionNotFound, ProblemMissingBearerToken, ProblemInvalidBearerToken, ProblemInvalidQuery, ProblemUnsupportedQuery, ProblemInvalidJSON, ProblemSchemaViolation, ProblemExtendedValidation, ProblemConflict, ProblemForbidden, ProblemNotAcceptable, ProblemInvalidAccountID, ProblemInvalidResourceID, ProblemPreconditionFailed, ProblemMethodNotSupported, ProblemRequestBodyTooLarge,
	}
}

// Type returns what problem.json fixes for k; it panics for a number
// problem.json does not document (no constant is such a number, and a test
// checks every one).
func (k ProblemKind) Type() ProblemType {
	p, ok := LookupProblemType(int(k))
	if !ok {
		panic(fmt.Sprintf("schemas: problem type %d is not documented in %s", k, Problem))
	}
	return p
}

// URI returns the problem type URI, https://astra.netapp.io/problems/N.
func (k ProblemKind) URI() string { return k.Type().URI() }

// Status returns the HTTP status of k.
func (k ProblemKind) Status() int { return k.Type().StatusCode() }

// ProblemMediaType is the media type of every problem body, as openapi.yaml
// declares it for every error response.
const ProblemMediaType = "application/problem+json"

// problemTypes is the catalogue, read once: it comes from the embedded
// problem.json, so it is the same on every call.
var catalogue = sync.OnceValues(ProblemTypes)

// LookupProblemType returns the documented problem type number n, or false
// when problem.json does not document it.
func LookupProblemType(n int) (ProblemType, bool) {
	types, _ := catalogue() // none if problem.json does not read
	i, ok := slices.BinarySearchFunc(types, n, func(p ProblemType, n int) int { return p.N - n })
	if !ok {
		return ProblemType{}, false
	}
	return types[i], true
}

// ProblemTypes reads the problem catalogue from problem.json: one entry per
// "if type is N then title, detail and status are fixed" clause of its
// allOf, in number order. It is the one source of the catalogue for the
// suite and for CONTRACT.md. problem.json is embedded: the tests check that
// every clause fixes an error status, a title and a detail, once per type.
func ProblemTypes() ([]ProblemType, error) {
	doc, err := problemDocument()
	if err != nil {
		return nil, err
	}
	var out []ProblemType
	for i, clause := range doc.AllOf {
		typ := clause.If.Properties["type"].Const
		n, ok := strings.CutPrefix(typ, ProblemTypeBase)
		num, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("schemas: %s allOf[%d]: if type is %q, not %sN", Problem, i, typ, ProblemTypeBase)
		}
		then := clause.Then.Properties
		out = append(out, ProblemType{N: num, Status: then["status"].Const, Title: then["title"].Const, Detail: then["detail"].Const})
	}
	slices.SortFunc(out, func(a, b ProblemType) int { return a.N - b.N })
	return out, nil
}

// problemSchema is the part of problem.json the catalogue is read from.
type problemSchema struct {
	Required   []string `json:"required"`
	Properties map[string]struct {
		Type        string `json:"type"`
		Ref         string `json:"$ref"`
		Description string `json:"description"`
		Const       string `json:"const"`
	} `json:"properties"`
	AllOf []struct {
		If   problemSchema `json:"if"`
		Then problemSchema `json:"then"`
	} `json:"allOf"`
}

func problemDocument() (*problemSchema, error) {
	b, err := FS.ReadFile(Problem)
	if err != nil {
		return nil, fmt.Errorf("schemas: %w", err)
	}
	var doc problemSchema
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("schemas: reading %s: %w", Problem, err)
	}
	return &doc, nil
}

// ContractFile is the contract document, beside the schemas in the
// repository (it is not embedded).
const ContractFile = "CONTRACT.md"

// The markers around the generated problem catalogue in CONTRACT.md.
const (
	catalogueBegin = "<!-- BEGIN problem catalogue: generated by `go generate ./schemas` from problem.json; do not edit. -->"
	catalogueEnd   = "<!-- END problem catalogue -->"
)

// ProblemCatalogue renders the problem catalogue of CONTRACT.md §6 from
// problem.json: a table of the documented types, then one of the members
// problem.json describes besides the four required ones, in name order.
func ProblemCatalogue() ([]byte, error) {
	types, err := ProblemTypes()
	if err != nil {
		return nil, err
	}
	doc, err := problemDocument()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("| type | status | title | detail |\n|---|---|---|---|\n")
	for _, p := range types {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", p.URI(), p.Status, cell(p.Title), cell(p.Detail))
	}
	b.WriteString("\nBesides `type`, `title`, `detail` and `status`, a problem may carry:\n\n")
	b.WriteString("| member | JSON type | meaning |\n|---|---|---|\n")
	for _, name := range slices.Sorted(maps.Keys(doc.Properties)) {
		if slices.Contains(doc.Required, name) {
			continue
		}
		p := doc.Properties[name]
		typ := p.Type
		switch {
		case p.Ref != "":
			typ = "identifier"
		case typ == "array":
			typ = "array of {name, reason}"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", name, typ, cell(p.Description))
	}
	return b.Bytes(), nil
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// UpdateContract returns doc, the text of CONTRACT.md, with the problem
// catalogue between its markers regenerated from problem.json. `go generate
// ./schemas` writes the result; a test fails when the file is stale.
func UpdateContract(doc []byte) ([]byte, error) {
	before, rest, ok := bytes.Cut(doc, []byte(catalogueBegin))
	if !ok {
		return nil, errors.New("schemas: " + ContractFile + " lacks the line " + catalogueBegin)
	}
	_, after, ok := bytes.Cut(rest, []byte(catalogueEnd))
	if !ok {
		return nil, errors.New("schemas: " + ContractFile + " lacks the line " + catalogueEnd)
	}
	table, err := ProblemCatalogue()
	if err != nil {
		return nil, err
	}
	return slices.Concat(before, []byte(catalogueBegin+"\n\n"), table, []byte("\n"+catalogueEnd), after), nil
}
