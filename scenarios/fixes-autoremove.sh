# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# fixes/0004's reproducer in a guest of its own (scenarios/fixes.sh): on
# the base its bind deadlocks, and the guest, which may then hang powering
# off, is stopped a minute after its last test (scripts/run-guest.sh).
# shellcheck source=scenarios/fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/fixes.sh"
TESTS=(fault-endpoint-autoremove)
TIMEOUT=1200
