# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# Stress and fault injection on emulated CXL hardware, on the smallest
# topology that still has every kind of object the loops exercise, so that
# one cycle is cheap:
#
#   pcie.0
#   +- pxb-cxl cxl.1 (bus 12) ---- CFMWS 0, 4G
#      +- cxl-rp rp0 ------------- cxl-type3 vmem0 (volatile 256M, sn=1)
#      +- cxl-rp rp1 ------------- cxl-type3 accel (volatile 256M, sn=3):
#                                  the function cxl_mock_accel takes over
#                                  (ACCEL_SERIAL in tests/lib/cxl.sh)
#
# make check-full (FULL=1) doubles the loop counts, SOAK=1 on the host
# multiplies them by ten (tests read cxlfull= and cxlsoak= from
# /proc/cmdline). The timeouts leave room for a guest that shares the two
# cores with another (make check): a 200-cycle port loop took 90 s alone
# and 254 s beside an ndctl guest.
QEMU_ARGS=(-machine cxl=on
	-object "memory-backend-file,id=vmem0,share=on,mem-path=${MEM_DIR-}/vmem0,size=256M"
	-object "memory-backend-file,id=vmem1,share=on,mem-path=${MEM_DIR-}/vmem1,size=256M"
	-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
	-device cxl-rp,port=0,bus=cxl.1,id=rp0,chassis=0,slot=2
	-device cxl-rp,port=1,bus=cxl.1,id=rp1,chassis=0,slot=3
	-device cxl-type3,bus=rp0,volatile-memdev=vmem0,id=cxl-vmem0,sn=1
	-device cxl-type3,bus=rp1,volatile-memdev=vmem1,id=cxl-accel,sn=3
	-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G
)
KERNEL_ARGS="cxlsoak=${SOAK:-0} cxlfull=${FULL:-0}"
MODULE_FLAVOR=intree
SETS=(series)
TESTS=(stress-cxl-mem-rebind stress-port-rebind stress-root-rebind stress-accel-rebind
	stress-cxl-pci-reload stress-accel-reload kmemleak)
TIMEOUT=3000
TEST_TIMEOUT=900
