package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// faultList is the body of GET /__admin/faults.
type faultList struct {
	Faults []fault.Rule `json:"faults"`
}

func (a *admin) listFaults(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, faultList{Faults: a.stack.Faults.List()})
}

func (a *admin) addFault(w http.ResponseWriter, r *http.Request) {
	body, p := readBody(w, r, MaxBodyBytes)
	if p != nil {
		p.WriteFor(w, r)
		return
	}
	if !utf8.Valid(body) { // encoding/json would keep U+FFFD in their place
		badRequest("invalid fault rule: the body is not valid UTF-8").WriteFor(w, r)
		return
	}
	rule, err := fault.DecodeRule(bytes.NewReader(body))
	if err == nil {
		rule, err = a.stack.Faults.Add(rule)
	}
	if err != nil {
		p := badRequest("invalid fault rule: " + strings.TrimPrefix(err.Error(), "rule: "))
		p.InvalidFields = ruleFields(err)
		p.WriteFor(w, r)
		return
	}
	w.Header().Set("Location", "/__admin/faults/"+url.PathEscape(rule.ID))
	writeJSON(w, http.StatusCreated, rule)
}

// ruleFields are the members of a fault rule that the error of
// fault.DecodeRule or Injector.Add names: a *fault.FieldError ("status:
// must be 400–599", or a requirement on several members), a
// *fault.UnknownFieldError, or encoding/json's *json.UnmarshalTypeError,
// whose whole message is the reason.
func ruleFields(err error) []problem.Item {
	if fe, ok := errors.AsType[*fault.FieldError](err); ok {
		items := make([]problem.Item, 0, len(fe.Fields))
		for _, name := range fe.Fields {
			items = append(items, problem.Item{Name: name, Reason: fe.Reason})
		}
		return items
	}
	if ue, ok := errors.AsType[*fault.UnknownFieldError](err); ok {
		return []problem.Item{{Name: ue.Field, Reason: "unknown field"}}
	}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
		return []problem.Item{{Name: te.Field, Reason: te.Error()}}
	}
	return nil
}

func (a *admin) getFault(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["fault_id"]
	for _, rule := range a.stack.Faults.List() {
		if rule.ID == id {
			writeJSON(w, http.StatusOK, rule)
			return
		}
	}
	problem.New(schemas.ProblemResourceNotFound).WriteFor(w, r)
}

func (a *admin) removeFault(w http.ResponseWriter, r *http.Request) {
	if !a.stack.Faults.Remove(mux.Vars(r)["fault_id"]) {
		problem.New(schemas.ProblemResourceNotFound).WriteFor(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *admin) clearFaults(w http.ResponseWriter, r *http.Request) {
	a.stack.Faults.Clear()
	w.WriteHeader(http.StatusNoContent)
}
