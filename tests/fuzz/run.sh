#!/usr/bin/env bash
# Run the fuzz targets (tests/fuzz/fuzz.mk calls this; run from the top).
#
#   tests/fuzz/run.sh smoke BIN...   each libFuzzer binary (build/fuzz/<t>)
#       for FUZZ_SECONDS (30) on a scratch corpus build/fuzz/corpus/<t>
#       seeded from its seeds; one line per target
#         fuzz: <t>: N execs, no crash
#       and a crash, leak, timeout or out-of-memory input is copied to
#       tests/fuzz/regress/<t>/ (commit it) with libFuzzer's report shown.
#   tests/fuzz/run.sh replay BIN...  each replay binary
#       (build/fuzz-replay/<t>, no libFuzzer) over tests/fuzz/regress/<t>/*
#       and its seeds.
# Each ends with "fuzz-smoke:" / "fuzz-replay: N passed, N failed" (smoke
# counts targets, replay counts inputs) and exits 0 only if none failed.
#
# The seeds of target t: tests/fuzz/seeds/<t>/*, and the fixtures that are
# already its inputs (no copies kept here): the netlink recordings whole
# and combined into whole namespaces for netlink (and, for smoke, split
# into one file per message), the recordings whole for dump and event (a
# dump is notifications too, events.nl is a watch's), the
# RTM_GETNSID answers for nsid, the Docker API bodies for docker, the
# runtime state files for oci, the iproute2 name files for spec.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
fx=tests/fixtures

# The committed seeds and the fixtures of target $1, one path a line.
seeds() {
	local t=$1 f
	for f in tests/fuzz/seeds/"$t"/*; do
		[ -f "$f" ] && echo "$f"
	done
	case $t in
	netlink | dump | event) ls "$fx"/*.nl ;;
	nsid) ls "$fx"/nsid-*.nl ;;
	docker) ls "$fx"/docker-*.json ;;
	oci) ls "$fx"/state/*.json "$fx"/state/crun-status ;;
	spec) find "$fx"/route-iproute2 -type f | sort ;;
	esac
}

# Recordings that together make one namespace, as the writers see it
# (links with their addresses; routes and neighbours over their links;
# sockets over theirs), into directory $1.
netlink_combos() {
	mkdir -p "$1"
	cat "$fx"/links.nl "$fx"/addrs.nl >"$1"/ns-links-addrs
	cat "$fx"/route-links.nl "$fx"/routes.nl "$fx"/neighs.nl \
		"$fx"/neighs-proxy.nl >"$1"/ns-routes-neighs
	cat "$fx"/links.nl "$fx"/addrs.nl "$fx"/sock-*.nl >"$1"/ns-sockets
}

# Each message of the recordings $2... alone, into directory $1 (not
# NLMSG_DONE). Host byte order, as they were recorded.
netlink_split() {
	local out=$1 f size off len type n name
	shift
	mkdir -p "$out"
	for f in "$@"; do
		size=$(stat -c %s "$f") off=0 n=0 name=$(basename "$f" .nl)
		while [ $((size - off)) -ge 16 ]; do
			len=$(od -An -tu4 -j "$off" -N4 "$f" | tr -d ' ')
			type=$(od -An -tu2 -j $((off + 4)) -N2 "$f" | tr -d ' ')
			[ "$len" -ge 16 ] && [ "$len" -le $((size - off)) ] || break
			[ "$type" = 3 ] ||
				tail -c +$((off + 1)) "$f" | head -c "$len" \
					>"$out/$name-$(printf %03d "$n")"
			off=$((off + (len + 3) / 4 * 4)) n=$((n + 1))
		done
	done
}

smoke_one() { # bin -> 0 passed, 1 failed
	local bin=$1 t secs=${FUZZ_SECONDS:-30} corpus art log rc execs f bad="" dict
	t=$(basename "$bin")
	corpus=build/fuzz/corpus/$t art=build/fuzz/artifacts/$t/
	log=build/fuzz/logs/$t.log
	mkdir -p "$corpus" "$art" "$(dirname "$log")"
	rm -f "$art"*
	# seeds under their paths' names: no two collide, reruns overwrite
	seeds "$t" | while read -r f; do
		cp "$f" "$corpus/seed-$(echo "$f" | tr / _)"
	done
	if [ "$t" = netlink ]; then
		netlink_combos "$corpus"
		netlink_split "$corpus" "$fx"/*.nl
	fi
	# JSON keys and HTTP words: jansson is not instrumented, so libFuzzer
	# cannot learn what its callers look up
	dict=()
	[ -f tests/fuzz/dict/"$t".dict ] && dict=(-dict=tests/fuzz/dict/"$t".dict)
	# a hung target is stopped well after its own time is up
	timeout -k 10 $((secs * 2 + 120)) "$bin" -max_total_time="$secs" \
		-rss_limit_mb=2048 -timeout=5 -print_final_stats=1 \
		-artifact_prefix="$art" "${dict[@]}" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	for f in "$art"*; do
		[ -f "$f" ] || continue
		case $(basename "$f") in slow-unit-*) continue ;; esac
		mkdir -p tests/fuzz/regress/"$t"
		cp "$f" tests/fuzz/regress/"$t"/
		bad="$bad tests/fuzz/regress/$t/$(basename "$f")"
	done
	if [ "$rc" -eq 0 ] && [ -z "$bad" ]; then
		echo "fuzz: $t: ${execs:-?} execs, no crash"
		return 0
	fi
	grep -E -A40 '^==[0-9]+==ERROR|^SUMMARY|fuzz check failed|ALARM|out-of-memory|runtime error' "$log" | head -n 80 >&2
	[ "$rc" -eq 124 ] && bad="$bad (killed: ran past its time)"
	echo "fuzz: $t: FAILED after ${execs:-?} execs (exit $rc), see $log;" \
		"input:${bad:- none saved}"
	return 1
}

replay_one() { # bin -> its "replay t: N passed, N failed" line
	local bin=$1 t
	t=$(basename "$bin")
	local files=()
	mapfile -t files < <(
		for f in tests/fuzz/regress/"$t"/*; do [ -f "$f" ] && echo "$f"; done
		seeds "$t"
		if [ "$t" = netlink ]; then
			netlink_combos "$(dirname "$bin")"/seeds-netlink
			ls "$(dirname "$bin")"/seeds-netlink/*
		fi
	)
	"$bin" "${files[@]}"
}

cmd=${1:-}
shift || true
[ $# -gt 0 ] || { echo "usage: tests/fuzz/run.sh smoke|replay BIN..." >&2; exit 2; }
passed=0 failed=0
case $cmd in
smoke)
	for bin in "$@"; do
		if smoke_one "$bin"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	done
	echo "fuzz-smoke: $passed passed, $failed failed"
	;;
replay)
	log=$(mktemp)
	trap 'rm -f "$log"' EXIT
	for bin in "$@"; do
		replay_one "$bin" 2>&1 | tee "$log"
		line=$(grep -E '^replay [a-z]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
		if [ -z "$line" ]; then
			echo "fuzz-replay: $bin printed no summary" >&2
			failed=$((failed + 1))
			continue
		fi
		read -r p f <<<"$(echo "$line" | grep -oE '[0-9]+' | tr '\n' ' ')"
		passed=$((passed + p)) failed=$((failed + f))
	done
	echo "fuzz-replay: $passed passed, $failed failed"
	;;
*)
	echo "usage: tests/fuzz/run.sh smoke|replay BIN..." >&2
	exit 2
	;;
esac
[ "$failed" -eq 0 ]
