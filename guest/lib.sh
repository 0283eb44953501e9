# shellcheck shell=bash
# Helpers shared by the guest's init (guest/init.sh) and the tests it runs
# (tests/lib/); sourced, never run. Builtins only: every exec costs tens of
# milliseconds in a TCG guest with KASAN.

cmdline_arg() {	# <name>: value of <name>= on the kernel command line
	local a
	for a in $(</proc/cmdline); do
		case $a in "$1="*) echo "${a#*=}"; return ;; esac
	done
}
