#!/usr/bin/env bash
# Make $SRC a git tree of the pristine base with one commit per patch.
#
#   tree.sh [series|none]
#
# patches/series names the patches in the order they apply, as paths below
# patches/: the fixes series (fixes/0001-...) first, then the attach series
# (attach/0001-...). The base is tagged $BASE_TAG, one commit of the release
# tarball's tree with a fixed author and date (scripts/lib.sh's base_commit),
# so that its id, the cover letters' base-commit:, is the same in every tree.
# The branch $FIXES_BRANCH is set on the last fix: scripts/export.sh splits
# the two series there. rebase.updateRefs is on in $SRC, so a "git rebase -i"
# moves that branch with the commits it rewrites; its todo list shows it as
# "update-ref refs/heads/fixes" after the last fix.
#
# The tree is rebuilt whenever patches/ changed since it was made, unless
# it holds commits that were never exported, a $FIXES_BRANCH branch moved
# since, or uncommitted changes to its files: those are never thrown away.
# A tree whose base commit is not the reproducible one is rebuilt on it
# under the same conditions.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need git

which=${1:-series}
patches=$PATCHES
stamp=$SRC/.git/cxl-series

# What the tree should hold: the series' content, or nothing on top of base.
wanted() {
	if [ "$which" = none ]; then echo none; return; fi
	series_key
}

make_base_tree() {
	"$(dirname "$0")/fetch-base.sh"
	log "creating the git tree $SRC"
	rm -rf "$SRC" "$SRC.part"
	mkdir -p "${SRC%/*}"
	cp -a "$PRISTINE" "$SRC.part"
	rm -f "$SRC.part"/.extracted-*
	git -C "$SRC.part" init -q
	git -C "$SRC.part" config gc.auto 0
	git -C "$SRC.part" -c core.excludesFile=/dev/null add -A
	git -C "$SRC.part" tag "$BASE_TAG" \
		"$(base_commit "$SRC.part" "$(git -C "$SRC.part" write-tree)")"
	mv "$SRC.part" "$SRC"
}

# Whether $BASE_TAG is the reproducible base commit of its own tree.
base_is_reproducible() {
	[ "$(git -C "$SRC" rev-parse "$BASE_TAG^{commit}")" = \
		"$(base_commit "$SRC" "$(git -C "$SRC" rev-parse "$BASE_TAG^{tree}")")" ]
}

fixes_at() { git -C "$SRC" rev-parse -q --verify "refs/heads/$FIXES_BRANCH" || true; }

# What rebuilding $SRC would throw away, as an error message; nothing when
# it holds only what patches/ has: HEAD and $FIXES_BRANCH as the last
# export or rebuild left them (the stamp's $head and $fixes), no edits.
unexported() {
	local now
	now=$(git -C "$SRC" rev-parse HEAD)
	if [ "$now" != "$head" ]; then
		echo "$SRC has commits that are not in patches/ (HEAD $now).
Export them with 'make export', or drop them with 'rm -rf $SRC'."
		return
	fi
	# a stamp of an older tree.sh has no fixes field
	if [ -n "$fixes" ] && [ "$(fixes_at)" != "$fixes" ]; then
		echo "$SRC's branch $FIXES_BRANCH moved since patches/ were written (was $fixes, is $(fixes_at)).
Export the new split with 'make export', or put it back with 'git -C $SRC branch -f $FIXES_BRANCH $fixes'."
		return
	fi
	uncommitted
}

# Rebuilding checks the tree out afresh: not while edits are uncommitted.
uncommitted() {
	local changed
	changed=$(git -C "$SRC" status --porcelain --untracked-files=no)
	[ -z "$changed" ] && return
	echo "$SRC has uncommitted changes, which rebuilding it from patches/ would discard:
$(head -n 20 <<<"$changed")
Keep them: commit them in $SRC, then 'make export'. Set them aside: 'git -C $SRC stash'.
Drop them: 'git -C $SRC reset --hard'."
}

# patches/series: every entry in fixes/ or attach/, the fixes first.
check_series() {
	local p attach=
	while read -r p; do
		case $p in
		'') ;;
		fixes/*) [ -z "$attach" ] || die "patches/series: $p comes after $attach: the fixes come first" ;;
		attach/*) attach=${attach:-$p} ;;
		*) die "patches/series: $p is in neither fixes/ nor attach/" ;;
		esac
	done <"$patches/series"
}

apply_series() {
	local p
	git -C "$SRC" checkout -q -f -B series "$BASE_TAG"
	git -C "$SRC" config user.name "$(git -C "$TOP" config user.name || echo cxl)"
	git -C "$SRC" config user.email "$(git -C "$TOP" config user.email || echo cxl@localhost)"
	git -C "$SRC" config rebase.updateRefs true
	git -C "$SRC" branch -f "$FIXES_BRANCH" "$BASE_TAG"
	[ "$which" = none ] && return
	while read -r p; do
		[ -n "$p" ] || continue
		if ! git -C "$SRC" am -q "$patches/$p" >"$BUILD/am.log" 2>&1; then
			cat "$BUILD/am.log" >&2
			git -C "$SRC" am --show-current-patch=diff 2>/dev/null | head -60 >&2 || true
			git -C "$SRC" am --abort || true
			die "patch $p does not apply to $BASE_VERSION (log: $BUILD/am.log)"
		fi
		case $p in fixes/*) git -C "$SRC" branch -f "$FIXES_BRANCH" HEAD ;; esac
	done <"$patches/series"
}

[ "$which" = none ] || check_series
want=$(wanted)
if [ -d "$SRC/.git" ] && [ -e "$stamp" ]; then
	head='' fixes=''
	read -r had head fixes <"$stamp"
	keep=$(unexported)
	if [ "$had" = "$want" ]; then
		base_is_reproducible && exit 0
		if [ -n "$keep" ]; then
			log "$SRC: $BASE_TAG is not the reproducible base commit; it is left as it is while $SRC holds work that patches/ does not"
			exit 0
		fi
	fi
	[ -z "$keep" ] || die "$keep"
	if ! base_is_reproducible; then
		log "$SRC: $BASE_TAG moves to the reproducible base commit"
		git -C "$SRC" tag -f "$BASE_TAG" \
			"$(base_commit "$SRC" "$(git -C "$SRC" rev-parse "$BASE_TAG^{tree}")")" >/dev/null
	fi
else
	if [ -d "$SRC/.git" ]; then
		keep=$(uncommitted)
		[ -z "$keep" ] || die "$keep"
	fi
	make_base_tree
fi

apply_series
echo "$want $(git -C "$SRC" rev-parse HEAD) $(fixes_at)" >"$stamp"
log "$SRC: $(git -C "$SRC" rev-list --count "$BASE_TAG"..HEAD) patches on $BASE_TAG"
