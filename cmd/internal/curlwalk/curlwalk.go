// Package curlwalk reads the curl walk of cmd/astra-mock/README.md (its
// section "A walk through the API with curl"), which the mock's tests and
// the image's tests both run as written.
package curlwalk

import (
	"errors"
	"os"
	"strings"
)

// Read returns the sh block of the walk in the README at path, pointed at
// base instead of http://127.0.0.1:8080.
func Read(path, base string) (string, error) {
	readme, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	_, section, ok := strings.Cut(string(readme), "\n## A walk through the API with curl\n")
	_, block, ok2 := strings.Cut(section, "```sh\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 || !strings.Contains(block, "http://127.0.0.1:8080") {
		return "", errors.New(path + " has no curl walk against http://127.0.0.1:8080")
	}
	return strings.ReplaceAll(block, "http://127.0.0.1:8080", base), nil
}
