#!/usr/bin/env bash
# make explore: the chaos's exploration of race windows, slice after slice.
#
# tests/chaos.sh delays, besides the sites someone listed, sites drawn from
# every function of the CXL modules (tests/lib/explore.sh): a seed orders
# them, each run takes one slice of that order, each site a delay from 1 ms
# to 1 s. make check runs one slice of a new seed each time. This target
# runs the slices of one seed in turn, one guest of scenarios/hw-chaos.sh
# (the chaos alone) a slice, so that over its runs every site is delayed,
# and keeps a ledger of what each run delayed and found:
#
#   build/explore/ledger.tsv   one line a drawn site a run: date, commit,
#                              set, seed, slice, site, delay (us), calls,
#                              delayed calls, the run's verdict, and the
#                              first kernel report of the run, if any
#   build/explore/runs/<seed>-<slice>/   that run's logs (console.log)
#
# WHERE="<site> ..." prints the slices of SEED (EXPLORE= sites each) that
# hold those sites, from the candidates a run of the set saved
# (build/explore/candidates-<set>.txt), and runs nothing.
# SLICES="i j" runs those slices of SEED (a replay, or the ones WHERE=
# named), whatever the ledger has.
# Knobs: SEED= (default: the ledger's last seed, else the time), RUNS= (how
# many slices this time, default 4), EXPLORE= (sites a slice, default 48),
# CHAOS_SECONDS= (default 120), SET= (series, base, fixes, or
# mutant-<name> of tests/mutants/). It resumes where the ledger ends: the
# next slice of the seed not yet run on that set. A run that reports
# something names its replay command (make run SCENARIO=hw-chaos SEED=...
# EXPLORE=... SLICE=...) and the sites that were waiting.
# Costs about 5 min a slice under TCG (120 s of chaos, boot, setup and
# restore); a seed has about 1200 sites on the series, 25 slices of 48.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

dir=$BUILD/explore
ledger=$dir/ledger.tsv
set_name=${SET:-series}
runs=${RUNS:-4}
per=${EXPLORE:-48}
secs=${CHAOS_SECONDS:-120}
mkdir -p "$dir/runs"
[ -e "$ledger" ] || printf 'date\tcommit\tset\tseed\tslice\tsite\tdelay_us\tcalls\tdelayed\tverdict\treport\n' >"$ledger"
seed=${SEED:-$(awk -F'\t' 'NR > 1 { s = $4 } END { print s }' "$ledger")}
seed=${seed:-$(date +%s)}
[[ $seed =~ ^[0-9]+$ && $runs =~ ^[0-9]+$ && $per =~ ^[1-9][0-9]*$ ]] ||
	die "SEED=$seed, RUNS=$runs and EXPLORE=$per must be numbers"

cands=$dir/candidates-$set_name.txt
if [ -n "${WHERE:-}" ]; then
	[ -s "$cands" ] || die "no $cands: run make explore SET=$set_name once first"
	# The guest's draw (tests/lib/explore.sh), on the candidates it saved:
	# the same bash draws the same order
	# shellcheck source=tests/lib/explore.sh
	. "$TOP/tests/lib/explore.sh"
	explore_candidates() { cat "$cands"; }
	for ((i = 0; ; i++)); do
		explore_draw "$seed" "$i" "$per" || break
		for w in $WHERE; do
			for x in "${EXPLORE_SITES[@]}"; do
				[ "${x%:*}" != "$w" ] || echo "seed $seed, $per sites a slice: $w in slice $i of $EXPLORE_SLICES, delay ${x##*:} us"
			done
		done
		[ "$((i + 1))" -lt "$EXPLORE_SLICES" ] || break
	done
	exit 0
fi

case $set_name in
mutant-?*) "$TOP/scripts/mutant.sh" "${set_name#mutant-}" ;;
*) "$TOP/scripts/install-modules.sh" "$set_name" ;;
esac
commit=$(git -C "$TOP" rev-parse --short HEAD)

# next_slice: the first slice of $seed on $set_name that the ledger has not
next_slice() {
	awk -F'\t' -v seed="$seed" -v set="$set_name" '
		$4 == seed && $3 == set { done[$5] = 1 }
		END { for (i = 0; i in done; i++); print i }' "$ledger"
}

read -ra want <<<"${SLICES:-}"
for ((r = 0; r < runs; r++)); do
	slice=$(next_slice)
	if [ ${#want[@]} -gt 0 ]; then	# SLICES= names them
		[ "$r" -lt ${#want[@]} ] || break
		slice=${want[r]}
	fi
	run=$dir/runs/$seed-$slice
	log "explore: seed $seed, slice $slice, $per sites, $secs s of chaos on $set_name"
	err=
	SEED=$seed EXPLORE=$per SLICE=$slice CHAOS_SECONDS=$secs \
		"$TOP/scripts/run-guest.sh" hw-chaos "$MODULES/$set_name/intree" "$run" chaos >"$run.log" 2>&1 ||
		err=$(tail -n1 "$run.log" | sed 's/^error: //')
	verdict=$("$TOP/scripts/judge.sh" "$run/results" chaos "$err" 2>/dev/null || echo "fail: judge.sh failed")
	ktap=$run/results/chaos.ktap
	[ ! -s "$run/results/chaos.candidates" ] || cp "$run/results/chaos.candidates" "$cands"
	report=$(grep -m1 -E 'BUG:|WARNING:|general protection|possible (recursive|circular)|INFO: task .* blocked' \
		"$run/console.log" 2>/dev/null | sed 's/^\[[^]]*\] //' || true)
	if ! grep -q '^# explore: seed ' "$ktap" 2>/dev/null; then
		log "explore: slice $slice drew no sites (see $run/console.log); stopping"
		printf '%s\t%s\t%s\t%s\t%s\t-\t-\t-\t-\t%s\t%s\n' "$(date -u +%F)" "$commit" "$set_name" \
			"$seed" "$slice" "${verdict//$'\t'/ }" "${report:--}" >>"$ledger"
		break
	fi
	sed -n 's/^# explore: \([^ ]*\) calls \([0-9]*\) delayed \([0-9]*\)$/\1 \2 \3/p; s/^# explore: \([^ ]*\) absent$/\1 absent -/p' "$ktap" |
		while read -r site calls delayed; do
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$commit" "$set_name" \
				"$seed" "$slice" "${site%:*}" "${site##*:}" "$calls" "$delayed" \
				"${verdict//$'\t'/ }" "${report:--}"
		done >>"$ledger"
	last=$(sed -n 's/^# explore: seed .*, slice [0-9]* of \([0-9]*\),.*/\1/p' "$ktap")
	echo "explore: seed $seed slice $slice of $last on $set_name: $verdict${report:+; $report}"
	[ -z "$report" ] || grep -h 'kprobe_delay: at this report' "$run/console.log" | sed 's/^\[[^]]*\] /  /' | sort -u
	[ "$((slice + 1))" -lt "${last:-0}" ] || { log "explore: every slice of seed $seed has run on $set_name"; break; }
done
awk -F'\t' -v seed="$seed" -v set="$set_name" '
	$4 == seed && $3 == set { sites[$6] = 1; if ($8 > 0) reached[$6] = 1; slices[$5] = 1
		if ($11 != "-") found[$5] = $11 }
	END {
		n = 0; for (s in sites) n++; m = 0; for (s in reached) m++; k = 0; for (s in slices) k++
		printf "explore: seed %s on %s: %d slices run, %d sites delayed, %d of them reached\n", seed, set, k, n, m
		for (s in found) printf "explore: slice %s found: %s\n", s, found[s]
	}' "$ledger"
