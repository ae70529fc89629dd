package mockserver

import (
	"bytes"
	"testing"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

// FuzzAppendResource holds appendResource to encoding/json: for any
// strings in any field, with and without labels, secret and modifiedBy,
// the bytes are those encode gives.
func FuzzAppendResource(f *testing.F) {
	f.Add("n", "v", "x", "", "", 1)
	f.Add("a\"b\\c", "\b\f\n\r\t\x00\x1f\x7f", "<>&", "\u2028\u2029", "\xff\xfe", 2)
	f.Add("é漢字😀", "\xed\xa0\x80", "\xc3", "bye\u2029", "tok", 0)
	f.Add("", "", "", "", "", -1)
	f.Fuzz(func(t *testing.T, name, value, by, modified, secret string, labels int) {
		r := token.Resource{Type: token.MediaType, Version: token.Version, ID: by, Name: name, UserID: value, Secret: secret,
			Metadata: token.Metadata{CreationTimestamp: value, ModificationTimestamp: name, CreatedBy: by, ModifiedBy: modified}}
		if labels >= 0 {
			r.Metadata.Labels = []token.Label{}
			for i := range labels % 4 {
				r.Metadata.Labels = append(r.Metadata.Labels, token.Label{Name: name[:len(name)*i/4], Value: value})
			}
		}
		want, err := marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendResource(nil, &r); !bytes.Equal(got, want) {
			t.Fatalf("appendResource\n got %q\nwant %q", got, want)
		}
	})
}
