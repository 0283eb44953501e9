# shellcheck shell=bash disable=SC2034 # EXPLORE_*: for the callers
# The chaos's exploration of race windows nobody listed: every function of
# the loaded CXL modules that kprobe_delay can delay is a candidate site,
# at its entry and at its return. A seed orders the candidates (a seeded
# shuffle of the functions' entries, then one of their returns, so that a
# slice delays a function once); a run takes one slice of that order and
# a delay per site, from 1 ms to about 1 s. The same seed and slice on the same modules draw the
# same sites and delays, so a run replays; the slices of one seed, run one
# after the other (make explore, scripts/explore.sh), visit every site.
#
# A candidate is a function that
#   - scripts/site-catalog.sh found in the set's drivers/cxl with at most
#     six arguments and nothing passed or returned by value as a struct:
#     /lib/modules/<release>/cxl-sites;
#   - ftrace can trace in one of $EXPLORE_MODULES, once only there
#     (available_filter_functions), and that kprobes may probe (blacklist);
#   - no listed site of the caller names (EXPLORE_LISTED: kprobe_delay
#     sends a function's calls to one site only).

EXPLORE_CATALOG=/lib/modules/$(uname -r)/cxl-sites
EXPLORE_MODULES="cxl_core cxl_port cxl_mem cxl_pci cxl_acpi cxl_pmem"
# The most a drawn site waits in all: a site on a function called in a
# loop then delays the first calls and only counts the rest
EXPLORE_MAX_WAIT_MS=20000
EXPLORE_LISTED=()

# The candidates, "<module>:<function>", one a line, sorted
explore_candidates() {
	local aff=/sys/kernel/tracing/available_filter_functions bl=/sys/kernel/debug/kprobes/blacklist
	[ -r "$aff" ] || aff=/sys/kernel/debug/tracing/available_filter_functions
	[ -r "$aff" ] || { echo "# no available_filter_functions" >&2; return 1; }
	[ -r "$EXPLORE_CATALOG" ] || { echo "# no site catalog $EXPLORE_CATALOG" >&2; return 1; }
	[ -r "$bl" ] || bl=/dev/null
	explore_filter "$EXPLORE_CATALOG" "$bl" "$aff"
}
explore_filter() { # <catalog> <kprobe blacklist> <available_filter_functions>
	awk -v mods=" $EXPLORE_MODULES " -v listed=" ${EXPLORE_LISTED[*]%\%return} " '
		FILENAME == ARGV[1] {	# the catalog: a name is safe if every definition is
			if ($2 <= 6 && $3 == "-") { if (!($1 in safe)) safe[$1] = 1 }
			else safe[$1] = 0
			next
		}
		FILENAME == ARGV[2] {	# the kprobe blacklist: "<range> <symbol> [<module>]"
			black[$2] = 1
			next
		}
		NF == 2 && $2 ~ /^\[.*\]$/ {
			m = substr($2, 2, length($2) - 2)
			if (index(mods, " " m " ")) n[m ":" $1]++
		}
		END {
			for (s in n) {
				split(s, p, ":")
				if (n[s] == 1 && safe[p[2]] == 1 && !(p[2] in black) &&
				    !index(listed, " " p[2] " ")) print s
			}
		}' "$@" | LC_ALL=C sort
}

# explore_draw <seed> <slice> <count>: EXPLORE_SITES=the <slice>th <count>
# sites of the seed's order, each "<site>:<us>" (an empty <slice>: the
# seed modulo the number of slices, EXPLORE_SLICE); EXPLORE_SLICES=how
# many slices the order has, EXPLORE_CANDIDATES=how many sites
explore_draw() {
	local seed=$1 slice=$2 k=$3 c i f
	local -a fn=() all=()
	local -A taken=()
	EXPLORE_SITES=()
	mapfile -t fn < <(explore_candidates)
	EXPLORE_CANDIDATES=$((2 * ${#fn[@]}))
	[ "$EXPLORE_CANDIDATES" -gt 0 ] || return 1
	EXPLORE_SLICES=$(((EXPLORE_CANDIDATES + k - 1) / k))
	EXPLORE_SLICE=${slice:-$((seed % EXPLORE_SLICES))}
	slice=$EXPLORE_SLICE
	RANDOM=$seed
	explore_shuffle fn
	all=("${fn[@]}")
	explore_shuffle fn
	all+=("${fn[@]/%/%return}")
	for ((i = slice * k; i < (slice + 1) * k && i < EXPLORE_CANDIDATES; i++)); do
		# Where the entries end and the returns begin, a slice may hold
		# both of one function: it gets the first
		f=${all[i]%\%return}
		[ -z "${taken[$f]:-}" ] || continue
		taken[$f]=1
		# log-uniform, 1 ms to 1.024 s
		EXPLORE_SITES+=("${all[i]}:$((1000 << (RANDOM % 11)))")
	done
	[ ${#EXPLORE_SITES[@]} -gt 0 ]
}
explore_shuffle() { # <array name>: shuffled in place with $RANDOM
	local -n a=$1
	local i j t
	for ((i = ${#a[@]} - 1; i > 0; i--)); do
		j=$(((RANDOM * 32768 + RANDOM) % (i + 1)))
		t=${a[i]} a[i]=${a[j]} a[j]=$t
	done
}

# What each drawn site did, one "# explore: ..." line a site, for the
# ledger (scripts/explore.sh): its calls, the calls it delayed, or absent
explore_report() {
	local s h d
	while read -r s h d; do
		case " ${EXPLORE_SITES[*]} " in *" $s "*) ;; *) continue ;; esac
		if [ "$h" = absent ]; then
			echo "# explore: $s absent"
		else
			echo "# explore: $s calls $h delayed ${d:-0}"
		fi
	done <"$DELAY_HITS"
}
