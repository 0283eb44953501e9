#!/usr/bin/env bash
# make check: the static gate, then every scenario's tests in the guest, on
# the series and on the base, and one table of the results.
#
# Environment:
#   SERIES=none       the base only
#   SCENARIOS="a b"   which scenarios (default: the make check set below)
#   FULL=1            add the long scenarios, and the base runs of every
#                     scenario that has one (make check-full)
#   GATE=0            skip the static gate
#   GUESTS=n          guests booted at once (default 2: one per core)
#   FRESH=1           redo gate and guest runs whose inputs did not change
#   SOAK=1            longer stress loops (read by the stress scenarios)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SERIES=${SERIES:-series}
# Longest first, so that the guests running at once finish together. The
# stress and fault scenarios run on the series only (SETS=(series)).
DEFAULT_SCENARIOS="cxl_test-ndctl hw-fault hw-stress cxl_test-stress hw hw-async cxl_test"
FULL_SCENARIOS="cxl_test-ndctl-extra"
SCENARIOS=${SCENARIOS:-$DEFAULT_SCENARIOS${FULL:+ $FULL_SCENARIOS}}
GATE=${GATE:-1}
GUESTS=${GUESTS:-2}
run=$BUILD/runs/$(date +%Y%m%d-%H%M%S)
mkdir -p "$run"
ln -sfn "$run" "$BUILD/runs/latest"
results=$run/results.tsv	# row <TAB> set <TAB> verdict
: >"$results"
S=$TOP/scripts

# make check runs the base where a scenario's SETS always name it (hw);
# scenarios with SETS=(series ${BASE_TOO:+base}) run it in the full and
# the base-only runs.
if [ -n "${FULL:-}" ] || [ "$SERIES" = none ]; then export BASE_TOO=1; fi
case $SERIES in
none) sets=(base) ;;
series) sets=(series base) ;;
*) die "SERIES must be 'series' or 'none', not '$SERIES'" ;;
esac

scenario_var() { # <scenario> <variable>: its value, arrays space-separated
	# shellcheck source=/dev/null
	(. "$TOP/scenarios/$1.sh" && eval "echo \"\${$2[*]-}\"")
}

log "run directory: $run"
"$S/tree.sh"
"$S/build-kernel.sh"
for set in "${sets[@]}"; do "$S/install-modules.sh" "$set"; done
for sc in $SCENARIOS; do
	[ -r "$TOP/scenarios/$sc.sh" ] || die "no scenario $sc (scenarios/$sc.sh)"
	case " $(scenario_var "$sc" TESTS)" in *" ndctl-"*) "$S/build-ndctl.sh" ;; esac
done

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

# One guest run per scenario and module set; a scenario may limit its sets
# with SETS=(series).
runs=()
for sc in $SCENARIOS; do
	for set in "${sets[@]}"; do
		case " $(scenario_var "$sc" SETS) " in
		"  " | *" $set "*) runs+=("$sc:$set") ;;
		esac
	done
done

# Everything a guest run's results depend on. A run whose inputs match an
# earlier complete run is not repeated (FRESH=1 repeats it).
guest_inputs() { # <scenario> <set>
	local t tests=()
	for t in $(scenario_var "$1" TESTS); do tests+=("$TOP/tests/$t.sh"); done
	{
		content_key "$BUILD/obj/arch/x86/boot/bzImage" "$BUILD/modules/$2/.inputs" \
			"${tests[@]}" "$TOP/tests/lib" "$TOP/guest" "$TOP/scenarios" \
			"$S/run-guest.sh" "$BUILD"/ndctl/build/.built-*
		echo "${EXTRA_KERNEL_ARGS:-} ${SOAK:-}"
	} | sha256sum | cut -c1-16
}

guest_run() { # <scenario> <set>: boot it, judge its tests into $run/<set>/<sc>.tsv
	local sc=$1 set=$2 flavor dir err="" t key cache
	flavor=$(scenario_var "$sc" MODULE_FLAVOR)
	dir=$run/$set/$sc
	key=$sc-$set-$(guest_inputs "$sc" "$set")
	cache=$BUILD/cache/guest/$key
	mkdir -p "$run/$set"
	if [ "${FRESH:-0}" != 1 ] && [ -e "$cache/results/done" ]; then
		cp -a "$cache" "$dir"
		echo ">> $sc/$set: inputs unchanged, results of $(cat "$cache/from") (FRESH=1 reruns)" >"$dir.log"
	elif "$S/run-guest.sh" "$sc" "$BUILD/modules/$set/$flavor" "$dir" 2>"$dir.log"; then
		rm -rf "$cache" && mkdir -p "${cache%/*}"
		echo "$dir" >"$dir/from"
		cp -a "$dir" "$cache"
	else
		err=$(tail -n1 "$dir.log" | sed 's/^error: //')
	fi
	cat "$dir.log" >&2
	for t in boot $(scenario_var "$sc" TESTS); do
		printf '%s/%s\t%s\t%s\n' "$sc" "$t" "$set" "$("$S/judge.sh" "$dir/results" "$t" "$err")"
	done >"$dir.tsv"
}

# Guest runs share the two cores: GUESTS workers take the next unclaimed run.
claims=$run/.claims
mkdir -p "$claims"
worker() {
	local r
	for r in "${runs[@]}"; do
		mkdir "$claims/${r/:/-}" 2>/dev/null || continue
		guest_run "${r%%:*}" "${r#*:}"
	done
}
log "guest runs: ${runs[*]} ($GUESTS at a time)"
for ((i = 0; i < GUESTS; i++)); do worker & done
wait

for r in "${runs[@]}"; do
	sc=${r%%:*} set=${r#*:}
	if [ -s "$run/$set/$sc.tsv" ]; then
		cat "$run/$set/$sc.tsv"
	else
		printf '%s\t%s\tfail: no result, see %s\n' "$sc" "$set" "$run/$set/$sc.log"
	fi
done >>"$results"

"$S/report.sh" "$results" | tee "$run/summary.txt"
