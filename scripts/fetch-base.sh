#!/usr/bin/env bash
# Fetch Debian's pristine linux 6.19.11 tarball, verify it, extract it once.
#
# The mirror URI comes from the machine's apt configuration at run time. A
# tree is only trusted once it carries the stamp written after a complete,
# verified extraction; anything else is removed and extracted again.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

tarball=linux_${BASE_VERSION}.orig.tar.xz
dl=$BUILD/download/$tarball
tree=$BUILD/base/linux-$BASE_VERSION
stamp=$tree/.extracted-$BASE_SHA256

[ -e "$stamp" ] && exit 0

verify() {
	echo "$BASE_SHA256  $1" | sha256sum --check --status
}

mkdir -p "$BUILD/download"
if [ ! -e "$dl" ] || ! verify "$dl"; then
	url=$(mirror_uri)/pool/main/l/linux/$tarball
	log "fetching $tarball"
	rm -f "$dl.part"
	curl -fsSL --retry 3 -o "$dl.part" "$url" || die "download of $url failed"
	verify "$dl.part" || {
		got=$(sha256sum "$dl.part" | cut -d' ' -f1)
		die "$tarball: SHA256 $got, expected $BASE_SHA256 (kept as $dl.part)"
	}
	mv "$dl.part" "$dl"
fi

log "extracting $tarball"
rm -rf "$tree" "$tree.part"
mkdir -p "$tree.part"
tar -xJf "$dl" -C "$tree.part" --strip-components=1 ||
	die "extraction of $dl into $tree.part failed (disk full?)"
mv "$tree.part" "$tree"
touch "$stamp"
