# shellcheck shell=bash
# KTAP output, after tools/testing/selftests/kselftest/ktap_helpers.sh:
# the same calls, quoted, and a "KTAP version 1" header.
KTAP_TESTNO=1 KTAP_CNT_PASS=0 KTAP_CNT_FAIL=0 KTAP_CNT_SKIP=0 KTAP_CNT_XFAIL=0
KSFT_NUM_TESTS=0
KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4

ktap_print_header() { echo "KTAP version 1"; }
ktap_print_msg() { echo "# $*"; }
ktap_set_plan() { KSFT_NUM_TESTS=$1; echo "1..$1"; }
ktap_skip_all() { echo "1..0 # SKIP $*"; exit "$KSFT_SKIP"; }

__ktap_test() { # result description [directive]
	echo "$1 $KTAP_TESTNO $2${3:+ # $3}"
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
}
ktap_test_pass() { __ktap_test ok "$1"; KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1)); }
ktap_test_fail() { __ktap_test "not ok" "$1"; KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1)); }
ktap_test_skip() { __ktap_test ok "$1" SKIP; KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1)); }
ktap_test_xfail() { __ktap_test ok "$1" XFAIL; KTAP_CNT_XFAIL=$((KTAP_CNT_XFAIL + 1)); }

# ktap_test_result <description> <command...>: pass if the command succeeds
ktap_test_result() {
	local d=$1
	shift
	if "$@"; then ktap_test_pass "$d"; else ktap_test_fail "$d"; fi
}

ktap_finished() {
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:$KTAP_CNT_XFAIL skip:$KTAP_CNT_SKIP"
	[ $((KTAP_CNT_PASS + KTAP_CNT_SKIP + KTAP_CNT_XFAIL)) -eq "$KSFT_NUM_TESTS" ] && exit "$KSFT_PASS"
	exit "$KSFT_FAIL"
}
ktap_exit_fail_msg() { echo "Bail out! $*"; exit "$KSFT_FAIL"; }
