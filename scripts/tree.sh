#!/usr/bin/env bash
# Make $SRC a git tree of the pristine base with one commit per patch.
#
#   tree.sh [series|none]
#
# The tree is rebuilt whenever patches/ changed since it was made, unless
# it holds commits that were never exported or uncommitted changes to its
# files: those are never thrown away.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need git

which=${1:-series}
patches=$TOP/patches
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
	cp -a "$PRISTINE" "$SRC.part"
	rm -f "$SRC.part"/.extracted-*
	git -C "$SRC.part" init -q
	git -C "$SRC.part" config gc.auto 0
	git -C "$SRC.part" add -A
	git -C "$SRC.part" -c user.name=base -c user.email=base@localhost \
		commit -q -m "Linux $BASE_VERSION"
	git -C "$SRC.part" tag "$BASE_TAG"
	mv "$SRC.part" "$SRC"
}

# Rebuilding checks the tree out afresh: refuse while edits are uncommitted.
refuse_uncommitted() {
	local changed
	changed=$(git -C "$SRC" status --porcelain --untracked-files=no)
	[ -z "$changed" ] && return
	die "$SRC has uncommitted changes, which rebuilding it from patches/ would discard:
$(head -n 20 <<<"$changed")
Keep them: commit them in $SRC, then 'make export'. Set them aside: 'git -C $SRC stash'.
Drop them: 'git -C $SRC reset --hard'."
}

apply_series() {
	local p
	git -C "$SRC" checkout -q -f -B series "$BASE_TAG"
	git -C "$SRC" config user.name "$(git -C "$TOP" config user.name || echo cxl)"
	git -C "$SRC" config user.email "$(git -C "$TOP" config user.email || echo cxl@localhost)"
	[ "$which" = none ] && return
	while read -r p; do
		[ -n "$p" ] || continue
		if ! git -C "$SRC" am -q "$patches/$p" >"$BUILD/am.log" 2>&1; then
			cat "$BUILD/am.log" >&2
			git -C "$SRC" am --show-current-patch=diff 2>/dev/null | head -60 >&2 || true
			git -C "$SRC" am --abort || true
			die "patch $p does not apply to $BASE_VERSION (log: $BUILD/am.log)"
		fi
	done <"$patches/series"
}

want=$(wanted)
if [ -d "$SRC/.git" ] && [ -e "$stamp" ]; then
	read -r had head <"$stamp"
	now=$(git -C "$SRC" rev-parse HEAD)
	[ "$had" = "$want" ] && exit 0
	if [ "$now" != "$head" ]; then
		die "$SRC has commits that are not in patches/ (HEAD $now).
Export them with 'make export', or drop them with 'rm -rf $SRC'."
	fi
	refuse_uncommitted
else
	[ ! -d "$SRC/.git" ] || refuse_uncommitted
	make_base_tree
fi

apply_series
echo "$want $(git -C "$SRC" rev-parse HEAD)" >"$stamp"
log "$SRC: $(git -C "$SRC" rev-list --count "$BASE_TAG"..HEAD) patches on $BASE_TAG"
