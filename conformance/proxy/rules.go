package proxy

import (
	"net/http"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// Side says who broke the contract: the client (a request) or the server
// (an answer).
type Side string

// The two sides.
const (
	Client Side = "client"
	Server Side = "server"
)

// Rule is one rule of schemas/CONTRACT.md the proxy judges.
type Rule struct {
	ID      string `json:"id"` // stable, "client/query-unsupported": what -violations-header sends
	Side    Side   `json:"side"`
	Section string `json:"section"` // of CONTRACT.md, "§4"
	Title   string `json:"title"`
	Policy  bool   `json:"policy,omitempty"` // the mock's [policy], not NetApp's documentation

	// For a client rule: the answer the contract prescribes for a request
	// that breaks it (status, and problem type when not 0), and where its
	// check stands in the order of checks (CONTRACT.md §3; 0 is the
	// router's, before them all).
	status, problem int
	check           int
}

// The rules a request can break (CONTRACT.md §1, §3–§7).
var (
	ruleUnknownPath      = clientRule("unknown-path", "§6", "a path that is none of the API's", true, http.StatusNotFound, schemas.ProblemResourceNotFound, 0)
	ruleMethod           = clientRule("method", "§7", "a method the path does not have", true, http.StatusMethodNotAllowed, schemas.ProblemMethodNotSupported, 0)
	ruleNoCredential     = clientRule("credential-missing", "§3", "no Authorization header", false, http.StatusUnauthorized, schemas.ProblemMissingBearerToken, 1)
	ruleCredentialForm   = clientRule("credential-form", "§3", "an Authorization header that is not Bearer <credential>", true, http.StatusUnauthorized, schemas.ProblemInvalidBearerToken, 1)
	ruleAccountID        = clientRule("account-id", "§6", "a malformed account id in the path", true, http.StatusBadRequest, schemas.ProblemInvalidAccountID, 2)
	ruleResourceID       = clientRule("resource-id", "§6", "a malformed user, group or token id in the path", true, http.StatusBadRequest, schemas.ProblemInvalidResourceID, 2)
	ruleQueryUnsupported = clientRule("query-unsupported", "§4", "a query parameter the operation does not declare", false, http.StatusBadRequest, schemas.ProblemUnsupportedQuery, 6)
	ruleQueryInvalid     = clientRule("query-invalid", "§4", "a query parameter outside its pattern or its fields", false, http.StatusBadRequest, schemas.ProblemInvalidQuery, 6)
	ruleAccept           = clientRule("accept", "§7", "an Accept that allows no type the API serves", true, http.StatusNotAcceptable, schemas.ProblemNotAcceptable, 7)
	ruleBodyJSON         = clientRule("body-not-json", "§5", "a body that is not JSON in UTF-8", false, http.StatusBadRequest, schemas.ProblemInvalidJSON, 8)
	ruleBodySchema       = clientRule("body-schema", "§5", "a body against the operation's schema", false, http.StatusBadRequest, schemas.ProblemSchemaViolation, 8)
	ruleBodyName         = clientRule("body-name", "§5", "a token name the extended validation refuses", true, http.StatusBadRequest, schemas.ProblemExtendedValidation, 8)
	ruleBodySize         = clientRule("body-too-large", "§5", "a body over 64 KiB", true, http.StatusRequestEntityTooLarge, schemas.ProblemRequestBodyTooLarge, 8)
	ruleBodyConflict     = clientRule("body-conflict", "§5", "a PUT whose id or userID differs from the path's", true, http.StatusConflict, schemas.ProblemConflict, 11)
)

// checkOf is where the check answering each problem type stands in the
// order of checks (CONTRACT.md §3): an answer of an earlier check is
// always possible, for it depends on what the proxy cannot see (who the
// credential is, what exists).
var checkOf = map[int]int{1: 4, 2: 4, 3: 1, 4: 1, 33: 2, 35: 2, 11: 3, 5: 6, 6: 6, 32: 7, 7: 8, 8: 8, 9: 8, 85: 8, 38: 10, 10: 11}

// The rules an answer can break.
var (
	ruleContract     = serverRule("contract", "§1, §2, §6", "the answer is outside the operation's OpenAPI contract (status, schema, problem type, headers)", false)
	rulePrescribed   = serverRule("prescribed-answer", "§3", "a request that breaks the contract gets the documented error (in the order of checks)", true)
	ruleUnfounded    = serverRule("unfounded-error", "§3", "an error for a defect the request does not have", true)
	ruleLocation     = serverRule("location", "§7", "a 201's Location is the new token's URL in the scope it was created through", false)
	ruleMediaType    = serverRule("media-type", "§7", "a token asked for as application/astra-token+json comes as that type", false)
	ruleCorrelation  = serverRule("correlation-id", "§6", "a problem carries the correlationID of X-Request-ID, the client's when it sent a valid one", true)
	ruleLimit        = serverRule("limit", "§4", "a list holds at most limit items", false)
	ruleOrder        = serverRule("order", "§4", "a list is sorted by its orderBy", false)
	ruleDefaultOrder = serverRule("default-order", "§4", "a list without orderBy is sorted by creationTimestamp, then id", true)
	ruleFilter       = serverRule("filter", "§4", "every item of a list satisfies every filter", false)
	ruleInclude      = serverRule("include", "§4", "include makes each item the asked fields' values in the asked order", false)
	ruleCount        = serverRule("count", "§4", "metadata.count counts every match, and a page holds the matches limit and skip leave", false)
	ruleContinue     = serverRule("continue", "§4", "a page that stops before the last match carries metadata.continue", true)
	ruleCreated      = serverRule("created", "§2", "a created token has the name and the labels the request gave", true)
	ruleModifiedBy   = serverRule("modified-by", "§2", "a token modified after its creation names who modified it (modifiedBy)", true)
	ruleNoAnswer     = serverRule("no-answer", "§9", "the target answers (the proxy answered 502 or 504)", false)
)

// Rules returns every rule the proxy judges, the client's first.
func Rules() []Rule {
	return []Rule{
		*ruleUnknownPath, *ruleMethod, *ruleNoCredential, *ruleCredentialForm, *ruleAccountID, *ruleResourceID,
		*ruleQueryUnsupported, *ruleQueryInvalid, *ruleAccept, *ruleBodyJSON, *ruleBodySchema, *ruleBodyName,
		*ruleBodySize, *ruleBodyConflict,
		*ruleContract, *rulePrescribed, *ruleUnfounded, *ruleLocation, *ruleMediaType, *ruleCorrelation,
		*ruleLimit, *ruleOrder, *ruleDefaultOrder, *ruleFilter, *ruleInclude, *ruleCount, *ruleContinue,
		*ruleCreated, *ruleModifiedBy, *ruleNoAnswer,
	}
}

func clientRule(id, section, title string, policy bool, status int, problem schemas.ProblemKind, check int) *Rule {
	return &Rule{ID: "client/" + id, Side: Client, Section: section, Title: title, Policy: policy, status: status, problem: int(problem), check: check}
}

func serverRule(id, section, title string, policy bool) *Rule {
	return &Rule{ID: "server/" + id, Side: Server, Section: section, Title: title, Policy: policy}
}
