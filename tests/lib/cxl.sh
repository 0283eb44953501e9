# shellcheck shell=bash
# Shared helpers for the guest tests: sourced first by every tests/*.sh.
# Tests start and end with no CXL module loaded, so they run in any order.
set -uo pipefail
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tests/lib/ktap.sh
. "$TESTS_DIR/lib/ktap.sh"

CXL=/sys/bus/cxl
CXL_MODULES=(cxl_pci cxl_acpi cxl_pmem cxl_mem cxl_port cxl_core)

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

# Wait for queued CXL bus work (port rescans, memdev detach) to finish.
cxl_flush() { [ -e "$CXL/flush" ] && echo 1 >"$CXL/flush"; }

memdevs() { ls "$CXL/devices" 2>/dev/null | grep -E '^mem[0-9]+$'; }

driver_of() { # <sysfs device dir>: its driver's name, or nothing
	[ -e "$1/driver" ] && basename "$(readlink -f "$1/driver")"
}

endpoint_of() { # <memX>: its endpoint port's name, or nothing
	local e
	for e in "$CXL/devices/$1"/endpoint*; do
		[ -e "$e" ] && basename "$e"
	done
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
all_bound() { # <snapshot>
	local bad
	bad=$(awk '$2 != "cxl_mem" || $3 == "-" || $4 != "cxl_port"' <<<"$1")
	[ -z "$bad" ] || { sed 's/^/# not attached: /' <<<"$bad"; return 1; }
}
none_bound() { # <snapshot>
	local bad
	bad=$(awk '$2 != "-"' <<<"$1")
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
all_attached() { all_bound "$(memdev_state)"; }

# The PCI function behind a memdev, and the port its endpoint hangs off.
pci_of() { basename "$(readlink -f "$CXL/devices/$1/..")"; }
parent_port_of() { basename "$(dirname "$(readlink -f "$CXL/devices/$1")")"; }
