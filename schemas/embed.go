// Package schemas holds the Token API contract in machine-readable form: one
// JSON Schema file per shape and the OpenAPI 3.1 document that refers to them.
// Everything is embedded, so the mock, the conformance suite and the tests all
// read the same bytes.
//
// # Files
//
//   - types.json: shared $defs (identifier, timestamp, base64, tokenName,
//     mediaType, version); every pattern is written there once.
//   - label.json, metadata.json, list-metadata.json: the Astra label and
//     metadata shapes.
//   - token.json (GET body, no secret), created-token.json (201 body, with the
//     secret), token-list.json (list body), create-request.json (POST body),
//     update-request.json (PUT body), problem.json (error body).
//   - openapi.yaml: the ten operations, referring to the files above by
//     relative $ref ("token.json", "types.json#/$defs/identifier"); no schema
//     is copied into it.
//
// All JSON Schemas are draft 2020-12, carry "$schema" and no "$id", and refer
// to each other by relative refs.
//
// # How references are resolved
//
// The sources use file references; what OpenAPI returns is bundled at load
// time. libopenapi loads openapi.yaml with its relative file references
// resolved directly (FS handed over as DocumentConfiguration.LocalFS, BasePath
// the virtual directory VirtualBasePath, so nothing is read from the disk), and
// libopenapi's own bundler (BundleBytesComposed) turns every referenced file
// into a component schema named after it: token.json becomes
// #/components/schemas/token, types.json#/$defs/identifier becomes
// #/components/schemas/types__identifier. BundledOpenAPI returns those bytes,
// OpenAPI the parsed document. The files stay the single source; a test checks
// that every bundled component equals its file.
//
// Direct file references were tried first and dropped: the document loads and
// validates without errors, but libopenapi-validator v0.16.2 then fails, in
// most freshly built validators, to compile response schemas that are a $ref
// to a file ("schema node was not found in its root document"), and recompiles
// them on every call, racing inside libopenapi's renderer.
//
// Compile and Compiler use santhosh-tekuri/jsonschema/v5 with every embedded
// *.json file added as a resource at ResourceBase+name
// ("file:///schemas/token.json"), so the same relative refs resolve there, with
// no bundling.
//
// # Validator notes
//
// The filter query parameter is declared as a string with a pattern, not as an
// exploded array, because libopenapi-validator (v0.16.2) checks patterns of
// every occurrence of a repeated string parameter, but ignores item patterns
// of array parameters and rejects literal commas in exploded ones; see the
// parameter's description in openapi.yaml.
package schemas

import "embed"

// FS holds every schema file (*.json) and the OpenAPI document (openapi.yaml).
//
//go:embed *.json *.yaml
var FS embed.FS

// bundledSpec is openapi.yaml bundled into one self-contained document,
// generated from the files of FS by `go generate ./schemas`, so that the
// mock does not bundle at start-up. TestTheBundledDocumentIsFresh fails when
// it is stale.
//
//go:embed bundled/openapi.yaml
var bundledSpec []byte
