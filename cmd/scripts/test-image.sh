#!/usr/bin/env bash
# make test-image: the image's tests, against the image make image just
# built ($IMAGE:$VERSION):
#
#   1. go test -tags imagetest ./cmd/ci/: the image's metadata (size under
#      50 MB, numeric non-root user, labels, both tags), its binaries' build
#      flags (the release ones), -version of both programs, the
#      conformance suite and cmd/astra-mock/README.md's curl walk against the mock in the
#      container (--network host, a 127.0.0.1 port), mounted fixtures and
#      state, configuration by ASTRA_MOCK_*, the health check, and the
#      GitHub Actions, GitLab CI and Docker Compose recipes run as their
#      runners would;
#   2. the Testcontainers example module (cmd/astra-mock/examples/testcontainers).
#
# It fails, and never passes, when something it needs is missing: a Docker
# daemon, Docker Compose, curl. Every container it starts carries the label
# astra-token-kit.test=$run and is removed by id at the end, also when a
# test was killed half way.
set -euo pipefail
cd "$(dirname "$0")/../.."

GO=${GO:-go}
IMAGE=${IMAGE:-astra-token-kit}
VERSION=${VERSION:?VERSION is not set (make test-image sets it from git describe)}
ref="$IMAGE:$VERSION"

notrun() {
	echo "test-image: FAILED, the image tests did not run: $*" >&2
	exit 1
}
docker version >/dev/null 2>&1 || notrun "no Docker daemon answers (make ci-test-image starts one)"
docker image inspect "$ref" >/dev/null 2>&1 || notrun "there is no image $ref (make image builds it)"
command -v curl >/dev/null || notrun "curl is not installed (the curl walk and the recipes use it)"
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null ||
	notrun "neither docker compose nor docker-compose is installed (make ci-test-image installs docker-compose)"

run="run$$x$RANDOM"
project="astra-token-kit-test-$run" # the compose project of cmd/ci's test
cleanup() {
	local ids nets
	ids=$({
		docker ps --all --quiet --filter "label=astra-token-kit.test=$run"
		docker ps --all --quiet --filter "label=com.docker.compose.project=$project"
		docker ps --all --quiet --filter "ancestor=$ref" --filter "label=org.testcontainers=true"
	} | sort -u)
	if [ -n "$ids" ]; then
		echo "test-image: removing containers left behind:" $ids >&2
		docker rm --force $ids >/dev/null || true
	fi
	nets=$(docker network ls --quiet --filter "label=com.docker.compose.project=$project")
	if [ -n "$nets" ]; then
		docker network rm $nets >/dev/null || true
	fi
}
trap cleanup EXIT

began=$SECONDS
mkdir -p bin
echo "test-image: testing $ref"
ASTRA_IMAGE=$IMAGE ASTRA_IMAGE_VERSION=$VERSION ASTRA_TEST_RUN=$run \
	$GO test -tags imagetest -count=1 -v -timeout 20m ./cmd/ci/ 2>&1 | tee bin/test-image.log
grep -q -- '--- SKIP' bin/test-image.log && notrun "an image test was skipped (see bin/test-image.log)"

echo "test-image: the Testcontainers example"
(
	cd cmd/astra-mock/examples/testcontainers
	# Ryuk, Testcontainers' reaper, would be pulled from Docker Hub; the
	# test removes its container itself.
	ASTRA_MOCK_IMAGE=$ref TESTCONTAINERS_RYUK_DISABLED=true \
		$GO test -count=1 -v -timeout 10m ./... 2>&1
) | tee bin/test-image-testcontainers.log
grep -q -- '--- PASS: TestClientRetriesACreate' bin/test-image-testcontainers.log ||
	notrun "the Testcontainers example did not pass (see bin/test-image-testcontainers.log)"
ids=$(docker ps --all --quiet --filter "ancestor=$ref" --filter "label=org.testcontainers=true")
[ -z "$ids" ] || notrun "the Testcontainers example left containers behind: $ids"

size=$(docker image inspect --format '{{.Size}}' "$ref")
echo "test-image: passed: $ref, $size bytes, $((SECONDS - began))s"
