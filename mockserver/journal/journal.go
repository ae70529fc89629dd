// Package journal keeps a bounded record of the requests the mock answered,
// as a client's tests want to assert on them ("was the token deleted
// exactly once?"), in the manner of WireMock's request journal. Secrets
// never enter it: Authorization credentials and "token" members of JSON
// bodies are redacted before an entry is stored.
//
// Middleware records; List, Count and Clear are what an admin API serves.
// The fault injector, running inside Middleware, tells it which fault rule
// it applied to a request.
package journal

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/httptoken"
)

// MaxBody is the most of a request or response body an entry keeps.
const MaxBody = 64 << 10

// DefaultCapacity is the capacity of a journal made with capacity <= 0.
const DefaultCapacity = 1000

// MaxCapacity is the largest capacity a journal takes: each entry may hold
// two bodies of up to MaxBody, so a full journal of large requests holds up
// to MaxCapacity × 128 KiB (typical entries take 1–2 KiB). The memory is
// taken as entries arrive, not up front.
const MaxCapacity = 100_000

// DefaultLimit is how many entries a Filter parsed without limit selects,
// and MaxLimit the largest limit ParseFilter accepts: an answer listing a
// journal stays bounded (MaxLimit entries of at most 128 KiB of bodies).
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Entry is one request the mock answered, as a client test wants to
// assert on it.
type Entry struct {
	// ID increases with every entry recorded, in the order the responses
	// completed; Clear does not reset it.
	ID int64 `json:"id"`
	// Time is when the request arrived (wall clock).
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	// Query is the raw query, without the "?".
	Query string `json:"query,omitempty"`
	// RequestHeaders are as received, with the credential of Authorization
	// and Proxy-Authorization redacted ("Bearer [REDACTED]").
	RequestHeaders map[string][]string `json:"requestHeaders"`
	// RequestBody is the first MaxBody bytes of the body, "token" members
	// redacted.
	RequestBody string `json:"requestBody,omitempty"`
	// Status is the status the client got; 0 when it got none (the
	// connection was dropped by a fault, the handler aborted, or the client
	// went away first).
	Status int `json:"status"`
	// ResponseHeaders are the headers sent with the status.
	ResponseHeaders map[string][]string `json:"responseHeaders"`
	// ResponseBody is the first MaxBody bytes of the body, "token" members
	// redacted: the secret of a 201 never appears.
	ResponseBody string  `json:"responseBody,omitempty"`
	DurationMS   float64 `json:"durationMs"`
	// CorrelationID is the response's X-Request-ID.
	CorrelationID string `json:"correlationID,omitempty"`
	// Fault is the id of the fault rule applied to the request, if any.
	Fault string `json:"fault,omitempty"`
}

// Journal is a bounded ring of entries: past its capacity the oldest are
// dropped. It is safe for concurrent use.
type Journal struct {
	now func() time.Time

	capacity int

	mu sync.Mutex
	// ring holds the entries: it grows to capacity, then the newest
	// entry overwrites the oldest.
	ring    []Entry
	next    int   // where the next entry goes once ring is full
	counter int64 // the last ID given
}

// New returns an empty journal keeping at most capacity entries
// (DefaultCapacity when capacity <= 0, MaxCapacity when above it), timing
// requests with now (time.Now when nil).
func New(capacity int, now func() time.Time) *Journal {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	capacity = min(capacity, MaxCapacity)
	if now == nil {
		now = time.Now
	}
	return &Journal{now: now, capacity: capacity}
}

// Capacity returns the most entries j keeps.
func (j *Journal) Capacity() int { return j.capacity }

// Clear drops every entry. IDs keep increasing from where they were.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring, j.next = nil, 0
}

func (j *Journal) add(e Entry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.counter++
	e.ID = j.counter
	if len(j.ring) < j.capacity {
		j.ring = append(j.ring, e)
		return
	}
	j.ring[j.next] = e
	j.next = (j.next + 1) % j.capacity
}

// Filter selects entries; its zero value selects all of them.
type Filter struct {
	Method string         // equal, ignoring case; empty: any
	Path   *regexp.Regexp // MatchString against Entry.Path; nil: any
	Status int            // 0: any
	Since  time.Time      // entries that arrived at or after; zero: any
	Limit  int            // at most this many, the newest; 0: no limit
}

func (f Filter) match(e *Entry) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, e.Method)) &&
		(f.Path == nil || f.Path.MatchString(e.Path)) &&
		(f.Status == 0 || f.Status == e.Status) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since))
}

// List returns copies of the entries f selects, newest first.
func (j *Journal) List(f Filter) []Entry {
	entries, _ := j.Page(f)
	return entries
}

// Page returns List(f) and how many entries f selects ignoring its limit,
// both from one moment.
func (j *Journal) Page(f Filter) (entries []Entry, total int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	entries = []Entry{}
	// Until the ring is full, next is 0 and the newest entry is the last.
	for k := 1; k <= len(j.ring); k++ {
		e := &j.ring[(j.next-k+len(j.ring))%len(j.ring)]
		if !f.match(e) {
			continue
		}
		total++
		if f.Limit == 0 || len(entries) < f.Limit {
			c := *e
			c.RequestHeaders = http.Header(e.RequestHeaders).Clone()
			c.ResponseHeaders = http.Header(e.ResponseHeaders).Clone()
			entries = append(entries, c)
		}
	}
	return entries, total
}

// Count returns how many entries List(f) would return.
func (j *Journal) Count(f Filter) int { return len(j.List(f)) }

// ParamError is a bad query parameter of a journal filter.
type ParamError struct {
	Name   string // the query parameter
	Reason string
}

func (e *ParamError) Error() string { return e.Name + ": " + e.Reason }

// filterParams returns the query parameters ParseFilter understands.
func filterParams() []string { return []string{"limit", "method", "path", "since", "status"} }

// ParseFilter reads a filter from query parameters:
//
//	method=POST  path=/accounts/.*/tokens  status=201  since=<RFC 3339>  limit=N
//
// Each may be given once. Without limit the filter selects DefaultLimit
// entries; a limit above MaxLimit is refused. An unknown or bad parameter
// is an error naming it ("status: must be an HTTP status, 100–599"): a *ParamError, or, when
// several are bad, an errors.Join of them in parameter-name order, whose
// Unwrap() []error lists each *ParamError.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{Limit: DefaultLimit}
	var errs []error
	bad := func(name, format string, a ...any) {
		errs = append(errs, &ParamError{Name: name, Reason: fmt.Sprintf(format, a...)})
	}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		vs := q[name]
		if !slices.Contains(filterParams(), name) {
			bad(name, "unknown parameter; use %s", strings.Join(filterParams(), ", "))
			continue
		}
		if len(vs) != 1 {
			bad(name, "give it once")
			continue
		}
		v := vs[0]
		switch name {
		case "method":
			if !httptoken.Valid(v) {
				bad(name, "not an HTTP method: %q", v)
				continue
			}
			f.Method = strings.ToUpper(v)
		case "path":
			re, err := regexp.Compile(v)
			if err != nil {
				bad(name, "not a Go regular expression: %v", err)
				continue
			}
			f.Path = re
		case "status":
			n, err := strconv.Atoi(v)
			if err != nil || n < 100 || n > 599 {
				bad(name, "must be an HTTP status, 100–599, not %q", v)
				continue
			}
			f.Status = n
		case "since":
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				bad(name, "must be an RFC 3339 time such as 2024-05-01T12:00:00Z, not %q", v)
				continue
			}
			f.Since = t
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > MaxLimit {
				bad(name, "must be an integer from 1 to %d, not %q", MaxLimit, v)
				continue
			}
			f.Limit = n
		}
	}
	switch len(errs) {
	case 0:
		return f, nil
	case 1:
		return Filter{}, errs[0]
	default:
		return Filter{}, errors.Join(errs...)
	}
}
