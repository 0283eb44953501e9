#!/usr/bin/env bash
# make check: the static gate, then every scenario's tests in the guest, on
# the series and on the base, and one table of the results.
#
# Environment: SERIES=none runs the base only; SCENARIOS="hw ..." picks
# scenarios; GATE=0 skips the static gate.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SERIES=${SERIES:-series}
SCENARIOS=${SCENARIOS:-hw hw-async cxl_test}
GATE=${GATE:-1}
run=$BUILD/runs/$(date +%Y%m%d-%H%M%S)
mkdir -p "$run"
ln -sfn "$run" "$BUILD/runs/latest"
results=$run/results.tsv	# row <TAB> set <TAB> verdict
: >"$results"
S=$TOP/scripts

case $SERIES in
none) sets=(base) ;;
series) sets=(series base) ;;
*) die "SERIES must be 'series' or 'none', not '$SERIES'" ;;
esac

log "run directory: $run"
"$S/tree.sh"
"$S/build-kernel.sh"
for set in "${sets[@]}"; do "$S/install-modules.sh" "$set"; done

if [ "$SERIES" = series ] && [ "$GATE" = 1 ]; then
	log "static gate (log: $run/gate.ktap)"
	"$S/gate.sh" "$run/gate" | tee "$run/gate.ktap" | grep -E '^(not )?ok' >&2 || true
	sed -nE 's/^(not ok|ok) [0-9]+ (.*)/\1\t\2/p' "$run/gate.ktap" |
		while IFS=$'\t' read -r r name; do
			v=pass
			[ "$r" = ok ] || v="fail: $(sed -n "s/^# $name: FAIL: //p" "$run/gate.ktap")"
			printf 'gate/%s\tseries\t%s\n' "$name" "$v"
		done >>"$results"
	planned=$(sed -n 's/^1\.\.//p' "$run/gate.ktap")
	[ "$(grep -c '^gate/' "$results")" = "${planned:-none}" ] ||
		printf 'gate\tseries\tfail: incomplete, see %s\n' "$run/gate.ktap" >>"$results"
fi

for set in "${sets[@]}"; do
	for sc in $SCENARIOS; do
		mapfile -t tests < <(. "$TOP/scenarios/$sc.sh"; printf '%s\n' "${TESTS[@]}")
		flavor=$(. "$TOP/scenarios/$sc.sh"; echo "$MODULE_FLAVOR")
		dir=$run/$set/$sc
		mkdir -p "$run/$set"
		err=""
		"$S/run-guest.sh" "$sc" "$BUILD/modules/$set/$flavor" "$dir" 2>"$dir.log" ||
			err=$(tail -n1 "$dir.log" | sed 's/^error: //')
		cat "$dir.log" >&2
		for t in boot "${tests[@]}"; do
			printf '%s/%s\t%s\t%s\n' "$sc" "$t" "$set" \
				"$("$S/judge.sh" "$dir/results" "$t" "$err")" >>"$results"
		done
	done
done

"$S/report.sh" "$results" | tee "$run/summary.txt"
