// Package query parses and applies the list-query parameters of the Token
// API (CONTRACT.md §4): filter, orderBy, include, limit, skip and continue. It is
// pure: no HTTP and no storage. Every parse failure is a *Error, which the
// HTTP edge turns into problem type 5 with invalidParams [{name: Param,
// reason: Reason}].
package query

import (
	"strconv"
	"strings"
)

// The query parameter names that may appear in an Error's Param.
const (
	ParamFilter   = "filter"
	ParamOrderBy  = "orderBy"
	ParamInclude  = "include"
	ParamContinue = "continue"
	ParamLimit    = "limit"
	ParamSkip     = "skip"
)

// Error is a bad list-query parameter; the HTTP edge turns it into problem
// type 5 with invalidParams [{name: Param, reason: Reason}]. Reason is lower
// case and names what was wrong.
type Error struct {
	Param  string
	Reason string
}

// Error returns "param: reason", e.g. `filter: unknown operator "like"`.
func (e *Error) Error() string { return e.Param + ": " + e.Reason }

func newError(param, reason string) *Error { return &Error{Param: param, Reason: reason} }

// maxQuoted bounds how much of a client's text is echoed in a reason.
const maxQuoted = 40

// quote returns s as a Go-quoted string, shortened if long, for reasons.
func quote(s string) string {
	if len(s) > maxQuoted {
		return strconv.Quote(s[:maxQuoted]) + "..."
	}
	return strconv.Quote(s)
}

// MaxPositive is the largest limit or skip ParsePositive returns.
const MaxPositive = 1_000_000_000

// ParsePositive parses a limit or skip value, ^([1-9][0-9]*)$. A larger
// value than MaxPositive is still a valid "at most" or "skip this many"
// (CONTRACT.md §4): no collection is that large, so it is taken as
// MaxPositive instead of being refused. param names the parameter in the
// returned *Error.
func ParsePositive(param, s string) (int, error) {
	if s == "" || s[0] == '0' || strings.Trim(s, "0123456789") != "" {
		return 0, newError(param, "must be a positive integer without leading zeros, got "+quote(s))
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > MaxPositive { // digits only: err is ErrRange
		return MaxPositive, nil
	}
	return n, nil
}

func isAlnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
