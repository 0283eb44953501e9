#!/usr/bin/env bash
# make mutants: show that the tests which pass on the base as well as on the
# series can fail. Each tests/mutants/<name>.patch breaks the series' CXL
# drivers on purpose; its "Breaks:" line names the <scenario>/<test>s that
# must catch it. The mutant's modules are built like the base's (out of
# tree, same kernel), the named tests run on them, and each must fail.
# Prints KTAP, one test per (mutant, test) pair. MUTANTS="a b" picks some.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
need patch
qemu_check	# before the builds, not after them
S=$TOP/scripts
run=$BUILD/runs/mutants-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run"

"$S/tree.sh" >&2
"$S/build-kernel.sh" >&2
mutants=("$TOP"/tests/mutants/*.patch)
if [ -n "${MUTANTS:-}" ]; then
	mutants=()
	for m in $MUTANTS; do mutants+=("$TOP/tests/mutants/$m.patch"); done
fi
breaks() { sed -n 's/^Breaks: //p' "$1"; }

echo "KTAP version 1"
echo "1..$(cat "${mutants[@]}" | sed -n 's/^Breaks: //p' | wc -w)"
echo "# logs: $run"
n=0 caught=0
for p in "${mutants[@]}"; do
	name=$(basename "$p" .patch)
	src=$BUILD/mutants/$name
	rm -rf "$src"
	mkdir -p "$src/drivers" "$src/tools/testing"
	cp -a "$SRC/drivers/cxl" "$src/drivers/"
	cp -a "$SRC/tools/testing/cxl" "$src/tools/testing/"
	patch -s -p1 -d "$src" <"$p" || die "mutant $p does not apply to $SRC"
	"$S/install-modules.sh" "mutant-$name" >&2
	echo "# $name: $(head -n1 "$p")"
	for sc in $(breaks "$p" | tr ' ' '\n' | cut -d/ -f1 | sort -u); do
		mapfile -t tests < <(breaks "$p" | tr ' ' '\n' | sed -n "s#^$sc/##p")
		# shellcheck source=/dev/null
		flavor=$(. "$TOP/scenarios/$sc.sh" && echo "$MODULE_FLAVOR")
		dir=$run/$name/$sc
		mkdir -p "$run/$name"
		err=""
		"$S/run-guest.sh" "$sc" "$BUILD/modules/mutant-$name/$flavor" "$dir" "${tests[@]}" \
			2>"$dir.log" || err=$(tail -n1 "$dir.log")
		for t in "${tests[@]}"; do
			n=$((n + 1))
			v=$("$S/judge.sh" "$dir/results" "$t" "$err")
			case $v in
			fail*) echo "ok $n $name breaks $sc/$t: ${v#fail: }"; caught=$((caught + 1)) ;;
			*) echo "not ok $n $name: $sc/$t still says $v (see $dir)" ;;
			esac
		done
	done
done
echo "$caught passed, $((n - caught)) failed"
[ "$caught" = "$n" ]
