# The table and the verdicts of make bench (scripts/bench.sh):
#
#   awk -v cycles=<n> -f bench-table.awk <raw.tsv> <runs.tsv>
#
# raw.tsv: case <TAB> set <TAB> step <TAB> value, one line per cycle;
# runs.tsv: case <TAB> set <TAB> verdict of the guest's test. Steps in ms;
# per device is the median over the case's device count (cxl_test: 11).
# scale-32 (32 devices below switches) is left out of the per-device growth
# target, whose cases share one topology that only grows.
# cycles is the cycle count each guest was asked for: a series case with
# fewer fails the determinism target.
BEGIN { FS = "\t" }
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
		c = cases[i]; dev = c ~ /^hw-/ ? substr(c, 4) + 0 : c ~ /^scale-/ ? substr(c, 7) + 0 : 11
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
}
