#!/usr/bin/env bash
# site-catalog.sh <tree> <out>: the functions of <tree>/drivers/cxl that
# the chaos may delay (scripts/site-catalog.cocci), sorted, into <out>.
# tests/lib/explore.sh reads it in the guest as
# /lib/modules/<release>/cxl-sites. A function that Coccinelle cannot
# parse is left out, so a site is only ever one whose arguments are known.
# Cached by the contents of drivers/cxl in $BUILD/cache/sites/.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need spatch
tree=${1:?usage: site-catalog.sh <tree> <out>} out=${2:?usage: site-catalog.sh <tree> <out>}
cache=$BUILD/cache/sites/$(content_key "$tree/drivers/cxl" "$TOP/scripts/site-catalog.cocci")
if [ ! -s "$cache" ]; then
	mkdir -p "${cache%/*}"
	spatch --very-quiet --sp-file "$TOP/scripts/site-catalog.cocci" -j "$(nproc)" \
		--dir "$tree/drivers/cxl" 2>"$cache.log" | LC_ALL=C sort -u >"$cache.new" ||
		die "spatch failed on $tree/drivers/cxl, log: $cache.log"
	[ -s "$cache.new" ] || die "no function found in $tree/drivers/cxl, log: $cache.log"
	mv "$cache.new" "$cache"
fi
cp "$cache" "$out"
