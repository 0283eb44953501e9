# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# scenarios/fixes-mem-dport.sh's reproducer on Linux 7.2.8, where it must
# fail (tests/expected-base.txt), and on 7.2.8 with patches/mainline/,
# where it passes (scenarios/lib/mainline-fixes.sh).
_fixes_scenario=fixes-mem-dport
# shellcheck source=scenarios/lib/mainline-fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/mainline-fixes.sh"
