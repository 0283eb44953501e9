# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# The reproducer of "Forget the CDAT table of a port's previous binding"
# (patches/fixes/) in a guest of its own (scenarios/fixes.sh): a switch
# port bound again with an allocation of its CDAT read failing, then read
# (fault-port-cdat). On the base the port reads its previous binding's
# freed table (KASAN), and a kernel that has is not trusted to run more.
# shellcheck source=scenarios/fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/fixes.sh"
TESTS=(fault-port-cdat)
TIMEOUT=600
TEST_TIMEOUT=300
