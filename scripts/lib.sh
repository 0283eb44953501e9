# Shared definitions for the scripts; sourced, never run.
# shellcheck shell=bash disable=SC2034 # definitions read by the scripts that source this

# Debian's tools first: a pyenv python3 lacks python3-ply for checkpatch.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}

BASE_VERSION=6.19.11
BASE_SHA256=e19d838c34519b050dd48334c673b07f4089d56449b453e6d1d04460e0667fa6
# The release's date, as the tarball's file times have it: the base commit's
# author and committer date, so that its id is the same in every tree.
BASE_DATE="2026-04-02 11:25:57 +0000"
PATCHES=$TOP/patches		# the queue: series, checkpatch-waivers, fixes/, attach/
SUB=				# where below $BUILD its tree and objdir go
MUTANTS_DIR=$TOP/tests/mutants	# the mutants of the queue's tip, and check, make check's

# KBASE=mainline: the same harness on Linux 7.2.8 (make check-mainline,
# scripts/check-mainline.sh), for patches/mainline/: a queue of fixes only,
# laid out as patches/ is, with its own tree, objdir and config fragment.
if [ "${KBASE:-}" = mainline ]; then
	BASE_VERSION=7.2.8
	BASE_SHA256=08f058f9de8d487e32a5c9e2855ee7e35bee1a047e77d37ba797d734c0cc07b3
	BASE_DATE="2026-09-25 14:37:14 +0000"
	PATCHES=$TOP/patches/mainline
	SUB=mainline/
	MUTANTS_DIR=$TOP/tests/mutants/mainline
	export KFRAGMENT=${KFRAGMENT:-$TOP/config/mainline.config}
fi

log() { printf '>> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

SRC=$BUILD/${SUB}src		# git work tree: base + the series, one commit a patch
OBJ=$BUILD/${SUB}obj		# kernel object dir, built from $SRC
MODULES=$BUILD/${SUB}modules	# the module sets guests boot (install-modules.sh)
EXT=$BUILD/${SUB}obj-ext		# their out-of-tree objects
PRISTINE=$BUILD/base/linux-$BASE_VERSION
BASE_TAG=v$BASE_VERSION
# The branch of $SRC that points at the last commit of the fixes series;
# the commits after it, up to HEAD, are the attach series.
FIXES_BRANCH=fixes
KREL=$BASE_VERSION		# kernel release; we always build with LOCALVERSION=

# The kernel a module tree boots: its set's own for series-builtin and
# base-builtin (scripts/build-builtin.sh), else the one every other set is
# built for.
kernel_image() { # <module tree root>
	case $(realpath -m "$1") in
	"$(realpath -m "$MODULES/series-builtin")"/*) echo "$BUILD/${SUB}builtin/obj/arch/x86/boot/bzImage" ;;
	"$(realpath -m "$MODULES/base-builtin")"/*) echo "$BUILD/${SUB}builtin-base/obj/arch/x86/boot/bzImage" ;;
	*) echo "$OBJ/arch/x86/boot/bzImage" ;;
	esac
}

# Make flags shared by every kernel and module build: ccache, a fixed
# timestamp so unchanged inputs give unchanged outputs, and no "+" suffix.
export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=1
KMAKE=(make -s -j"$(($(nproc) + 1))" CC="ccache gcc" LOCALVERSION=
       KBUILD_BUILD_TIMESTAMP=2026-01-01 KBUILD_BUILD_USER=cxl
       KBUILD_BUILD_HOST=check)

# The QEMU binary every guest boots with (QEMU= picks another).
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_CXL_DEVICES=(pxb-cxl cxl-rp cxl-upstream cxl-downstream cxl-type3)

# qemu_check: die, in one line, unless $QEMU has every CXL device the
# scenarios use. A yes is kept per binary and version in $BUILD/.qemu-ok-*.
qemu_check() {
	local path version key help d missing=()
	path=$(command -v "$QEMU") ||
		die "no QEMU binary '$QEMU' (QEMU=): run 'sudo scripts/install-deps.sh', which installs QEMU 10 from bookworm-backports"
	version=$("$path" --version 2>/dev/null | head -n1) || true
	key=$(printf '%s\n' "$path" "$version" "$(stat -Lc '%s %Y' "$path")" | sha256sum | cut -c1-16)
	[ ! -e "$BUILD/.qemu-ok-$key" ] || return 0
	help=$("$path" -device help 2>&1) || true
	for d in "${QEMU_CXL_DEVICES[@]}"; do
		grep -q "^name \"$d\"" <<<"$help" || missing+=("$d")
	done
	[ ${#missing[@]} = 0 ] ||
		die "QEMU $path (${version:-no version: --version printed nothing}) lacks the CXL devices ${missing[*]}: scripts/install-deps.sh installs QEMU 10 from bookworm-backports, which has them (or set QEMU=<binary>)"
	mkdir -p "$BUILD" && : >"$BUILD/.qemu-ok-$key"
}

# Kernel reports that fail whichever test was running (scripts/judge.sh,
# scripts/caught.sh): an extended regular expression.
SPLAT_RE='BUG: |WARNING:|Oops|general protection fault|Kernel panic|UBSAN|ODEBUG|'
SPLAT_RE+='possible circular locking|possible recursive locking|inconsistent lock state|'
SPLAT_RE+='suspicious RCU usage|DEBUG_LOCKS_WARN_ON|INFO: task .* blocked for more than|'
SPLAT_RE+='kmemleak: [0-9]+ new suspected memory leak|refcount_t: '

# run_console <results-dir>: the console.log of the guest run that wrote
# it: next to results/, or next to the results/ above it for the
# results/<set>/ of a guest that switched module trees (run-guest.sh
# @<tree-root>).
run_console() {
	local up=${1%/}
	up=${up%/*}
	if [ ! -e "$up/console.log" ] && [ -e "${up%/*}/console.log" ]; then
		echo "${up%/*}/console.log"
	else
		echo "$up/console.log"
	fi
}

# A mutant's "Expect: <scenario>/<test> <subtest>" lines, without "Expect: "
# ($MUTANTS_DIR/<name>.patch); the scenarios they name; the tests they
# name in one scenario; and their "<test> <subtest>" in it.
mutant_expects() { sed -n 's/^Expect: //p' "$MUTANTS_DIR/$1.patch"; }
mutant_scenarios() { mutant_expects "$1" | cut -d/ -f1 | sort -u; }
mutant_tests() { mutant_expects "$1" | sed -n "s#^$2/\([^ ]*\) .*#\1#p" | sort -u; } # <name> <scenario>
mutant_subtests() { mutant_expects "$1" | sed -n "s#^$2/##p"; } # <name> <scenario>

# Builds share two cores: serialize them, whoever starts them.
build_lock() { exec {lockfd}>"$BUILD/.build.lock"; flock "$lockfd"; }

need() {
	local t
	for t; do
		command -v "$t" >/dev/null || die "missing tool '$t': run 'sudo scripts/install-deps.sh'"
	done
}

# The Debian mirror the machine's apt configuration names: no host name is
# ever written into the repo.
mirror_uri() {
	local uri
	uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$uri" ] || die "no Debian mirror URI in /etc/apt/sources.list.d/debian.sources"
	echo "${uri%/}"
}

# series_key: a hash of $PATCHES/series and of every patch it names, in its
# order (entries are paths below patches/, fixes/0001-... to attach/00NN-...).
# tree.sh and export.sh stamp $SRC/.git/cxl-series with it: build/src is
# rebuilt when it changes.
series_key() {
	# shellcheck disable=SC2046 # series names one patch a line, no spaces
	(cd "$PATCHES" && cat series $(cat series) | sha256sum | cut -d' ' -f1)
}

# base_commit <repo> <tree>: commit <tree>, the base tarball's, as tree.sh
# tags it $BASE_TAG: by "base" at $BASE_DATE, so that the same tree always
# gives the same commit id (the cover letters' base-commit: line). Prints
# the id; the commit object is written to <repo>, nothing else changes.
base_commit() {
	GIT_AUTHOR_NAME=base GIT_AUTHOR_EMAIL=base@localhost GIT_AUTHOR_DATE=$BASE_DATE \
	GIT_COMMITTER_NAME=base GIT_COMMITTER_EMAIL=base@localhost GIT_COMMITTER_DATE=$BASE_DATE \
		git -C "$1" -c commit.gpgsign=false commit-tree -m "Linux $BASE_VERSION" "$2"
}

# content_key <path>...: a short hash of the contents of the named files and
# of every file under the named directories. Stamps made of it let a step
# skip work when its inputs did not change; a path that does not exist
# counts as empty. Paths count relative to the checkout and to $BUILD, so
# another clone that shares $BUILD shares the stamps.
content_key() {
	{ find "$@" -type f -print0 2>/dev/null || true; } |
		xargs -0r sha256sum | sed "s#  $BUILD/#  build/#; s#  $TOP/#  #" |
		LC_ALL=C sort -k2 | sha256sum | cut -c1-16
}
