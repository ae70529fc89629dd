package schemas

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
)

type obj = map[string]any

// clone deep-copies a JSON value.
func clone(v any) any {
	switch v := v.(type) {
	case obj:
		m := make(obj, len(v))
		for k, x := range v {
			m[k] = clone(x)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, x := range v {
			a[i] = clone(x)
		}
		return a
	default:
		return v
	}
}

func baseMetadata() obj {
	return obj{
		"labels":                []any{obj{"name": "env", "value": "prod"}},
		"creationTimestamp":     "2022-10-06T20:58:16.305662Z",
		"modificationTimestamp": "2022-10-06T20:58:16.305662Z",
		"createdBy":             "8f84cf09-8036-51e4-b579-bd30cb07b269",
		"modifiedBy":            "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b",
	}
}

func baseToken() obj {
	return obj{
		"type":     "application/astra-token",
		"version":  "1.0",
		"id":       "4e99da96-152e-4aee-9207-4b6d04d2238d",
		"name":     "Snapshot Script",
		"userID":   "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b",
		"metadata": baseMetadata(),
	}
}

func baseCreated() obj {
	t := baseToken()
	t["token"] = "QSBKV1QgVG9rZW4gd291bGQgZ28gaGVyZS4="
	return t
}

func baseCreate() obj {
	return obj{"type": "application/astra-token", "version": "1.0", "name": "Snapshot Script"}
}

func baseUpdate() obj {
	return obj{"type": "application/astra-token", "version": "1.0"}
}

func baseList() obj {
	return obj{
		"type":    "application/astra-tokens",
		"version": "1.0",
		"items":   []any{baseToken(), []any{"4e99da96-152e-4aee-9207-4b6d04d2238d", "Snapshot Script"}},
		"metadata": obj{
			"continue": "eyJpZCI6IjRlOTlkYTk2In0=",
			"count":    json.Number("3"),
		},
	}
}

func baseProblem() obj {
	return obj{
		"type":          "https://astra.netapp.io/problems/1",
		"title":         "Resource not found",
		"detail":        "The resource specified in the request URI wasn't found.",
		"status":        "404",
		"correlationID": "3f5b1c2a-9d4e-4f6a-8b7c-1d2e3f4a5b6c",
	}
}

type schemaCase struct {
	name   string
	schema string
	base   func() obj
	mutate func(o obj)
}

func set(k string, v any) func(obj) { return func(o obj) { o[k] = v } }
func del(k string) func(obj) {
	return func(o obj) { delete(o, k) }
}
func setMeta(k string, v any) func(obj) {
	return func(o obj) { o["metadata"].(obj)[k] = v }
}

func run(t *testing.T, cases []schemaCase, wantValid bool) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := clone(c.base()).(obj)
			if c.mutate != nil {
				c.mutate(o)
			}
			body, err := json.Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			err = ValidateJSON(c.schema, body)
			switch {
			case wantValid && err != nil:
				t.Errorf("%s rejected %s: %v", c.schema, body, err)
			case !wantValid && err == nil:
				t.Errorf("%s accepted %s", c.schema, body)
			}
		})
	}
}

// TestSchemasAccept shows the bases (and some edge cases) are valid, so every
// rejection below is caused by its mutation alone.
func TestSchemasAccept(t *testing.T) {
	run(t, []schemaCase{
		{"token", Token, baseToken, nil},
		{"token v4 id", Token, baseToken, set("id", "2c022490-0fa7-4f18-8f45-81d6f21d6b7c")},
		{"token v5 id", Token, baseToken, set("id", "822fab12-c224-5d1f-8118-5fb5d2def8b9")},
		{"token nil uuid", Token, baseToken, set("id", "00000000-0000-0000-0000-000000000000")},
		{"token name 63", Token, baseToken, set("name", strings.Repeat("a", 63))},
		{"token name 1", Token, baseToken, set("name", "a")},
		{"token name 63 runes", Token, baseToken, set("name", strings.Repeat("é", 63))},
		{"token empty metadata", Token, baseToken, set("metadata", obj{})},
		{"token no labels", Token, baseToken, setMeta("labels", []any{})},
		{"timestamp no fraction", Token, baseToken, setMeta("creationTimestamp", "2022-10-06T20:58:16Z")},
		{"timestamp comma fraction", Token, baseToken, setMeta("creationTimestamp", "2022-10-06T20:58:16,5Z")},
		{"timestamp 9 digits", Token, baseToken, setMeta("creationTimestamp", "2022-10-06T20:58:16.123456789Z")},
		{"created", CreatedToken, baseCreated, nil},
		{"created empty secret", CreatedToken, baseCreated, set("token", "")},
		{"create", CreateRequest, baseCreate, nil},
		{"create with metadata", CreateRequest, baseCreate, set("metadata", baseMetadata())},
		{"update minimal", UpdateRequest, baseUpdate, nil},
		{"update full", UpdateRequest, baseToken, nil},
		{"list", TokenList, baseList, nil},
		{"list empty", TokenList, baseList, func(o obj) { o["items"] = []any{}; o["metadata"] = obj{} }},
		{"list count 0", TokenList, baseList, func(o obj) { o["metadata"].(obj)["count"] = 0 }},
		{"list metadata full", TokenList, baseList, func(o obj) { maps.Copy(o["metadata"].(obj), baseMetadata()) }},
		{"problem", Problem, baseProblem, nil},
		{"problem without correlationID", Problem, baseProblem, del("correlationID")},
		{"problem extra fields", Problem, baseProblem, set("instance", "/accounts/x")},
		{"problem about:blank", Problem, baseProblem, func(o obj) {
			o["type"], o["title"], o["detail"], o["status"] = "about:blank", "Service Unavailable", "fault injected", "503"
		}},
		{"problem undocumented type number", Problem, baseProblem, func(o obj) {
			o["type"], o["title"], o["status"] = "https://astra.netapp.io/problems/12", "Something", "400"
		}},
		{"problem invalidParams", Problem, baseProblem, func(o obj) {
			o["type"], o["title"], o["detail"], o["status"] = "https://astra.netapp.io/problems/5", "Invalid query parameters", "The supplied query parameters are invalid.", "400"
			o["invalidParams"] = []any{obj{"name": "limit", "reason": "must be a positive integer"}}
		}},
		{"problem 8", Problem, baseProblem, func(o obj) {
			o["type"], o["title"], o["detail"], o["status"] = "https://astra.netapp.io/problems/8", "Invalid JSON resource", "The request body JSON doesn't conform to the schema.", "400"
			o["schemaValidationFailure"] = "missing property 'name'"
		}},
	}, true)
}

// TestSchemasReject proves the schemas have teeth.
func TestSchemasReject(t *testing.T) {
	run(t, []schemaCase{
		// token (GET shape)
		{"token unknown field", Token, baseToken, set("color", "red")},
		{"token with secret on GET shape", Token, baseToken, set("token", "QSBKV1QgVG9rZW4gd291bGQgZ28gaGVyZS4=")},
		{"token name 64", Token, baseToken, set("name", strings.Repeat("a", 64))},
		{"token empty name", Token, baseToken, set("name", "")},
		{"token name not string", Token, baseToken, set("name", 5)},
		{"token wrong type", Token, baseToken, set("type", "application/astra-tokens")},
		{"token wrong version", Token, baseToken, set("version", "1.1")},
		{"token version number", Token, baseToken, set("version", 1.0)},
		{"token uppercase id", Token, baseToken, set("id", "4E99DA96-152E-4AEE-9207-4B6D04D2238D")},
		{"token v1 id", Token, baseToken, set("id", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")},
		{"token v4 bad variant", Token, baseToken, set("id", "4e99da96-152e-4aee-c207-4b6d04d2238d")},
		{"token id no dashes", Token, baseToken, set("id", "4e99da96152e4aee92074b6d04d2238d")},
		{"token bad userID", Token, baseToken, set("userID", "user-1")},
		{"token missing userID", Token, baseToken, del("userID")},
		{"token missing metadata", Token, baseToken, del("metadata")},
		{"token missing id", Token, baseToken, del("id")},
		{"timestamp with space", Token, baseToken, setMeta("creationTimestamp", "2022-10-06 20:58:16Z")},
		{"timestamp month 13", Token, baseToken, setMeta("creationTimestamp", "2022-13-06T20:58:16Z")},
		{"timestamp offset", Token, baseToken, setMeta("modificationTimestamp", "2022-10-06T20:58:16+01:00")},
		{"timestamp 10 digits", Token, baseToken, setMeta("creationTimestamp", "2022-10-06T20:58:16.1234567890Z")},
		{"timestamp date only", Token, baseToken, setMeta("creationTimestamp", "2022-10-06")},
		{"metadata createdBy not uuid", Token, baseToken, setMeta("createdBy", "admin")},
		{"metadata unknown field", Token, baseToken, setMeta("owner", "x")},
		{"label with extra field", Token, baseToken, setMeta("labels", []any{obj{"name": "a", "value": "b", "x": "c"}})},
		{"label without value", Token, baseToken, setMeta("labels", []any{obj{"name": "a"}})},
		{"label value not string", Token, baseToken, setMeta("labels", []any{obj{"name": "a", "value": 1}})},
		{"duplicate labels", Token, baseToken, setMeta("labels", []any{obj{"name": "a", "value": "b"}, obj{"name": "a", "value": "b"}})},
		{"labels not array", Token, baseToken, setMeta("labels", obj{"a": "b"})},
		// created token (201 shape)
		{"created missing secret", CreatedToken, baseCreated, del("token")},
		{"created secret not base64", CreatedToken, baseCreated, set("token", "mock-admin")},
		{"created unknown field", CreatedToken, baseCreated, set("secret", "x")},
		// create request (POST)
		{"create with id", CreateRequest, baseCreate, set("id", "4e99da96-152e-4aee-9207-4b6d04d2238d")},
		{"create with userID", CreateRequest, baseCreate, set("userID", "09f8933c-ad74-4f4e-8ef5-1ffaa0fb8e9b")},
		{"create with token", CreateRequest, baseCreate, set("token", "QSBKV1QgVG9rZW4gd291bGQgZ28gaGVyZS4=")},
		{"create unknown field", CreateRequest, baseCreate, set("expires", "never")},
		{"create missing name", CreateRequest, baseCreate, del("name")},
		{"create missing type", CreateRequest, baseCreate, del("type")},
		{"create missing version", CreateRequest, baseCreate, del("version")},
		{"create name 64", CreateRequest, baseCreate, set("name", strings.Repeat("n", 64))},
		{"create empty name", CreateRequest, baseCreate, set("name", "")},
		{"create name null", CreateRequest, baseCreate, set("name", nil)},
		{"create wrong type", CreateRequest, baseCreate, set("type", "application/astra-token+json")},
		{"create wrong version", CreateRequest, baseCreate, set("version", "2.0")},
		{"create bad labels", CreateRequest, baseCreate, set("metadata", obj{"labels": []any{"a"}})},
		// update request (PUT)
		{"update with token", UpdateRequest, baseUpdate, set("token", "QSBKV1QgVG9rZW4gd291bGQgZ28gaGVyZS4=")},
		{"update unknown field", UpdateRequest, baseUpdate, set("color", "red")},
		{"update missing type", UpdateRequest, baseUpdate, del("type")},
		{"update missing version", UpdateRequest, baseUpdate, del("version")},
		{"update bad id", UpdateRequest, baseUpdate, set("id", "1")},
		{"update name 64", UpdateRequest, baseUpdate, set("name", strings.Repeat("n", 64))},
		// list
		{"list item with secret", TokenList, baseList, func(o obj) { o["items"] = []any{baseCreated()} }},
		{"list item string", TokenList, baseList, set("items", []any{"4e99da96-152e-4aee-9207-4b6d04d2238d"})},
		{"list missing items", TokenList, baseList, del("items")},
		{"list missing metadata", TokenList, baseList, del("metadata")},
		{"list wrong type", TokenList, baseList, set("type", "application/astra-token")},
		{"list unknown field", TokenList, baseList, set("next", "x")},
		{"list metadata unknown field", TokenList, baseList, func(o obj) { o["metadata"].(obj)["total"] = 3 }},
		{"list count negative", TokenList, baseList, func(o obj) { o["metadata"].(obj)["count"] = -1 }},
		{"list count string", TokenList, baseList, func(o obj) { o["metadata"].(obj)["count"] = "3" }},
		{"list continue not base64", TokenList, baseList, func(o obj) { o["metadata"].(obj)["continue"] = "page-2" }},
		// problem
		{"problem status number", Problem, baseProblem, set("status", 404)},
		{"problem status not a code", Problem, baseProblem, set("status", "Not Found")},
		{"problem missing detail", Problem, baseProblem, del("detail")},
		{"problem missing title", Problem, baseProblem, del("title")},
		{"problem missing type", Problem, baseProblem, del("type")},
		{"problem missing status", Problem, baseProblem, del("status")},
		{"problem foreign type", Problem, baseProblem, set("type", "https://example.com/problems/1")},
		{"problem http type", Problem, baseProblem, set("type", "http://astra.netapp.io/problems/1")},
		{"problem wrong title for type", Problem, baseProblem, set("title", "Not found")},
		{"problem line-broken detail", Problem, baseProblem, set("detail", "The resource specified in the request URI wasn't\nfound.")},
		{"problem wrong status for type", Problem, baseProblem, set("status", "400")},
		{"problem bad correlationID", Problem, baseProblem, set("correlationID", "abc")},
		{"problem empty invalidParams", Problem, baseProblem, set("invalidParams", []any{})},
		{"problem invalidParams extra field", Problem, baseProblem, set("invalidParams", []any{obj{"name": "a", "reason": "b", "c": "d"}})},
		{"problem invalidParams missing reason", Problem, baseProblem, set("invalidParams", []any{obj{"name": "a"}})},
		{"problem duplicate invalidFields", Problem, baseProblem, set("invalidFields", []any{obj{"name": "a", "reason": "b"}, obj{"name": "a", "reason": "b"}})},
		{"problem schemaValidationFailure not string", Problem, baseProblem, set("schemaValidationFailure", obj{})},
	}, false)
}
