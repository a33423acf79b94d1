#!/usr/bin/env bash
# The harness itself: run.sh's verdict on the fixture files of
# tests/integration/harness/, each a way for a test file to end: whole,
# dead halfway (unbound variable, syntax error, signal), a stray exit, a
# wrong count, no plan, a failed precondition, past its time limit, all
# skipped. A file that did not run all it declared must never pass. And
# tests/unit/run.sh's count of a cmocka test that calls skip().
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
here=$top/tests/integration
plan 51

tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

# verdict FIXTURE [ENV...]: run.sh on it; sets $v_line (its summary line),
# $v_why (its "failed: REASON", if any) and $v_rc.
verdict() {
	local fx=$1; shift
	env NETJOIN_REQUIRE_ALL=0 NJ_SANITIZED=0 "$@" \
		bash "$here/run.sh" "$here/harness/$fx.sh" >"$tmp/out" 2>&1
	v_rc=$?
	v_line=$(grep '^integration: ' "$tmp/out")
	v_why=$(sed -n "s/^not ok - $fx failed: //p" "$tmp/out")
}

verdict passes
check_eq "passes: counted whole, its skip a skip" "integration: 2 passed, 0 failed, 1 skipped" "$v_line"
check_eq "passes: run.sh exits 0" 0 "$v_rc"
check_eq "passes: no failure named" "" "$v_why"
verdict passes NETJOIN_REQUIRE_ALL=1
check_eq "passes, REQUIRE_ALL: its skip is a failure" "integration: 2 passed, 1 failed, 0 skipped" "$v_line"
check "passes, REQUIRE_ALL: run.sh exits non-zero" test "$v_rc" -ne 0

# failed FIXTURE LINE WHY SAYS: run.sh fails the file with the summary LINE
# and the reason WHY; the file's own output has the line SAYS.
failed() {
	verdict "$1"
	check_eq "$1: summary" "$2" "$v_line"
	check_eq "$1: why" "$3" "$v_why"
	check "$1: run.sh exits non-zero" test "$v_rc" -ne 0
	check "$1: says '$4'" grep -qxF -- "$4" "$tmp/out"
}
failed dies-unbound "integration: 1 passed, 1 failed, 0 skipped" "exit status 1" \
	"not ok - plan: 3 checks declared, 1 ran (exit status 1)"
failed syntax-error "integration: 1 passed, 1 failed, 0 skipped" "exit status 1" \
	"not ok - plan: 2 checks declared, 1 ran (exit status 2)"
failed stray-exit "integration: 1 passed, 1 failed, 0 skipped" "exit status 1" \
	"not ok - plan: 3 checks declared, 1 ran (exit status 0)"
failed wrong-count "integration: 3 passed, 1 failed, 0 skipped" "exit status 1" \
	"not ok - plan: 2 checks declared, 3 ran (exit status 0)"
failed signal "integration: 0 passed, 1 failed, 0 skipped" "killed by signal 9, no summary" \
	"ok - first"
failed no-plan "integration: 1 passed, 1 failed, 0 skipped" "exit status 1" \
	"not ok - no plan: the file never declared its number of checks"
failed exits-nonzero "integration: 1 passed, 1 failed, 0 skipped" "exit status 1" \
	"not ok - the file exited with status 3"
failed failed-check "integration: 1 passed, 1 failed, 0 skipped" "exit status 1" \
	"not ok - second"
failed failed-require "integration: 1 passed, 1 failed, 0 skipped" "exit status 1" \
	"not ok - precondition failed: the fixture's layout"
failed timeout "integration: 1 passed, 1 failed, 0 skipped" "timed out after 2s" \
	"ok - first"

verdict skips-all
check_eq "skips-all: one skip, the plan not held against it" \
	"integration: 0 passed, 0 failed, 1 skipped" "$v_line"
verdict skips-all NJ_SANITIZED=1
check_eq "skips-all, sanitized pass: left out (# sanitized: no), uncounted" \
	"integration: 0 passed, 0 failed, 0 skipped" "$v_line"

# tests/unit/run.sh: cmocka's skip() is a skip, and a failure under
# REQUIRE_ALL.
if cc -o "$tmp/test_skip" "$here/harness/unit_skip.c" -lcmocka 2>"$tmp/cc.err"; then
	line=$(NETJOIN_REQUIRE_ALL=0 "$top"/tests/unit/run.sh "$tmp/test_skip" 2>/dev/null | tail -n 1)
	check_eq "unit run.sh: a skip() is counted" "unit: 1 passed, 0 failed, 1 skipped" "$line"
	line=$(NETJOIN_REQUIRE_ALL=1 "$top"/tests/unit/run.sh "$tmp/test_skip" 2>/dev/null | tail -n 1)
	check_eq "unit run.sh, REQUIRE_ALL: a skip() is a failure" "unit: 1 passed, 1 failed, 0 skipped" "$line"
	NETJOIN_REQUIRE_ALL=1 "$top"/tests/unit/run.sh "$tmp/test_skip" >/dev/null 2>&1
	check "unit run.sh, REQUIRE_ALL: exits non-zero" test $? -ne 0
	NETJOIN_REQUIRE_ALL=0 "$top"/tests/unit/run.sh "$tmp/test_skip" >/dev/null 2>&1
	check_eq "unit run.sh: a skip alone exits 0" 0 $?
else
	sed 's/^/#   /' "$tmp/cc.err"
	for _ in 1 2 3 4; do missing "a C compiler and cmocka for the unit fixture"; done
fi
