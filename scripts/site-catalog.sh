#!/usr/bin/env bash
# site-catalog.sh <tree> <out>: the function definitions of
# <tree>/drivers/cxl that kprobe_delay may delay, "<name> <arguments>
# <flags>" (scripts/site-catalog.py), into <out>. tests/lib/explore.sh
# reads it in the guest as /lib/modules/<release>/cxl-sites. Cached by the
# contents of drivers/cxl in $BUILD/cache/sites/.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need python3
tree=${1:?usage: site-catalog.sh <tree> <out>} out=${2:?usage: site-catalog.sh <tree> <out>}
cache=$BUILD/cache/sites/$(content_key "$tree/drivers/cxl" "$TOP/scripts/site-catalog.py")
if [ ! -s "$cache" ]; then
	mkdir -p "${cache%/*}"
	python3 "$TOP/scripts/site-catalog.py" "$tree/drivers/cxl" >"$cache.new" ||
		die "scripts/site-catalog.py failed on $tree/drivers/cxl"
	[ -s "$cache.new" ] || die "no function found in $tree/drivers/cxl"
	mv "$cache.new" "$cache"
fi
cp "$cache" "$out"
