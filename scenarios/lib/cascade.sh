# shellcheck shell=bash disable=SC2034,SC2054 # QEMU_ARGS, read by run-guest.sh
# Cascaded switches: a switch below a switch's downstream port, so that a
# memdev's port enumeration walks up two levels of switch before it
# reaches a host bridge's port. Sourced by scenarios/hw-cascade.sh and
# scenarios/fixes-cascade.sh, which add KERNEL_ARGS and TESTS.
#
#   pcie.0
#   +- pxb-cxl cxl.1 (bus 12) ---- CFMWS 0, 4G
#   |  +- cxl-rp rp0
#   |     +- cxl-upstream us0
#   |        +- cxl-downstream ds0
#   |        |  +- cxl-upstream us1
#   |        |     +- cxl-downstream ds2 - cxl-type3 vmem0 (sn=1)
#   |        |     +- cxl-downstream ds3 - cxl-type3 vmem1 (sn=2)
#   |        +- cxl-downstream ds1 ------- cxl-type3 vmem2 (sn=3; the
#   |                                      accelerator where the set has
#   |                                      cxl_mock_accel: ACCEL_SERIAL)
#   +- pxb-cxl cxl.2 (bus 32) ---- CFMWS 1, 4G
#      +- cxl-rp rp1 ------------- cxl-type3 vmem3 (sn=4)
#
# All volatile, 256M each; $MEM_DIR is set by scripts/run-guest.sh.
QEMU_ARGS=(-machine cxl=on)
for _m in vmem0 vmem1 vmem2 vmem3; do
	QEMU_ARGS+=(-object "memory-backend-file,id=$_m,share=on,mem-path=${MEM_DIR-}/$_m,size=256M")
done
unset _m
QEMU_ARGS+=(
	-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
	-device cxl-rp,port=0,bus=cxl.1,id=rp0,chassis=0,slot=2
	-device cxl-upstream,bus=rp0,id=us0
	-device cxl-downstream,port=0,bus=us0,id=ds0,chassis=0,slot=3
	-device cxl-downstream,port=1,bus=us0,id=ds1,chassis=0,slot=4
	-device cxl-upstream,bus=ds0,id=us1
	-device cxl-downstream,port=0,bus=us1,id=ds2,chassis=0,slot=5
	-device cxl-downstream,port=1,bus=us1,id=ds3,chassis=0,slot=6
	-device cxl-type3,bus=ds2,volatile-memdev=vmem0,id=cxl-vmem0,sn=1
	-device cxl-type3,bus=ds3,volatile-memdev=vmem1,id=cxl-vmem1,sn=2
	-device cxl-type3,bus=ds1,volatile-memdev=vmem2,id=cxl-vmem2,sn=3
	-device pxb-cxl,bus_nr=32,bus=pcie.0,id=cxl.2
	-device cxl-rp,port=0,bus=cxl.2,id=rp1,chassis=0,slot=7
	-device cxl-type3,bus=rp1,volatile-memdev=vmem3,id=cxl-vmem3,sn=4
	-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G,cxl-fmw.1.targets.0=cxl.2,cxl-fmw.1.size=4G
)
