package conformance

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
)

// exploreSteps defines on l the steps the explorer's repros need
// (package conformance/explore) beyond the others: a header set for
// earlier requests dropped, a body that is not text, a status ruled out.
func (st *scenario) exploreSteps(l *stepLibrary) {
	l.doc("Requests", `When I no longer send the header "Accept"`,
		"Stop sending a header set with `I set the header`.")
	l.on.Step(`^I no longer send the header "([^"]*)"$`, st.unsetHeader)
	l.doc("Requests", "When I send POST to \"{user tokens of member}\" with the escaped body:\n  \"\"\"\n  {\"type\": \"application/astra-token\", \"version\": \"1.0\", \"name\": \"{run} \\xff\"}\n  \"\"\"",
		"As `with body:`, for a body that is not one line of printable UTF-8: once the placeholders are expanded, `\\xNN` is the byte NN (hex) and `\\\\` a backslash.")
	l.on.Step(`^I send `+methodRE+` to "([^"]*)" with the escaped body:$`, st.sendEscapedBody)
	l.doc("Responses", `Then the response status is not 401`,
		"The HTTP status is any but this one.")
	l.on.Step(`^the response status is not (\d+)$`, st.statusIsNot)
}

// unsetHeader stops sending the header k.
func (st *scenario) unsetHeader(k string) error {
	st.headers.Del(k)
	return nil
}

// sendEscapedBody sends the doc string, expanded, then unescaped.
func (st *scenario) sendEscapedBody(ctx context.Context, method, path string, body *godog.DocString) error {
	text, err := st.expand(body.Content)
	if err != nil {
		return err
	}
	b, err := unescapeBody(text)
	if err != nil {
		return err
	}
	return st.send(ctx, method, path, b)
}

// unescapeBody decodes \xNN and \\ in s.
func unescapeBody(s string) ([]byte, error) {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		switch {
		case strings.HasPrefix(s[i:], `\\`):
			out = append(out, '\\')
			i++
		case strings.HasPrefix(s[i:], `\x`) && i+4 <= len(s):
			n, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("the escaped body: %q is not \\xNN", s[i:i+4])
			}
			out = append(out, byte(n))
			i += 3
		default:
			return nil, fmt.Errorf("the escaped body: a backslash at byte %d is neither \\xNN nor \\\\", i)
		}
	}
	return out, nil
}

func (st *scenario) statusIsNot(n int) error {
	if st.resp == nil {
		return st.failf("no response yet")
	}
	if st.resp.StatusCode == n {
		return st.failf("status %d", n)
	}
	return nil
}
