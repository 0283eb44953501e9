#!/usr/bin/env bash
# Write the commits of $SRC since the base back to patches/, with the cover
# letter's subject and text carried over from the current one.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

patches=$TOP/patches
cover=$patches/0000-cover-letter.patch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -d "$SRC/.git" ] || die "no tree at $SRC"
n=$(git -C "$SRC" rev-list --count "$BASE_TAG"..HEAD)
[ "$n" -gt 0 ] || die "$SRC has no commits on top of $BASE_TAG"

git -C "$SRC" format-patch -q --cover-letter --zero-commit --no-signature \
	--subject-prefix=PATCH -o "$tmp" "$BASE_TAG"..HEAD

if [ -e "$cover" ]; then
	subject=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$cover")
	# The blurb: from the first blank line to the shortlog's "Name (N):" line
	awk 'b && /^[^ ].* \([0-9]+\):$/ { exit } b { print } /^$/ && !b { b = 1 }' \
		"$cover" >"$tmp/blurb"
	new=$tmp/0000-cover-letter.patch
	awk -v subj="$subject" -v blurb="$tmp/blurb" '
		/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subj) }
		/^\*\*\* BLURB HERE \*\*\*$/ {
			while ((getline l < blurb) > 0) print l
			skip = 1; next
		}
		skip && /^$/ { skip = 0; next }
		{ print }' "$new" >"$new.tmp" && mv "$new.tmp" "$new"
fi

# A stable cover date: the newest patch's, not the time of the export
sed -i "0,/^Date: /s/^Date: .*/Date: $(git -C "$SRC" log -1 --format=%aD)/" \
	"$tmp/0000-cover-letter.patch"

find "$patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete 2>/dev/null || true
mkdir -p "$patches"
cp "$tmp"/*.patch "$patches/"
(cd "$patches" && printf '%s\n' [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-') >"$patches/series"
echo "$(series_key) $(git -C "$SRC" rev-parse HEAD)" >"$SRC/.git/cxl-series"
log "exported $n patches to $patches"
