#!/usr/bin/env bash
# Configure and build the debug kernel (bzImage + modules) from $SRC.
#
# The config is allnoconfig plus config/debug.config; every symbol the
# fragment asks for must survive Kconfig, or the build stops naming it.
# KSRC, KOBJ and KFRAGMENT build another tree into another objdir with
# more fragments on top (KFRAGMENT: paths, space-separated; scripts/lib.sh,
# scripts/build-builtin.sh): the last one's lines win.
# KTARGETS=modules_prepare prepares the objdir for out-of-tree builds and
# no more (the static gate alone needs nothing else: scripts/check.sh).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need gcc make ccache flex bison bc
KSRC=${KSRC:-$SRC} KOBJ=${KOBJ:-$OBJ}
[ -e "$KSRC/Makefile" ] || die "no kernel tree at $KSRC: run 'make tree'"

read -ra frags <<<"$TOP/config/debug.config ${KFRAGMENT:-}"
mkdir -p "$KOBJ"
build_lock

frag=$KOBJ/.fragment.config
cat "${frags[@]}" >"$frag.new"
stamp=$KOBJ/.fragment.sha256
want=$(sha256sum "$frag.new" | cut -d' ' -f1)
mv "$frag.new" "$frag"
if [ ! -e "$KOBJ/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	log "configuring $KOBJ from ${frags[*]##*/}"
	"${KMAKE[@]}" -C "$KSRC" O="$KOBJ" allnoconfig KCONFIG_ALLCONFIG="$frag" >/dev/null 2>"$KOBJ/config.log" ||
		{ cat "$KOBJ/config.log" >&2; die "configuring $KOBJ failed, log: $KOBJ/config.log"; }
	echo "$want" >"$stamp"
fi

# The last value a fragment gives a symbol is the one that must stick.
# shellcheck disable=SC2178 # a string here; the array of that name is a local of lib.sh's qemu_check
missing=$(awk -F= '/^CONFIG_[A-Z0-9_]+=/ { v[$1] = $0 } END { for (s in v) print v[s] }' "$frag" |
	while IFS= read -r want_line; do
		case $want_line in
		*=n) ! grep -q "^${want_line%=n}=" "$KOBJ/.config" ;;	# "is not set", or not there
		*) grep -qxF "$want_line" "$KOBJ/.config" ;;
		esac || echo "$want_line"
	done)
# shellcheck disable=SC2128 # a string here; the array of that name is a local of lib.sh's qemu_check
[ -z "$missing" ] || die "config symbols dropped by Kconfig (check their dependencies, ${frags[*]##*/}):
$missing"

read -ra targets <<<"${KTARGETS:-bzImage modules}"
log "building ${targets[*]} in $KOBJ"
"${KMAKE[@]}" -C "$KSRC" O="$KOBJ" "${targets[@]}" >"$KOBJ/build.log" 2>&1 ||
	{ tail -40 "$KOBJ/build.log" >&2; die "kernel build failed, log: $KOBJ/build.log"; }
