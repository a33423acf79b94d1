#!/usr/bin/env bash
# Run cmocka test binaries, show their output, and end with one line
#   unit: N passed, N failed, N skipped
# summed from cmocka's own counts; under NETJOIN_REQUIRE_ALL=1 a skipped
# test (cmocka's skip()) is a failure. A binary that crashes, hangs, prints no
# summary, or exits nonzero with no failed test (a sanitizer report after
# the summary) counts as one more failure. Exit status: 0 only if nothing
# failed.
#   tests/unit/run.sh BIN...
# Arguments ending in .d that are not executable (make's dependency files)
# are skipped.
set -u

if [ $# -eq 0 ]; then
	echo "usage: tests/unit/run.sh BIN..." >&2
	exit 2
fi

# cmocka's standard format, whatever the caller's environment says
export CMOCKA_MESSAGE_OUTPUT=stdout
unset CMOCKA_XML_FILE

timeout_s=${UNIT_TIMEOUT:-300}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
passed=0
failed=0
skipped=0

for bin in "$@"; do
	# a glob like build/tests/test_* also matches make's dependency files
	case $bin in *.d) [ -x "$bin" ] || continue ;; esac
	echo "== $bin"
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin: not an executable" >&2
		failed=$((failed + 1))
		continue
	fi
	timeout "$timeout_s" "$bin" >"$out" 2>&1
	rc=$?
	cat "$out"
	# "[  PASSED  ] 3 test(s)." and "[  FAILED  ] 1 test(s), listed below:"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$out" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s), listed below:.*/\1/p' "$out" | tail -n 1)
	sk=$(sed -n 's/^\[  SKIPPED \] \([0-9][0-9]*\) test(s), listed below:.*/\1/p' "$out" | tail -n 1)
	sk=${sk:-0}
	if [ -z "$p" ]; then
		case $rc in
		124) why="timed out after ${timeout_s}s" ;;
		0) why="printed no summary" ;;
		*) why="exited with status $rc before its summary" ;;
		esac
		[ "$rc" -gt 128 ] && [ "$rc" -ne 124 ] &&
			why="killed by signal $((rc - 128))"
		echo "run.sh: $bin: $why" >&2
		failed=$((failed + ${f:-0} + 1))
		continue
	fi
	f=${f:-0}
	if [ "$sk" -gt 0 ] && [ "${NETJOIN_REQUIRE_ALL:-0}" = 1 ]; then
		echo "run.sh: $bin: $sk skipped test(s), failures under NETJOIN_REQUIRE_ALL=1" >&2
		f=$((f + sk))
	else
		skipped=$((skipped + sk))
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "run.sh: $bin: exited with status $rc after its tests passed" >&2
		failed=$((failed + 1))
	fi
done

echo "unit: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
