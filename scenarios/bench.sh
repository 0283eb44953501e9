# shellcheck shell=bash disable=SC2034,SC2054 # variables read by run-guest.sh
# Emulated CXL hardware for scripts/bench.sh: $BENCH_DEVICES (default 4)
# volatile Type-3 devices, each on its own root port of one host bridge, so
# the topology grows by one root port and one device per device.
#
#   pcie.0
#   +- pxb-cxl cxl.1 (bus 12) ---- CFMWS 0, 4G
#      +- cxl-rp rp0 ------------- cxl-type3 vmem0 (volatile 256M)
#      ...
#      +- cxl-rp rp<N-1> --------- cxl-type3 vmem<N-1>
#
# Sourced by scripts/run-guest.sh, which sets $MEM_DIR for the backing files.

# BENCH_DEVICES=32 is scenarios/hw-scale.sh's topology instead: 32 devices
# below 4 switches, where siblings attach at once below each new switch.

_bench_n=${BENCH_DEVICES:-4}
case $_bench_n in
[1-9] | [1-2][0-9]) ;;
32)
	# shellcheck source=scenarios/hw-scale.sh
	. "$(dirname "${BASH_SOURCE[0]}")/hw-scale.sh"
	unset SETS _bench_n
	TESTS=(bench-attach)
	TIMEOUT=2400
	TEST_TIMEOUT=2100
	return 0
	;;
*) echo "scenarios/bench.sh: BENCH_DEVICES must be 1..29 or 32, not '$_bench_n'" >&2; return 1 ;;
esac

QEMU_ARGS=(-machine cxl=on -device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1)
for ((_i = 0; _i < _bench_n; _i++)); do
	QEMU_ARGS+=(
		-object "memory-backend-file,id=vmem$_i,share=on,mem-path=${MEM_DIR-}/vmem$_i,size=256M"
		-device "cxl-rp,port=$_i,bus=cxl.1,id=rp$_i,chassis=0,slot=$((_i + 2))"
		-device "cxl-type3,bus=rp$_i,volatile-memdev=vmem$_i,id=cxl-vmem$_i,sn=$((_i + 1))"
	)
done
QEMU_ARGS+=(-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G)
unset _bench_n _i

KERNEL_ARGS=""
MODULE_FLAVOR=intree
TESTS=(bench-attach)
TIMEOUT=1500
TEST_TIMEOUT=1200
