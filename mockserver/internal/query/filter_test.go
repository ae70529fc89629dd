package query

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
	"github.com/astra-contract/astra-token-kit/schemas"
)

func TestParseFilterAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Filter
	}{
		{"a name equal to a quoted value is read", "name eq 'Snapshot Script'",
			Filter{Field: "name", Op: OpEq, Value: "Snapshot Script"}},
		{"every separator may be a literal %20", "name%20eq%20'Snapshot%20Script'",
			Filter{Field: "name", Op: OpEq, Value: "Snapshot Script"}},
		{"an empty value is allowed", "name in ''",
			Filter{Field: "name", Op: OpIn, Value: ""}},
		{"lt is an operator", "id lt 'a'", Filter{Field: "id", Op: OpLt, Value: "a"}},
		{"gt is an operator", "id gt 'a'", Filter{Field: "id", Op: OpGt, Value: "a"}},
		{"lte is an operator", "id lte 'a'", Filter{Field: "id", Op: OpLte, Value: "a"}},
		{"gte is an operator", "id gte 'a'", Filter{Field: "id", Op: OpGte, Value: "a"}},
		{"type takes a media type with a slash", "type eq 'application/astra-token'",
			Filter{Field: "type", Op: OpEq, Value: "application/astra-token"}},
		{"version takes a dotted number", "version eq '1.0'",
			Filter{Field: "version", Op: OpEq, Value: "1.0"}},
		{"userID is a field", "userID eq '" + memberID + "'",
			Filter{Field: "userID", Op: OpEq, Value: memberID}},
		{"metadata.createdBy is a field", "metadata.createdBy eq '" + adminID + "'",
			Filter{Field: "metadata.createdBy", Op: OpEq, Value: adminID}},
		{"metadata.modifiedBy is a field", "metadata.modifiedBy in '8f'",
			Filter{Field: "metadata.modifiedBy", Op: OpIn, Value: "8f"}},
		{"every allowed value character is accepted", `name eq 'azAZ09. :@{}",-./;<=>?[\]^_'`,
			Filter{Field: "name", Op: OpEq, Value: `azAZ09. :@{}",-./;<=>?[\]^_`}},
		{"a label name with [*] is read", "metadata.labels[*].name eq 'env'",
			Filter{Field: FieldLabelName, Op: OpEq, Value: "env"}},
		{"a label value with [*] is read", "metadata.labels[*].value in 'pro'",
			Filter{Field: FieldLabelValue, Op: OpIn, Value: "pro"}},
		{"a label name without [*] is the same field", "metadata.labels.name eq 'env'",
			Filter{Field: FieldLabelName, Op: OpEq, Value: "env"}},
		{"a label value without [*] is the same field", "metadata.labels.value eq 'prod'",
			Filter{Field: FieldLabelValue, Op: OpEq, Value: "prod"}},
		{"a timestamp with microseconds is parsed", "metadata.creationTimestamp eq '2022-10-06T20:58:16.305662Z'",
			Filter{Field: FieldCreationTimestamp, Op: OpEq, Value: "2022-10-06T20:58:16.305662Z"}},
		{"a timestamp without fraction is parsed", "metadata.creationTimestamp lt '2022-10-06T20:58:17Z'",
			Filter{Field: FieldCreationTimestamp, Op: OpLt, Value: "2022-10-06T20:58:17Z"}},
		{"a timestamp with nanoseconds is parsed", "metadata.modificationTimestamp gte '2022-10-06T20:58:16.000000001Z'",
			Filter{Field: FieldModificationTimestamp, Op: OpGte, Value: "2022-10-06T20:58:16.000000001Z"}},
		{"a timestamp with a comma before the fraction is parsed", "metadata.creationTimestamp gt '2022-10-06T20:58:16,5Z'",
			Filter{Field: FieldCreationTimestamp, Op: OpGt, Value: "2022-10-06T20:58:16,5Z"}},
		{"a leap day is a time", "metadata.creationTimestamp lte '2024-02-29T00:00:00Z'",
			Filter{Field: FieldCreationTimestamp, Op: OpLte, Value: "2024-02-29T00:00:00Z"}},
		{"a timestamp with in takes any part of the written form", "metadata.creationTimestamp in 'T20:58'",
			Filter{Field: FieldCreationTimestamp, Op: OpIn, Value: "T20:58"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFilter(tt.in)
			if err != nil {
				t.Fatalf("ParseFilter(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseFilter(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			again, err := ParseFilter(got.String())
			if err != nil {
				t.Fatalf("ParseFilter(String() = %q) error: %v", got.String(), err)
			}
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("String() does not read back (-first +again):\n%s", diff)
			}
		})
	}
}

func TestFilterStringIsCanonical(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"%20 becomes a space", "name%20eq%20'a%20b'", "name eq 'a b'"},
		{"a label field gains its [*]", "metadata.labels.value eq 'x'", "metadata.labels[*].value eq 'x'"},
		{"a timestamp value is kept as written", "metadata.creationTimestamp eq '2022-10-06T20:58:16,5Z'", "metadata.creationTimestamp eq '2022-10-06T20:58:16,5Z'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFilter(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseFilterRefuses(t *testing.T) {
	tests := []struct{ name, in, reason string }{
		{"an empty filter is refused", "", "must not be empty"},
		{"a field alone is refused", "name", "missing operator"},
		{"a field and a space are refused", "name ", "missing operator"},
		{"a missing value is refused", "name eq", "missing value"},
		{"a missing value after the space is refused", "name eq ", "missing value"},
		{"an unknown operator is refused", "name like 'x'", `unknown operator "like"`},
		{"operators are case-sensitive", "name EQ 'x'", `unknown operator "EQ"`},
		{"a symbolic operator is refused", "name = 'x'", `unknown operator "="`},
		{"two spaces before the operator are refused", "name  eq 'x'", "exactly one space between the field and the operator"},
		{"two spaces before the value are refused", "name eq  'x'", "exactly one space between the operator and the value"},
		{"no space before the value is refused", "name eq'x'", "exactly one space between the operator and the value"},
		{"a bare value is refused", "name eq x", "value must be single-quoted"},
		{"a double-quoted value is refused", `name eq "x"`, "value must be single-quoted"},
		{"an unterminated value is refused", "name eq 'x", "missing its closing quote"},
		{"a trailing space is refused", "name eq 'x' ", `unexpected " " after the closing quote`},
		{"a second clause is refused", "name eq 'x' and id eq 'y'", "after the closing quote"},
		{"a quote inside the value is refused", "name eq 'it's'", `unexpected "s'" after the closing quote`},
		{"an exclamation mark in the value is refused", "name eq 'a!b'", `character "!" is not allowed`},
		{"a plus in the value is refused", "name eq 'a+b'", `character "+" is not allowed`},
		{"parentheses in the value are refused", "name eq 'a (b)'", `character "(" is not allowed`},
		{"a percent sign in the value is refused", "name eq '100%'", `character "%" is not allowed`},
		{"a tab in the value is refused", "name eq 'a\tb'", `character "\t" is not allowed`},
		{"a non-ASCII value is refused", "name eq 'café'", `character "\xc3" is not allowed`},
		{"a leading space is refused", " name eq 'x'", "missing field"},
		{"an unknown field is refused", "foo eq 'x'", `unknown field "foo"`},
		{"field names are case-sensitive", "Name eq 'x'", `unknown field "Name"`},
		{"userid in lower case is unknown", "userid eq 'x'", `unknown field "userid"`},
		{"the secret is not a filter field", "token eq 'x'", `unknown field "token"`},
		{"metadata itself is not a filter field", "metadata eq 'x'", `unknown field "metadata"`},
		{"the labels array itself is not a filter field", "metadata.labels[*] eq 'x'", `unknown field "metadata.labels[*]"`},
		{"a timestamp without metadata. is unknown", "creationTimestamp eq '2022-10-06T20:58:16Z'", `unknown field "creationTimestamp"`},
		{"[*] after a non-array field is refused", "name[*] eq 'x'", `"[*]" is not allowed after "name"`},
		{"[*] after metadata is refused", "metadata[*].labels.name eq 'x'", `"[*]" is not allowed after "metadata"`},
		{"[*] after a label's name is refused", "metadata.labels[*].name[*] eq 'x'", `"[*]" is not allowed after "name"`},
		{"an empty segment is refused", "metadata..name eq 'x'", "malformed field"},
		{"a trailing dot is refused", "name. eq 'x'", "malformed field"},
		{"empty brackets are refused", "metadata.labels[].name eq 'x'", "malformed field"},
		{"a doubled [*] is refused", "metadata.labels[*][*].name eq 'x'", "malformed field"},
		{"an index is refused", "metadata.labels[0].name eq 'x'", "malformed field"},
		{"a hyphen in a field is refused", "user-id eq 'x'", "malformed field"},
		{"a timestamp that is not a time is refused", "metadata.creationTimestamp lt 'yesterday'", "must be a time"},
		{"an empty timestamp is refused", "metadata.creationTimestamp gte ''", "must be a time"},
		{"a date that does not exist is refused", "metadata.creationTimestamp eq '2023-02-29T00:00:00Z'", "must be a time"},
		{"a thirty-first of April is refused", "metadata.modificationTimestamp eq '2023-04-31T00:00:00Z'", "must be a time"},
		{"ten fraction digits are refused", "metadata.creationTimestamp eq '2022-10-06T20:58:16.1234567890Z'", "must be a time"},
		{"a time without Z is refused", "metadata.creationTimestamp eq '2022-10-06T20:58:16'", "must be a time"},
		{"a lower-case z is refused", "metadata.creationTimestamp eq '2022-10-06T20:58:16z'", "must be a time"},
		{"a space instead of T is refused", "metadata.creationTimestamp eq '2022-10-06 20:58:16Z'", "must be a time"},
		{"hour 24 is refused", "metadata.creationTimestamp eq '2022-10-06T24:00:00Z'", "must be a time"},
		{"second 60 is refused", "metadata.creationTimestamp eq '2022-10-06T23:59:60Z'", "must be a time"},
		{"a bare date is refused", "metadata.creationTimestamp gt '2022-10-06'", "must be a time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFilter(tt.in)
			if err == nil {
				t.Fatalf("ParseFilter(%q) = %v, want an error", tt.in, f)
			}
			checkError(t, err, "filter", tt.reason)
		})
	}
}

func TestParseFilterQuotesLongInputShortly(t *testing.T) {
	_, err := ParseFilter(strings.Repeat("x", 10000) + " eq 'a'")
	checkError(t, err, "filter", "unknown field")
	if n := len(err.Error()); n > 200 {
		t.Errorf("error is %d bytes long, want it shortened", n)
	}
}

func TestFilterMatch(t *testing.T) {
	renamed := func(name string) *token.Token { c := labelled.Clone(); c.Name = name; return c }
	tests := []struct {
		name   string
		filter string
		tok    *token.Token
		want   bool
	}{
		// strings
		{"eq matches the exact name", "name eq 'Snapshot Script'", labelled, true},
		{"eq is case-sensitive", "name eq 'snapshot script'", labelled, false},
		{"eq does not match a prefix", "name eq 'Snapshot'", labelled, false},
		{"lt matches a smaller name", "name lt 'T'", labelled, true},
		{"lt does not match an equal name", "name lt 'Snapshot Script'", labelled, false},
		{"lte matches an equal name", "name lte 'Snapshot Script'", labelled, true},
		{"gt does not match a smaller name", "name gt 'T'", labelled, false},
		{"gt matches a longer name with the value as prefix", "name gt 'Snapshot'", labelled, true},
		{"gte matches an equal name", "name gte 'Snapshot Script'", labelled, true},
		{"byte order puts upper case before lower case", "name lt 'alpha'", renamed("Zeta"), true},
		{"byte order puts a space before letters", "name lt 'SnapshotScript'", labelled, true},
		{"in matches a substring", "name in 'shot S'", labelled, true},
		{"in is case-sensitive", "name in 'script'", labelled, false},
		{"in with an empty value matches every name", "name in ''", labelled, true},
		{"type eq matches the token media type", "type eq 'application/astra-token'", labelled, true},
		{"type eq does not match the list media type", "type eq 'application/astra-tokens'", labelled, false},
		{"version eq matches 1.0", "version eq '1.0'", bare, true},
		{"version gt does not match a higher version", "version gt '1.0'", bare, false},
		{"id eq matches the id", "id eq '43ab09af-e558-4b1b-a6d5-49df7c39f22c'", bare, true},
		{"id in matches part of the id", "id in 'e558'", bare, true},
		{"userID eq matches the owner", "userID eq '" + memberID + "'", labelled, true},
		{"userID eq does not match the creator", "userID eq '" + adminID + "'", labelled, false},
		{"createdBy eq matches the creator", "metadata.createdBy eq '" + adminID + "'", labelled, true},
		{"modifiedBy eq matches the modifier", "metadata.modifiedBy eq '" + memberID + "'", labelled, true},
		{"modifiedBy of a never-modified token does not equal the empty string", "metadata.modifiedBy eq ''", bare, false},
		{"modifiedBy of a never-modified token does not match in ''", "metadata.modifiedBy in ''", bare, false},
		{"modifiedBy of a never-modified token is not less than anything", "metadata.modifiedBy lt 'z'", bare, false},
		{"modifiedBy of a never-modified token is not greater or equal to ''", "metadata.modifiedBy gte ''", bare, false},
		// labels
		{"a label name matches its first label", "metadata.labels[*].name eq 'env'", labelled, true},
		{"a label name matches a later label", "metadata.labels[*].name eq 'team'", labelled, true},
		{"a label name without [*] matches the same", "metadata.labels.name eq 'team'", labelled, true},
		{"a label name matches no label", "metadata.labels[*].name eq 'owner'", labelled, false},
		{"a label name does not match a label value", "metadata.labels[*].name eq 'prod'", labelled, false},
		{"a label value matches", "metadata.labels[*].value eq 'storage'", labelled, true},
		{"a label value in matches a substring of any value", "metadata.labels[*].value in 'tor'", labelled, true},
		{"a label value lt matches when any label is smaller", "metadata.labels[*].value lt 'q'", labelled, true},
		{"a label value gt matches when any label is greater", "metadata.labels[*].value gt 'q'", labelled, true},
		{"a label value gt matches no label when none is greater", "metadata.labels[*].value gt 'zzz'", labelled, false},
		{"a label name in '' matches a token with labels", "metadata.labels[*].name in ''", labelled, true},
		{"a label name in '' does not match a token without labels", "metadata.labels[*].name in ''", bare, false},
		{"a label value gte '' does not match a token without labels", "metadata.labels[*].value gte ''", bare, false},
		// timestamps
		{"eq matches the same microsecond", "metadata.creationTimestamp eq '2022-10-06T20:58:16.305662Z'", labelled, true},
		{"eq matches the same instant written with nanoseconds", "metadata.creationTimestamp eq '2022-10-06T20:58:16.305662000Z'", labelled, true},
		{"eq matches the same instant written with a comma", "metadata.creationTimestamp eq '2022-10-06T20:58:16,305662Z'", labelled, true},
		{"eq does not match one nanosecond later", "metadata.creationTimestamp eq '2022-10-06T20:58:16.305662001Z'", labelled, false},
		{"eq does not match the whole second", "metadata.creationTimestamp eq '2022-10-06T20:58:16Z'", labelled, false},
		{"eq does not match the millisecond", "metadata.creationTimestamp eq '2022-10-06T20:58:16.305Z'", labelled, false},
		{"gt matches a time after the whole second", "metadata.creationTimestamp gt '2022-10-06T20:58:16Z'", labelled, true},
		{"gt matches a time after the millisecond", "metadata.creationTimestamp gt '2022-10-06T20:58:16.305Z'", labelled, true},
		{"lt matches a time before the next second", "metadata.creationTimestamp lt '2022-10-06T20:58:17Z'", labelled, true},
		{"lt does not match the same instant", "metadata.creationTimestamp lt '2022-10-06T20:58:16.305662Z'", labelled, false},
		{"lte matches the same instant", "metadata.creationTimestamp lte '2022-10-06T20:58:16.305662Z'", labelled, true},
		{"gte matches the same instant", "metadata.creationTimestamp gte '2022-10-06T20:58:16.305662Z'", labelled, true},
		{"gte does not match a later day", "metadata.creationTimestamp gte '2022-10-07T00:00:00Z'", labelled, false},
		{"time order is not string order", "metadata.creationTimestamp lt '2022-10-06T20:58:16.4Z'", labelled, true},
		{"a stored time is compared as written, to the microsecond", "metadata.creationTimestamp eq '2022-10-06T20:58:16.305662Z'", bare, true},
		{"a stored time's dropped nanoseconds do not make it later", "metadata.creationTimestamp gt '2022-10-06T20:58:16.305662Z'", bare, false},
		{"a stored time in another zone is the same instant", "metadata.creationTimestamp eq '2022-10-06T20:58:16.305662Z'", zoned, true},
		{"modificationTimestamp compares its own time", "metadata.modificationTimestamp eq '2022-10-06T21:58:16.305662Z'", labelled, true},
		{"modificationTimestamp is not creationTimestamp", "metadata.modificationTimestamp eq '2022-10-06T20:58:16.305662Z'", labelled, false},
		{"in matches part of the written date", "metadata.creationTimestamp in '2022-10-06'", labelled, true},
		{"in matches the written microseconds", "metadata.creationTimestamp in '.305662Z'", bare, true},
		{"in does not see dropped nanoseconds", "metadata.creationTimestamp in '305662789'", bare, false},
		{"in matches the written form in UTC", "metadata.creationTimestamp in 'T20:58'", zoned, true},
		{"in does not match another year", "metadata.creationTimestamp in '2023'", labelled, false},
		{"in does not match a comma form", "metadata.creationTimestamp in '16,305662'", labelled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFilter(tt.filter)
			if err != nil {
				t.Fatalf("ParseFilter(%q) error: %v", tt.filter, err)
			}
			if got := f.Match(tt.tok, schemas.TimeLayout); got != tt.want {
				t.Errorf("%q.Match(%s) = %v, want %v", tt.filter, tt.tok.Name, got, tt.want)
			}
		})
	}
}

func TestFilterLiteralMatch(t *testing.T) {
	tests := []struct {
		name string
		f    Filter
		want bool
	}{
		{"a literal on a timestamp field parses its value", Filter{Field: FieldCreationTimestamp, Op: OpEq, Value: "2022-10-06T20:58:16.305662Z"}, true},
		{"a literal with a bad time matches nothing", Filter{Field: FieldCreationTimestamp, Op: OpLt, Value: "soon"}, false},
		{"a literal with an unknown field matches nothing", Filter{Field: "foo", Op: OpIn, Value: ""}, false},
		{"a literal with an unknown operator matches nothing", Filter{Field: FieldName, Op: "like", Value: "Snapshot Script"}, false},
		{"a literal label field without [*] is not canonical and matches nothing", Filter{Field: "metadata.labels.name", Op: OpEq, Value: "env"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Match(labelled, schemas.TimeLayout); got != tt.want {
				t.Errorf("%v.Match = %v, want %v", tt.f, got, tt.want)
			}
		})
	}
}

func BenchmarkFilterMatch(b *testing.B) {
	for _, s := range []string{
		"name eq 'Snapshot Script'",
		"name in 'Script'",
		"metadata.labels[*].value eq 'storage'",
		"metadata.creationTimestamp gte '2022-10-06T20:58:16Z'",
		"metadata.creationTimestamp in '20:58'",
	} {
		f, err := ParseFilter(s)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				f.Match(labelled, schemas.TimeLayout)
			}
		})
	}
}
