# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# fixes/0001's reproducer in a guest of its own (scenarios/fixes.sh).
# shellcheck source=scenarios/fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/fixes.sh"
TESTS=(fault-endpoint-links)
TIMEOUT=1200
