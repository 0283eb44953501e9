#!/usr/bin/env bash
# Configure and build the debug kernel (bzImage + modules) from $SRC.
#
# The config is allnoconfig plus config/debug.config; every symbol the
# fragment asks for must survive Kconfig, or the build stops naming it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need gcc make ccache flex bison bc
[ -d "$SRC/.git" ] || die "no kernel tree at $SRC: run 'make tree'"

frag=$TOP/config/debug.config
mkdir -p "$OBJ"
build_lock

stamp=$OBJ/.fragment.sha256
want=$(sha256sum "$frag" | cut -d' ' -f1)
if [ ! -e "$OBJ/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	log "configuring $OBJ from $(basename "$frag")"
	"${KMAKE[@]}" -C "$SRC" O="$OBJ" allnoconfig KCONFIG_ALLCONFIG="$frag" >/dev/null
	echo "$want" >"$stamp"
fi

# shellcheck disable=SC2178 # a string here; the array of that name is a local of lib.sh's qemu_check
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$frag" | while IFS='=' read -r sym val; do
	grep -qx "$sym=$val" "$OBJ/.config" || echo "$sym=$val"
done)
# shellcheck disable=SC2128 # a string here; the array of that name is a local of lib.sh's qemu_check
[ -z "$missing" ] || die "config symbols dropped by Kconfig (check their dependencies):
$missing"

log "building bzImage and modules in $OBJ"
"${KMAKE[@]}" -C "$SRC" O="$OBJ" bzImage modules >"$OBJ/build.log" 2>&1 ||
	{ tail -40 "$OBJ/build.log" >&2; die "kernel build failed, log: $OBJ/build.log"; }
