#!/usr/bin/env bash
# image-context.sh ARCH...: bin/image/, the build context of cmd/Dockerfile,
# for linux on each ARCH (amd64, arm64, ...):
#
#   bin/image/ARCH/astra-mock  bin/image/ARCH/astra-conformance  bin/image/data/ (empty)
#
# The binaries are the released ones (build.sh, $VERSION stamped). The
# Dockerfile copies those of its TARGETARCH, so one context serves a
# multi-platform build: make image builds the host's architecture from it,
# the release workflow (.github/workflows/release.yml) linux/amd64 and
# linux/arm64 at once.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ $# = 0 ]; then
	echo "usage: cmd/scripts/image-context.sh ARCH..." >&2
	exit 2
fi
ctx=bin/image
rm -rf "$ctx"
mkdir -p "$ctx/data"
for arch in "$@"; do
	echo "image-context: astra-mock and astra-conformance ${VERSION:-} for linux/$arch"
	cmd/scripts/build.sh linux "$arch" "$ctx/$arch"
done
