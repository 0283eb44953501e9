# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# scenarios/fixes-cdat.sh's reproducers on Linux 7.2.8, where they must fail
# (tests/expected-base.txt), and on 7.2.8 with patches/mainline/, where
# they pass (KBASE=mainline: make check-mainline SCENARIOS=mainline-fixes-cdat).
# shellcheck source=scenarios/fixes-cdat.sh
. "$(dirname "${BASH_SOURCE[0]}")/fixes-cdat.sh"
SETS=(series base)
TESTS=(fault-port-cdat)
