#!/usr/bin/env bash
# Build and install the module trees the guest boots with.
#
#   install-modules.sh series|series-nopci|series-builtin|base|base-builtin|fixes|mutant-<name>
#
# Each set gets two trees under build/modules/<set>/:
#   intree/    the kernel's modules, CXL ones included, cxl_mock_accel and
#              cxl_port_delay (emulated hardware)
#   cxl_test/  the same plus tools/testing/cxl's overrides in updates/
# Both also get the harness's own test module, tests/kmod/kprobe_delay
# (sleeps at listed functions, to widen race windows), in updates/, and
# cxl-sites, the catalog of the set's drivers/cxl functions that it may
# delay (scripts/site-catalog.sh), for the chaos's exploration.
# The base set differs only in drivers/cxl, built from the pristine tarball
# against the same kernel: the series touches nothing built in. The fixes
# set is the base with patches/fixes/ only: $SRC's drivers/cxl and
# tools/testing/cxl at its branch "fixes" (scripts/tree.sh), copied to
# build/fixes/src. A mutant set is built the same way from $MUTANT_SRC
# (scripts/mutant.sh).
# series-nopci is the series' drivers/cxl built for the kernel's config with
# CXL_PCI=n (objdir build/obj-nopci): no cxl_pci.ko, for an accelerator
# that needs cxl_mem alone. Only its config differs from the kernel's, in
# a symbol that builds nothing into the image, so it loads in that kernel.
# series-builtin and base-builtin (KBASE=mainline) have kernels of their
# own: scripts/build-builtin.sh.
# FLAVORS="intree" (scripts/check.sh, when no guest of its run boots the
# set's cxl_test tree) leaves that tree out, and with it the build of
# tools/testing/cxl where the set has no mock accelerator for intree/.
# With KBASE=mainline (build/mainline/modules/) the sets are series (7.2.8
# with patches/mainline/) and base, and the harness's creator for
# devm_cxl_probe_mem(), tests/mainline/cxl_probe_accel, joins updates/.
# 7.2.8's own tools/testing/cxl does not build (the queue's first patch
# fixes it): its base set has no cxl_test tree.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need depmod

set_name=${1:?usage: install-modules.sh series|series-nopci|series-builtin|base|base-builtin|fixes|mutant-<name>}
case $set_name in series-builtin | base-builtin) exec "$TOP/scripts/build-builtin.sh" "$set_name" ;; esac
kobj=$OBJ	# the objdir whose config the CXL modules are built for
case $set_name in
series) cxl_src=$SRC ;;
series-nopci) cxl_src=$SRC kobj=$BUILD/obj-nopci ;;
base) cxl_src=$PRISTINE ;;
fixes) cxl_src=$BUILD/fixes/src ;;
mutant-?*) cxl_src=${MUTANT_SRC:?mutant sets are built by scripts/mutant.sh} ;;
*) die "unknown module set '$set_name'" ;;
esac
[ -e "$OBJ/Module.symvers" ] || die "no kernel build in $OBJ: run scripts/build-kernel.sh"

dest=$MODULES/$set_name
ext=$EXT/$set_name

# Out-of-tree builds against this set's CXL headers. Kbuild's own
# -I$(srctree)/drivers/cxl would name $SRC's; KCFLAGS comes first and keeps
# the set coherent.
ext_build() { # <dir> <objdir> [make args]
	local dir=$1 mo=$2
	shift 2
	"${KMAKE[@]}" -C "$kobj" M="$dir" MO="$mo" \
		KCFLAGS="-I$cxl_src/drivers/cxl -I$cxl_src/drivers/cxl/core" "$@"
}
ext_make() { local dir=$1; shift; ext_build "$cxl_src/$dir" "$ext/$dir" "$@"; } # <dir of $cxl_src>

build_lock
if [ "$set_name" = fixes ]; then
	git -C "$SRC" rev-parse -q --verify refs/heads/fixes >/dev/null ||
		die "no branch fixes in $SRC: run scripts/tree.sh"
	rm -rf "$cxl_src" && mkdir -p "$cxl_src"
	git -C "$SRC" archive fixes drivers/cxl tools/testing/cxl | tar -x -C "$cxl_src" ||
		die "could not copy drivers/cxl and tools/testing/cxl of branch fixes from $SRC"
fi
# Inputs: the kernel's modules, this set's CXL sources, and this script.
mapfile -t kos < <(find "$OBJ" -name '*.ko')
key=$(content_key "$OBJ/Module.symvers" "$OBJ/modules.order" "${kos[@]}" \
	"$cxl_src/drivers/cxl" "$cxl_src/tools/testing/cxl" "$TOP/tests/kmod" "$TOP/tests/mainline" \
	"$TOP/scripts/install-modules.sh" "$TOP/scripts/site-catalog.sh" "$TOP/scripts/site-catalog.py")
read -ra flavors <<<"${FLAVORS:-intree cxl_test}"
key+=" ${flavors[*]}"
if [ "$(cat "$dest/.inputs" 2>/dev/null)" = "$key" ]; then
	log "$set_name module trees unchanged in $dest"
	exit 0
fi

# Build the new trees aside and swap them in whole: a guest booted from
# the old ones never sees a half-written tree.
new=$dest.new
log "installing $set_name module trees in $dest"
rm -rf "$new"
# Kbuild does not rebuild an external module's .mod.o when the kernel's
# config changes, and a stale one carries the old struct module layout
# ("Invalid relocation target" at load): out-of-tree objects are kept only
# for the config they were built with.
cmp -s "$OBJ/.config" "$ext/.kernel-config" || rm -rf "$ext"
# The sources of a mutant (one path for all, scripts/mutant.sh) and of the
# fixes set (copied anew) have times that say nothing about this set's
# objects: build them from scratch, and let ccache find what is unchanged.
case $set_name in fixes | mutant-*) rm -rf "$ext" ;; esac
mkdir -p "$new" "$ext"
cp "$OBJ/.config" "$ext/.kernel-config"
"${KMAKE[@]}" -C "$SRC" O="$OBJ" INSTALL_MOD_PATH="$new/intree" modules_install >/dev/null

if [ "$kobj" != "$OBJ" ]; then
	log "configuring $kobj: the kernel's config with CXL_PCI=n"
	mkdir -p "$kobj"
	cp "$OBJ/.config" "$kobj/.config"
	"$SRC/scripts/config" --file "$kobj/.config" -d CXL_PCI
	{
		"${KMAKE[@]}" -C "$SRC" O="$kobj" olddefconfig &&
		"${KMAKE[@]}" -C "$SRC" O="$kobj" modules_prepare
	} >"$ext/prepare.log" 2>&1 || die "$kobj: modules_prepare failed, log: $ext/prepare.log"
	grep -qx 'CONFIG_CXL_MEM=m' "$kobj/.config" ||
		die "CONFIG_CXL_MEM is not m with CXL_PCI=n, see $kobj/.config"
	cp "$OBJ/Module.symvers" "$OBJ/System.map" "$kobj/"
fi
if [ "$set_name" != series ]; then
	rm -rf "$new/intree/lib/modules/$KREL/kernel/drivers/cxl"
	ext_make drivers/cxl >"$ext/build-cxl.log" 2>&1 ||
		die "$set_name drivers/cxl build failed, log: $ext/build-cxl.log"
	ext_make drivers/cxl INSTALL_MOD_PATH="$new/intree" \
		INSTALL_MOD_DIR=kernel/drivers/cxl modules_install >/dev/null
fi
if [ "$SUB$set_name" = mainline/base ]; then
	log "no cxl_test tree in the 7.2.8 base set: its tools/testing/cxl does not build"
	flavors=(intree)
elif [ "${flavors[*]}" = intree ] && [ ! -e "$cxl_src/tools/testing/cxl/test/accel.c" ]; then
	log "no cxl_test tree in the $set_name set: no guest of this run boots it"
else
	ext_make tools/testing/cxl >"$ext/build-cxl_test.log" 2>&1 ||
		die "$set_name cxl_test build failed, log: $ext/build-cxl_test.log"
fi
if [[ " ${flavors[*]} " == *" cxl_test "* ]]; then
	cp -a "$new/intree" "$new/cxl_test"
	ext_make tools/testing/cxl INSTALL_MOD_PATH="$new/cxl_test" modules_install >/dev/null
fi

# The mock accelerator, and the knob that holds new ports before their
# bind, work on emulated hardware with the in-tree modules
for m in cxl_mock_accel cxl_port_delay; do
	ko=$ext/tools/testing/cxl/test/$m.ko
	[ ! -e "$ko" ] || install -D -m 644 "$ko" "$new/intree/lib/modules/$KREL/updates/$m.ko"
done

# The harness's module needs nothing of drivers/cxl: one build serves both
"${KMAKE[@]}" -C "$kobj" M="$TOP/tests/kmod" MO="$ext/kmod" >"$ext/build-kmod.log" 2>&1 ||
	die "$set_name tests/kmod build failed, log: $ext/build-kmod.log"
harness=("$ext/kmod/kprobe_delay.ko")
if [ -n "$SUB" ]; then	# the creator for 7.2.8's devm_cxl_probe_mem(), against this set's headers
	ext_build "$TOP/tests/mainline" "$ext/mainline" >"$ext/build-mainline.log" 2>&1 ||
		die "$set_name tests/mainline build failed, log: $ext/build-mainline.log"
	harness+=("$ext/mainline/cxl_probe_accel.ko")
fi
for flavor in "${flavors[@]}"; do
	for ko in "${harness[@]}"; do
		install -D -m 644 "$ko" "$new/$flavor/lib/modules/$KREL/updates/${ko##*/}"
	done
	depmod -b "$new/$flavor" "$KREL"
	"$TOP/scripts/site-catalog.sh" "$cxl_src" "$new/$flavor/lib/modules/$KREL/cxl-sites"
done
echo "$key" >"$new/.inputs"
rm -rf "$dest.old"
[ ! -e "$dest" ] || mv "$dest" "$dest.old"
mv "$new" "$dest"
rm -rf "$dest.old"
