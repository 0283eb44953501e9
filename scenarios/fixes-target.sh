# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# fixes/0008's reproducer in a guest of its own (scenarios/fixes.sh): a
# port's decoder target list read while the port's unbind has freed a
# dport the list still names (race-decoder-target).
# shellcheck source=scenarios/fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/fixes.sh"
TESTS=(race-decoder-target)
TIMEOUT=1200
TEST_TIMEOUT=600
