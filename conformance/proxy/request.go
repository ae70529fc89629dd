package proxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/parameters"
	"github.com/pb33f/libopenapi-validator/paths"
	"github.com/pb33f/libopenapi-validator/radix"
	"github.com/pb33f/libopenapi-validator/requests"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/astra-contract/astra-token-kit/conformance"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// MaxBody is the largest request body the proxy judges, and the most of
// one it holds: CONTRACT.md §5 refuses bodies over 64 KiB (413, problem
// type 85). A larger body is forwarded as it comes, and reported.
const MaxBody = 64 << 10

// maxParams is the most query parameters a request is judged by, as the
// mock names at most 100 in a problem: libopenapi-validator's strict check
// costs the square of their number.
const maxParams = 100

// defect is one way a request breaks the contract.
type defect struct {
	rule   *Rule
	detail string
	// problem is the type prescribed when the rule allows two (the path
	// ids); 0 for the rule's own.
	problem int
}

// requestJudge checks requests against the OpenAPI document with
// libopenapi-validator: path and query parameters in strict mode (a
// parameter the operation does not declare is reported), the body against
// the operation's schema. It is built once and shared.
type requestJudge struct {
	model   *v3.Document
	options *config.ValidationOptions // to find paths: a path tree, a regex cache
	params  parameters.ParameterValidator
	bodies  requests.RequestBodyValidator
	// The fields list queries may name, from token.json: include takes
	// every member, orderBy the string ones, filter any string leaf.
	include, orderBy, filter map[string]bool
	// validPaths remembers the paths whose ids the validator passed, as
	// the mock does: its check costs about as much as the rest of a
	// proxied GET.
	validPaths schemas.KnownValid
}

var newRequestJudge = sync.OnceValues(func() (*requestJudge, error) {
	doc, err := schemas.OpenAPI()
	if err != nil {
		return nil, err
	}
	built, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	regexes := &sync.Map{}
	j := &requestJudge{model: &built.Model, include: map[string]bool{}, orderBy: map[string]bool{}, filter: map[string]bool{},
		options: config.NewValidationOptions(config.WithPathTree(radix.BuildPathTree(&built.Model)), config.WithRegexCache(regexes))}
	// Building the validator compiles every schema of the document (its
	// caches are warm before the first request); no libopenapi build may
	// run beside it.
	err = schemas.WithBuildLock(func() error {
		v, errs := validator.NewValidator(doc, config.WithoutSecurityValidation(), config.WithStrictMode(), config.WithRegexCache(regexes))
		if len(errs) > 0 {
			return fmt.Errorf("proxy: building the request validator: %v", errs)
		}
		j.params, j.bodies = v.GetParameterValidator(), v.GetRequestBodyValidator()
		return nil
	})
	if err != nil {
		return nil, err
	}
	token, err := schemas.Compile(schemas.Token)
	if err != nil {
		return nil, err
	}
	for name, s := range token.Properties {
		j.include[name] = true
		if slices.Contains(resolve(s).Types, "string") {
			j.orderBy[name] = true
		}
		leaves(s, name, j.filter)
	}
	return j, nil
})

// resolve follows a schema's $ref.
func resolve(s *jsonschema.Schema) *jsonschema.Schema {
	for s.Ref != nil {
		s = s.Ref
	}
	return s
}

// leaves adds the paths of the string leaves of s, at path, to out: the
// fields a filter may name ("metadata.labels[*].name").
func leaves(s *jsonschema.Schema, path string, out map[string]bool) {
	s = resolve(s)
	if slices.Contains(s.Types, "string") {
		out[path] = true
	}
	for name, p := range s.Properties {
		leaves(p, path+"."+name, out)
	}
	if items, ok := s.Items.(*jsonschema.Schema); ok {
		leaves(items, path+"[*]", out)
	}
	if s.Items2020 != nil {
		leaves(s.Items2020, path+"[*]", out)
	}
}

// judge returns what is wrong with r, whose body (at most MaxBody bytes of
// it, over when there was more) is body, and the operation it addresses
// (false when none).
func (j *requestJudge) judge(r *http.Request, body []byte, over bool) (schemas.Operation, bool, []defect) {
	item, errs, template := paths.FindPath(r, j.model, j.options)
	if item == nil || len(errs) > 0 {
		if len(errs) > 0 && errs[0].ValidationSubType == helpers.ValidationMissingOperation {
			return schemas.Operation{}, false, []defect{{rule: ruleMethod, detail: r.Method + " " + template}}
		}
		return schemas.Operation{}, false, []defect{{rule: ruleUnknownPath, detail: r.URL.Path}}
	}
	op, _ := schemas.FindOperation(r)
	var out []defect
	switch auth := r.Header.Get("Authorization"); {
	case auth == "":
		out = append(out, defect{rule: ruleNoCredential})
	case !strings.HasPrefix(auth, "Bearer ") || strings.TrimSpace(auth[len("Bearer "):]) == "":
		out = append(out, defect{rule: ruleCredentialForm, detail: "the header is not Bearer and a credential"})
	}
	for _, e := range j.pathErrors(r, item, template) {
		d := defect{rule: ruleResourceID, detail: e.ParameterName + ": " + reason(e)}
		if e.ParameterName == "account_id" {
			d.rule = ruleAccountID
		}
		out = append(out, d)
	}
	out = append(out, j.query(r, op, item, template)...)
	if accept := r.Header.Get("Accept"); !conformance.AcceptsJSON(accept) {
		out = append(out, defect{rule: ruleAccept, detail: "Accept: " + accept})
	}
	if op.Method == http.MethodPost || op.Method == http.MethodPut {
		out = append(out, j.body(r, op, item, template, body, over)...)
	}
	return op, true, out
}

// pathErrors returns what the validator finds wrong with the ids in the
// path of r, a request to template; a path it passed is remembered.
func (j *requestJudge) pathErrors(r *http.Request, item *v3.PathItem, template string) []*verrors.ValidationError {
	key := r.Method + " " + template + "\n" + r.URL.Path + "\n" + r.URL.RawPath
	if j.validPaths.Has(key) {
		return nil
	}
	ok, errs := j.params.ValidatePathParamsWithPathItem(r, item, template)
	if ok {
		j.validPaths.Add(key)
	}
	return errs
}

// query judges the query of a request to op.
func (j *requestJudge) query(r *http.Request, op schemas.Operation, item *v3.PathItem, template string) []defect {
	if r.URL.RawQuery == "" {
		return nil
	}
	declared, _ := op.QueryParameters()
	malformed := ruleQueryInvalid
	if len(declared) == 0 {
		malformed = ruleQueryUnsupported
	}
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return []defect{{rule: malformed, detail: "the query does not parse: " + err.Error()}}
	}
	var out []defect
	judged := r
	if raw := strings.Split(r.URL.RawQuery, "&"); len(raw) > maxParams {
		out = append(out, defect{rule: malformed, detail: fmt.Sprintf("%d parameters; the first %d judged", len(raw), maxParams)})
		u := *r.URL
		u.RawQuery = strings.Join(raw[:maxParams], "&")
		judged = r.Clone(r.Context())
		judged.URL = &u
	}
	if ok, errs := j.params.ValidateQueryParamsWithPathItem(judged, item, template); !ok {
		for _, e := range errs {
			d := defect{rule: ruleQueryInvalid, detail: e.ParameterName + ": " + reason(e)}
			if e.ValidationType == verrors.StrictValidationType {
				d.rule = ruleQueryUnsupported
			}
			out = append(out, d)
		}
		return out
	}
	// The fields the patterns leave open: CONTRACT.md §4 lists those of a
	// token.
	for _, v := range values["include"] {
		for _, f := range strings.Split(v, ",") {
			if !j.include[f] {
				out = append(out, defect{rule: ruleQueryInvalid, detail: fmt.Sprintf("include: no field %q", f)})
			}
		}
	}
	for _, v := range values["orderBy"] {
		if f := orderField(v); !j.orderBy[f] {
			out = append(out, defect{rule: ruleQueryInvalid, detail: fmt.Sprintf("orderBy: no field %q to order by", f)})
		}
	}
	for _, v := range values["filter"] {
		if f, _, _ := parseFilter(v); !j.filter[f] {
			out = append(out, defect{rule: ruleQueryInvalid, detail: fmt.Sprintf("filter: no field %q", f)})
		}
	}
	return out
}

// body judges the body of a POST or PUT to op.
func (j *requestJudge) body(r *http.Request, op schemas.Operation, item *v3.PathItem, template string, body []byte, over bool) []defect {
	if over {
		return []defect{{rule: ruleBodySize, detail: fmt.Sprintf("more than %d bytes", MaxBody)}}
	}
	if !json.Valid(body) || !utf8.Valid(body) {
		return []defect{{rule: ruleBodyJSON}}
	}
	// Content-Type is not enforced (CONTRACT.md §5): the body is read as
	// JSON whatever it says.
	req := r.Clone(r.Context())
	req.Header.Set("Content-Type", "application/json")
	req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	if ok, errs := j.bodies.ValidateRequestBodyWithPathItem(req, item, template); !ok {
		var lines []string
		for _, e := range errs {
			lines = append(lines, reason(e))
		}
		return []defect{{rule: ruleBodySchema, detail: strings.Join(lines, "; ")}}
	}
	var doc struct {
		Name   *string `json:"name"`
		ID     *string `json:"id"`
		UserID *string `json:"userID"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return nil
	}
	var out []defect
	if doc.Name != nil {
		if why := nameProblem(*doc.Name); why != "" {
			out = append(out, defect{rule: ruleBodyName, detail: why})
		}
	}
	if op.Method == http.MethodPut {
		p := pathParams(template, r.URL.Path)
		if doc.ID != nil && *doc.ID != p["token_id"] {
			out = append(out, defect{rule: ruleBodyConflict, detail: fmt.Sprintf("id %s, path token %s", *doc.ID, p["token_id"])})
		}
		if doc.UserID != nil && *doc.UserID != p["user_id"] {
			out = append(out, defect{rule: ruleBodyConflict, detail: fmt.Sprintf("userID %s, path user %s", *doc.UserID, p["user_id"])})
		}
	}
	return out
}

// nameProblem says why the extended validation of CONTRACT.md §5 refuses
// a token name, or "": a byte outside printable ASCII, or a sequence of
// schemas.TokenNameForbidden.
func nameProblem(name string) string {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c > 0x7e {
			return fmt.Sprintf("name: byte %d is not printable ASCII", i)
		}
	}
	for _, seq := range schemas.TokenNameForbidden() {
		if strings.Contains(name, seq) {
			return fmt.Sprintf("name: %q is not allowed", seq)
		}
	}
	return ""
}

// pathParams returns the values of a path's template parameters
// ({user_id} → its segment).
func pathParams(template, path string) map[string]string {
	out := map[string]string{}
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	for i, t := range ts {
		if i < len(ps) && strings.HasPrefix(t, "{") {
			out[strings.Trim(t, "{}")] = ps[i]
		}
	}
	return out
}

// orderField is the field of an orderBy value ("name desc" → name).
func orderField(v string) string {
	f, _, _ := strings.Cut(strings.ReplaceAll(v, "%20", " "), " ")
	return f
}

// parseFilter splits a filter value, `field op 'value'`, that matched its
// pattern (spaces may be written %20).
func parseFilter(v string) (field, op, value string) {
	v = strings.ReplaceAll(v, "%20", " ")
	field, rest, _ := strings.Cut(v, " ")
	op, value, _ = strings.Cut(rest, " ")
	return field, op, strings.TrimSuffix(strings.TrimPrefix(value, "'"), "'")
}

// reason is what a validator finding says.
func reason(e *verrors.ValidationError) string {
	var parts []string
	for _, f := range e.SchemaValidationErrors {
		where := f.FieldPath
		if where == "" {
			where = "$"
		}
		parts = append(parts, where+": "+f.Reason)
	}
	if len(parts) == 0 {
		parts = append(parts, e.Message)
		if e.Reason != "" && e.Reason != e.Message {
			parts = append(parts, e.Reason)
		}
	}
	return strings.Join(parts, "; ")
}
