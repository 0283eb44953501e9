# shellcheck shell=bash disable=SC2054 # commas in QEMU options
# The host bridge of scenarios/fixes.sh and the first of scenarios/hw.sh,
# appended to QEMU_ARGS where sourced: a Type-3 device directly below one
# root port, a switch below the other.
#
#   pxb-cxl cxl.1 (bus 12)
#   +- cxl-rp rp0 ------------- cxl-type3 vmem0 (sn=1)
#   +- cxl-rp rp1
#      +- cxl-upstream us0
#         +- cxl-downstream ds0 - (the scenario's)
#         +- cxl-downstream ds1 - (the scenario's)
#
# The scenario adds the memory object vmem0, the devices on ds0 and ds1,
# and the CFMWS.
QEMU_ARGS+=(
	-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
	-device cxl-rp,port=0,bus=cxl.1,id=rp0,chassis=0,slot=2
	-device cxl-rp,port=1,bus=cxl.1,id=rp1,chassis=0,slot=3
	-device cxl-type3,bus=rp0,volatile-memdev=vmem0,id=cxl-vmem0,sn=1
	-device cxl-upstream,bus=rp1,id=us0
	-device cxl-downstream,port=0,bus=us0,id=ds0,chassis=0,slot=4
	-device cxl-downstream,port=1,bus=us0,id=ds1,chassis=0,slot=5
)
