# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# The reproducer of "Forget the CDAT table of a port's previous binding"
# (patches/fixes/) in a guest of its own (scenarios/fixes.sh): an
# endpoint bound again, while its memdev's detach is held, with the
# allocation of its CDAT table failing (fault-port-cdat). On the base the
# endpoint parses its previous binding's freed table (KASAN), and a kernel
# that has done so is not trusted to run more.
# shellcheck source=scenarios/fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/fixes.sh"
TESTS=(fault-port-cdat)
TIMEOUT=600
TEST_TIMEOUT=300
