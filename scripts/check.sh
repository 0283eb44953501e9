#!/usr/bin/env bash
# make check: the static gate, then every scenario's tests in the guest, on
# the series and, where the scenario's SETS name it, the base (see below),
# and one table of the results.
#
# Environment:
#   SERIES=none       the base only
#   SCENARIOS="a b"   which scenarios (default: scenarios/ORDER's, in its
#                     order); SCENARIOS=none: the gate alone
#   KBASE=mainline    all of it on Linux 7.2.8 with patches/mainline/
#                     (scripts/lib.sh; make check-mainline)
#   TESTS="a b"       only these tests, in each scenario that has any of them
#   FULL=1            add scenarios/ORDER's "full" scenarios, and the base
#                     runs of every scenario that has one (make check-full)
#   GATE=0            skip the static gate
#   GUESTS=n          guests booted at once (default: one per core, nproc)
#   MUTANTS="a b"     the mutants to run, each in the scenarios its Expect:
#                     lines name (default: tests/mutants/check's, or
#                     tests/mutants/mainline/check's with KBASE=mainline; none with
#                     TESTS=; never with SERIES=none); MUTANTS=none: none
#   FRESH=1           redo gate and guest runs whose inputs did not change
#   SOAK=1            longer stress loops (read by the stress scenarios)
#   SWEEP=sites       fail-nth sweeps by call site, plus N drawn by a seed
#                     (make check; tests/lib/fault-sweep.sh)
#   SEED=n            the chaos test's seed (scenarios/hw-chaos.sh), to
#                     replay its choices; CHAOS_SECONDS=s, how long it runs;
#                     EXPLORE=n, SLICE=i, the sites it draws (tests/lib/explore.sh)
#   QEMU=, ACCEL=     the QEMU binary and accelerator (scripts/run-guest.sh)
#
# The table's list of failures names, for each, the log to open.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

SERIES=${SERIES:-series}

# The scenarios of scenarios/ORDER, in its order (longest first); with
# FULL=1, its "full" lines too.
order_scenarios() {
	local name when rest out=()
	while read -r name when rest; do
		case $name in '' | '#'* | mutants) continue ;; esac
		case $when in
		'') ;;
		full) [ -n "${FULL:-}" ] || continue ;;
		*) die "scenarios/ORDER: '$name $when${rest:+ $rest}': the only word allowed after a name is 'full'" ;;
		esac
		out+=("$name")
	done <"$TOP/scenarios/ORDER"
	echo "${out[*]}"
}
# The scenario after whose runs the mutants' guests start: the line before
# "mutants" in scenarios/ORDER. When that scenario is not in this run, or
# the line is missing or first, they start last.
mutants_after() {
	local name prev=""
	while read -r name _; do
		case $name in '' | '#'*) continue ;; mutants) echo "$prev"; return ;; esac
		prev=$name
	done <"$TOP/scenarios/ORDER"
}
SCENARIOS=${SCENARIOS:-$(order_scenarios)}
[ "$SCENARIOS" != none ] || SCENARIOS=""	# the gate alone
GATE=${GATE:-1}
GUESTS=${GUESTS:-$(nproc)}
only_tests=${TESTS:-}
run=$BUILD/runs/${SUB%/}${SUB:+-}$(date +%Y%m%d-%H%M%S)	# mainline-<date> with KBASE=mainline
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

scenario_tests() { # <scenario>: the tests it runs (those of TESTS= if set)
	local t out=()
	for t in $(scenario_var "$1" TESTS); do
		case " ${only_tests:-$t} " in *" $t "*) out+=("$t") ;; esac
	done
	echo "${out[*]}"
}

log "run directory: $run"
qemu_check
for sc in $SCENARIOS; do
	[ -r "$TOP/scenarios/$sc.sh" ] || die "no scenario $sc (scenarios/$sc.sh)"
done
if [ -n "$only_tests" ]; then	# TESTS=: the scenarios that have any of them
	picked="" all=""
	for sc in $SCENARIOS; do
		t=$(scenario_tests "$sc")
		[ -z "$t" ] || picked+=" $sc"
		all+=" $t"
	done
	for t in $only_tests; do
		case "$all " in *" $t "*) ;; *) die "TESTS: no scenario of '$SCENARIOS' runs $t" ;; esac
	done
	SCENARIOS=${picked# }
	log "TESTS=\"$only_tests\": scenarios $SCENARIOS"
fi
"$S/tree.sh"
# The gate alone builds drivers/cxl and tools/testing/cxl out of tree:
# a prepared objdir is enough, and saves the kernel's build (17 min cold).
if [ -n "$SCENARIOS" ]; then "$S/build-kernel.sh"; else KTARGETS=modules_prepare "$S/build-kernel.sh"; fi
# A set other than "series" and "base" (series-nopci; fixes, the base with
# patches/fixes/ alone) runs where a scenario's SETS names it, in the
# series' column (base-builtin, KBASE=mainline's: the base's), and not
# with SERIES=none.
extra_sets=()
if [ "$SERIES" = series ]; then
	for sc in $SCENARIOS; do
		for set in $(scenario_var "$sc" SETS); do
			case " ${sets[*]} ${extra_sets[*]} " in *" $set "*) ;; *) extra_sets+=("$set") ;; esac
		done
	done
fi
# The trees of a set that some guest of this run boots (MODULE_FLAVOR of
# the scenarios that run on it): a tree no guest boots is not built.
set_flavors() { # <set>
	local sc
	for sc in $SCENARIOS; do
		case " $(scenario_var "$sc" SETS) " in
		"  " | *" $1 "*) scenario_var "$sc" MODULE_FLAVOR ;;
		esac
	done | sort -u | xargs
}
[ -z "$SCENARIOS" ] || for set in "${sets[@]}" "${extra_sets[@]}"; do
	fl=$(set_flavors "$set")
	[ -z "$fl" ] || FLAVORS=$fl "$S/install-modules.sh" "$set"
done

# Mutants: each must fail the subtest its Expect: lines name, on its own
# module set, running only the tests those lines name (scripts/caught.sh
# judges it; the guests are below). A surviving mutant fails the run.
mutants=""
if [ "$SERIES" = series ]; then
	mutants=${MUTANTS:-}
	[ -n "$mutants" ] || [ -n "$only_tests" ] || mutants=$(sed 's/#.*//' "$MUTANTS_DIR/check" | xargs)
fi
[ "$mutants" != none ] || mutants=""
# A mutant runs only in the scenarios its Expect: lines name: one none of
# whose scenarios is in this run is not built.
kept=""
for m in $mutants; do
	[ -n "$(mutant_expects "$m" 2>/dev/null)" ] ||
		die "mutant $m: no ${MUTANTS_DIR#"$TOP"/}/$m.patch with an Expect: line"
	for sc in $(mutant_scenarios "$m"); do
		case " $SCENARIOS " in *" $sc "*) kept+=" $m"; break ;; esac
	done
done
mutants=${kept# }
for m in $mutants; do
	FLAVORS=$(for sc in $(mutant_scenarios "$m"); do scenario_var "$sc" MODULE_FLAVOR; done | sort -u | xargs) \
		"$S/mutant.sh" "$m"
done
for sc in $SCENARIOS; do
	case " $(scenario_tests "$sc")" in *" ndctl-"*) "$S/build-ndctl.sh" ;; esac
done

if [ "$SERIES" = series ] && [ "$GATE" = 1 ]; then
	log "static gate (log: $run/gate.ktap)"
	"$S/gate.sh" "$run/gate" | tee "$run/gate.ktap" | grep --line-buffered -E '^(not )?ok' >&2 || true
	# A patch's log is its directory, gate/<KTAP number - 1>/: a file per check.
	# A row's name is its patches/series entry (fixes/0001-...), so it has a
	# "/": its FAIL line is matched as a literal prefix, never as a pattern.
	sed -nE 's/^(not ok|ok) ([0-9]+) (.*)/\1\t\2\t\3/p' "$run/gate.ktap" |
		while IFS=$'\t' read -r r n name; do
			v=pass
			[ "$r" = ok ] || v="fail: $(awk -v p="# $name: FAIL: " 'index($0, p) == 1 { print substr($0, length(p) + 1) }' \
				"$run/gate.ktap" | sed 's/, details in [^ ]*$//')"
			printf 'gate/%s\tseries\t%s\t%s\n' "$name" "$v" "$run/gate/$((n - 1))/"
		done >>"$results"
	planned=$(sed -n 's/^1\.\.//p' "$run/gate.ktap")
	[ "$(grep -c '^gate/' "$results")" = "${planned:-none}" ] ||
		printf 'gate\tseries\tfail: incomplete\t%s\n' "$run/gate.ktap" >>"$results"
fi

# One guest run per scenario and module set; a scenario may limit its sets
# with SETS=(series). The mutants run as the set "mutants": one guest per
# scenario of this run that any of them names, which loads each mutant's
# modules in turn (run-guest.sh @<tree-root>), in tests/mutants/check's
# order. Their loops and races run MUTANT_CYCLES cycles (cxlcycles=): a
# mutant a loop catches breaks its first cycles, and the loops' full
# length is what the series' own runs are for.
MUTANT_CYCLES=3
scenario_mutants() { # <scenario>: the mutants that name it
	local m out=()
	for m in $mutants; do
		case " $(mutant_scenarios "$m" | xargs) " in *" $1 "*) out+=("$m") ;; esac
	done
	echo "${out[*]}"
}
mutant_runs=()
for sc in $SCENARIOS; do
	[ -z "$(scenario_mutants "$sc")" ] || mutant_runs+=("$sc:mutants")
done
after=$(mutants_after)
case " $SCENARIOS " in *" $after "*) ;; *) after="" ;; esac
runs=()
for sc in $SCENARIOS; do
	for set in "${sets[@]}" "${extra_sets[@]}"; do
		case " $(scenario_var "$sc" SETS) " in
		"  " | *" $set "*) runs+=("$sc:$set") ;;
		esac
	done
	[ "$sc" != "$after" ] || runs+=("${mutant_runs[@]}")
done
case " ${runs[*]} " in *":mutants "*) ;; *) runs+=("${mutant_runs[@]}") ;; esac

# The tests a run boots for: its scenario's, or, for "mutants", each
# mutant's tree root (@) and the tests its Expect: lines name there.
run_tests() { # <scenario> <set>
	local m flavor
	case $2 in
	mutants)
		flavor=$(scenario_var "$1" MODULE_FLAVOR)
		for m in $(scenario_mutants "$1"); do
			echo "@$MODULES/mutant-$m/$flavor"
			mutant_tests "$m" "$1"
		done | xargs ;;
	*) scenario_tests "$1" ;;
	esac
}

# SWEEP=sites (make check): the fail-nth sweeps bisect on call sites, and
# visit a few more N drawn by a seed that guest_run derives from the run's
# inputs, so that every change draws others (tests/lib/fault-sweep.sh);
# the mutants' guests keep the whole-stack sweep.
kernel_args() { # <set>: what the guest's kernel command line gets beyond its scenario's
	local a=${EXTRA_KERNEL_ARGS:-}
	if [ "$1" = mutants ]; then
		a+="${a:+ }cxlcycles=$MUTANT_CYCLES"
	elif [ -n "${SWEEP:-}" ]; then
		a+="${a:+ }cxlsweep=$SWEEP"
	fi
	echo "$a"
}

# Everything a guest run's results depend on. A run whose inputs match an
# earlier complete run is not repeated (FRESH=1 repeats it). The scenario
# files count, scenarios/ORDER does not: a line added there reruns nothing.
guest_inputs() { # <scenario> <set>
	local t m tests=() sets=("$MODULES/$2/.inputs")
	for t in $(run_tests "$1" "$2"); do
		case $t in @*) ;; *) tests+=("$TOP/tests/$t.sh") ;; esac
	done
	if [ "$2" = mutants ]; then
		sets=()
		for m in $(scenario_mutants "$1"); do sets+=("$MODULES/mutant-$m/.inputs"); done
	fi
	{
		content_key "$OBJ/arch/x86/boot/bzImage" "${sets[@]}" \
			"${tests[@]}" "$TOP/tests/lib" "$TOP/guest" "$TOP"/scenarios/*.sh "$TOP"/scenarios/lib/*.sh \
			"$S/run-guest.sh" "$BUILD"/ndctl/build/.built-*
		echo "$(kernel_args "$2") ${SOAK:-} ${FULL:-} ${SEED:-} ${CHAOS_SECONDS:-} ${EXPLORE:-} ${SLICE:-} $(run_tests "$1" "$2")"
	} | sha256sum | cut -c1-16
}

guest_run() { # <scenario> <set>: boot it, judge its tests into $run/<set>/<sc>.tsv
	local sc=$1 set=$2 flavor dir err="" t key cache v lg tests col=series tree m args
	case $set in base | base-*) col=base ;; esac	# series-nopci: a column of the series
	flavor=$(scenario_var "$sc" MODULE_FLAVOR)
	read -ra tests <<<"$(run_tests "$sc" "$set")"
	tree=$MODULES/$set/$flavor
	[ "$set" != mutants ] || tree=${tests[0]#@}	# the first mutant's, which it switches to
	dir=$run/$set/$sc
	key=$sc-$set-$(guest_inputs "$sc" "$set")
	cache=$BUILD/cache/guest/$key
	mkdir -p "$run/$set"
	args=$(kernel_args "$set")
	[[ $args != *cxlsweep=* ]] || args+=" cxlsweepseed=$((16#${key: -4}))"
	if [ "${FRESH:-0}" != 1 ] && [ -e "$cache/results/done" ]; then
		cp -a "$cache" "$dir"
		echo ">> $sc/$set: inputs unchanged, results of $(cat "$cache/from") (FRESH=1 reruns)" >"$dir.log"
	elif GUEST_LABEL="$sc ($set)" PROGRESS_FD=3 EXTRA_KERNEL_ARGS=$args \
		"$S/run-guest.sh" "$sc" "$tree" "$dir" "${tests[@]}" 3>&2 2>"$dir.log"; then
		rm -rf "$cache" && mkdir -p "${cache%/*}"
		echo "$dir" >"$dir/from"
		cp -a "$dir" "$cache"
	else
		err=$(tail -n1 "$dir.log" | sed 's/^error: //; s/; see [^ ]*$//')	# the log column names it
	fi
	cat "$dir.log" >&2
	if [ "$set" = mutants ]; then
		for m in $(scenario_mutants "$sc"); do
			mutant_rows "$sc" "$m" "$dir/results/mutant-$m" "$err" "$dir.log"
		done >"$dir.tsv"
		return
	fi
	# Each row names its log; where the guest never wrote one, the run's.
	for t in boot "${tests[@]}"; do
		IFS=$'\t' read -r v lg < <("$S/judge.sh" -l "$dir/results" "$t" "$err") ||
			v=${v:-"fail: judge.sh failed"}
		[ -e "$lg" ] || lg=$dir.log
		printf '%s/%s\t%s\t%s\t%s\n' "$sc" "$t" "$col" "$v" "$lg"
	done >"$dir.tsv"
}

# A mutant's rows, one per Expect: line of <scenario>: pass when caught.
# Each names its test's KTAP, or where the test never ran, the guest's
# console, or the run's log when the guest never started.
mutant_rows() { # <scenario> <mutant> <results-dir> <guest error> <run log>
	local t sub v lg
	while read -r t sub; do
		if v=$("$S/caught.sh" "$3" "$t" "$sub" "$4"); then v=pass; else v="fail: survived: ${v#missed: }"; fi
		lg=$3/$t.ktap
		[ -e "$lg" ] || lg=$(run_console "$3")
		[ -e "$lg" ] || lg=$5
		printf 'mutant/%s: %s/%s\tseries\t%s\t%s\n' "$2" "$1" "$t" "$v" "$lg"
	done < <(mutant_subtests "$2" "$1")
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
		col=series
		case $set in base | base-*) col=base ;; esac
		printf '%s (%s)\t%s\tfail: no result\t%s\n' "$sc" "$set" "$col" "$run/$set/$sc.log"
	fi
done >>"$results"

# What the guests ran on (a reused result: what its run ran on), then the table.
accel=$(for r in "${runs[@]}"; do
	cat "$run/${r#*:}/${r%%:*}/accel" 2>/dev/null || echo unknown
done | sort -u | paste -sd' ')
{
	[ ${#runs[@]} = 0 ] || echo "accelerator: $accel"
	"$S/report.sh" "$results"
} | tee "$run/summary.txt"
