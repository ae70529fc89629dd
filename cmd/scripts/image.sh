#!/usr/bin/env bash
# make image: the container image astra-token-kit:latest and :$VERSION.
#
# The two programs are compiled here with the host's Go for linux on the
# host's architecture (IMAGE_ARCH to change it), with the release flags of
# build.sh (static, -trimpath, -s -w: the binaries that were tested and
# measured, the same as make dist's), into bin/image/ (image-context.sh),
# the build context of cmd/Dockerfile, which starts FROM scratch: building
# needs Go, its module proxy and a Docker daemon, and never pulls an image.
# The image stays under its 50 MB budget (cmd/ci/image_test.go).
#
# The release workflow (.github/workflows/release.yml) builds the same
# context for linux/amd64 and linux/arm64 and pushes both with buildx.
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

cmd/scripts/image-context.sh "$IMAGE_ARCH"

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
docker build --file cmd/Dockerfile \
	--platform "linux/$IMAGE_ARCH" \
	--build-arg "TARGETARCH=$IMAGE_ARCH" \
	--build-arg "VERSION=$VERSION" \
	--build-arg "REVISION=$revision" \
	--build-arg "SOURCE=$IMAGE_SOURCE" \
	--build-arg "LICENSE=$IMAGE_LICENSE" \
	--tag "$IMAGE:latest" --tag "$IMAGE:$VERSION" \
	bin/image
size=$(docker image inspect --format '{{.Size}}' "$IMAGE:$VERSION")
echo "image: $IMAGE:latest and $IMAGE:$VERSION, $size bytes"
