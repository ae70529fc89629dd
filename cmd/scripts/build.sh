#!/usr/bin/env bash
# build.sh GOOS GOARCH DIR: astra-mock and astra-conformance as they are
# released, into DIR (relative to the repository root): static
# (CGO_ENABLED=0), -trimpath, stripped (-ldflags -s -w), with $VERSION
# stamped into -version, and the compiler's defaults otherwise, so the
# binaries that ship are the ones the tests and the load figures measured.
#
# make dist (dist.sh) and the image's build context (image-context.sh) both
# build through it: the flags are written here only.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ $# != 3 ]; then
	echo "usage: cmd/scripts/build.sh GOOS GOARCH DIR" >&2
	exit 2
fi
GO=${GO:-go}
VERSION=${VERSION:?VERSION is not set (make sets it from git describe)}

CGO_ENABLED=0 GOOS=$1 GOARCH=$2 $GO build -trimpath \
	-ldflags "-s -w -X main.stampedVersion=$VERSION" \
	-o "$3/" ./cmd/astra-mock ./cmd/astra-conformance
