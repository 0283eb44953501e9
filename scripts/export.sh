#!/usr/bin/env bash
# Write the commits of $SRC since the base back to patches/, as two series,
# each with its cover letter's subject and text carried over from the
# current one:
#
#   patches/fixes/   the commits from $BASE_TAG to the branch $FIXES_BRANCH:
#                    the base fixes, which apply to the base on their own
#   patches/attach/  the commits after $FIXES_BRANCH up to HEAD: the attach
#                    series, which needs the fixes
#
# Where the fixes end is the branch $FIXES_BRANCH of $SRC, which tree.sh
# sets on the last fixes/ patch of patches/series. $SRC has rebase.updateRefs
# on, so "git rebase -i" moves the branch with the commits it rewrites: to
# add a fix, pick it before the todo list's "update-ref refs/heads/fixes"
# line, to add an attach patch, after it (or commit it on top). Anything
# else that moves the end of the fixes: 'git -C build/src branch -f fixes
# <last fix>'. The branch must lie between $BASE_TAG and HEAD.
#
# Each cover letter ends in base-commit: (the reproducible $BASE_TAG commit
# of tree.sh) and, for the attach series, the prerequisite-patch-id: of
# each fix, as git format-patch --base writes them. patches/series lists
# fixes/0001-... to attach/00NN-..., the order the commits apply in.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

patches=$PATCHES
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -d "$SRC/.git" ] || die "no tree at $SRC"
n=$(git -C "$SRC" rev-list --count "$BASE_TAG"..HEAD)
[ "$n" -gt 0 ] || die "$SRC has no commits on top of $BASE_TAG"
fixes=$(git -C "$SRC" rev-parse -q --verify "refs/heads/$FIXES_BRANCH") ||
	die "$SRC has no branch $FIXES_BRANCH to say where the fixes end: set it on the last fix, 'git -C $SRC branch $FIXES_BRANCH <commit>'"
if ! git -C "$SRC" merge-base --is-ancestor "$BASE_TAG" "$fixes" ||
	! git -C "$SRC" merge-base --is-ancestor "$fixes" HEAD; then
	die "$SRC's branch $FIXES_BRANCH ($fixes) is not between $BASE_TAG and HEAD: set it on the last fix, 'git -C $SRC branch -f $FIXES_BRANCH <commit>'"
fi
base=$(git -C "$SRC" rev-parse "$BASE_TAG^{commit}")
[ "$base" = "$(base_commit "$SRC" "$(git -C "$SRC" rev-parse "$BASE_TAG^{tree}")")" ] ||
	log "warning: $BASE_TAG ($base) is not the reproducible base commit, so base-commit: says $base; the next 'make tree' rebuilds $SRC on it, export again then"

# export_series <dir> <range>: the commits of <range> as $tmp/<dir>/, with
# the cover letter's subject and blurb from patches/<dir>/, if it has one.
export_series() {
	local dir=$1 range=$2 cover=$patches/$1/0000-cover-letter.patch
	local new=$tmp/$1/0000-cover-letter.patch subject
	git -C "$SRC" format-patch -q --cover-letter --zero-commit --no-signature \
		--subject-prefix=PATCH --base="$BASE_TAG" -o "$tmp/$dir" "$range"
	if [ -e "$cover" ]; then
		subject=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$cover")
		# The blurb: from the first blank line to the shortlog's "Name (N):" line
		awk 'b && /^[^ ].* \([0-9]+\):$/ { exit } b { print } /^$/ && !b { b = 1 }' \
			"$cover" >"$tmp/blurb"
		awk -v subj="$subject" -v blurb="$tmp/blurb" '
			/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subj) }
			/^\*\*\* BLURB HERE \*\*\*$/ {
				while ((getline l < blurb) > 0) print l
				skip = 1; next
			}
			skip && /^$/ { skip = 0; next }
			{ print }' "$new" >"$new.tmp" && mv "$new.tmp" "$new"
	fi
	# A stable cover date: the series' newest patch's, not the time of the export
	sed -i "0,/^Date: /s/^Date: .*/Date: $(git -C "$SRC" log -1 --format=%aD "${range#*..}")/" "$new"
}

# An empty series (no fixes, or nothing after them) has no directory.
if [ "$fixes" != "$base" ]; then export_series fixes "$BASE_TAG..$fixes"; fi
if [ "$fixes" != "$(git -C "$SRC" rev-parse HEAD)" ]; then export_series attach "$fixes..HEAD"; fi

# The layout before the two series (patches/0001-*.patch) goes too.
find "$patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete 2>/dev/null || true
rm -rf "$patches/fixes" "$patches/attach"
mkdir -p "$patches"
for d in fixes attach; do
	[ ! -d "$tmp/$d" ] || cp -r "$tmp/$d" "$patches/"
done
(cd "$patches" && for d in fixes attach; do
	[ ! -d "$d" ] || printf '%s\n' "$d"/[0-9][0-9][0-9][0-9]-*.patch
done | grep -v '/0000-') >"$patches/series"
echo "$(series_key) $(git -C "$SRC" rev-parse HEAD) $fixes" >"$SRC/.git/cxl-series"
log "exported $n patches to $patches: $(git -C "$SRC" rev-list --count "$BASE_TAG..$fixes") in fixes/, $(git -C "$SRC" rev-list --count "$fixes..HEAD") in attach/"
