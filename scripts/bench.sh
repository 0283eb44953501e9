#!/usr/bin/env bash
# make bench: memdev attach latency and determinism, the base beside the
# series, on one kernel image. One guest per (case, module set) runs
# tests/bench-*.sh, which print per-cycle numbers as "# bench <name> <value>";
# this script collects them and prints one table of medians (min..max), the
# series/base ratio and the time per device, then the verdict on each target.
#
# Cases: hw-<n> is scenarios/bench.sh with n emulated Type-3 devices (in-tree
# modules, tests/bench-attach.sh); cxl_test is tools/testing/cxl's mock
# topology (scenarios/cxl_test.sh, tests/bench-cxl-test.sh).
#
# Environment: BENCH_CYCLES (default 10) measured cycles per guest, after one
# warm-up; BENCH_DEVICES (default "1 4 8") device counts; BENCH_CXL_TEST=0
# skips cxl_test; BENCH_BUILD=0 skips the tree/kernel/module steps;
# BENCH_LOOP=1 also times an edit-rebuild-retest loop (see loop_time).
#
# Writes build/runs/bench-<date>/ (build/runs/bench-latest points at it):
# summary.txt (what is printed), raw.tsv (case, set, step, value per cycle),
# the kernel image and module trees it ran, and per set and case the
# guest's console.log and results/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

CYCLES=${BENCH_CYCLES:-10}
DEVICES=${BENCH_DEVICES:-1 4 8}
S=$TOP/scripts
run=$BUILD/runs/bench-$(date +%Y%m%d-%H%M%S)
raw=$run/raw.tsv	# case <TAB> set <TAB> step <TAB> value
runs=$run/runs.tsv	# case <TAB> set <TAB> verdict of the guest's test
mkdir -p "$run"
ln -sfn "$run" "$BUILD/runs/bench-latest"
: >"$raw"
: >"$runs"
began=$SECONDS

if [ "${BENCH_BUILD:-1}" = 1 ]; then
	"$S/tree.sh"
	"$S/build-kernel.sh"
	for set in series base; do "$S/install-modules.sh" "$set"; done
fi

# Both sets boot this one image; the base differs only in drivers/cxl. The
# image and the module trees are copied first: builds that others start
# during the bench do not change what it measures.
mkdir -p "$run/modules"
cp "${KERNEL:-$BUILD/obj/arch/x86/boot/bzImage}" "$run/bzImage"
cp -a "$BUILD/modules/base" "$BUILD/modules/series" "$run/modules/"
export KERNEL=$run/bzImage
# no_timer_check: on a busy host a TCG guest can miss the boot-time timer
# check and panic ("IO-APIC + timer doesn't work").
export EXTRA_KERNEL_ARGS="cxlbench.cycles=$CYCLES no_timer_check"
export RUN_TEST_TIMEOUT=$((300 + (CYCLES + 1) * 120)) RUN_TIMEOUT=$((600 + (CYCLES + 1) * 120))

# guest <case> <set> <scenario> <flavor> <test>: one guest run; its numbers
# go to raw.tsv, its verdict to runs.tsv.
guest() {
	local case=$1 set=$2 scenario=$3 flavor=$4 t=$5 dir=$run/$2/$1 err try
	mkdir -p "$run/$set"
	for try in 1 2; do	# a guest that never reached its test boots again, once
		err=""
		"$S/run-guest.sh" "$scenario" "$run/modules/$set/$flavor" "$dir" "$t" 2>"$dir.log" ||
			err=$(tail -n1 "$dir.log" | sed 's/^error: //')
		cat "$dir.log" >&2
		if [ -z "$err" ] || [ -e "$dir/results/boot.dmesg" ] || [ "$try" = 2 ]; then break; fi
		mv "$dir/console.log" "$dir/console-failed-boot.log"
		log "$case $set: the guest did not boot, once more"
	done
	[ ! -e "$dir/results/$t.ktap" ] ||
		sed -n "s/^# bench \([a-z_]*\) \([0-9.]*\)\$/$case\t$set\t\1\t\2/p" \
			"$dir/results/$t.ktap" >>"$raw"
	printf '%s\t%s\t%s\n' "$case" "$set" "$("$S/judge.sh" "$dir/results" "$t" "$err")" >>"$runs"
	# Other work on the host slows the guests down: keep a trace of it.
	printf '%s\t%s\t%s\n' "$case" "$set" "$(cut -d' ' -f2 /proc/loadavg)" >>"$run/load.tsv"
}

# Interleaved, so that base and series of one case run close in time.
for n in $DEVICES; do
	for set in base series; do
		BENCH_DEVICES=$n guest "hw-$n" "$set" bench intree bench-attach
	done
done
if [ "${BENCH_CXL_TEST:-1}" = 1 ]; then
	for set in base series; do
		guest cxl_test "$set" cxl_test cxl_test bench-cxl-test
	done
fi

# The edit-rebuild-retest loop: a one-line edit of a file the series
# changes (a MODULE_INFO tag, so the object really changes), then make check
# on the hw scenario without the static gate; the file is restored after.
loop_time() {
	local f=$SRC/drivers/cxl/mem.c t0=$SECONDS rc=0
	cp -p "$f" "$run/loop-mem.c.orig"
	# shellcheck disable=SC2064 # the paths, now
	trap "cp -p '$run/loop-mem.c.orig' '$f'" EXIT
	trap 'exit 130' INT TERM HUP
	echo "MODULE_INFO(bench_edit, \"$(date +%s)\");" >>"$f"
	SCENARIOS=hw GATE=0 "$S/check.sh" >"$run/loop.log" 2>&1 || rc=$?
	cp -p "$run/loop-mem.c.orig" "$f"
	trap - EXIT
	printf 'loop: one-line edit of %s, make check SCENARIOS=hw GATE=0: %dm %02ds (exit %d, log %s)\n' \
		"${f#"$SRC"/}" $(((SECONDS - t0) / 60)) $(((SECONDS - t0) % 60)) "$rc" "$run/loop.log"
}

# table <raw.tsv> <runs.tsv>: the table and the verdicts. Steps in ms; per
# device is the median over the case's device count (cxl_test: 11).
table() {
	awk -F'\t' -v cycles="$CYCLES" '
	function sorted(k, m,   i, j, t) {	# vals[k, 1..m] in order into s[]
		for (i = 1; i <= m; i++) s[i] = vals[k, i]
		for (i = 2; i <= m; i++)
			for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
	}
	function median(k,   m) {
		m = cnt[k]; sorted(k, m)
		return m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
	}
	function cell(c, set, st,   k) {
		k = c SUBSEP set SUBSEP st
		if (!(k in cnt)) return "-"
		if (st ~ /^on_/) return sprintf("%d/%d attached", sum[k], cnt[k])
		sorted(k, cnt[k])
		return sprintf("%.1f (%.1f..%.1f)", median(k), s[1], s[cnt[k]])
	}
	function has(c, set, st) { return (c SUBSEP set SUBSEP st) in cnt }
	function med(c, set, st) { return median(c SUBSEP set SUBSEP st) }
	FNR == 1 { file++ }
	file == 1 {
		k = $1 SUBSEP $2 SUBSEP $3
		vals[k, ++cnt[k]] = $4; sum[k] += $4
		if (!($1 in isc)) { isc[$1] = 1; cases[++nc] = $1 }
		next
	}
	{ verdict[$1, $2] = $3; if (!($1 in isc)) { isc[$1] = 1; cases[++nc] = $1 } }
	END {
		nst = split("pci mem load settle attach unload on_pci on_return", steps, " ")
		split("base series", two, " ")
		printf "%-9s %-10s %-28s %-28s %-7s %s\n", "case", "step", "base ms: median (min..max)",
			"series ms: median (min..max)", "s/b", "per device: base / series"
		for (i = 1; i <= nc; i++) {
			c = cases[i]; dev = c ~ /^hw-/ ? substr(c, 4) + 0 : 11
			for (j = 1; j <= nst; j++) {
				st = steps[j]
				if (!has(c, "base", st) && !has(c, "series", st)) continue
				ratio = "-"; per = "-"
				if (st !~ /^on_/) {
					b = has(c, "base", st) ? sprintf("%.1f", med(c, "base", st) / dev) : "-"
					sr = has(c, "series", st) ? sprintf("%.1f", med(c, "series", st) / dev) : "-"
					per = b " / " sr
					if (has(c, "base", st) && has(c, "series", st) && med(c, "base", st) > 0)
						ratio = sprintf("%.2f", med(c, "series", st) / med(c, "base", st))
				}
				printf "%-9s %-10s %-28s %-28s %-7s %s\n", c,
					st == "on_return" ? "on return" : (st == "on_pci" ? "on cxl_pci" : st),
					cell(c, "base", st), cell(c, "series", st), ratio, per
			}
			for (j = 1; j <= 2; j++)
				if ((c, two[j]) in verdict && verdict[c, two[j]] != "pass")
					printf "%-9s %-10s %s run: %s\n", c, "(run)", two[j], verdict[c, two[j]]
		}
		print "steps: pci = modprobe cxl_pci; mem = modprobe cxl_mem, which only the base needs;"
		print "  load = modprobe cxl_test cxl_mock_mem; settle = from the return of the last modprobe"
		print "  until every memdev is attached (cxl_mem, endpoint on cxl_port); attach = from the start"
		print "  of the first modprobe until then; unload = every CXL module out; on return = cycles"
		print "  in which every memdev was attached when the last modprobe returned (on cxl_pci: when"
		print "  modprobe cxl_pci returned); s/b = series/base"

		# Target 1: every cycle of the series attached on return
		ok = 1; d = ""
		for (i = 1; i <= nc; i++) {
			k = cases[i] SUBSEP "series" SUBSEP "on_return"
			if (!(k in cnt)) { ok = 0; d = d " " cases[i] " no data,"; continue }
			d = d sprintf(" %s %d/%d,", cases[i], sum[k], cnt[k])
			if (sum[k] != cnt[k] || cnt[k] < cycles) ok = 0
		}
		sub(/,$/, "", d)
		printf "target: determinism 100%% with the series: %s (%s)\n", ok ? "met" : "NOT MET", substr(d, 2)

		# Target 2: series attach median <= base attach median, per case
		ok = 1; d = ""
		for (i = 1; i <= nc; i++) {
			c = cases[i]
			if (!has(c, "base", "attach") || !has(c, "series", "attach")) { ok = 0; d = d " " c " no data,"; continue }
			b = med(c, "base", "attach"); sr = med(c, "series", "attach")
			d = d sprintf(" %s %.0f vs %.0f ms,", c, sr, b)
			if (sr > b) ok = 0
		}
		sub(/,$/, "", d)
		printf "target: series attach latency <= base: %s (series vs base median:%s)\n", ok ? "met" : "NOT MET", d

		# Target 3: per device, no step of a set costs more at more devices
		# (by more than 20%, the noise between guests); steps under 50 ms
		# at the larger count are too small to tell.
		ok = 1; d = ""; worst = 0; nh = 0
		for (i = 1; i <= nc; i++) if (cases[i] ~ /^hw-/) hw[++nh] = cases[i]
		for (j = 1; j <= 2; j++) for (t = 1; t <= nst; t++) {
			st = steps[t]; if (st ~ /^on_/) continue
			for (i = 2; i <= nh; i++) {
				lo = hw[i - 1]; hi = hw[i]
				if (!has(lo, two[j], st) || !has(hi, two[j], st)) continue
				nlo = substr(lo, 4) + 0; nhi = substr(hi, 4) + 0
				mlo = med(lo, two[j], st); mhi = med(hi, two[j], st)
				if (mhi < 50) continue
				if (mlo < 50) mlo = 50
				g = (mhi / nhi) / (mlo / nlo)
				if (g > worst) { worst = g; wd = sprintf("%s %s %d->%d devices: %.1f -> %.1f ms per device", two[j], st, nlo, nhi, mlo / nlo, mhi / nhi) }
				if (g > 1.2) { ok = 0; d = d sprintf(" %s %s %d->%d x%.2f per device,", two[j], st, nlo, nhi, g) }
			}
		}
		sub(/,$/, "", d)
		if (nh < 2) printf "target: no step grows faster than linearly: not evaluated (fewer than 2 device counts)\n"
		else printf "target: no step grows faster than linearly: %s (%s)\n", ok ? "met" : "NOT MET",
			ok ? "largest per-device growth: " (worst ? sprintf("x%.2f, %s", worst, wd) : "none") : substr(d, 2)
	}' "$raw" "$runs"
}

{
	echo "make bench, $(date '+%Y-%m-%d %H:%M'): $CYCLES cycles per cell after one warm-up," \
		"one kernel image (bzImage sha256 $(sha256sum "$KERNEL" | cut -c1-12))"
	sort -t$'\t' -k3n "$run/load.tsv" | awk -F'\t' 'NR == 1 { lo = $3 } { hi = $3 }
		END { if (NR) printf "host load (5-min average after each guest, 2 cores): %s..%s\n", lo, hi }'
	table
	[ "${BENCH_LOOP:-0}" != 1 ] || loop_time
	t=$((SECONDS - began))
	printf 'bench took %dm %02ds; raw numbers: %s\n' $((t / 60)) $((t % 60)) "$raw"
} | tee "$run/summary.txt"
