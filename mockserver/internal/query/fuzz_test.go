package query

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/schemas"
)

// checkFuzzError fails t unless err is a *Error for param with a reason.
func checkFuzzError(t *testing.T, err error, param string) {
	t.Helper()
	var qe *Error
	if !errors.As(err, &qe) || qe.Param != param || qe.Reason == "" {
		t.Fatalf("error = %#v, want a *query.Error for %q with a reason", err, param)
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"name eq 'Snapshot Script'",
		"name%20eq%20'a%20b'",
		"name in ''",
		"id lt 'a'", "id gt 'a'", "id lte 'a'", "id gte 'a'",
		"type eq 'application/astra-token'",
		"metadata.labels[*].name eq 'env'",
		"metadata.labels.value in 'prod'",
		"metadata.creationTimestamp eq '2022-10-06T20:58:16.305662Z'",
		"metadata.modificationTimestamp lt '2022-10-06T20:58:16,123456789Z'",
		"metadata.creationTimestamp in '2022'",
		"metadata.modifiedBy eq ''",
		`name eq 'azAZ09. :@{}",-./;<=>?[\]^_'`,
		"", "name", "name ", "name eq", "name like 'x'", "name eq x", "name eq 'x",
		"name eq 'x' ", "name[*] eq 'x'", "metadata..name eq 'x'",
		"metadata.creationTimestamp eq '2023-02-29T00:00:00Z'",
		"name eq%20'x'", "%20%20", "%2", "name eq '%2'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := ParseFilter(s)
		if err != nil {
			checkFuzzError(t, err, "filter")
			return
		}
		flt.Match(labelled, schemas.TimeLayout)
		flt.Match(bare, schemas.TimeLayout)
		flt.Match(zoned, schemas.TimeLayout)
		str := flt.String()
		again, err := ParseFilter(str)
		if err != nil {
			t.Fatalf("ParseFilter(%q) = %v, but its String() %q does not parse: %v", s, flt, str, err)
		}
		if diff := cmp.Diff(flt, again); diff != "" {
			t.Fatalf("String() %q reads back differently (-first +again):\n%s", str, diff)
		}
		if again.String() != str {
			t.Fatalf("String() is not stable: %q then %q", str, again.String())
		}
		if flt.Match(labelled, schemas.TimeLayout) != again.Match(labelled, schemas.TimeLayout) || flt.Match(bare, schemas.TimeLayout) != again.Match(bare, schemas.TimeLayout) {
			t.Fatalf("%q and its String() %q match differently", s, str)
		}
	})
}

func FuzzParseOrderBy(f *testing.F) {
	for _, s := range []string{
		"id", "name", "type", "version", "userID", "name desc", "name%20desc",
		"", "name asc", "name DESC", "name  desc", "metadata", "token", "creationTimestamp",
		"name%20%20desc", "name desc%20", " ", "%20desc", "desc",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOrderBy(s)
		if err != nil {
			checkFuzzError(t, err, "orderBy")
			return
		}
		if o.Field == "" {
			t.Fatalf("ParseOrderBy(%q) = the zero Order", s)
		}
		again, err := ParseOrderBy(o.String())
		if err != nil {
			t.Fatalf("ParseOrderBy(%q) = %v, but its String() %q does not parse: %v", s, o, o.String(), err)
		}
		if again != o {
			t.Fatalf("String() %q reads back as %v, want %v", o.String(), again, o)
		}
	})
}

func FuzzParseInclude(f *testing.F) {
	for _, s := range []string{
		"id", "id,name", "metadata", "type,version,id,name,userID,metadata",
		"", ",", "id,", ",id", "id,,name", "token", "id,id", "ID", "id name",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fields, err := ParseInclude(s)
		if err != nil {
			checkFuzzError(t, err, "include")
			return
		}
		if len(fields) == 0 || len(fields) > 6 {
			t.Fatalf("ParseInclude(%q) = %q", s, fields)
		}
		again, err := ParseInclude(strings.Join(fields, ","))
		if err != nil {
			t.Fatalf("joined fields of %q do not parse: %v", s, err)
		}
		if diff := cmp.Diff(fields, again); diff != "" {
			t.Fatalf("round trip mismatch (-first +again):\n%s", diff)
		}
	})
}

func FuzzDecodeContinue(f *testing.F) {
	c := NewCodec(testKey)
	good := c.Encode(Cursor{After: "2022-10-06T20:58:16.305662Z\x00id", Fingerprint: "0123456789abcdef0123456789abcdef"})
	for _, s := range []string{
		good, good[:len(good)-4], good + "AAAA", strings.ToUpper(good),
		NewCodec([]byte("other")).Encode(Cursor{After: "x"}),
		c.Encode(Cursor{}),
		"", "====", "QQ==", "QR==", "AAAA", "MDEwMA==", "!!!!", "ab\ncd==",
		strings.Repeat("A", MaxContinueLen), strings.Repeat("MDA=", 10),
	} {
		f.Add(s, []byte("after\x00"))
	}
	f.Fuzz(func(t *testing.T, s string, after []byte) {
		if cur, err := c.Decode(s); err != nil {
			checkFuzzError(t, err, "continue")
		} else if again, err := c.Decode(c.Encode(cur)); err != nil || again != cur {
			t.Fatalf("Decode(%q) = %q, which does not round-trip: %q, %v", s, cur, again, err)
		}
		// Whatever the store puts in After comes back unchanged.
		cur := Cursor{After: string(after), Fingerprint: s}
		enc := c.Encode(cur)
		if strings.ContainsAny(enc, "+/") || !base64Pattern.MatchString(enc) {
			t.Fatalf("Encode(%q) = %q, not URL-safe base64", cur, enc)
		}
		switch got, err := c.Decode(enc); {
		case err == nil && got != cur:
			t.Fatalf("Decode(Encode(%q)) = %q", cur, got)
		case err != nil && len(after)+len(s) <= MaxCursorPayload:
			t.Fatalf("Decode(Encode(%q)): %v", cur, err)
		case err != nil:
			checkFuzzError(t, err, "continue")
		}
	})
}
