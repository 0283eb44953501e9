# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# The mainline-fixes* scenarios, one definition: the scenario of
# scenarios/fixes*.sh that $_fixes_scenario names (fixes, fixes-links,
# ...), its machine, tests and budgets, on Linux 7.2.8, where its
# reproducers must fail (tests/expected-base.txt), and on 7.2.8 with
# patches/mainline/, where they pass (KBASE=mainline: make check-mainline
# SCENARIOS=mainline-<that name>). Sourced by scenarios/mainline-fixes*.sh,
# each after setting $_fixes_scenario.
# shellcheck source=scenarios/fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/../${_fixes_scenario:?the scenario of scenarios/fixes*.sh to run on 7.2.8}.sh"
SETS=(series base)
unset _fixes_scenario
