#!/usr/bin/env bash
# Run every integration test file (tests/integration/t-*.sh, or those named
# on the command line) and print one summary line
#   integration: N passed, N failed, N skipped
# A file has failed, and adds one failure when it reported none, if it
# exits non-zero, if it wrote no summary (killed, or its time limit hit),
# if it declared no plan, or if it ran another number of checks than its
# plan (see lib.sh). Each file runs under `timeout`: 600 s, or what its
# "# timeout: SECONDS" marker says. With NJ_SANITIZED=1 (the SANITIZE=1
# pass), files marked "# sanitized: no" are left out, uncounted.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export NJ_RESULTS
NJ_RESULTS=$(mktemp)
trap 'rm -f "$NJ_RESULTS"' EXIT
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$here"/t-*.sh)

# marker FILE NAME: the value of "# NAME: VALUE" in FILE's first 30 lines
marker() { head -n 30 "$1" | sed -n "s/^# $2: *\([^ ]*\).*/\1/p" | head -n 1; }

P=0 F=0 S=0
for f in "${files[@]}"; do
	name=$(basename "$f" .sh)
	if [ "${NJ_SANITIZED:-0}" = 1 ] && [ "$(marker "$f" sanitized)" = no ]; then
		echo "# --- $name: not run against the sanitized build (it does not run it)"
		continue
	fi
	limit=$(marker "$f" timeout)
	limit=${limit:-600}
	echo "# --- $name"
	: >"$NJ_RESULTS"
	# --kill-after: a file that ignores TERM still ends
	timeout --kill-after=30 "$limit" bash "$f"
	rc=$?
	read -r p f_ s plan whole <"$NJ_RESULTS" 2>/dev/null || p=''
	why=
	if [ "$rc" -eq 124 ]; then
		why="timed out after ${limit}s"
	elif [ -z "$p" ]; then
		why="wrote no summary (exit status $rc)"
		[ "$rc" -gt 128 ] && why="killed by signal $((rc - 128)), no summary"
	elif [ "$rc" -ne 0 ]; then
		why="exit status $rc"
	elif [ "$whole" = 1 ] && [ "$plan" = - ]; then
		why="no plan"
	elif [ "$whole" = 1 ] && [ "$((p + f_ + s))" -ne "$plan" ]; then
		why="$((p + f_ + s)) checks of a plan of $plan"
	fi
	[ -n "$p" ] || p=0 f_=0 s=0
	if [ -n "$why" ]; then
		echo "not ok - $name failed: $why"
		[ "$f_" -gt 0 ] || f_=1
	fi
	P=$((P + p)) F=$((F + f_)) S=$((S + s))
done
echo "integration: $P passed, $F failed, $S skipped"
[ "$F" -eq 0 ] && [ "$P" -gt 0 ]
