package mockserver

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/query"
	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
)

func TestAResourceIsWrittenAsTheContractShowsIt(t *testing.T) {
	created := time.Date(2022, 10, 6, 20, 58, 16, 305662789, time.FixedZone("CEST", 2*60*60))
	tok := &token.Token{
		ID: "43ab09af-e558-4b1b-a6d5-49df7c39f22c", Name: "Zeta", AccountID: benchAccount, UserID: benchMember,
		CreationTimestamp: created, ModificationTimestamp: created.Add(time.Hour), CreatedBy: "a&b<c>",
	}
	for _, tc := range []struct {
		name   string
		change func(r *resource)
		want   string
	}{
		{"without labels, modifiedBy or secret", func(*resource) {},
			`{"type":"application/astra-token","version":"1.0","id":"43ab09af-e558-4b1b-a6d5-49df7c39f22c","name":"Zeta",` +
				`"userID":"` + benchMember + `","metadata":{"labels":[],"creationTimestamp":"2022-10-06T18:58:16.305662Z",` +
				`"modificationTimestamp":"2022-10-06T19:58:16.305662Z","createdBy":"a&b<c>"}}`},
		{"with all of them", func(r *resource) {
			r.Secret = "s3cr3t"
			r.Metadata.ModifiedBy = "m"
			r.Metadata.Labels = []token.Label{{Name: "env", Value: "prod"}}
		},
			`{"type":"application/astra-token","version":"1.0","id":"43ab09af-e558-4b1b-a6d5-49df7c39f22c","name":"Zeta",` +
				`"userID":"` + benchMember + `","token":"s3cr3t","metadata":{"labels":[{"name":"env","value":"prod"}],` +
				`"creationTimestamp":"2022-10-06T18:58:16.305662Z","modificationTimestamp":"2022-10-06T19:58:16.305662Z",` +
				`"createdBy":"a&b<c>","modifiedBy":"m"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := resourceOf(tok)
			tc.change(&r)
			got, err := marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProject(t *testing.T) {
	tok := &token.Token{
		ID: "4e99da96-152e-4aee-9207-4b6d04d2238d", Name: "Snapshot Script", AccountID: benchAccount, UserID: benchMember,
		Labels:            []token.Label{{Name: "env", Value: "prod"}},
		CreationTimestamp: time.Date(2022, 10, 6, 20, 58, 16, 305662000, time.UTC),
	}
	r := resourceOf(tok)
	tests := []struct {
		name    string
		include string
		want    []any
	}{
		{"fields come in the requested order", "name,id", []any{"Snapshot Script", tok.ID}},
		{"type and version are the constants", "version,type", []any{token.Version, token.MediaType}},
		{"userID is the owner", "userID", []any{benchMember}},
		{"metadata is the metadata object", "id,metadata", []any{tok.ID, r.Metadata}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields, err := query.ParseInclude(tt.include)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, r.project(fields)); diff != "" {
				t.Errorf("project mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got := r.project(nil); len(got) != 0 {
		t.Errorf("no fields give %v, want an empty item", got)
	}
}

func TestAProjectedItemIsTheDocumentedArray(t *testing.T) {
	created := time.Date(2022, 10, 6, 20, 58, 16, 305662789, time.UTC)
	r := resourceOf(&token.Token{ID: "43ab09af-e558-4b1b-a6d5-49df7c39f22c", Name: "Zeta", UserID: benchMember,
		CreationTimestamp: created, ModificationTimestamp: created, CreatedBy: benchMember})
	fields, err := query.ParseInclude("id,name,metadata")
	if err != nil {
		t.Fatal(err)
	}
	got, err := marshal(r.project(fields))
	if err != nil {
		t.Fatal(err)
	}
	want := `["43ab09af-e558-4b1b-a6d5-49df7c39f22c","Zeta",` +
		`{"labels":[],"creationTimestamp":"2022-10-06T20:58:16.305662Z",` +
		`"modificationTimestamp":"2022-10-06T20:58:16.305662Z","createdBy":"` + benchMember + `"}]`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("JSON mismatch (-want +got):\n%s", diff)
	}
}
