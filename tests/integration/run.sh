#!/usr/bin/env bash
# Run every integration test file (tests/integration/t-*.sh, or those named
# on the command line) and print one summary line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export NJ_RESULTS
NJ_RESULTS=$(mktemp)
trap 'rm -f "$NJ_RESULTS"' EXIT
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$here"/t-*.sh)
crashed=0
for f in "${files[@]}"; do
	echo "# --- $(basename "$f")"
	before=$(wc -l <"$NJ_RESULTS")
	bash "$f"
	# A file that died without reaching its summary counts as one failure.
	[ "$(wc -l <"$NJ_RESULTS")" -gt "$before" ] || crashed=$((crashed + 1))
done
read -r p f s < <(awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}' "$NJ_RESULTS")
f=$((f + crashed))
echo "integration: $p passed, $f failed, $s skipped"
[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
