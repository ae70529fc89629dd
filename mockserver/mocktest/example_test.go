package mocktest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/astra-contract/astra-token-kit/mockserver/fault"
	"github.com/astra-contract/astra-token-kit/mockserver/mocktest"
)

// A test starts the mock, sends it what the code under test would send,
// asserts on the journal, makes the next create fail and resets.
func Example() {
	// In a test this is the test's *testing.T; an example has none.
	t := &exampleT{}
	defer t.done()

	// Seed and clock make ids, secrets and timestamps the same every run;
	// most tests need neither.
	m := mocktest.Start(t, mocktest.WithSeed(1), mocktest.WithClock(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)))
	client := m.Client() // the code under test would get m.URL and a credential

	create := func() *http.Response {
		body := `{"type":"application/astra-token","version":"1.0","name":"ci"}`
		req, _ := http.NewRequest(http.MethodPost, m.TokensURL(t, mocktest.Member), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+m.Credential(t, mocktest.Member))
		req.Header.Set("Content-Type", "application/astra-token+json")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}

	fmt.Println("create:", create().StatusCode)
	// The client sent exactly one POST to the member's tokens. Patterns
	// match anywhere in the path: "/tokens$" is any tokens collection.
	m.ExpectRequests(t, http.MethodPost, mocktest.Exactly(m.TokensPath(t, mocktest.Member)), 1)

	// The next create answers 503, the one after it is served again.
	rule := m.Fail(t, fault.Rule{Method: http.MethodPost, Path: "/tokens$", Status: http.StatusServiceUnavailable, Times: 1})
	res := create()
	fmt.Println("create:", res.StatusCode, "fault", res.Header.Get(fault.Header), "=", rule.ID)
	fmt.Println("create:", create().StatusCode)
	fmt.Println("POSTs:", len(m.Requests(http.MethodPost, "/tokens$")))

	// Back to the fixtures: the created tokens, the journal and the rules
	// are gone.
	m.Reset(t)
	fmt.Println("after reset:", len(m.Requests("", ".*")), "requests,", len(m.Stack.Faults.List()), "rules")
	// Output:
	// create: 201
	// create: 503 fault f1 = f1
	// create: 201
	// POSTs: 3
	// after reset: 0 requests, 0 rules
}

// exampleT stands in for the *testing.T a test passes to Start: it runs
// the cleanups when done and panics on a failure.
type exampleT struct {
	testing.TB
	cleanups []func()
}

func (t *exampleT) Helper()                           {}
func (t *exampleT) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *exampleT) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }

func (t *exampleT) done() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}
