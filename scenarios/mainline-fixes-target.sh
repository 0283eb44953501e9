# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# scenarios/fixes-target.sh's reproducers on Linux 7.2.8, where they must fail
# (tests/expected-base.txt), and on 7.2.8 with patches/mainline/, where
# they pass (KBASE=mainline: make check-mainline SCENARIOS=mainline-fixes-target).
# shellcheck source=scenarios/fixes-target.sh
. "$(dirname "${BASH_SOURCE[0]}")/fixes-target.sh"
SETS=(series base)
TESTS=(race-decoder-target)
