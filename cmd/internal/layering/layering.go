// Package layering states the kit's architecture as policy, in the spirit
// of the Go tree's go/build/deps_test.go: which package may reach which,
// through any chain of non-test imports. Its test reads the real import
// graph with `go list -deps` and fails on any chain the policy forbids.
//
// The layers, from the bottom:
//
//   - schemas: the contract (OpenAPI document, JSON Schemas, problem
//     catalogue, operations). It reaches nothing of the kit.
//   - fixtures: the seed-data file format; it reads schemas only.
//   - mockserver/internal/{token,query,store}: the mock's domain, pure
//     computation: no HTTP, and no file format (the store has its own
//     types; the mock converts fixtures to them).
//   - mockserver (with internal/problem and the admin API, journal, fault
//     and mocktest): the mock behind an http.Handler.
//   - conformance: the suite. It judges any target from outside and never
//     reaches the mock, so it cannot agree with it by sharing code.
//   - cmd/astra-mock links the mock and not the suite; cmd/astra-conformance
//     links the suite and not the mock.
package layering

import (
	"fmt"
	"slices"
	"strings"
)

// Module is the kit's module path.
const Module = "github.com/astra-contract/astra-token-kit"

// A Rule forbids every package matching From to reach (import directly or
// through other packages) any package matching one of Never. Patterns are
// import paths relative to Module, or absolute ones for the standard
// library; a trailing "/..." matches the path and everything under it.
type Rule struct {
	From  string
	Never []string
	Why   string
}

// Policy is the kit's layering.
func Policy() []Rule {
	kit := []string{"fixtures", "mockserver/...", "conformance/...", "features", "cmd/..."}
	return []Rule{
		{From: "schemas/...", Never: kit,
			Why: "schemas is the one source of the contract's facts; everything reads it, it reads nothing of the kit"},
		{From: "fixtures/...", Never: []string{"mockserver/...", "conformance/...", "features", "cmd/..."},
			Why: "the fixtures file format is read by the mock and the suite alike and knows neither"},
		{From: "mockserver/internal/token", Never: []string{"net/http", "fixtures/...", "mockserver/internal/query", "mockserver/internal/store"},
			Why: "token is the domain's leaf: no HTTP, no file format"},
		{From: "mockserver/internal/query", Never: []string{"net/http", "fixtures/...", "mockserver/internal/store"},
			Why: "list queries are parsed and encoded without HTTP"},
		{From: "mockserver/internal/store", Never: []string{"net/http", "fixtures/...", "schemas/..."},
			Why: "the store holds the domain's own types, not the fixtures file format, and knows no HTTP"},
		{From: "mockserver/...", Never: []string{"conformance/...", "features", "cmd/..."},
			Why: "the mock does not know the suite that judges it"},
		{From: "conformance/...", Never: []string{"mockserver/...", "cmd/..."},
			Why: "the suite judges any target from outside and never shares the mock's code"},
		{From: "features", Never: []string{"mockserver/...", "conformance/...", "fixtures", "schemas", "cmd/..."},
			Why: "the feature files are data"},
		{From: "cmd/astra-mock/...", Never: []string{"conformance/...", "features"},
			Why: "the mock's binary carries no suite"},
		{From: "cmd/astra-conformance/...", Never: []string{"mockserver/..."},
			Why: "the suite's binary carries no mock"},
	}
}

// Graph maps each package's import path to its direct non-test imports.
type Graph map[string][]string

// kitDirs are the kit's top-level directories: a pattern starting with one
// of them is relative to Module; any other names a standard-library or
// third-party package.
var kitDirs = []string{"schemas", "fixtures", "mockserver", "conformance", "features", "cmd"}

// match reports whether path matches pattern (see Rule).
func match(pattern, path string) bool {
	if slices.Contains(kitDirs, strings.SplitN(pattern, "/", 2)[0]) {
		pattern = Module + "/" + pattern
	}
	if p, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == p || strings.HasPrefix(path, p+"/")
	}
	return path == pattern
}

// Check returns one line per forbidden chain in g: the package, the
// forbidden package it reaches, the shortest chain of imports between them,
// and the rule's reason. No line means the layering holds.
func Check(g Graph, policy []Rule) []string {
	var out []string
	froms := make([]string, 0, len(g))
	for p := range g {
		froms = append(froms, p)
	}
	slices.Sort(froms)
	for _, r := range policy {
		for _, from := range froms {
			if !match(r.From, from) {
				continue
			}
			for _, chain := range reach(g, from) {
				to := chain[len(chain)-1]
				for _, never := range r.Never {
					if match(never, to) {
						out = append(out, fmt.Sprintf("%s reaches %s (%s): %s",
							short(from), short(to), strings.Join(mapShort(chain), " → "), r.Why))
						break
					}
				}
			}
		}
	}
	return out
}

// reach returns, for every package from reaches, the shortest import chain
// from from to it, in breadth-first order.
func reach(g Graph, from string) [][]string {
	parent := map[string]string{from: ""}
	queue := []string{from}
	var chains [][]string
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, imp := range g[p] {
			if _, seen := parent[imp]; seen {
				continue
			}
			parent[imp] = p
			queue = append(queue, imp)
			chain := []string{imp}
			for q := p; q != ""; q = parent[q] {
				chain = append(chain, q)
			}
			slices.Reverse(chain)
			chains = append(chains, chain)
		}
	}
	return chains
}

func short(p string) string { return strings.TrimPrefix(p, Module+"/") }

func mapShort(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = short(p)
	}
	return out
}
