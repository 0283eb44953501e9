#!/usr/bin/env bash
# Build the module set of one mutant (scripts/mutants.sh, make check).
#
#   mutant.sh <name>
#
# Copies the series' drivers/cxl and tools/testing/cxl from $SRC to
# build/mutants/src, applies tests/mutants/<name>.patch there and installs
# the result as module set mutant-<name> (scripts/install-modules.sh).
# Every mutant is built from the same path, so that ccache finds every
# file the mutant does not change: a set costs seconds, not a rebuild.
# A set whose inputs did not change is not rebuilt. With KBASE=mainline:
# tests/mutants/mainline/, the queue's tip, build/mainline/mutants/src.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need patch

name=${1:?usage: mutant.sh <name>}
p=$MUTANTS_DIR/$name.patch
[ -r "$p" ] || die "no mutant $p"
src=$BUILD/${SUB}mutants/src

# One mutant at a time in $src (install-modules.sh takes the build lock).
mkdir -p "$BUILD/${SUB}mutants"
exec {lock}>"$BUILD/${SUB}mutants/.lock"
flock "$lock"
rm -rf "$src"
mkdir -p "$src/drivers" "$src/tools/testing"
cp -a "$SRC/drivers/cxl" "$src/drivers/"
cp -a "$SRC/tools/testing/cxl" "$src/tools/testing/"
# 7.2.8's tools/testing/cxl builds dax_hmem from drivers/dax/ too
! grep -q '/dax/' "$SRC/tools/testing/cxl/Kbuild" || cp -a "$SRC/drivers/dax" "$src/drivers/"
patch -s -p1 -d "$src" <"$p" || die "mutant $p does not apply to $SRC"
MUTANT_SRC=$src "$TOP/scripts/install-modules.sh" "mutant-$name"
