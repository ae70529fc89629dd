package main

import (
	"bytes"
	"context"
	"io"
	"testing"
)

func TestVersionIsTheStampedOne(t *testing.T) {
	defer func(old string) { stampedVersion = old }(stampedVersion)
	stampedVersion = "v1.2.3"
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-version"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if out.String() != "astra-mock v1.2.3\n" {
		t.Fatalf("-version printed %q, want the stamped version", out.String())
	}
}
