#!/usr/bin/env bash
# Print the results of a check run as one table, base beside series, and
# the closing "N passed, N failed" line.
#
#   report.sh <results.tsv>
#
# Each line of results.tsv: <row> <set> <verdict> [<log>], tab-separated;
# the log is the file that shows the result, named in the list of failures.
#
# A series result counts as it is; an expected failure (KTAP XFAIL, a known
# fault of the test itself, reason shown) counts as skipped. A base result
# counts as passed when it matches tests/expected-base.txt (default: pass),
# so a test that stops failing on the base is as visible as one that starts.
# Where that list names the subtest that must fail (a glob over the
# description of a "not ok" line, or over the reason of a "Bail out!"), a
# base failure is expected only when a line of the test's KTAP log matches
# it: a test that fails on the base for another reason, a kernel report
# say, is not.
# The failures are listed once more just above that last line, each with
# the lines of its log that say why (lines starting "    | "): the
# diagnostics of the first failed subtest, the kernel report, or the end of
# the console of a guest that stopped.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

awk -F'\t' -v expfile="$TOP/tests/expected-base.txt" -v top="$TOP/" -v splat="$SPLAT_RE" '
BEGIN {
	while ((getline l < expfile) > 0) {
		if (l ~ /^#/ || l ~ /^[ \t]*$/) continue
		split(l, f, /[ \t]+/); want[f[1]] = f[2]
		why[f[1]] = l; sub(/^[^#]*#[ \t]*/, "", why[f[1]])
		g = l; sub(/[ \t]*#.*$/, "", g); sub(/^[^ \t]+[ \t]+[^ \t]+[ \t]*/, "", g)
		if (g != "") sub_want[f[1]] = g
	}
}
# A glob (*, ?) as an anchored regular expression
function glob_re(g,    r, i, c) {
	r = "^"
	for (i = 1; i <= length(g); i++) {
		c = substr(g, i, 1)
		if (c == "*") r = r ".*"
		else if (c == "?") r = r "."
		else if (index("\\^$.[]|()+{}", c)) r = r "\\" c
		else r = r c
	}
	return r "$"
}
# Whether a "not ok" line of KTAP log <f> has a description matching glob <g>
# (for a row whose log is the kernel log of the test: the KTAP log beside it)
function failed_at(f, g,    l, d, re, hit) {
	sub(/\.dmesg$/, ".ktap", f)
	if (f !~ /\.ktap$/) return 0
	re = glob_re(g); hit = 0
	while ((getline l < f) > 0) {
		if (l ~ /^[ \t]*Bail out! /) { d = l; sub(/^[ \t]*Bail out! /, "", d) }
		else if (l ~ /^not ok [0-9]+ /) { d = l; sub(/^not ok [0-9]+ /, "", d); sub(/ # .*$/, "", d) }
		else continue
		if (d ~ re) { hit = 1; break }
	}
	close(f)
	return hit
}
{
	if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
	v[$1, $2] = $3
	lg[$1, $2] = index($4, top) == 1 ? substr($4, length(top) + 1) : $4
	full[$1, $2] = $4
}
# Why a failed test failed, from its log <f>: in a KTAP log the first
# "not ok" or "Bail out!" and the diagnostics since the subtest before it;
# in a kernel log the first report and what follows it; else the last lines.
function excerpt(f,    l, n, k, a, i, from, shown, pick) {
	if (f == "") return
	if (f in quoted) { printf "    | (the same log as above)\n"; return }
	quoted[f] = 1
	if ((getline l < f) < 0) return
	n = 1; a[1] = l; k = 0
	while ((getline l < f) > 0) {
		a[++n] = l
		if (k == 0 && f ~ /\.ktap$/ && (l ~ /^not ok / || l ~ /^[ \t]*Bail out!/)) k = n
		if (k == 0 && f ~ /\.dmesg$/ && l ~ splat) { k = n; from = n }
	}
	close(f)
	if (f ~ /\.ktap$/ && k) {
		# the diagnostics before it (past the subtests that passed),
		# but not the start state of the test
		for (i = k - 1; i > 1 && shown < 12; i--) {
			if (a[i] ~ /^# start: / || a[i] ~ /^not ok /) break
			if (a[i] ~ /^[ \t]*#/) pick[++shown] = a[i]
		}
		for (i = shown; i >= 1; i--)
			printf "    | %s\n", substr(pick[i], 1, 160)
		printf "    | %s\n", substr(a[k], 1, 160)
		return
	} else if (f ~ /\.dmesg$/ && k) {
		# the report, then the frames of its first stack that are not
		# those of the reporting machinery
		printf "    | %s\n", substr(a[k], 1, 160)
		for (i = k + 1; i <= n && shown < 8; i++) {
			if (a[i] ~ /^\[[ 0-9.]+\] +(RIP: )?[a-z_][a-z0-9_.]*\+0x/ &&
			    a[i] !~ /\] +(dump_stack|print_report|kasan_|__asan_|__warn|report_bug|handle_bug|exc_invalid_op|asm_exc)/) {
				printf "    | %s\n", substr(a[i], 1, 160); shown++
			}
			if (a[i] ~ /<\/TASK>/) break
		}
		return
	} else
		from = (n > 12) ? n - 11 : 1
	for (i = from; i <= n; i++)
		printf "    | %s\n", substr(a[i], 1, 160)
}
function word(s) {
	return s == "" ? "-" : s ~ /^fail/ ? "FAIL" : s ~ /^xfail/ ? "xfail" : s == "skip" ? "skip" : "ok"
}
END {
	printf "%-62s %-10s %s\n", "test", "base", "series"
	for (i = 1; i <= n; i++) {
		r = order[i]; b = v[r, "base"]; s = v[r, "series"]
		bw = word(b)
		if (b != "") {
			e = (r in want) ? want[r] : "pass"
			got = (bw == "FAIL") ? "fail" : (bw == "ok" ? "pass" : bw)
			if (got == "fail" && e == "fail" && (r in sub_want) && !failed_at(full[r, "base"], sub_want[r])) {
				got = "fail elsewhere"; e = "fail at \"" sub_want[r] "\""
			}
			if (got == e || e == "any") { pass++; if (e != "pass") bw = bw "*" } else { fail++; bw = bw "!"; failed[++nf] = r " (base): expected " e ", got " b; flog[nf] = lg[r, "base"]; ffull[nf] = full[r, "base"] }
		}
		if (s != "") {
			if (s ~ /^fail/) { fail++; failed[++nf] = r " (series): " s; flog[nf] = lg[r, "series"]; ffull[nf] = full[r, "series"] }
			else if (s == "skip" || s ~ /^xfail/) skip++; else pass++
		}
		printf "%-62s %-10s %s\n", substr(r, 1, 62), bw, word(s)
		if (s ~ /^x?fail/) printf "    series: %s\n", s
		if (b ~ /^fail/ && !(r in want && want[r] == "fail")) printf "    base: %s\n", b
		if (bw ~ /!$/) printf "    base: expected %s, got %s\n", e, got
		if (bw ~ /\*$/) printf "    base %s as expected: %s\n", e == "any" ? "may fail" : "fails", why[r]
	}
	# the failures again, last, where a log tail shows them
	for (i = 1; i <= nf; i++) {
		printf "FAILED %s%s\n", substr(failed[i], 1, 400), flog[i] == "" ? "" : ", log: " flog[i]
		excerpt(ffull[i])
	}
	printf "%d passed, %d failed%s\n", pass, fail, skip ? sprintf(", %d skipped", skip) : ""
	exit fail > 0
}' "$1"
