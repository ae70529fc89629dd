// Package token holds the domain of the Token API: the token as the mock
// stores it, and the rules a token name must pass. It knows nothing of HTTP
// or storage; the HTTP edge writes a token's JSON.
package token

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

// Constants of the token resource and of a list of them.
const (
	MediaType     = "application/astra-token"  // the "type" of a token
	ListMediaType = "application/astra-tokens" // the "type" of a list
	Version       = "1.0"                      // the "version" of both
)

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

// NewID reads 16 bytes from r and returns them as a lowercase version-4
// UUID with the RFC 4122 variant.
func NewID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("token: reading random id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
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
