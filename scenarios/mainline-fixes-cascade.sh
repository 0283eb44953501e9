# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# scenarios/fixes-cascade.sh's reproducers on Linux 7.2.8, where they must
# fail (tests/expected-base.txt), and on 7.2.8 with patches/mainline/,
# where they pass (scenarios/lib/mainline-fixes.sh).
_fixes_scenario=fixes-cascade
# shellcheck source=scenarios/lib/mainline-fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/mainline-fixes.sh"
