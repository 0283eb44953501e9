#!/bin/bash
# PID 1 of the test guest (see scripts/run-guest.sh).
#
# Stage 1 (on the read-only 9p root): mount a tmpfs-backed overlay over / and
# chroot into it, re-running this script as stage 2.
# Stage 2: mount /lib/modules (9p "modules", read-only, with a tmpfs overlay so
# depmod can write) and /results (9p "results", read-write), then run each test
# of cxltests=a,b,c as <cxltop>/tests/<name>.sh (with CXLBUILD=<cxlbuild> in
# its environment: the host's build directory), each with a timeout of
# cxltimeout=<s>:
#   /results/<name>.running  while it runs
#   /results/<name>.ktap     its stdout+stderr
#   /results/<name>.rc       its exit status (124: killed at the timeout)
#   /results/<name>.dmesg    kernel log produced while it ran
#   /results/boot.dmesg      kernel log up to the first test
#   /results/done            after the last test
# An item @<set>/<flavor> of cxltests switches module trees: the CXL
# modules of the current tree are unloaded and the tree <set>/<flavor> of
# the 9p share "modsets" (the host's build/modules) becomes /lib/modules.
# The tests after it write to /results/<set>/, its boot.dmesg being the
# kernel log of the switch; a switch that cannot unload a module writes
# /results/<set>/switch.err instead, and no test runs after it (each later
# set gets a switch.err that says so). The kernel log marks each test
# "init: test <set>/<name>" there.
# Whatever happens, it ends in a power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# cmdline_arg; $0 is this script's absolute path (init=), in both stages.
# shellcheck source=guest/lib.sh
. "${0%/*}/lib.sh"

poweroff_now() {
	trap - EXIT
	sync
	busybox poweroff -f
	echo "init: poweroff failed" >&2
	while :; do sleep 3600; done
}

stage1() {
	mount -t proc proc /proc
	echo "init: stage 1" >/dev/kmsg
	mount -t tmpfs -o mode=0755 tmpfs /run
	mkdir -p /run/ov/upper /run/ov/work /run/ov/root
	mount -t overlay -o lowerdir=/,upperdir=/run/ov/upper,workdir=/run/ov/work \
		overlay /run/ov/root
	local new=/run/ov/root
	mount -t proc proc "$new/proc"
	mount -t sysfs sysfs "$new/sys"
	mount -t devtmpfs devtmpfs "$new/dev"
	umount /proc
	exec chroot "$new" /bin/bash "$0" stage2
}

setup() {
	echo "init: stage 2" >/dev/kmsg
	mount -t tmpfs -o mode=0755 tmpfs /run
	# No tmpfs on /tmp: the checkout (cxltop=) may live there, as CI's does;
	# the overlay's tmpfs upper already makes /tmp writable.
	mkdir -p /dev/shm
	mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	mount -t debugfs debugfs /sys/kernel/debug
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
	ln -sfn /proc/self/fd /dev/fd
	ln -sfn /proc/self/fd/0 /dev/stdin
	ln -sfn /proc/self/fd/1 /dev/stdout
	ln -sfn /proc/self/fd/2 /dev/stderr

	mkdir -p /results /run/modules/ro /lib/modules
	mount_9p results /results
	mount_9p modules /run/modules/ro cache=loose,ro
	modules_overlay /run/modules/ro || return 1

	# The host's ndctl package hooks "ndctl load-keys" into every libnvdimm
	# load; the guest has no keys, so that only costs time and noise.
	rm -f /etc/modprobe.d/nvdimm-security.conf

	export HOME=/root TERM=dumb LANG=C.UTF-8
	busybox hostname cxl-guest

	modules_ready
}

# mount_9p <tag> <dir> [options]: a share of the host's (run-guest.sh)
mount_9p() {
	mount -t 9p -o "trans=virtio,version=9p2000.L,msize=262144${3:+,$3}" "$1" "$2"
}

# modules_overlay <dir>: /lib/modules becomes <dir> (read-only) under a
# tmpfs overlay of its own, so that depmod can write.
modules_overlay() {
	local ov
	ov=/run/modules/ov$((++overlays))
	mkdir -p "$ov/upper" "$ov/work"
	mount -t overlay -o "lowerdir=$1,upperdir=$ov/upper,workdir=$ov/work" overlay /lib/modules
}
overlays=0

modules_ready() {
	local mods
	mods=/lib/modules/$(uname -r)
	[ -d "$mods" ] || { echo "init: no $mods" >&2; return 1; }
	# modules_install normally runs depmod itself; a walk of the tree over 9p
	# costs seconds, so compare against modules.order only.
	if [ ! -s "$mods/modules.dep.bin" ] || [ "$mods/modules.order" -nt "$mods/modules.dep.bin" ]; then
		echo "init: running depmod -a" >&2
		depmod -a
	fi
}

# The modules of the current tree that a set replaces (drivers/cxl and
# updates/), with the loaded modules that hold them: unload them all, each
# after its holders. Prints what stays loaded, and fails, if any does.
unload_module() { # <name>
	local h
	[ -e "/sys/module/$1/initstate" ] || return 0	# not loaded, or built in
	for h in "/sys/module/$1/holders/"*; do
		[ ! -e "$h" ] || unload_module "${h##*/}"
	done
	modprobe -r "$1" 2>/dev/null || rmmod "$1" 2>/dev/null || true
}
unload_set() {
	local mods ko m left=""
	mods=/lib/modules/$(uname -r)
	for ko in "$mods"/kernel/drivers/cxl/*.ko* "$mods"/kernel/drivers/cxl/*/*.ko* "$mods"/updates/*.ko*; do
		[ -e "$ko" ] || continue
		m=${ko##*/}
		m=${m%%.ko*}
		m=${m//-/_}
		unload_module "$m"
		[ ! -e "/sys/module/$m/initstate" ] || left+=" $m($(cat "/sys/module/$m/refcnt"))"
	done
	[ -z "$left" ] || { echo "still loaded (refcount):$left"; return 1; }
}

# switch_set <set>/<flavor>: the tests that follow run on that module tree.
switch_set() {
	local why
	mkdir -p "/results/${1%%/*}"
	if ! why=$(unload_set); then
		echo "$why" >"/results/${1%%/*}/switch.err"
		echo "init: cannot switch to module set $1: $why" >/dev/kmsg
		return 1
	fi
	if ! { umount /lib/modules && modules_overlay "/run/modsets/$1/lib/modules" && modules_ready; }; then
		echo "could not mount /run/modsets/$1/lib/modules" >"/results/${1%%/*}/switch.err"
		return 1
	fi
	echo "init: module set $1" >/dev/kmsg
	busybox dmesg -c >"/results/${1%%/*}/boot.dmesg"
}

# run_one <test> <seconds> <dir>: run tests/<test>.sh in its own session,
# its output to <dir>/<test>.ktap; a watchdog
# kills the whole session after <seconds>. (coreutils timeout needs
# alarm()/timer_create(), which a kernel without POSIX_TIMERS lacks.)
run_one() {
	local t=$1 limit=$2 out=$3 pid wd rc=0
	rm -f /run/timed-out
	setsid bash "$CXLTOP/tests/$t.sh" </dev/null >"$out/$t.ktap" 2>&1 &
	pid=$!
	# shellcheck disable=SC2016 # expanded by the watchdog shell
	setsid bash -c 'sleep "$1"; : >/run/timed-out
		echo "init: test $2 timed out after $1s, killing it" >/dev/kmsg
		kill -TERM -- "-$3"; sleep 10; kill -KILL -- "-$3"' \
		watchdog "$limit" "$t" "$pid" </dev/null >/dev/null 2>&1 &
	wd=$!
	wait "$pid" || rc=$?
	# Stop the watchdog and anything the test left running in the background.
	kill -KILL -- "-$wd" "-$pid" 2>/dev/null || true
	wait "$wd" 2>/dev/null || true
	[ ! -e /run/timed-out ] || rc=124
	return "$rc"
}

run_tests() {
	local tests timeout t rc
	CXLTOP=$(cmdline_arg cxltop)
	CXLBUILD=$(cmdline_arg cxlbuild)
	tests=$(cmdline_arg cxltests)
	timeout=$(cmdline_arg cxltimeout)
	export CXLTOP CXLBUILD
	cd /tmp
	busybox dmesg -c >/results/boot.dmesg
	local out=/results name switched=ok set
	for t in ${tests//,/ }; do
		case $t in @*)
			set=${t#@}
			out=/results/${set%%/*}
			if [ "$switched" != ok ]; then
				mkdir -p "$out"
				echo "not switched to: the switch before it failed" >"$out/switch.err"
				continue
			fi
			if [ ! -d /run/modsets ]; then
				mkdir -p /run/modsets
				mount_9p modsets /run/modsets cache=loose,ro || true
			fi
			switch_set "$set" || switched=failed
			continue ;;
		esac
		[ "$switched" = ok ] || continue
		name=$t
		[ "$out" = /results ] || name=${out#/results/}/$t
		: >"$out/$t.running"
		echo "init: test $name" >/dev/kmsg
		rc=0
		run_one "$t" "${timeout:-600}" "$out" || rc=$?
		echo "$rc" >"$out/$t.rc"
		echo "init: test $name exit $rc" >/dev/kmsg
		# Atomic read-and-clear (syslog READ_CLEAR): no line is lost between tests.
		busybox dmesg -c >"$out/$t.dmesg"
		rm -f "$out/$t.running"
	done
	: >/results/done
}

trap 'echo "init: exiting unexpectedly (status $?), powering off" >&2; poweroff_now' EXIT
set -eu
case ${1:-} in
stage2)
	setup
	run_tests
	poweroff_now
	;;
*)
	stage1
	;;
esac
