# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# fixes/0011's reproducer, race-mem-probe-dport: cxl_mem_probe() reads the
# dport that leads to its memdev before it takes the port's lock, and the
# port's unbind frees it meanwhile (KASAN on the base). A guest of its own
# (scenarios/fixes.sh's machine): on the base, the use-after-free of
# scenarios/fixes-dport.sh's race-enumerate-dport taints the kernel, and
# KASAN reports only the first use-after-free of a boot. Here it reports
# each (kasan_multi_shot), so that the base shows both cases: the unbind
# (a read in cxl_mem_probe()) and the unbind and bind again (the endpoint
# keeps the freed dport).
# shellcheck source=scenarios/fixes.sh
. "$(dirname "${BASH_SOURCE[0]}")/fixes.sh"
KERNEL_ARGS+=" kasan_multi_shot"
TESTS=(race-mem-probe-dport)
TIMEOUT=900
TEST_TIMEOUT=600
