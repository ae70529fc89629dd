package admin

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/problem"
)

// faultList is the body of GET /__admin/faults.
type faultList struct {
	Faults []fault.Rule `json:"faults"`
}

func (a *admin) listFaults(w http.ResponseWriter, r *http.Request) {
	rules := a.stack.Faults.List()
	if rules == nil {
		rules = []fault.Rule{}
	}
	writeJSON(w, http.StatusOK, faultList{Faults: rules})
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
		msg := strings.TrimPrefix(err.Error(), "rule: ")
		p := badRequest("invalid fault rule: " + msg)
		p.InvalidFields = ruleFields(msg)
		p.WriteFor(w, r)
		return
	}
	w.Header().Set("Location", faultItemPrefix+url.PathEscape(rule.ID))
	writeJSON(w, http.StatusCreated, rule)
}

// ruleFields are the members of a fault rule the message of
// fault.DecodeRule or Rule.Validate names: "status: must be 400–599",
// `json: unknown field "x"`, "... Go struct field Rule.times of type int",
// and the two rules that concern several members.
func ruleFields(msg string) []problem.Item {
	if name, reason, ok := strings.Cut(msg, ": "); ok && ruleMembers[name] {
		return []problem.Item{{Name: name, Reason: reason}}
	}
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return []problem.Item{{Name: m[1], Reason: "unknown field"}}
	}
	if m := typeError.FindStringSubmatch(msg); m != nil && ruleMembers[m[1]] {
		return []problem.Item{{Name: m[1], Reason: msg}}
	}
	var items []problem.Item
	for _, group := range [][]string{{"status", "latencyMs", "drop"}, {"times", "probability"}} {
		if strings.Contains(msg, strings.Join(group[:len(group)-1], ", ")) && strings.Contains(msg, group[len(group)-1]) {
			for _, name := range group {
				items = append(items, problem.Item{Name: name, Reason: msg})
			}
			return items
		}
	}
	return nil
}

// ruleMembers are the JSON members of fault.Rule.
var ruleMembers = map[string]bool{
	"id": true, "method": true, "path": true, "times": true, "probability": true,
	"status": true, "latencyMs": true, "drop": true, "remaining": true,
}

var (
	unknownField = regexp.MustCompile(`unknown field "([^"]*)"`)
	typeError    = regexp.MustCompile(`Go struct field \w+\.(\w+) of type`)
)

// rule returns the rule with this id.
func (a *admin) rule(id string) (fault.Rule, bool) {
	for _, r := range a.stack.Faults.List() {
		if r.ID == id {
			return r, true
		}
	}
	return fault.Rule{}, false
}

func (a *admin) getFault(w http.ResponseWriter, r *http.Request, id string) {
	rule, ok := a.rule(id)
	if !ok {
		problem.New(problem.ResourceNotFound).WriteFor(w, r)
		return
	}
	writeJSON(w, http.StatusOK, rule)
}

func (a *admin) removeFault(w http.ResponseWriter, r *http.Request, id string) {
	if !a.stack.Faults.Remove(id) {
		problem.New(problem.ResourceNotFound).WriteFor(w, r)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *admin) clearFaults(w http.ResponseWriter, r *http.Request) {
	a.stack.Faults.Clear()
	w.WriteHeader(http.StatusNoContent)
}
