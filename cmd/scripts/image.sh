#!/usr/bin/env bash
# make image: the container image astra-token-kit:latest and :$VERSION.
#
# The two programs are compiled here with the host's Go, statically
# (CGO_ENABLED=0) for linux on the host's architecture (IMAGE_ARCH to
# change it), into bin/image/, the build context of cmd/Dockerfile, which
# starts FROM scratch: building needs Go, its module proxy and a Docker
# daemon, and never pulls an image.
#
# Inlining is turned off (-gcflags=all=-l): the two binaries share most of
# their code (libopenapi, net/http) but each carries its own copy, and
# without inlining they are 8% smaller, which keeps the image under its
# 40 MB budget. The mock in a CI pipeline does not notice the difference.
set -euo pipefail
cd "$(dirname "$0")/../.."

GO=${GO:-go}
IMAGE=${IMAGE:-astra-token-kit}
VERSION=${VERSION:?VERSION is not set (make image sets it from git describe)}
IMAGE_ARCH=${IMAGE_ARCH:-$($GO env GOARCH)}
IMAGE_SOURCE=${IMAGE_SOURCE:-https://github.com/astra-contract/astra-token-kit}
IMAGE_LICENSE=${IMAGE_LICENSE:-NOASSERTION}

if ! [[ $VERSION =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
	echo "image: VERSION=$VERSION cannot be an image tag (letters, digits, '_', '.', '-'; at most 128)" >&2
	exit 2
fi
if ! docker version >/dev/null 2>&1; then
	echo "image: no Docker daemon answers (docker version failed); start one, or run make ci-test-image, which starts its own" >&2
	exit 1
fi

ctx=bin/image
rm -rf "$ctx"
mkdir -p "$ctx/data"
echo "image: building astra-mock and astra-conformance $VERSION for linux/$IMAGE_ARCH"
CGO_ENABLED=0 GOOS=linux GOARCH=$IMAGE_ARCH $GO build -trimpath -gcflags=all=-l \
	-ldflags "-s -w -X main.stampedVersion=$VERSION" \
	-o "$ctx/" ./cmd/astra-mock ./cmd/astra-conformance

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
docker build --file cmd/Dockerfile \
	--platform "linux/$IMAGE_ARCH" \
	--build-arg "VERSION=$VERSION" \
	--build-arg "REVISION=$revision" \
	--build-arg "SOURCE=$IMAGE_SOURCE" \
	--build-arg "LICENSE=$IMAGE_LICENSE" \
	--tag "$IMAGE:latest" --tag "$IMAGE:$VERSION" \
	"$ctx"
size=$(docker image inspect --format '{{.Size}}' "$IMAGE:$VERSION")
echo "image: $IMAGE:latest and $IMAGE:$VERSION, $size bytes"
