#!/usr/bin/env bash
# Build and install the module trees the guest boots with.
#
#   install-modules.sh series|base
#
# Each set gets two trees under build/modules/<set>/:
#   intree/    the kernel's modules, CXL ones included, and cxl_mock_accel
#              (emulated hardware)
#   cxl_test/  the same plus tools/testing/cxl's overrides in updates/
# The base set differs only in drivers/cxl, built from the pristine tarball
# against the same kernel: the series touches nothing built in.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need depmod

set_name=${1:?usage: install-modules.sh series|base}
case $set_name in
series) cxl_src=$SRC ;;
base) cxl_src=$PRISTINE ;;
*) die "unknown module set '$set_name'" ;;
esac
[ -e "$OBJ/Module.symvers" ] || die "no kernel build in $OBJ: run scripts/build-kernel.sh"

dest=$BUILD/modules/$set_name
ext=$BUILD/obj-ext/$set_name

# Out-of-tree builds of $cxl_src/<dir>. Kbuild's own -I$(srctree)/drivers/cxl
# would name $SRC's headers; KCFLAGS comes first and keeps the set coherent.
ext_make() {
	local dir=$1
	shift
	"${KMAKE[@]}" -C "$OBJ" M="$cxl_src/$dir" MO="$ext/$dir" \
		KCFLAGS="-I$cxl_src/drivers/cxl -I$cxl_src/drivers/cxl/core" "$@"
}

build_lock
log "installing $set_name module trees in $dest"
rm -rf "$dest"
mkdir -p "$dest" "$ext"
"${KMAKE[@]}" -C "$SRC" O="$OBJ" INSTALL_MOD_PATH="$dest/intree" modules_install >/dev/null

if [ "$set_name" = base ]; then
	rm -rf "$dest/intree/lib/modules/$KREL/kernel/drivers/cxl"
	ext_make drivers/cxl >"$ext/build-cxl.log" 2>&1 ||
		die "base drivers/cxl build failed, log: $ext/build-cxl.log"
	ext_make drivers/cxl INSTALL_MOD_PATH="$dest/intree" \
		INSTALL_MOD_DIR=kernel/drivers/cxl modules_install >/dev/null
fi
cp -a "$dest/intree" "$dest/cxl_test"

ext_make tools/testing/cxl >"$ext/build-cxl_test.log" 2>&1 ||
	die "$set_name cxl_test build failed, log: $ext/build-cxl_test.log"
ext_make tools/testing/cxl INSTALL_MOD_PATH="$dest/cxl_test" modules_install >/dev/null

# The mock accelerator drives emulated hardware with the in-tree modules
accel=$ext/tools/testing/cxl/test/cxl_mock_accel.ko
[ ! -e "$accel" ] || install -D -m 644 "$accel" "$dest/intree/lib/modules/$KREL/updates/cxl_mock_accel.ko"

for flavor in intree cxl_test; do
	depmod -b "$dest/$flavor" "$KREL"
done
