# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# scenarios/fixes.sh's reproducers on Linux 7.2.8, where they must fail
# (tests/expected-base.txt), and on 7.2.8 with patches/mainline/, where
# they pass (scenarios/lib/mainline-fixes.sh). Without
# race-switch-port-probe: fixes/0006 is half in 7.2.8, and its other half
# is not in the mainline queue (docs/mainline.md).
_fixes_scenario=fixes
# shellcheck source=scenarios/lib/mainline-fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/mainline-fixes.sh"
TESTS=(race-queued-detach fault-cxl-mem-bind)
