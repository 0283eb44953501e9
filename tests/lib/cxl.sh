# shellcheck shell=bash
# Shared helpers for the guest tests: sourced first by every tests/*.sh.
# Tests start and end with no CXL module loaded, so they run in any order.
set -uo pipefail
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tests/lib/ktap.sh
. "$TESTS_DIR/lib/ktap.sh"
# shellcheck source=guest/lib.sh
. "$TESTS_DIR/../guest/lib.sh"

CXL=/sys/bus/cxl
CXL_MODULES=(cxl_port_delay cxl_pci cxl_acpi cxl_pmem cxl_mem cxl_port cxl_core)
# tools/testing/cxl's modules, in the order they unload
# shellcheck disable=SC2034 # read by the tests that source this
MOCK_MODULES=(cxl_mock_mem cxl_test cxl_mock)

# Unload every CXL module, users first; fail loudly if one stays.
cxl_reset() {
	local m
	for m in "${CXL_MODULES[@]}"; do
		[ -d "/sys/module/$m" ] && modprobe -r "$m"
	done
	for m in "${CXL_MODULES[@]}"; do
		[ ! -d "/sys/module/$m" ] || { echo "# cxl_reset: $m still loaded"; return 1; }
	done
}

# A kernel with CXL built in (scenarios/hw-builtin.sh, mainline-builtin.sh):
# every CXL driver the emulated hardware needs is in the image, and
# cxl_acpi bound at boot, with the nvdimm bridge of the pmem window.
built_in() {
	local m missing=""
	for m in cxl_core cxl_acpi cxl_pmem cxl_port cxl_mem cxl_pci; do
		grep -q "/$m.ko\$" "/lib/modules/$(uname -r)/modules.builtin" || missing+=" $m"
	done
	[ -z "$missing" ] || { echo "# not built in:$missing"; return 1; }
}
root_up() {
	[ -e "$CXL/devices/root0" ] || { echo "# no root0: cxl_acpi's probe failed"; return 1; }
	drv_is "$CXL/devices/nvdimm-bridge0" cxl_nvdimm_bridge ||
		{ echo "# nvdimm-bridge0: $(driver_of "$CXL/devices/nvdimm-bridge0" || echo none)"; return 1; }
}

# Wait for queued CXL bus work (port rescans, memdev detach) to finish.
cxl_flush() { [ -e "$CXL/flush" ] && echo 1 >"$CXL/flush"; }

# Shell builtins only where it is cheap to do so: every exec costs tens of
# milliseconds in a TCG guest with KASAN.
memdevs() {
	local d
	for d in "$CXL"/devices/mem*; do
		[[ ${d##*/} =~ ^mem[0-9]+$ ]] && echo "${d##*/}"
	done
	return 0
}

driver_of() { # <sysfs device dir>: its driver's name, or nothing
	local l
	[ -e "$1/driver" ] || return 1
	while IFS= read -r l; do
		[[ $l == DRIVER=* ]] && { echo "${l#DRIVER=}"; return 0; }
	done <"$1/uevent"
	return 1
}

# Checks made of builtins only, for the loops that run them every cycle: a
# fork costs 0.1-0.3 s in this guest, more than the unbind or bind being
# checked. Those that find something set a variable.
drv_is() { [[ $1/driver -ef $1/subsystem/drivers/$2 ]]; } # <device dir> <driver>
bound_to() { # <device dir> <driver>
	drv_is "$1" "$2" || { echo "# ${1##*/}: not bound to $2"; return 1; }
}
unbound() { # <device dir>
	[ ! -e "$1/driver" ] || { echo "# ${1##*/} still bound"; return 1; }
}
ep_of() { # <memX>: EP=its endpoint port, or empty
	local e
	EP=
	for e in "$CXL"/devices/endpoint*; do
		[[ $e/uport -ef $CXL/devices/$1 ]] && EP=${e##*/}
	done
	return 0
}
attached() { # <memX>: bound to cxl_mem, with an endpoint bound to cxl_port
	bound_to "$CXL/devices/$1" cxl_mem || return 1
	ep_of "$1"
	[ -n "$EP" ] || { echo "# $1 has no endpoint"; return 1; }
	bound_to "$CXL/devices/$EP" cxl_port
}
endpoint_of() { # <memX>: its endpoint port's name, or nothing
	ep_of "$1"
	[ -z "$EP" ] || echo "$EP"
}

parent_of() { # <sysfs device path>: its parent device's name
	local p
	p=$(cd -P "$1/.." && pwd) && echo "${p##*/}"
}

# PCI functions with the CXL memory device class code (Type-3).
type3_pci() { grep -l '^0x050210$' /sys/bus/pci/devices/*/class 2>/dev/null | xargs -rn1 dirname; }

# One line per memdev: "memX <driver|-> <endpointN|-> <endpoint driver|->".
# Taken in one go, so a test can assert the state at one instant.
memdev_state() {
	local m e
	for m in $(memdevs); do
		e=$(endpoint_of "$m")
		echo "$m $(driver_of "$CXL/devices/$m" || echo -)" \
			"${e:--} $([ -n "$e" ] && driver_of "$CXL/devices/$e" || echo -)"
	done
}

# Assertions on a memdev_state snapshot, with the offending lines as KTAP
# diagnostics.
# Both fail on an empty snapshot: there is nothing to vouch for.
all_bound() { # <snapshot>
	local bad
	[ -n "$1" ] || { echo "# no memdev to check"; return 1; }
	bad=$(awk '$2 != "cxl_mem" || $3 == "-" || $4 != "cxl_port"' <<<"$1")
	# shellcheck disable=SC2001 # prefixes every line
	[ -z "$bad" ] || { sed 's/^/# not attached: /' <<<"$bad"; return 1; }
}
none_bound() { # <snapshot>
	local bad
	[ -n "$1" ] || { echo "# no memdev to check"; return 1; }
	bad=$(awk '$2 != "-"' <<<"$1")
	# shellcheck disable=SC2001 # prefixes every line
	[ -z "$bad" ] || { sed 's/^/# unexpectedly bound: /' <<<"$bad"; return 1; }
}
count_is() { # <what> <actual> <expected>
	[ "$2" -eq "$3" ] || { echo "# $1: $2, expected $3"; return 1; }
}

# Poll until "<command...>" succeeds, for at most <seconds>; quiet meanwhile.
# Only for eventual states: attach-on-return checks assert one instant.
eventually() { # <seconds> <command...>
	local end=$((SECONDS + $1))
	shift
	cxl_flush
	until "$@" >/dev/null; do
		[ "$SECONDS" -lt "$end" ] || { "$@"; return 1; }
		sleep 0.2
		cxl_flush
	done
}
# Spin until "<command...>" succeeds, for at most <ms>; fails on timeout.
# For windows a race test must land in: no sleep, no fork, so the command
# must be builtins and shell functions only.
spin_until() { # <ms> <command...>
	local t=${EPOCHREALTIME/./} end
	end=$((10#$t / 1000 + $1))
	shift
	until "$@"; do
		t=${EPOCHREALTIME/./}
		[ $((10#$t / 1000)) -lt "$end" ] || return 1
	done
}
all_attached() { all_bound "$(memdev_state)"; }
# Ask the bus to attach every unbound memdev (after a port came back)
probe_unbound() {
	local m
	for m in $(memdevs); do
		[ -e "$CXL/devices/$m/driver" ] || echo "$m" >"$CXL/drivers_probe" 2>/dev/null || true
	done
}
# <module>: modprobe -r is refused, and it stays loaded
unremovable() { ! modprobe -r "$1" 2>/dev/null && [ -d "/sys/module/$1" ]; }

# The PCI function behind a memdev, and the port its endpoint hangs off.
pci_of() { parent_of "$CXL/devices/$1"; }
parent_port_of() { parent_of "$CXL/devices/$1"; }

# The mock accelerator (tools/testing/cxl/test/accel.c) takes over one
# Type-3 function from cxl_pci through driver_override: the volatile device
# behind the switch (sn=3 in scenarios/hw.sh), so that an ancestor port sits
# between it and its host bridge.
# A test sets ACCEL_MOD before sourcing this for another creator, or a
# scenario names it with cxlaccelmod= (tests/mainline/cxl_probe_accel on
# Linux 7.2.8).
ACCEL_SERIAL=0x3
ACCEL_MOD=${ACCEL_MOD:-$(cmdline_arg cxlaccelmod)}
ACCEL_MOD=${ACCEL_MOD:-cxl_mock_accel}
ACCEL_DRV=/sys/bus/pci/drivers/$ACCEL_MOD

accel_bdf() { # the PCI function of the memdev with serial $ACCEL_SERIAL
	local m
	for m in $(memdevs); do
		[ "$(cat "$CXL/devices/$m/serial")" = "$ACCEL_SERIAL" ] && pci_of "$m" && return
	done
	return 1
}

# Load the hierarchy and cxl_pci, then hand the accelerator's function over
# to $ACCEL_MOD with the given module parameters. Sets $ACCEL (BDF).
accel_setup() { # [param=value...]
	trap 'accel_teardown >/dev/null 2>&1' EXIT
	modprobe cxl_acpi && modprobe cxl_pci || return 1
	ACCEL=$(accel_bdf) || { echo "# no memdev with serial $ACCEL_SERIAL"; return 1; }
	echo "$ACCEL" >/sys/bus/pci/drivers/cxl_pci/unbind
	echo "$ACCEL_MOD" >"/sys/bus/pci/devices/$ACCEL/driver_override"
	modprobe "$ACCEL_MOD" "$@"
	cxl_flush
}
accel_teardown() {
	[ -n "${ACCEL:-}" ] && echo >"/sys/bus/pci/devices/$ACCEL/driver_override"
	[ ! -d "/sys/module/$ACCEL_MOD" ] || modprobe -r "$ACCEL_MOD"
	cxl_reset
}
accel_bind() { echo "$ACCEL" >"$ACCEL_DRV/bind"; cxl_flush; }
accel_unbind() { echo "$ACCEL" >"$ACCEL_DRV/unbind"; cxl_flush; }
accel_param() { echo "$2" >"/sys/module/$ACCEL_MOD/parameters/$1"; }

accel_mode() { cat "/sys/bus/pci/devices/$ACCEL/cxl_mode" 2>/dev/null || echo unbound; }
accel_op_calls() { cat "/sys/bus/pci/devices/$ACCEL/op_calls"; }
accel_memdev() { # the memdev the accelerator created, if any
	accel_mem
	[ -z "$AMEM" ] || echo "$AMEM"
}
type3_memdevs() { # memdevs of cxl_pci functions
	local m
	for m in $(memdevs); do
		[ "$(pci_of "$m")" != "${ACCEL:-}" ] && echo "$m"
	done
}

accel_mem() { # AMEM=the accelerator's memdev, or empty
	local d
	AMEM=
	for d in "$CXL"/devices/mem*; do
		[[ $d/.. -ef /sys/bus/pci/devices/$ACCEL ]] && AMEM=${d##*/}
	done
	return 0
}
accel_mode_now() { # AMODE=cxl, pcie or unbound
	AMODE=unbound
	[ -e "/sys/bus/pci/devices/$ACCEL/cxl_mode" ] && read -r AMODE <"/sys/bus/pci/devices/$ACCEL/cxl_mode"
	return 0
}
# The accelerator runs with CXL.mem: mode "cxl", one attached memdev
accel_in_cxl_mode() {
	accel_mode_now
	[ "$AMODE" = cxl ] || { echo "# accelerator mode: $AMODE"; return 1; }
	accel_mem
	[ -n "$AMEM" ] || { echo "# accelerator has no memdev"; return 1; }
	attached "$AMEM"
}
# ... or without: bound, mode "pcie", no memdev left behind
accel_in_pcie_mode() {
	[ "$(accel_mode)" = pcie ] || { echo "# accelerator mode: $(accel_mode)"; return 1; }
	[ -z "$(accel_memdev)" ] || { echo "# memdev left behind: $(accel_memdev)"; return 1; }
}
# ... in the mode it has on this hardware: CXL, but PCIe-only for
# cxl_probe_accel, whose devm_cxl_probe_mem() always fails under QEMU (no
# firmware committed a region for it)
accel_up() {
	case $ACCEL_MOD in
	cxl_probe_accel) accel_in_pcie_mode ;;
	*) accel_in_cxl_mode ;;
	esac
}
# ... and stays so once the CXL bus work that the failed attach queued (the
# removed endpoint's memdev detach) has run: that work must not take the
# fallback binding away
accel_stays_pcie() { cxl_flush; accel_in_pcie_mode; }
# ... or detached: its driver unbound and its memdev gone
accel_detached() {
	[ ! -e "/sys/bus/pci/devices/$ACCEL/driver" ] ||
		{ echo "# accelerator still bound, mode $(accel_mode)"; return 1; }
	[ -z "$(accel_memdev)" ] || { echo "# memdev left behind: $(accel_memdev)"; return 1; }
}
# Every Type-3 memdev is still registered and its function keeps cxl_pci
type3_kept() { # <expected count>
	local m n=0
	for m in $(type3_memdevs); do
		[ "$(driver_of "/sys/bus/pci/devices/$(pci_of "$m")")" = cxl_pci ] ||
			{ echo "# $m: $(pci_of "$m") lost cxl_pci"; return 1; }
		n=$((n + 1))
	done
	count_is "Type-3 memdevs" "$n" "$1"
}
