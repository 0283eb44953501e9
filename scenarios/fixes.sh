# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# The reproducers of patches/fixes/ (make check-fixes), on the base, where
# tests/expected-base.txt names what fails, and on the base with the fixes
# alone (module set "fixes"), where everything passes. Neither set has
# cxl_mock_accel: every function is a Type-3 device of cxl_pci
# (cxlaccel=0, tests/lib/stress.sh).
#
#   pcie.0
#   +- pxb-cxl cxl.1 (bus 12) ---- CFMWS 0, 4G
#      +- cxl-rp rp0 ------------- cxl-type3 vmem0 (volatile 256M, sn=1)
#      +- cxl-rp rp1
#         +- cxl-upstream us0
#            +- cxl-downstream ds0 - cxl-type3 vmem1 (volatile 256M, sn=2)
#            +- cxl-downstream ds1 - cxl-type3 vmem2 (volatile 256M, sn=3)
#
# What each test reproduces (patches/fixes/):
#   race-queued-detach     0005: a detach queued twice leaks a reference
#   race-switch-port-probe 0006: a memdev fails on a switch port that a
#                          sibling has registered and not yet bound
#   fault-cxl-mem-bind     each allocation of a cxl_mem bind failed in
#                          turn: a dangling cxlmd->endpoint (0002, the
#                          first the base's sweep reaches, which ends it)
#                          and, after the sweep, the port references of a
#                          new memdev's failed probe (0003)
# and, each in a guest of its own (scenarios/fixes-links.sh and
# fixes-autoremove.sh), since on the base a kernel that has read freed
# memory or deadlocked is not trusted to run anything after it:
#   fault-endpoint-links   0001: a port whose links fail stays registered
#   fault-endpoint-autoremove
#                          0004: a failed autoremove deadlocks
# slab_nomerge: scenarios/hw-fault.sh.
QEMU_ARGS=(-machine cxl=on)
for _m in vmem0 vmem1 vmem2; do
	QEMU_ARGS+=(-object "memory-backend-file,id=$_m,share=on,mem-path=${MEM_DIR-}/$_m,size=256M")
done
# shellcheck source=scenarios/lib/cxl1-switch.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/cxl1-switch.sh"
QEMU_ARGS+=(
	-device cxl-type3,bus=ds0,volatile-memdev=vmem1,id=cxl-vmem1,sn=2
	-device cxl-type3,bus=ds1,volatile-memdev=vmem2,id=cxl-vmem2,sn=3
	-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G
)
KERNEL_ARGS="cxlsoak=${SOAK:-0} cxlfull=${FULL:-0} cxlaccel=0 slab_nomerge"
MODULE_FLAVOR=intree
SETS=(fixes base)
TESTS=(race-queued-detach race-switch-port-probe fault-cxl-mem-bind)
TIMEOUT=3600
TEST_TIMEOUT=1200
