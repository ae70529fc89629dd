package mockserver

import (
	"crypto/md5"
	"encoding/hex"

	"github.com/astra-contract/astra-token-kit/mockserver/internal/token"
	"github.com/astra-contract/astra-token-kit/schemas"
)

// resource is the JSON body of a token: the answer to GET, an item of a
// list, and, with Secret set, the answer to POST. encoding/json writes it
// (see marshal); the field order is that of NetApp's examples.
type resource struct {
	Type     string   `json:"type"`
	Version  string   `json:"version"`
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	UserID   string   `json:"userID"`
	Secret   string   `json:"token,omitempty"`
	Metadata metadata `json:"metadata"`
}

// metadata is the metadata object of a token resource.
type metadata struct {
	Labels                []token.Label `json:"labels"`
	CreationTimestamp     string        `json:"creationTimestamp"`
	ModificationTimestamp string        `json:"modificationTimestamp"`
	CreatedBy             string        `json:"createdBy"`
	ModifiedBy            string        `json:"modifiedBy,omitempty"`
}

// resourceOf returns the resource of t, without its secret, labels never
// null and times in schemas.TimeLayout.
func resourceOf(t *token.Token) resource {
	labels := t.Labels
	if labels == nil {
		labels = []token.Label{}
	}
	return resource{
		Type:    token.MediaType,
		Version: token.Version,
		ID:      t.ID,
		Name:    t.Name,
		UserID:  t.UserID,
		Metadata: metadata{
			Labels:                labels,
			CreationTimestamp:     t.CreationTimestamp.UTC().Format(schemas.TimeLayout),
			ModificationTimestamp: t.ModificationTimestamp.UTC().Format(schemas.TimeLayout),
			CreatedBy:             t.CreatedBy,
			ModifiedBy:            t.ModifiedBy,
		},
	}
}

// representation returns the body GET answers for t and its entity tag,
// the hex MD5 of that body: If-Match is judged by the same bytes.
func representation(t *token.Token) (body []byte, etag string, err error) {
	if body, err = marshal(resourceOf(t)); err != nil {
		return nil, "", err
	}
	sum := md5.Sum(body)
	return body, hex.EncodeToString(sum[:]), nil
}

// project returns r as a list item under include: an array of the values
// of fields (as query.ParseInclude gives them), in that order. A field
// ParseInclude would refuse yields nil.
func (r *resource) project(fields []string) []any {
	item := make([]any, len(fields))
	for i, f := range fields {
		switch f {
		case "type":
			item[i] = r.Type
		case "version":
			item[i] = r.Version
		case "id":
			item[i] = r.ID
		case "name":
			item[i] = r.Name
		case "userID":
			item[i] = r.UserID
		case "metadata":
			item[i] = r.Metadata
		}
	}
	return item
}
