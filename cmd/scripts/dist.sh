#!/usr/bin/env bash
# make dist: release binaries of astra-mock and astra-conformance for linux,
# darwin and windows on amd64 and arm64, built by build.sh (static,
# -trimpath, -s -w, $VERSION stamped into -version; the image's binaries
# are built the same way), into dist/:
#
#   dist/astra-mock-linux-amd64 ... dist/astra-conformance-windows-arm64.exe
#   dist/SHA256SUMS   (sha256sum -c SHA256SUMS, or shasum -a 256 -c)
#
# It then checks the sums and, where this machine is one of the targets,
# that its binaries print the version.
set -euo pipefail
cd "$(dirname "$0")/../.."

GO=${GO:-go}
VERSION=${VERSION:?VERSION is not set (make dist sets it from git describe)}
programs=(astra-mock astra-conformance)
platforms=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)

if command -v sha256sum >/dev/null; then
	sha256=(sha256sum)
elif command -v shasum >/dev/null; then
	sha256=(shasum -a 256)
else
	echo "dist: neither sha256sum nor shasum is installed" >&2
	exit 1
fi

rm -rf dist
mkdir -p dist/.build
for platform in "${platforms[@]}"; do
	os=${platform%/*} arch=${platform#*/} ext=""
	if [ "$os" = windows ]; then
		ext=.exe
	fi
	echo "dist: $VERSION for $os/$arch"
	cmd/scripts/build.sh "$os" "$arch" dist/.build
	for p in "${programs[@]}"; do
		mv "dist/.build/$p$ext" "dist/$p-$os-$arch$ext"
	done
done
rmdir dist/.build

(cd dist && "${sha256[@]}" -- * >SHA256SUMS && "${sha256[@]}" -c SHA256SUMS >/dev/null)

host="$($GO env GOHOSTOS)-$($GO env GOHOSTARCH)"
for p in "${programs[@]}"; do
	bin="dist/$p-$host"
	[ "$($GO env GOHOSTOS)" = windows ] && bin+=.exe
	if [ -x "$bin" ]; then
		got=$("$bin" -version)
		if [ "$got" != "$p $VERSION" ]; then
			echo "dist: $bin -version printed \"$got\", want \"$p $VERSION\"" >&2
			exit 1
		fi
		echo "dist: $bin -version: $got"
	fi
done
echo "dist: $(($(ls dist | wc -l) - 1)) binaries and SHA256SUMS in dist/"
