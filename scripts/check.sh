#!/usr/bin/env bash
# Run every test against the build in $1 (build or build/san): unit tests,
# the fuzzers' regression inputs, then integration tests (as root), then one
# closing summary line.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

status=0
p=0 f=0 s=0
tally() { # "name: N passed, N failed[, N skipped]" -> add it up
	local line
	line=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
	[ -n "$line" ] || { f=$((f + 1)); return; }
	set -- $(echo "$line" | grep -oE '[0-9]+')
	p=$((p + $1)) f=$((f + $2)) s=$((s + ${3:-0}))
}

log=$(mktemp)
trap 'rm -f "$log" "$log".before "$log".after "$log".diff' EXIT

tests/unit/run.sh $(find "$build"/tests -maxdepth 1 -name "test_*" -type f -perm -u+x | sort) 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
tally "$log"

# every input a fuzzer ever crashed, and the seeds, through the parsers
make --no-print-directory -s fuzz-replay ${SANITIZE:+SANITIZE=$SANITIZE} 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
tally "$log"

if [ "$(id -u)" = 0 ]; then
	scripts/deps.sh --it || status=1
	# The machine as the tests found it: what they changed is a failure.
	scripts/hoststate.sh snapshot >"$log.before"
	# the SANITIZE=1 pass runs only the files that run the sanitized build
	NJ_SANITIZED=${SANITIZE:-0} NETJOIN=$build/netjoin tests/integration/run.sh 2>&1 | tee "$log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
	tally "$log"
	scripts/hoststate.sh snapshot "$log.before" >"$log.after"
	if ! scripts/hoststate.sh diff "$log.before" "$log.after" >"$log.diff"; then
		echo "not ok - the host is not as the tests found it:"
		sed 's/^/#   /' "$log.diff"
		status=1 f=$((f + 1))
	else
		echo "ok - the host is as the tests found it"
		p=$((p + 1))
	fi
elif [ "${NETJOIN_REQUIRE_ALL:-0}" = 1 ]; then
	echo "integration tests need root" >&2
	status=1 f=$((f + 1))
else
	echo "# integration tests skipped: they need root"
	s=$((s + 1))
fi

echo "check: $p passed, $f failed, $s skipped"
[ "$status" -eq 0 ] && [ "$f" -eq 0 ]
