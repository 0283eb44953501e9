#!/usr/bin/env bash
# make mutants: show that the tests can fail. Each tests/mutants/<name>.patch
# breaks the series' CXL drivers (or tools/testing/cxl) on purpose; each of
# its "Expect: <scenario>/<test> <subtest>" lines names a subtest that must
# fail on it: a glob over the description of a "not ok" line, or "kernel
# report" for a splat while the test ran (scripts/caught.sh). The mutant's
# modules are built like the base's (out of tree, same kernel:
# scripts/mutant.sh), the tests
# its Expect lines name run on them, one guest per scenario. Prints KTAP,
# one test per Expect line. MUTANTS="a b" picks some. KBASE=mainline:
# tests/mutants/mainline/, on the mainline queue's tip.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
qemu_check	# before the builds, not after them
S=$TOP/scripts
run=$BUILD/runs/mutants-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run"

"$S/tree.sh" >&2
"$S/build-kernel.sh" >&2
mutants=("$MUTANTS_DIR"/*.patch)
if [ -n "${MUTANTS:-}" ]; then
	mutants=()
	for m in $MUTANTS; do mutants+=("$MUTANTS_DIR/$m.patch"); done
fi
for p in "${mutants[@]}"; do
	[ -r "$p" ] || die "no mutant $p"
	[ -n "$(mutant_expects "$(basename "$p" .patch)")" ] || die "mutant $p has no Expect: line"
done

echo "KTAP version 1"
echo "1..$(cat "${mutants[@]}" | grep -c '^Expect: ')"
echo "# logs: $run"
n=0 caught=0
for p in "${mutants[@]}"; do
	name=$(basename "$p" .patch)
	"$S/mutant.sh" "$name" >&2
	echo "# $name: $(head -n1 "$p")"
	for sc in $(mutant_scenarios "$name"); do
		mapfile -t tests < <(mutant_tests "$name" "$sc")
		# shellcheck source=/dev/null
		flavor=$(. "$TOP/scenarios/$sc.sh" && echo "$MODULE_FLAVOR")
		dir=$run/$name/$sc
		mkdir -p "$run/$name"
		err=""
		GUEST_LABEL="$name: $sc" PROGRESS_FD=3 \
			"$S/run-guest.sh" "$sc" "$MODULES/mutant-$name/$flavor" "$dir" "${tests[@]}" \
			3>&2 2>"$dir.log" || err=$(tail -n1 "$dir.log")
		while read -r t sub; do
			n=$((n + 1))
			if v=$("$S/caught.sh" "$dir/results" "$t" "$sub" "$err"); then
				echo "ok $n $name: $sc/$t \"$sub\" fails (${v#caught: })"
				caught=$((caught + 1))
			else
				echo "not ok $n $name: $sc/$t \"$sub\" ${v#missed: }, log: $dir/results/$t.ktap"
			fi
		done < <(mutant_subtests "$name" "$sc")
	done
done
echo "$caught passed, $((n - caught)) failed"
[ "$caught" = "$n" ]
