#!/usr/bin/env bash
# A kernel with every CXL driver built in, and its module tree:
#
#   build-builtin.sh [series-builtin|base-builtin]
#
# series-builtin (scripts/install-modules.sh), booted by
# scenarios/hw-builtin.sh with its own kernel (lib.sh's kernel_image): the
# series, and a memdev creator built in ahead of drivers/cxl. The tree is
# $SRC hard-linked into build/builtin/src, its .git left out, plus
# tests/builtin/cxl_builtin_accel.c linked from drivers/gpu/, which
# drivers/Makefile links before drivers/cxl/. Files this script changes are
# replaced, never written through a link, so $SRC is never touched.
# build/builtin/obj sits beside it as build/obj sits beside $SRC, so ccache
# (CCACHE_BASEDIR) finds the objects the configs share.
# BUILTIN_PATCH=<file> applies a patch to the copy too: tests/builtin/
# has the one that shows what the series' change is for.
# With KBASE=mainline (scenarios/mainline-builtin.sh) there is no creator
# (it is written for the 6.19.11 series), the trees are below
# build/mainline/, and base-builtin is the same kernel from the pristine
# tarball (build/mainline/builtin-base/, beside it for ccache).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need cp patch depmod
set_name=${1:-series-builtin}
case $SUB$set_name in
series-builtin | mainline/series-builtin) from=$SRC bdir=$BUILD/${SUB}builtin ;;
mainline/base-builtin) from=$PRISTINE bdir=$BUILD/${SUB}builtin-base ;;
*) die "unknown built-in set '$set_name' (base-builtin is KBASE=mainline's)" ;;
esac
[ -e "$from/Makefile" ] || die "no kernel tree at $from: run 'make tree'"
bsrc=$bdir/src bobj=$bdir/obj
dest=$MODULES/$set_name
accel=""
[ -n "$SUB" ] || accel=$TOP/tests/builtin/cxl_builtin_accel.c
kernel=$bobj/arch/x86/boot/bzImage

# The copy is made anew each time: a link is cheap, and a stale one would
# hide a file the series changed since. Unchanged files keep their times,
# so the objdir builds incrementally.
(
	build_lock
	rm -rf "$bsrc" && mkdir -p "$bsrc"
	find "$from" -mindepth 1 -maxdepth 1 ! -name .git -exec cp -al -t "$bsrc" {} + ||
		die "could not link $from into $bsrc"
	if [ -n "$accel" ]; then
		mk=$bsrc/drivers/gpu/Makefile
		{
			cat "$from/drivers/gpu/Makefile"
			echo "obj-y += cxl_builtin_accel.o"
			echo "CFLAGS_cxl_builtin_accel.o += -I\$(srctree)/drivers/cxl"
		} >"$mk.new" && mv "$mk.new" "$mk"
		cp -p "$accel" "$bsrc/drivers/gpu/"
	fi
	# A file the last BUILTIN_PATCH changed is, as a link again, older than
	# the object built from the patched text: copy it with a new time, so
	# that make builds it again.
	patched=$bobj/.builtin-patched
	mkdir -p "$bobj"
	touch "$patched"
	while read -r f; do
		cp --remove-destination "$from/$f" "$bsrc/$f"
	done <"$patched"
	: >"$patched"
	if [ -n "${BUILTIN_PATCH:-}" ]; then
		grep '^+++ b/' "$BUILTIN_PATCH" | cut -c7- | while read -r f; do
			cp --remove-destination "$from/$f" "$bsrc/$f"
			echo "$f" >>"$patched"
		done
		patch -s -p1 -d "$bsrc" <"$BUILTIN_PATCH" || die "$BUILTIN_PATCH does not apply to $bsrc"
	fi
)
KSRC=$bsrc KOBJ=$bobj KFRAGMENT="${KFRAGMENT:+$KFRAGMENT }$TOP/config/builtin.config" \
	"$TOP/scripts/build-kernel.sh"
[ -z "$accel" ] || [ -e "$bobj/drivers/gpu/cxl_builtin_accel.o" ] ||
	die "$bobj: the built-in creator was not built, log: $bobj/build.log"

# Inputs: the image and its modules (BUILTIN_PATCH changes the image)
mapfile -t kos < <(find "$bobj" -name '*.ko')
key=$(content_key "$kernel" "${kos[@]}" "$TOP/scripts/build-builtin.sh")
if [ "$(cat "$dest/.inputs" 2>/dev/null)" = "$key" ]; then
	log "$set_name module tree unchanged in $dest"
	exit 0
fi
new=$dest.new
log "installing $set_name module tree in $dest"
rm -rf "$new" && mkdir -p "$new"
(
	build_lock
	"${KMAKE[@]}" -C "$bsrc" O="$bobj" INSTALL_MOD_PATH="$new/intree" modules_install >/dev/null
	depmod -b "$new/intree" "$KREL"
)
echo "$key" >"$new/.inputs"
rm -rf "$dest.old"
[ ! -e "$dest" ] || mv "$dest" "$dest.old"
mv "$new" "$dest"
rm -rf "$dest.old"
