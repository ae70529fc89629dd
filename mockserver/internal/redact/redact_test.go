package redact

import "testing"

func TestAuthorizationKeepsTheSchemeOnly(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"a bearer token", "Bearer xyz", "Bearer [REDACTED]"},
		{"another scheme", "Basic dXNlcjpwYXNz", "Basic [REDACTED]"},
		{"extra spaces", "  Bearer   xyz  ", "Bearer [REDACTED]"},
		{"a bare credential", "xyz", "[REDACTED]"},
		{"a scheme without a credential", "Bearer", "[REDACTED]"},
		{"an empty value", "", "[REDACTED]"},
		{"something that is no scheme", "{x} y", "[REDACTED]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Authorization(c.in); got != c.want {
				t.Errorf("Authorization(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestBodyReplacesEveryTokenMemberAndNothingElse(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"a top-level token", `{"id":"1","token":"abc"}`, `{"id":"1","token":"[REDACTED]"}`},
		{"spacing and order are kept", "{ \"b\" : 1 ,\n \"token\" :\t\"abc\" , \"a\":2}", "{ \"b\" : 1 ,\n \"token\" :\t\"[REDACTED]\" , \"a\":2}"},
		{"nested in objects and arrays", `[{"x":{"token":"a"}},{"items":[{"token":"b","n":[1,2.5e3,true,false,null]}]}]`,
			`[{"x":{"token":"[REDACTED]"}},{"items":[{"token":"[REDACTED]","n":[1,2.5e3,true,false,null]}]}]`},
		{"an escaped member name", `{"t\u006fken":"abc"}`, `{"t\u006fken":"[REDACTED]"}`},
		{"a value with escapes", `{"token":"a\"b\\"}`, `{"token":"[REDACTED]"}`},
		{"a non-string value", `{"token":{"token":"a"},"n":1}`, `{"token":"[REDACTED]","n":1}`},
		{"a number value", `{"token":123}`, `{"token":"[REDACTED]"}`},
		{"a null value", `{"token":null}`, `{"token":null}`},
		{"a token string elsewhere", `{"name":"token","tokens":"x","Token":"y"}`, `{"name":"token","tokens":"x","Token":"y"}`},
		{"empty containers", `{"a":{},"b":[],"token":"x"}`, `{"a":{},"b":[],"token":"[REDACTED]"}`},
		{"not JSON, scanned as text", `{"token":"abc",}`, `{"token":"[REDACTED]",}`},
		{"cut at the recording limit", `{"id":"1","token":"ab`, `{"id":"1","token":"[REDACTED]"`},
		{"plain text", `token=abc`, `token=abc`},
		{"empty", ``, ``},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := string(Body([]byte(c.in))); got != c.want {
				t.Errorf("Body(%s)\n got %s\nwant %s", c.in, got, c.want)
			}
		})
	}
}
