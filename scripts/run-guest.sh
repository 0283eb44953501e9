#!/usr/bin/env bash
# Boot one scenario under QEMU and run tests in the guest.
#
#   scripts/run-guest.sh <scenario> <module-tree-root> <run-dir> [test ...]
#
# <scenario>          name of scenarios/<scenario>.sh
# <module-tree-root>  directory that holds lib/modules/<release>/
# <run-dir>           gets console.log (serial console + QEMU stderr) and
#                     results/ (the guest's /results: <test>.ktap, .rc, .dmesg,
#                     boot.dmesg, done)
# [test ...]          tests/<name>.sh to run; default: the scenario's TESTS.
#                     An item @<tree-root> (a module tree under build/modules,
#                     as <set>/<flavor>) unloads the CXL modules and runs the
#                     tests after it on that tree, their results in
#                     results/<set>/ (guest/init.sh): one guest for several
#                     module sets, as make check runs its mutants. The whole
#                     run's TIMEOUT then counts once per tree.
#
# A scenario file sets QEMU_ARGS (extra QEMU options; may use $MEM_DIR for
# backing files), KERNEL_ARGS, MODULE_FLAVOR (intree|cxl_test), TESTS,
# TIMEOUT (seconds, whole run) and optionally TEST_TIMEOUT (per test in the
# guest, default TIMEOUT). The common machine (q35, 2 CPUs on 2 NUMA
# nodes, 9p root, modules and results shares) is defined here.
#
# The accelerator is KVM when /dev/kvm opens read-write and the CPU has
# vmx or svm, TCG otherwise (ACCEL=kvm|tcg overrides). It is logged,
# written as the first line of
# console.log and to <run-dir>/accel. A scenario's TIMEOUT and TEST_TIMEOUT
# are TCG budgets: under KVM both are divided by 4 (but not below 60s), so
# that a hang is noticed sooner.
#
# While the guest runs, a line for each test as it ends: "<label>: <test>
# <verdict> (<n> s)" (the verdict is scripts/judge.sh's), and one every
# five minutes naming the test still running, so that a long guest shows
# that it is alive. They go to stderr, or to file descriptor $PROGRESS_FD
# when it is set (make check: its own stderr, while the rest of this
# script's goes to the run's log). <label> is $GUEST_LABEL, or <scenario>.
#
# Environment: KERNEL=<bzImage> (default: the module tree's, lib.sh's kernel_image),
# QEMU=<binary> (default qemu-system-x86_64; it must have the CXL devices),
# ACCEL=kvm|tcg, TCG_THREAD=single|multi (default single, see below),
# EXTRA_KERNEL_ARGS="..." appended to the kernel command
# line, RUN_TIMEOUT / RUN_TEST_TIMEOUT override the timeouts (as they are:
# not divided under KVM), BOOT_TIMEOUT (default 300) is how long a boot may
# take before the guest is booted once more (a second hang fails the run).
#
# Exits non-zero with a one-line message if QEMU fails, the guest crashes
# (panic/oops/BUG in the console), the run exceeds the scenario TIMEOUT or the
# guest never writes results/done. Test results themselves are not judged here.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: run-guest.sh <scenario> <module-tree-root> <run-dir> [test ...]"
scenario=$1 modtree=$(realpath "$2") run=$3
shift 3

KERNEL=${KERNEL:-$(kernel_image "$modtree")}
[ -r "$KERNEL" ] || die "no kernel image $KERNEL"
[ -d "$modtree/lib/modules" ] || die "no $modtree/lib/modules"
[ -r "$TOP/scenarios/$scenario.sh" ] || die "no scenario $TOP/scenarios/$scenario.sh"
qemu_check

# KVM when /dev/kvm can really be opened read-write and the CPU offers
# hardware virtualization, TCG otherwise. A /dev/kvm that opens is not
# enough: in a VM without nested virtualization it may still be there,
# and QEMU then aborts on the first MSR it sets ("failed to set MSR").
kvm_unusable() { # prints why KVM can not run here; fails when it can
	if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ] || ! (exec 3<>/dev/kvm) 2>/dev/null; then
		echo "/dev/kvm cannot be opened read-write"
	elif ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
		echo "the CPU has neither vmx nor svm (/proc/cpuinfo), so KVM can not run guests"
	else
		return 1
	fi
}
if [ -z "${ACCEL:-}" ]; then
	if kvm_unusable >/dev/null; then ACCEL=tcg; else ACCEL=kvm; fi
fi
# TCG runs both vCPUs of a guest on one host thread (thread=single):
# make check boots two guests at once on two cores, which they keep 95 %
# busy, and there multi-threaded TCG's four vCPU threads cost a sixth
# more time than two threads (cxl_test 93 s against 76, hw-async 105
# against 89, beside each other, 2026-12-08). TCG_THREAD=multi for a
# guest alone on an idle host.
case $ACCEL in
kvm) ! why=$(kvm_unusable) || die "ACCEL=kvm, but $why"; cpu=host accel=(-accel kvm) ;;
tcg) cpu=max accel=(-accel "tcg,thread=${TCG_THREAD:-single}") ;;
*) die "ACCEL must be kvm or tcg, not '$ACCEL'" ;;
esac
# A TCG budget under KVM: a quarter of it, at least 60s, at most all of it.
kvm_budget() {
	local t=$(($1 / 4))
	[ "$t" -ge 60 ] || t=60
	[ "$t" -le "$1" ] || t=$1
	echo "$t"
}

mkdir -p "$run"
run=$(realpath "$run")
console=$run/console.log
results=$run/results
# Backing files for emulated CXL memory; scenarios refer to $MEM_DIR.
MEM_DIR=$run/mem
rm -rf "$results" "$MEM_DIR" "$console"
mkdir -p "$results" "$MEM_DIR"

QEMU_ARGS=() KERNEL_ARGS="" TESTS=() TEST_TIMEOUT=""
# shellcheck source=/dev/null
. "$TOP/scenarios/$scenario.sh"
: "${MODULE_FLAVOR:?scenario sets no MODULE_FLAVOR}" "${TIMEOUT:?scenario sets no TIMEOUT}"
TEST_TIMEOUT=${TEST_TIMEOUT:-$TIMEOUT}
# SOAK=1 runs the stress loops ten times as long (tests/lib/stress.sh)
if [ "${SOAK:-0}" = 1 ]; then TIMEOUT=$((TIMEOUT * 10)) TEST_TIMEOUT=$((TEST_TIMEOUT * 10)); fi
accel_note=""
if [ "$ACCEL" = kvm ]; then
	accel_note=" (TCG budgets ${TIMEOUT}s, ${TEST_TIMEOUT}s per test, divided by 4)"
	TIMEOUT=$(kvm_budget "$TIMEOUT") TEST_TIMEOUT=$(kvm_budget "$TEST_TIMEOUT")
fi
TIMEOUT=${RUN_TIMEOUT:-$TIMEOUT}
TEST_TIMEOUT=${RUN_TEST_TIMEOUT:-$TEST_TIMEOUT}
[ $# -gt 0 ] && TESTS=("$@")
[ ${#TESTS[@]} -gt 0 ] || die "scenario $scenario: no tests to run"

# A cxl_test tree carries its mock modules in updates/, an intree one must not.
flavor_check() { # <tree-root>
	local has_mock
	has_mock=$(find "$1/lib/modules" -path '*/updates/*' -name 'cxl_test.ko*' -print -quit)
	case $MODULE_FLAVOR in
	intree) [ -z "$has_mock" ] || die "scenario $scenario wants an intree module tree; $1 has cxl_test" ;;
	cxl_test) [ -n "$has_mock" ] || die "scenario $scenario wants a cxl_test module tree; $1 has none" ;;
	*) die "scenario $scenario: bad MODULE_FLAVOR $MODULE_FLAVOR" ;;
	esac
}
flavor_check "$modtree"
# @<tree-root> items reach the guest as @<set>/<flavor>, below the share
# "modsets" of build/modules ($MODULES).
modsets=$(realpath -m "$MODULES") items=() switches=0
for t in "${TESTS[@]}"; do
	case $t in
	@*)
		root=$(realpath "${t#@}") || die "no module tree ${t#@}"
		case $root in "$modsets"/*/*) ;; *) die "module tree $root is not a <set>/<flavor> under $modsets" ;; esac
		[ -d "$root/lib/modules" ] || die "no $root/lib/modules"
		flavor_check "$root"
		items+=("@${root#"$modsets"/}") switches=$((switches + 1)) ;;
	*)
		[ -r "$TOP/tests/$t.sh" ] || die "no test $TOP/tests/$t.sh"
		items+=("$t") ;;
	esac
done
trees=$((switches + 1))
[ "${TESTS[0]}" = "${TESTS[0]#@}" ] || trees=$switches	# the boot tree runs no test
[ -n "${RUN_TIMEOUT:-}" ] || TIMEOUT=$((TIMEOUT * trees))
tests=$(IFS=,; echo "${items[*]}")

cmdline="console=ttyS0 root=/dev/root rootfstype=9p"
cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro"
# oops=panic: an oops ends the guest at once (panic=-1 and -no-reboot), and
# is reported against the test that was running; a kernel that oopsed is
# not trusted to judge the tests after it anyway.
cmdline+=" init=$TOP/guest/init.sh oops=panic panic=-1 hung_task_timeout_secs=30"
cmdline+=" printk.time=1 printk.devkmsg=on log_buf_len=16M"
cmdline+=" cxltop=$TOP cxlbuild=$BUILD cxlscenario=$scenario cxltests=$tests cxltimeout=$TEST_TIMEOUT"
cmdline+=" $KERNEL_ARGS ${EXTRA_KERNEL_ARGS:-}"

# No LA57: with 5-level paging, 6.19.11's KASAN once reported a
# wild-memory-access in an interrupt taken during identify_cpu() at boot
# (a direct-map address judged against the 4-level shadow layout while CPU
# features were being re-read). It is not ours to chase, and 4-level page
# walks are cheaper under TCG.
# 2G of RAM: kmemleak's scan walks every struct page, and 4G made the
# scan at the end of every scenario a fifth slower.
# shellcheck disable=SC2054 # commas belong to QEMU options
qemu=("$QEMU"
	-machine q35 "${accel[@]}" -cpu "$cpu",la57=off -nographic -no-reboot
	-m 2G,maxmem=8G,slots=4 -smp 2,sockets=2
	-object memory-backend-ram,id=m0,size=1G
	-object memory-backend-ram,id=m1,size=1G
	-numa node,nodeid=0,memdev=m0,cpus=0
	-numa node,nodeid=1,memdev=m1,cpus=1
	-fsdev local,id=rootfs,path=/,security_model=none,readonly=on,multidevs=remap
	-device virtio-9p-pci,fsdev=rootfs,mount_tag=/dev/root
	-fsdev local,id=modules,path="$modtree/lib/modules",security_model=none,readonly=on
	-device virtio-9p-pci,fsdev=modules,mount_tag=modules
	-fsdev local,id=results,path="$results",security_model=none
	-device virtio-9p-pci,fsdev=results,mount_tag=results
	-kernel "$KERNEL" -append "$cmdline"
	"${QEMU_ARGS[@]}")
if [ "$switches" -gt 0 ]; then
	# On pcie.0, named: after the scenario's devices QEMU would put it on
	# the last bus they made, a pxb-cxl, which takes bridges only.
	# shellcheck disable=SC2054 # commas belong to QEMU options
	qemu+=(-fsdev "local,id=modsets,path=$modsets,security_model=none,readonly=on"
		-device virtio-9p-pci,bus=pcie.0,fsdev=modsets,mount_tag=modsets)
fi

echo "$ACCEL" >"$run/accel"
log "accelerator: $ACCEL"
echo ">> accelerator: $ACCEL" >"$console"
log "$scenario: booting, tests: $tests, timeout ${TIMEOUT}s, ${TEST_TIMEOUT}s per test$accel_note, console: $console"
label=${GUEST_LABEL:-$scenario}
progress() {
	if [ -n "${PROGRESS_FD:-}" ]; then printf '>> %s\n' "$*" >&"$PROGRESS_FD"; else log "$*"; fi
}
launch() {
	start=$(date +%s)
	# timeout(1) runs QEMU in its own process group: stop it if we are stopped.
	timeout -k 10 "$TIMEOUT" "${qemu[@]}" </dev/null >>"$console" 2>&1 &
	qpid=$!
	# A wedged kernel (after an oops, say) can hang powering off: once the
	# guest has written results/done, it gets a minute.
	rm -f "$run/poweroff-hung"
	(
		until [ -e "$results/done" ]; do kill -0 "$qpid" 2>/dev/null || exit 0; sleep 2; done
		sleep 60
		kill "$qpid" 2>/dev/null && : >"$run/poweroff-hung"
	) &
	wpid=$!
}
# boot_hung: QEMU still runs, BOOT_TIMEOUT seconds after its start, and the
# guest has not written its boot log (init.sh does, before the first test).
# Boots take 25-90 s under TCG, two guests on two busy cores included.
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
boot_hung() {
	until [ -e "$results/boot.dmesg" ]; do
		kill -0 "$qpid" 2>/dev/null || return 1
		[ $(($(date +%s) - start)) -lt "$BOOT_TIMEOUT" ] || return 0
		sleep 2
	done
	return 1
}
# early_report: the first kernel report (SPLAT_RE) on the console before
# init's first line, "init: stage 1": the kernel's own boot, before the
# harness loaded anything. On a kernel whose CXL code is modules, that is
# not CXL's: one boot in about fifteen under TCG printed a KASAN
# wild-memory-access in do_raw_spin_lock, from an interrupt during
# cpu_detect(). A kernel with CXL built in runs CXL code before init: its
# boot reports are judged as any other (judge.sh's boot row).
early_report() {
	[ "$KERNEL" = "$OBJ/arch/x86/boot/bzImage" ] || return 0
	awk '/init: stage 1/ { exit } { print }' "$console" | tr -d '\r' |
		grep -m1 -aoE "($SPLAT_RE).*" | cut -c1-100 || true
}
trap 'kill "$qpid" "$wpid" 2>/dev/null || true; rm -rf "$MEM_DIR"' EXIT
trap 'exit 130' INT TERM HUP
# A TCG guest has hung in early boot with its console silent (once, in PCI
# enumeration, before any CXL code ran), and a kernel has reported a bug
# before init (early_report): neither says anything of CXL, so that boot is
# killed, its console kept as console.boot-hung.log or
# console.early-report.log, and the guest booted once more, which the
# run's log and progress lines say. Either again in the second boot fails
# the run, naming it.
for attempt in 1 2; do
	launch
	if boot_hung; then
		why="the guest hung booting: no boot log after ${BOOT_TIMEOUT}s" kept=boot-hung
		last=$(grep -a -v '^>>' "$console" | tail -n1 | tr -d '\r' | cut -c1-100)
		what="no boot log after ${BOOT_TIMEOUT}s, the console's last line \"$last\""
	elif early=$(early_report) && [ -n "$early" ]; then
		why="a kernel report before the harness loaded anything (not CXL's): $early" kept=early-report
		what="a kernel report before the harness loaded anything, not CXL's: \"$early\""
	else
		break
	fi
	kill "$qpid" "$wpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
	[ "$attempt" = 1 ] || die "$scenario: $why, in two boots; see $console"
	mv "$console" "$run/console.$kept.log"
	rm -rf "${results:?}"/*
	progress "$label: $what ($run/console.$kept.log): booting it again"
	[ -z "${PROGRESS_FD:-}" ] || log "$label: $what ($run/console.$kept.log): booting it again"
	echo ">> accelerator: $ACCEL (second boot: the first had $what)" >"$console"
done

# progress_sweep: report the boot once its log is there, and each test
# that ended since the last sweep (its .rc written, its .running gone:
# init.sh writes .dmesg in between), in the order they ended. A test's
# time runs from the end of the one before it (the first's, from the end
# of the boot log).
reported=$run/.progress
: >"$reported"
progress_sweep() {
	local rc t prev end v
	[ -e "$results/boot.dmesg" ] || return 0
	prev=$(stat -c %Y "$results/boot.dmesg")
	if ! grep -qx boot "$reported"; then
		progress "$label: booted ($((prev - start)) s)"
		echo boot >>"$reported"
	fi
	# <set>/<test> for the tests after a module tree switch (@<tree-root>)
	while read -r rc; do
		t=${rc#"$results"/}
		t=${t%.rc}
		end=$(stat -c %Y "$rc")
		if ! grep -qxF "$t" "$reported" && [ ! -e "$results/$t.running" ]; then
			case $t in
			*/switch.err) v="fail: module set switch: $(head -c 100 "$rc")" ;;
			*/*) v=$("$TOP/scripts/judge.sh" "$results/${t%/*}" "${t##*/}" 2>/dev/null || echo "fail: judge.sh failed") ;;
			*) v=$("$TOP/scripts/judge.sh" "$results" "$t" 2>/dev/null || echo "fail: judge.sh failed") ;;
			esac
			progress "$label: $t $(cut -c1-100 <<<"$v") ($((end - prev)) s)"
			echo "$t" >>"$reported"
		fi
		prev=$end
	done < <(find "$results" -maxdepth 2 \( -name '*.rc' -o -name switch.err \) -printf '%T@ %p\n' | sort -n | cut -d' ' -f2-)
}
(
	last=$(date +%s)
	while kill -0 "$qpid" 2>/dev/null; do
		sleep 5
		n=$(wc -l <"$reported")
		progress_sweep
		now=$(date +%s)
		if [ "$(wc -l <"$reported")" != "$n" ]; then
			last=$now
		elif [ $((now - last)) -ge 300 ]; then
			t=$(find "$results" -name '*.running' -printf '%f' -quit | sed 's/\.running$//')
			progress "$label: ${t:-booting}, still running after $((now - start)) s"
			last=$now
		fi
	done
) &
pwatch=$!
trap 'kill "$qpid" "$wpid" "$pwatch" 2>/dev/null || true; rm -rf "$MEM_DIR"' EXIT
rc=0
wait "$qpid" || rc=$?
end=$(date +%s)
kill "$pwatch" 2>/dev/null || true
wait "$pwatch" 2>/dev/null || true
progress_sweep	# the tests that ended in the last seconds

running=$(find "$results" -name '*.running' -printf '%f ' | sed 's/\.running / /g; s/ $//')
crash=$(grep -m1 -oE 'Kernel panic.*|Oops:.*|BUG:.*|general protection fault.*' "$console" | head -n1 | tr -d '\r' || true)
if [ -e "$run/poweroff-hung" ]; then
	die "$scenario: guest hung powering off after its last test${crash:+ ($crash)}; see $console"
elif [ $rc = 124 ] || [ $rc = 137 ]; then
	die "$scenario: guest timed out after ${TIMEOUT}s${running:+ in test: $running}; see $console"
elif [ $rc != 0 ]; then
	die "$scenario: QEMU failed (exit $rc); see $console"
elif [ -n "$crash" ]; then
	die "$scenario: guest crashed ($crash)${running:+ in test: $running}; see $console"
elif [ ! -e "$results/done" ]; then
	die "$scenario: guest did not finish (no results/done)${running:+ in test: $running}; see $console"
fi
boot="?"
[ -e "$results/boot.dmesg" ] && boot=$(($(stat -c %Y "$results/boot.dmesg") - start))
log "$scenario: guest finished in $((end - start))s (boot to first test ${boot}s); results in $results"
