# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# Emulated CXL hardware (QEMU cxl-type3), in-tree drivers.
#
#   pcie.0
#   +- pxb-cxl cxl.1 (bus 12) ---- CFMWS 0, 4G
#   |  +- cxl-rp rp0 ------------- cxl-type3 vmem0   (volatile 256M)
#   |  +- cxl-rp rp1
#   |     +- cxl-upstream us0
#   |        +- cxl-downstream ds0 - cxl-type3 pmem1 (persistent 256M + LSA)
#   |        +- cxl-downstream ds1 - cxl-type3 vmem2 (volatile 256M)
#   +- pxb-cxl cxl.2 (bus 32) ---- CFMWS 1, 4G
#      +- cxl-rp rp2 ------------- cxl-type3 pmem3   (persistent 256M + LSA)
#
# Sourced by scripts/run-guest.sh, which sets $MEM_DIR (under the run dir,
# removed after the run) for the backing files.

_hw_mem() {	# <id> <size>: one file-backed memory object
	QEMU_ARGS+=(-object "memory-backend-file,id=$1,share=on,mem-path=${MEM_DIR-}/$1,size=$2")
}

QEMU_ARGS=(-machine cxl=on)
_hw_mem vmem0 256M
_hw_mem pmem1 256M
_hw_mem lsa1 256M
_hw_mem vmem2 256M
_hw_mem pmem3 256M
_hw_mem lsa3 256M
# shellcheck source=scenarios/lib/cxl1-switch.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/cxl1-switch.sh"
QEMU_ARGS+=(
	-device cxl-type3,bus=ds0,persistent-memdev=pmem1,lsa=lsa1,id=cxl-pmem1,sn=2
	-device cxl-type3,bus=ds1,volatile-memdev=vmem2,id=cxl-vmem2,sn=3
	-device pxb-cxl,bus_nr=32,bus=pcie.0,id=cxl.2
	-device cxl-rp,port=0,bus=cxl.2,id=rp2,chassis=0,slot=6
	-device cxl-type3,bus=rp2,persistent-memdev=pmem3,lsa=lsa3,id=cxl-pmem3,sn=4
	-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G,cxl-fmw.1.targets.0=cxl.2,cxl-fmw.1.size=4G
)
unset -f _hw_mem

KERNEL_ARGS=""
MODULE_FLAVOR=intree
TESTS=(attach-on-return module-deps late-topology unbind-rebind topology
	accel-attach accel-fallback accel-arrives-first accel-escalation accel-sysfs-bind accel-pinning kmemleak)
TIMEOUT=1500
TEST_TIMEOUT=300	# a hung test is killed, the others still run
