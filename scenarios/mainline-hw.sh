# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# Linux 7.2.8, and 7.2.8 with patches/mainline/ (KBASE=mainline: make
# check-mainline SCENARIOS=mainline-hw): scenarios/hw.sh's machine, the
# volatile device behind the switch (sn=3) handed to the harness's creator
# for devm_cxl_probe_mem(), tests/mainline/cxl_probe_accel. Its reproducers
# fail on 7.2.8 (tests/expected-base.txt) and pass with the queue.
# shellcheck source=scenarios/hw.sh
. "$(dirname "${BASH_SOURCE[0]}")/hw.sh"
TESTS=(probe-mem-fallback)
TIMEOUT=900
TEST_TIMEOUT=300
