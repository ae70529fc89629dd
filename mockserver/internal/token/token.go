// Package token holds the domain of the Token API: the token resource, its
// wire representation and the rules a token name must pass. It knows nothing
// of HTTP or storage.
package token

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

// Wire constants of the token resource.
const (
	MediaType     = "application/astra-token"  // the "type" of a token
	ListMediaType = "application/astra-tokens" // the "type" of a list
	Version       = "1.0"                      // the "version" of both
)

// TimeLayout is how the mock writes times: UTC with microseconds, as in
// NetApp's examples ("2022-10-06T20:58:16.305662Z").
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Label is a client-chosen name/value pair kept in a token's metadata.
type Label struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Token is one stored token resource. A stored Token is never modified:
// updates store a changed copy, so readers may hold one without locking.
type Token struct {
	ID         string
	Name       string
	AccountID  string
	UserID     string
	SecretHash string // lowercase hex SHA-256 of the credential (fixtures.HashSecret)

	Labels                []Label
	CreationTimestamp     time.Time
	ModificationTimestamp time.Time
	CreatedBy             string
	ModifiedBy            string
}

// Clone returns a copy that shares nothing mutable with t.
func (t *Token) Clone() *Token {
	c := *t
	c.Labels = append([]Label(nil), t.Labels...)
	return &c
}

// FormatTime writes a time the way the mock always does: as
// t.UTC().Format(TimeLayout), without the layout interpreter (every token
// of every list answer has two times).
func FormatTime(t time.Time) string {
	var buf [len(TimeLayout)]byte
	return string(AppendTime(buf[:0], t))
}

// AppendTime appends FormatTime(t) to b.
func AppendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, TimeLayout)
	}
	hour, minute, second := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, second, 2)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/1000, 6)
	return append(b, 'Z')
}

// appendDigits appends v, 0 <= v < 10^width, in width decimal digits.
func appendDigits(b []byte, v, width int) []byte {
	b = append(b, make([]byte, width)...)
	for i := len(b) - 1; i >= len(b)-width; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}

// Resource is the JSON body of a token: the GET representation, and with
// Secret set, the 201 representation. Field order follows NetApp's examples.
type Resource struct {
	Type     string   `json:"type"`
	Version  string   `json:"version"`
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	UserID   string   `json:"userID"`
	Secret   string   `json:"token,omitempty"`
	Metadata Metadata `json:"metadata"`
}

// Metadata is the metadata object of a token resource.
type Metadata struct {
	Labels                []Label `json:"labels"`
	CreationTimestamp     string  `json:"creationTimestamp"`
	ModificationTimestamp string  `json:"modificationTimestamp"`
	CreatedBy             string  `json:"createdBy"`
	ModifiedBy            string  `json:"modifiedBy,omitempty"`
}

// Resource returns the GET representation of t (never the secret).
func (t *Token) Resource() Resource {
	return Resource{
		Type:     MediaType,
		Version:  Version,
		ID:       t.ID,
		Name:     t.Name,
		UserID:   t.UserID,
		Metadata: t.Metadata(),
	}
}

// Metadata returns the metadata object of t, with labels never null.
func (t *Token) Metadata() Metadata {
	labels := t.Labels
	if labels == nil {
		labels = []Label{}
	}
	return Metadata{
		Labels:                labels,
		CreationTimestamp:     FormatTime(t.CreationTimestamp),
		ModificationTimestamp: FormatTime(t.ModificationTimestamp),
		CreatedBy:             t.CreatedBy,
		ModifiedBy:            t.ModifiedBy,
	}
}

// NewID reads 16 bytes from r and returns them as a lowercase version-4
// UUID with the RFC 4122 variant.
func NewID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("token: reading random id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:]), nil
}

// NewSecret reads 32 bytes from r and returns them in standard base64: the
// credential handed out once, in the 201 body.
func NewSecret(r io.Reader) (string, error) {
	var b [32]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("token: reading random secret: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b[:]), nil
}
