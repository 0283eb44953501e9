#!/usr/bin/env bash
# Fetch Debian's ndctl 81 source, verify it, and build it with its test suite
# into build/ndctl/ (tests/lib/ndctl.sh runs the CXL tests from there).
# Skips whatever is already done; the mirror URI comes from the machine's apt
# configuration at run time.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need curl meson ninja pkg-config

NDCTL_VERSION=81
NDCTL_SHA256=e40784687ac2d0c176748c9ffb8bde541a12301b6fedb607a9a70c8fd1f94929
tarball=ndctl_${NDCTL_VERSION}.orig.tar.gz
dl=$BUILD/download/$tarball
src=$BUILD/ndctl/ndctl-$NDCTL_VERSION
out=$BUILD/ndctl/build
stamp=$out/.built-$NDCTL_SHA256

[ -e "$stamp" ] && exit 0

verify() { echo "$NDCTL_SHA256  $1" | sha256sum --check --status; }

mkdir -p "$BUILD/download" "$BUILD/ndctl"
if [ ! -e "$dl" ] || ! verify "$dl"; then
	uri=$(mirror_uri)
	log "fetching $tarball"
	curl -fsSL --retry 3 -o "$dl.part" "${uri%/}/pool/main/n/ndctl/$tarball" ||
		die "download of $tarball failed"
	verify "$dl.part" || die "$tarball: SHA256 $(sha256sum "$dl.part" | cut -d' ' -f1), expected $NDCTL_SHA256"
	mv "$dl.part" "$dl"
fi

log "extracting $tarball"
rm -rf "$src" "$src.part" "$out"
mkdir -p "$src.part"
tar -xzf "$dl" -C "$src.part" --strip-components=1
mv "$src.part" "$src"

log "building ndctl $NDCTL_VERSION in $out"
{ meson setup "$out" "$src" -Dtest=enabled -Ddestructive=enabled \
	-Ddocs=disabled -Dsystemd=disabled && ninja -C "$out"; } >"$BUILD/ndctl/build.log" 2>&1 ||
	die "ndctl build failed; see $BUILD/ndctl/build.log"
touch "$stamp"
