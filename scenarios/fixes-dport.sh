# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# The reproducers of the port enumeration's lifetime fixes, in a guest of
# their own (scenarios/fixes.sh), each a probe held by kprobe_delay while
# a teardown runs:
#   race-dead-port-lock    fixes/0006 (its registration lock reached
#                          through a dead port's freed parent dport):
#                          passes on the base, which has no such lock
#   race-enumerate-dport   fixes/0007: a dport used after its port's lock
#                          is dropped, freed by the port's unbind (KASAN)
# and fixes/0008's, race-decoder-target, in scenarios/fixes-target.sh,
# fixes/0011's, race-mem-probe-dport, in scenarios/fixes-mem-dport.sh.
# shellcheck source=scenarios/fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/fixes.sh"
TESTS=(race-dead-port-lock race-enumerate-dport)
TIMEOUT=1500
TEST_TIMEOUT=600
