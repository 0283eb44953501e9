#!/usr/bin/env bash
# The static gate: every patch of the series, checked on its own.
#
#   gate.sh <out-dir>
#
# As a kernel CI bot builds a series: one git worktree of $SRC advances from
# the base patch by patch, and drivers/cxl plus tools/testing/cxl are built
# in it with W=1 and sparse. The base is built from scratch, sparse on
# every file; each patch after it incrementally, so make recompiles only
# the files the patch touched and those that include them, and sparse
# (C=1) runs on those alone. A warning a patch adds is in a file its build
# recompiled: the warnings of that build are compared with the base's as
# sets of messages without line numbers, so a patch that only moves code is
# not blamed. Each patch also goes through checkpatch --strict and
# kernel-doc. coccicheck and the CXL chapter of the driver API
# documentation (make htmldocs SPHINXDIRS=driver-api/cxl) run on the base
# and the tip, a kernel config without cxl_pci (CXL_PCI=n: cxl_mem,
# cxl_port and the mock accelerator must still be configured and build) on
# the tip. Last, the gate's own mutant (tests/mutants/gate/): a patch that
# adds a sparse, a W=1 and a kernel-doc warning must fail its row.
# Prints KTAP, one test per patch; details in <out-dir>/<n>/. Then a run
# of shellcheck over the harness's own shell code (no finding allowed), and
# whether every mutant of tests/mutants/ applies to the tip: one that does
# not is a test that can no longer be shown to fail.
#
# The patches are patches/series' entries, one per commit of $SRC since
# $BASE_TAG and in the same order: the fixes series, then the attach series
# (fixes/0001-....patch .. attach/00NN-....patch). A patch's row is named
# after its entry without ".patch", and patches/checkpatch-waivers' globs
# are matched against the entry. The cover letters (<series>/0000-*) are
# not in patches/series, so they are never checked as patches.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need spatch perl python3 shellcheck patch
SPARSE=${SPARSE:-/usr/local/bin/sparse}
[ -x "$SPARSE" ] || die "no sparse at $SPARSE: run 'sudo scripts/install-deps.sh'"

out=${1:?usage: gate.sh <out-dir>}
gate=$BUILD/${SUB}gate
wt=$gate/src
mkdir -p "$out"

mapfile -t commits < <(git -C "$SRC" rev-list --reverse "$BASE_TAG"..HEAD)
[ "${#commits[@]}" -gt 0 ] || die "no patches on $BASE_TAG in $SRC"
mapfile -t patchfiles < <(sed '/^$/d' "$PATCHES/series")
# Row n is commit n and patches/series' entry n: they must pair up.
[ "${#patchfiles[@]}" = "${#commits[@]}" ] ||
	die "$SRC has ${#commits[@]} commits on $BASE_TAG, patches/series ${#patchfiles[@]} entries: 'make export' or 'make tree' first"

build_lock
if [ ! -e "$wt/.git" ]; then
	rm -rf "$wt"
	git -C "$SRC" worktree prune
	git -C "$SRC" worktree add -q --detach "$wt" "$BASE_TAG"
fi

# Warnings as "file: message", paths relative, line numbers dropped.
normalize() {
	{ grep -E '(warning|error):' "$1" || true; } |
		sed -E "s#^.*/(drivers/cxl|tools/testing/cxl)/#\1/#; s#:[0-9]+(:[0-9]+)?:#:#" |
		sort -u
}

# An objdir prepared but not built (the gate alone, scripts/check.sh) has
# no Module.symvers: modpost then reports the kernel's symbols unresolved,
# in upper case, which normalize() leaves out, and must not fail the build.
modpost=()
[ -e "$OBJ/Module.symvers" ] || modpost=(KBUILD_MODPOST_WARN=1)

# Build <dir> of the worktree as it is checked out now, W=1 and sparse on
# what make recompiles (C=1), into an objdir kept from row to row: "from
# scratch" empties it first. An objdir whose last build was cut short is
# emptied all the same: its objects may be newer than what was checked.
build_dir() { # dir log [scratch]
	local o=$gate/obj-${1//\//_} rc=0
	if [ -n "${3:-}" ] || [ ! -e "$o/complete" ]; then rm -rf "$o"; fi
	rm -f "$o/complete"
	mkdir -p "$o/$1"
	"${KMAKE[@]}" -C "$OBJ" "${modpost[@]}" M="$wt/$1" MO="$o/$1" W=1 C=1 CHECK="$SPARSE" \
		KCFLAGS="-I$wt/drivers/cxl -I$wt/drivers/cxl/core" >"$2" 2>&1 || rc=$?
	: >"$o/complete"
	return "$rc"
}

# kernel-doc -Wall on $files as they are at <rev>, "file: message" without
# line numbers; a file that does not exist there counts as empty.
kdoc_warnings() { # rev
	local f tmp=$gate/kdoc
	rm -rf "$tmp"
	for f in "${files[@]}"; do
		mkdir -p "$tmp/$(dirname "$f")"
		git -C "$wt" show "$1:$f" >"$tmp/$f" 2>/dev/null || : >"$tmp/$f"
	done
	(cd "$tmp" || exit; python3 "$wt/scripts/kernel-doc" -none -Wall "${files[@]}" 2>&1 || true) |
		{ grep -i 'warning' || true; } | sed -E 's/:[0-9]+ / /' | sort -u
}

cocci() { # log
	"${KMAKE[@]}" -C "$OBJ" M="$wt/drivers/cxl" MO="$gate/obj-cocci" \
		coccicheck MODE=report >"$1" 2>&1 || true
	{ grep -E '^/.*:[0-9]+:' "$1" || true; } | sed -E "s#^.*/drivers/cxl/#drivers/cxl/#; s#:[0-9]+(:[0-9]+)?:#:#" | sort -u
}

# The checkpatch types patches/checkpatch-waivers waives for <patch file>,
# its patches/series entry (attach/0003-....patch), as "A|B". A glob's "*"
# matches a "/" too.
waived_types() { # patch-file
	local glob type reason
	while read -r glob type reason; do
		case $glob in '#'* | '') continue ;; esac
		[ -n "$reason" ] || die "patches/checkpatch-waivers: no reason for $glob $type"
		# shellcheck disable=SC2254 # the glob is the point
		case $1 in $glob) echo "$type" ;; esac
	done <"$PATCHES/checkpatch-waivers" | sort -u | paste -sd'|'
}

# Sphinx warnings of the CXL driver API chapter, "file: message"
htmldocs() { # log
	local o=$gate/obj-docs
	rm -rf "$o"
	"${KMAKE[@]}" -C "$wt" O="$o" htmldocs SPHINXDIRS=driver-api/cxl >"$1" 2>&1 ||
		echo "error: make htmldocs failed"
	{ grep -iE '(warning|error)' "$1" || true; } |
		sed -E "s#^.*/Documentation/#Documentation/#; s#:[0-9]+:#:#" | sort -u
}

# The config of $OBJ with CXL_PCI=n: which CXL symbols it keeps, and
# whether drivers/cxl and tools/testing/cxl (the mock accelerator) build
# against it. Prints what is wrong, nothing when all is well.
nopci() { # log
	local o=$gate/obj-nopci s
	rm -rf "$o"
	mkdir -p "$o"
	cp "$OBJ/.config" "$o/.config"
	"$wt/scripts/config" --file "$o/.config" -d CXL_PCI
	{
		"${KMAKE[@]}" -C "$wt" O="$o" olddefconfig &&
		for s in CXL_MEM CXL_PORT; do
			grep -qx "CONFIG_$s=m" "$o/.config" || echo "config: CONFIG_$s is not m without CXL_PCI"
		done &&
		"${KMAKE[@]}" -C "$wt" O="$o" modules_prepare &&
		{ [ ${#modpost[@]} != 0 ] || cp "$OBJ/Module.symvers" "$o/"; } &&
		"${KMAKE[@]}" -C "$o" "${modpost[@]}" M="$wt/drivers/cxl" MO="$o/ext/drivers/cxl" &&
		"${KMAKE[@]}" -C "$o" "${modpost[@]}" M="$wt/tools/testing/cxl" MO="$o/ext/tools/testing/cxl" \
			KCFLAGS="-I$wt/drivers/cxl -I$wt/drivers/cxl/core" &&
		[ -e "$o/ext/tools/testing/cxl/test/cxl_mock_accel.ko" ] ||
			echo "build: no cxl_mock_accel.ko"
	} >"$1" 2>&1 || echo "build failed, log: $1"
	grep -E '^(config|build):' "$1" || true
}

# The warnings of the directories that row <dir> built first become part
# of the reference, and those directories leave base-unbuilt.
reveal() { # <row dir>
	sort -u -o "$out/base-warnings" "$1/revealed" "$out/base-warnings"
	{ grep -vxFf "$1/revealed-dirs" "$out/base-unbuilt" || true; } >"$out/base-unbuilt.new"
	mv "$out/base-unbuilt.new" "$out/base-unbuilt"
}

# check_commit: build and check commit $c, number $n, called $name, into $d;
# prints its KTAP lines.
check_commit() {
	local ok built dir new total base_note="" cp_summary kdoc justified ce cw cc files cocci_summary cnew
	local docs_summary dnew nopci_summary scratch=""
	git -C "$wt" checkout -q --detach "$c"
	problems=()
	[ "$n" != 0 ] || scratch=1	# the reference: every file, and sparse on each

	ok=1 built=" "
	for dir in drivers/cxl tools/testing/cxl; do
		if build_dir "$dir" "$d/build-${dir//\//_}.log" ${scratch:+scratch}; then
			built+="$dir "
		else
			ok=0
			problems+=("$dir does not build")
		fi
	done
	cat "$d"/build-*.log | normalize /dev/stdin >"$d/warnings"
	# 7.2.8's tools/testing/cxl does not build (the mainline queue's first
	# fix): its base row says so and passes. Where a patch makes a directory
	# the base could not build, the warnings it then shows are the
	# base's code seen for the first time, and the reference from there on.
	# ($d/unbuilt and $d/revealed let a cached row restore that state.)
	if [ "$n" = 0 ]; then
		cp "$d/warnings" "$out/base-warnings"
		for dir in drivers/cxl tools/testing/cxl; do
			case $built in *" $dir "*) ;; *) echo "$dir" ;; esac
		done >"$d/unbuilt"
		cp "$d/unbuilt" "$out/base-unbuilt"
		if [ "${KBASE:-}" = mainline ] && [ "$ok" = 0 ]; then
			base_note=" (base: ${problems[*]})"
			ok=1 problems=()
		fi
	fi
	: >"$d/revealed"
	: >"$d/revealed-dirs"
	[ "$n" = 0 ] || while read -r dir; do
		case $built in *" $dir "*) ;; *) continue ;; esac
		{ grep "^$dir/" "$d/warnings" || true; } >>"$d/revealed"
		echo "$dir" >>"$d/revealed-dirs"
		base_note+=" ($dir builds from here: its $(grep -c "^$dir/" "$d/warnings") warnings are the base's)"
	done <"$out/base-unbuilt"
	reveal "$d"
	new=$(comm -13 "$out/base-warnings" "$d/warnings" | tee "$d/new-warnings" | wc -l)
	total=$(wc -l <"$d/warnings")
	[ "$new" = 0 ] || problems+=("$new new compiler/sparse warnings")

	cp_summary="-"
	kdoc=0
	if [ "$n" -gt 0 ]; then
		(cd "$wt" && perl scripts/checkpatch.pl --strict --show-types --no-summary -q \
			"$PATCHES/${patchfiles[n-1]}") >"$d/checkpatch.log" 2>&1 || true
		# patches/checkpatch-waivers justifies reports of a TYPE, per patch
		justified=$(waived_types "${patchfiles[n-1]}")
		grep -vE "^(ERROR|WARNING|CHECK):(${justified:-NONE}):" "$d/checkpatch.log" \
			>"$d/checkpatch-unjustified.log" || true
		ce=$(grep -c '^ERROR:' "$d/checkpatch-unjustified.log" || true)
		cw=$(grep -c '^WARNING:' "$d/checkpatch-unjustified.log" || true)
		cc=$(grep -c '^CHECK:' "$d/checkpatch-unjustified.log" || true)
		cp_summary="$ce/$cw/$cc"
		[ -z "$justified" ] || cp_summary+=" (justified: $justified)"
		[ $((ce + cw + cc)) = 0 ] || problems+=("checkpatch $cp_summary")

		mapfile -t files < <(git -C "$wt" diff --name-only --diff-filter=AM "$c^" "$c" -- '*.c' '*.h')
		if [ "${#files[@]}" -gt 0 ]; then
			kdoc_warnings "$c^" >"$d/kernel-doc-before.log"
			kdoc_warnings "$c" >"$d/kernel-doc.log"
			kdoc=$(comm -13 "$d/kernel-doc-before.log" "$d/kernel-doc.log" | tee "$d/kernel-doc-new.log" | wc -l)
		fi
		[ "$kdoc" = 0 ] || problems+=("$kdoc new kernel-doc warnings")
	fi

	cocci_summary="-"
	if [ "$n" = 0 ] || [ "$n" = "${#commits[@]}" ]; then
		cocci "$d/coccicheck.log" >"$d/cocci"
		[ "$n" = 0 ] && cp "$d/cocci" "$out/base-cocci"
		cnew=$(comm -13 "$out/base-cocci" "$d/cocci" | wc -l)
		cocci_summary="$(wc -l <"$d/cocci") ($cnew new)"
		[ "$cnew" = 0 ] || problems+=("$cnew new coccicheck reports")
	fi

	# The documentation and the CXL_PCI=n build are the attach series'
	# matters: no mainline fix touches either.
	docs_summary="-" nopci_summary="-"
	if [ "${KBASE:-}" != mainline ] && { [ "$n" = 0 ] || [ "$n" = "${#commits[@]}" ]; }; then
		htmldocs "$d/htmldocs.log" >"$d/htmldocs"
		[ "$n" = 0 ] && cp "$d/htmldocs" "$out/base-htmldocs"
		dnew=$(comm -13 "$out/base-htmldocs" "$d/htmldocs" | tee "$d/htmldocs-new" | wc -l)
		docs_summary="$(wc -l <"$d/htmldocs") ($dnew new)"
		[ "$dnew" = 0 ] || problems+=("$dnew new htmldocs warnings")
	fi
	# The base has CXL_MEM depend on CXL_PCI: only the tip must build
	# without it, and the base's result would decide nothing.
	if [ "${KBASE:-}" != mainline ] && [ "$n" = "${#commits[@]}" ]; then
		nopci "$d/nopci.log" >"$d/nopci"
		if [ -s "$d/nopci" ]; then
			nopci_summary="$(head -n1 "$d/nopci")"
			problems+=("CXL_PCI=n: $nopci_summary")
		else
			nopci_summary=ok
		fi
	fi

	local built_how=" in what it recompiled"
	[ -z "$scratch" ] || built_how=" (from scratch)"
	echo "# $name: warnings $total$built_how ($new new), checkpatch $cp_summary, kernel-doc $kdoc, coccicheck $cocci_summary, htmldocs $docs_summary, CXL_PCI=n $nopci_summary$base_note"
	if [ "$ok" = 1 ] && [ "${#problems[@]}" = 0 ]; then
		echo "ok $((n + 1)) $name"
	else
		echo "# $name: FAIL: $(IFS=';'; echo "${problems[*]}"), details in $d"
		echo "not ok $((n + 1)) $name"
	fi
}

# After the patches: the gate's mutant, shellcheck and the mutants, the
# harness's own rows, which the mainline gate leaves to make check.
extra_rows=3
[ "${KBASE:-}" != mainline ] || extra_rows=0
echo "KTAP version 1"
echo "1..$((${#commits[@]} + 1 + extra_rows))"
echo "# W=1+sparse warnings (new vs base), checkpatch errors/warnings/checks, new kernel-doc warnings, coccicheck"

# Results are cached per commit, keyed by everything that decides them: the
# gate's scripts, the kernel config, and every patch up to this one.
key=$(content_key "$TOP/scripts/gate.sh" "$TOP/scripts/lib.sh" "$OBJ/.config" "$SPARSE" \
	"$PATCHES/checkpatch-waivers")
n=0
for c in "$BASE_TAG" "${commits[@]}"; do
	d=$out/$n
	if [ "$n" = 0 ]; then
		name="base $BASE_VERSION"
	else
		name=${patchfiles[n-1]%.patch}
		key=$(echo "$key $(sha256sum <"$PATCHES/${patchfiles[n-1]}") $name" | sha256sum | cut -c1-16)
	fi
	cache=$gate/cache/$key
	rm -rf "$d"
	mkdir -p "$d"
	if [ "${FRESH:-0}" != 1 ] && [ -e "$cache/ktap" ]; then
		cp -a "$cache/." "$d/"
		sed -i "s#, details in [^ ]*\$#, details in $d#" "$d/ktap"
		echo "# $name: unchanged, results from $cache"
		[ "$n" != 0 ] || cp "$d/warnings" "$out/base-warnings"
		[ "$n" != 0 ] || cp "$d/unbuilt" "$out/base-unbuilt"
		reveal "$d"
		[ "$n" != 0 ] || cp "$d/cocci" "$out/base-cocci"
	else
		check_commit >"$d/ktap"
		rm -rf "$cache"
		mkdir -p "$cache"
		cp -a "$d/." "$cache/"
	fi
	cat "$d/ktap"
	n=$((n + 1))
done
[ "$extra_rows" != 0 ] || exit 0

# The gate's mutant: one commit on the tip that adds a function neither
# static nor declared (sparse: "Should it be static?"; W=1:
# -Wmissing-prototypes) under a kernel-doc comment naming another one.
# Checked as a patch of the series is, incrementally on the tip's build,
# its row must fail, naming each of the three; the row below says whether
# it did. It is never cached: it is what shows this gate can fail.
d=$out/$n
mutant=$TOP/tests/mutants/gate/warnings.patch
name="mutant/gate: ${mutant#"$TOP"/} adds a sparse, a W=1 and a kernel-doc warning, and fails its row"
rm -rf "$d"
mkdir -p "$d"
git -C "$wt" checkout -q --detach "${commits[-1]}"
if git -C "$wt" -c user.name=gate -c user.email=gate@localhost am -q "$mutant" >"$d/am.log" 2>&1; then
	c=$(git -C "$wt" rev-parse HEAD)
	patchfiles[n - 1]=../${mutant#"$TOP"/}	# checkpatch's, below $PATCHES
	(name="gate mutant" check_commit) >"$d/ktap"
	missed=()
	grep -q '^not ok' "$d/ktap" || missed+=("the row passed")
	grep -q 'Should it be static' "$d/new-warnings" || missed+=("no new sparse warning")
	grep -q 'no previous prototype' "$d/new-warnings" || missed+=("no new W=1 warning")
	[ -s "$d/kernel-doc-new.log" ] || missed+=("no new kernel-doc warning")
else
	git -C "$wt" am --abort >/dev/null 2>&1 || true
	missed=("it does not apply to the tip (log: $d/am.log)")
fi
# The worktree goes back to the tip: the mutant's commit is no work of
# the series' (make export never sees it, nor should a check for such).
git -C "$wt" checkout -q --detach "${commits[-1]}"
if [ "${#missed[@]}" = 0 ]; then
	echo "ok $((n + 1)) $name"
else
	echo "# $name: FAIL: survived: $(IFS=';'; echo "${missed[*]}"), details in $d"
	echo "not ok $((n + 1)) $name"
fi
n=$((n + 1))

# The harness's shell code, from the top so that the source= directives
# resolve: any finding fails the row, whose number follows the patches'.
d=$out/$n
name="shellcheck: scripts tests scenarios guest, 0 findings"
rm -rf "$d"
mkdir -p "$d"
sc_rc=0
(cd "$TOP" && shellcheck -x -f gcc scripts/*.sh tests/*.sh tests/lib/*.sh tests/lib/bin/* \
	scenarios/*.sh scenarios/lib/*.sh guest/*.sh .ci/run) >"$d/shellcheck.log" 2>&1 || sc_rc=$?
sc_n=$(grep -cE '^[^:]+:[0-9]+:[0-9]+: ' "$d/shellcheck.log" || true)
if [ "$sc_rc" = 0 ]; then
	echo "ok $((n + 1)) $name"
else
	echo "# $name: FAIL: $sc_n findings (shellcheck exit $sc_rc), details in $d/shellcheck.log"
	echo "not ok $((n + 1)) $name"
fi

# Every mutant applies to the series' drivers/cxl and tools/testing/cxl
n=$((n + 1))
d=$out/$n
name="mutants: every ${MUTANTS_DIR#"$TOP"/}/*.patch applies to the tip"
rm -rf "$d"
mkdir -p "$d/src/drivers" "$d/src/tools/testing"
cp -a "$SRC/drivers/cxl" "$d/src/drivers/"
cp -a "$SRC/tools/testing/cxl" "$d/src/tools/testing/"
bad=()
for p in "$MUTANTS_DIR"/*.patch; do
	patch -s -p1 --dry-run -d "$d/src" <"$p" >>"$d/patch.log" 2>&1 || bad+=("${p##*/}")
done
rm -rf "$d/src"
if [ "${#bad[@]}" = 0 ]; then
	echo "ok $((n + 1)) $name"
else
	echo "# $name: FAIL: ${bad[*]} do not apply, details in $d/patch.log"
	echo "not ok $((n + 1)) $name"
fi
