# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# Emulated CXL hardware at scale: 32 volatile Type-3 devices behind 2 host
# bridges, each with 2 root ports, each root port with a switch of 8
# downstream ports. Every cycle, 8 memdevs attach at once below each
# freshly created switch port, which is what makes siblings race for it.
#
#   pcie.0
#   +- pxb-cxl cxl.1 (bus 12) ---- CFMWS 0, 4G
#   |  +- cxl-rp rp10 -- cxl-upstream us10 -- 8 x cxl-downstream -- cxl-type3
#   |  +- cxl-rp rp11 -- cxl-upstream us11 -- 8 x cxl-downstream -- cxl-type3
#   +- pxb-cxl cxl.2 (bus 64) ---- CFMWS 1, 4G
#      +- cxl-rp rp20 -- ... (as above)
#      +- cxl-rp rp21 -- ...
#
# Sourced by scripts/run-guest.sh, which sets $MEM_DIR for the backing files.

QEMU_ARGS=(-machine cxl=on
	-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
	-device pxb-cxl,bus_nr=64,bus=pcie.0,id=cxl.2)
_n=0 _slot=2
for _h in 1 2; do
	for _r in 0 1; do
		QEMU_ARGS+=(-device "cxl-rp,port=$_r,bus=cxl.$_h,id=rp$_h$_r,chassis=0,slot=$_slot"
			-device "cxl-upstream,bus=rp$_h$_r,id=us$_h$_r")
		_slot=$((_slot + 1))
		for _d in 0 1 2 3 4 5 6 7; do
			QEMU_ARGS+=(
				-object "memory-backend-file,id=vmem$_n,share=on,mem-path=${MEM_DIR-}/vmem$_n,size=256M"
				-device "cxl-downstream,port=$_d,bus=us$_h$_r,id=ds$_h$_r$_d,chassis=0,slot=$_slot"
				-device "cxl-type3,bus=ds$_h$_r$_d,volatile-memdev=vmem$_n,id=cxl-vmem$_n,sn=$((_n + 1))")
			_n=$((_n + 1)) _slot=$((_slot + 1))
		done
	done
done
QEMU_ARGS+=(-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G,cxl-fmw.1.targets.0=cxl.2,cxl-fmw.1.size=4G)
unset _n _slot _h _r _d

KERNEL_ARGS=""
MODULE_FLAVOR=intree
SETS=(series)
TESTS=(attach-at-scale)
TIMEOUT=1500
TEST_TIMEOUT=1200
