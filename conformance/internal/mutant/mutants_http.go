package mutant

import (
	"net/http"
	"strings"

	"github.com/astra-contract/astra-token-kit/conformance/internal/wire"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// tokenMediaType is the media type a client may ask for a token in
// (schemas/CONTRACT.md §7).
const tokenMediaType = "application/astra-token+json"

// Mutants of schemas/CONTRACT.md §1 and §7: statuses, Location, methods
// and content negotiation.
func httpMutants() []Mutant {
	return []Mutant{{
		Name: "method-not-allowed-404",
		Hint: []string{"http.feature"},
		Rule: "§7 [policy]: another method on a known path → 405 type 69 with Allow",
		How:  "turns 405 into 404 type 1 without Allow (a router's default)",
		Wrap: onAnswer(func(_ *http.Request, a *answer) {
			if a.status == http.StatusMethodNotAllowed {
				a.becomeProblem(schemas.ProblemResourceNotFound, nil)
				a.header.Del("Allow")
			}
		}),
	}, {
		Name: "create-answers-200",
		Hint: []string{"create.feature"},
		Rule: "§1: POST answers 201",
		How:  "turns 201 into 200",
		Wrap: onAnswer(func(r *http.Request, a *answer) {
			if r.Method == http.MethodPost && a.status == http.StatusCreated {
				a.status = http.StatusOK
			}
		}),
	}, {
		Name: "location-missing",
		Hint: []string{"create.feature"},
		Rule: "§7: 201 carries Location",
		How:  "deletes the Location header of 201 answers",
		Wrap: onAnswer(func(r *http.Request, a *answer) {
			if a.status == http.StatusCreated {
				a.header.Del("Location")
			}
		}),
	}, {
		Name: "location-user-scope",
		Hint: []string{"create.feature", "group-scope.feature"},
		Rule: "§7: Location is the new token's URL in the scope it was created through",
		How:  "rewrites the Location of tokens created through group scope to their user-scope URL",
		Wrap: onAnswer(func(r *http.Request, a *answer) {
			if rt, ok := parseRoute(r.URL.Path); ok && rt.group != "" && a.status == http.StatusCreated {
				a.header.Set("Location", strings.Replace(a.header.Get("Location"), rt.groupCollection(), rt.userCollection(), 1))
			}
		}),
	}, {
		Name: "accept-token-not-echoed",
		Hint: []string{"http.feature"},
		Rule: "§7: Accept application/astra-token+json → that type echoed for a token",
		How:  "sends application/json wherever the mock answers application/astra-token+json",
		Wrap: onAnswer(func(_ *http.Request, a *answer) {
			if wire.MediaType(a.header.Get("Content-Type")) == tokenMediaType {
				a.header.Set("Content-Type", "application/json")
			}
		}),
	}, {
		Name: "accept-unchecked",
		Hint: []string{"http.feature"},
		Rule: "§7: an Accept that allows none of the types → 406 type 32",
		How:  "when the mock answers 406, asks it again without Accept and sends that answer",
		Wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body := readBody(r)
				a := serve(next, r)
				if a.status == http.StatusNotAcceptable {
					c := clone(r, body)
					c.Header.Del("Accept")
					a = serve(next, c)
				}
				a.send(w)
			})
		},
	}, {
		Name: "list-refuses-token-accept",
		Hint: []string{"http.feature"},
		Rule: "§7 [policy]: on lists, Accept application/astra-token+json is accepted (answer application/json)",
		How:  "answers 406 type 32 to a list whose Accept names only application/astra-token+json",
		Wrap: onAnswer(func(r *http.Request, a *answer) {
			if isList(r) && a.status == http.StatusOK && acceptsOnlyToken(r.Header.Get("Accept")) {
				a.becomeProblem(schemas.ProblemNotAcceptable, nil)
			}
		}),
	}}
}

// acceptsOnlyToken reports whether an Accept header is present and every
// range of it is the token's media type.
func acceptsOnlyToken(accept string) bool {
	if accept == "" {
		return false
	}
	for _, rng := range strings.Split(accept, ",") {
		if wire.MediaType(rng) != tokenMediaType {
			return false
		}
	}
	return true
}
