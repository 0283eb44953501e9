# Shared definitions for the scripts; sourced, never run.
# shellcheck shell=bash

# Debian's tools first: a pyenv python3 lacks python3-ply for checkpatch.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}

BASE_VERSION=6.19.11
BASE_SHA256=e19d838c34519b050dd48334c673b07f4089d56449b453e6d1d04460e0667fa6

log() { printf '>> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

SRC=$BUILD/src			# git work tree: base + the series, one commit a patch
OBJ=$BUILD/obj			# kernel object dir, built from $SRC
PRISTINE=$BUILD/base/linux-$BASE_VERSION
BASE_TAG=v$BASE_VERSION
KREL=$BASE_VERSION		# kernel release; we always build with LOCALVERSION=

# Make flags shared by every kernel and module build: ccache, a fixed
# timestamp so unchanged inputs give unchanged outputs, and no "+" suffix.
export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
KMAKE=(make -s -j"$(($(nproc) + 1))" CC="ccache gcc" LOCALVERSION=
       KBUILD_BUILD_TIMESTAMP=2026-01-01 KBUILD_BUILD_USER=cxl
       KBUILD_BUILD_HOST=check)

# Builds share two cores: serialize them, whoever starts them.
build_lock() { exec {lockfd}>"$BUILD/.build.lock"; flock "$lockfd"; }

need() {
	local t
	for t; do
		command -v "$t" >/dev/null || die "missing tool '$t': run 'sudo scripts/install-deps.sh'"
	done
}

# The Debian mirror the machine's apt configuration names: no host name is
# ever written into the repo.
mirror_uri() {
	local uri
	uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$uri" ] || die "no Debian mirror URI in /etc/apt/sources.list.d/debian.sources"
	echo "${uri%/}"
}

# content_key <path>...: a short hash of the contents of the named files and
# of every file under the named directories. Stamps made of it let a step
# skip work when its inputs did not change; a path that does not exist
# counts as empty. Paths count relative to the checkout and to $BUILD, so
# another clone that shares $BUILD shares the stamps.
content_key() {
	{ find "$@" -type f -print0 2>/dev/null || true; } |
		xargs -0r sha256sum | sed "s#  $BUILD/#  build/#; s#  $TOP/#  #" |
		LC_ALL=C sort -k2 | sha256sum | cut -c1-16
}
