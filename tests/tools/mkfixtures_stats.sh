#!/usr/bin/env bash
# Record tests/fixtures/links-stats.nl, a link dump whose counters are not
# zero, with what ip printed for them at the same moment: ip -s link,
# ip -s -s link, ip -j -s link and ip -j -s -s link (stats-ip-*.txt,
# stats-ip-j-*.json). The namespace is quiet (no IPv6, so no DAD, router
# or MLD traffic), so the counters do not move between the recording and
# ip's listings. Into v0 come UDP datagrams (and the port unreachables
# they cause go out), frames of an unknown ethertype (rx dropped) and
# frames for another MAC address (rx otherhost, Linux 5.19 and later).
# Needs root and python3 (for the raw frames). test_stats.c replays them.
#   tests/tools/mkfixtures_stats.sh [OUTDIR]
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/tests/fixtures}
rec=${NLRECORD:-/tmp/nlrecord}
ns=njstatrec
peer=njstatrecpeer

cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	ip netns del "$peer" 2>/dev/null || true
}
trap cleanup EXIT
cleanup

cc -O2 -Wall -Wextra -o "$rec" "$here/tests/tools/nlrecord.c" \
	$(pkg-config --cflags --libs libmnl)

ip netns add "$ns"
ip netns add "$peer"
for n in "$ns" "$peer"; do
	ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$ns" link set lo up
ip -n "$ns" link add v0 address 02:00:00:00:01:01 type veth peer name v1 \
	address 02:00:00:00:01:02 netns "$peer"
ip -n "$ns" addr add 10.9.0.1/24 dev v0
ip -n "$peer" addr add 10.9.0.2/24 dev v1
ip -n "$peer" link set v1 up
ip -n "$ns" link set v0 up
# 10.9.0.3 is "at" a MAC nobody has: v0 gets frames that are not for it
ip -n "$peer" neigh add 10.9.0.3 lladdr 02:00:00:00:01:99 dev v1
sleep 1
for i in $(seq 1 25); do
	ip netns exec "$peer" bash -c "echo datagram-$i >/dev/udp/10.9.0.1/9" || true
done
for i in 1 2 3; do
	ip netns exec "$peer" bash -c "echo other-$i >/dev/udp/10.9.0.3/9" || true
done
ip netns exec "$peer" python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("v1", 0))
for _ in range(7):
    s.send(bytes.fromhex("020000000101020000000102" "88b5") + bytes(50))
'
ip netns exec "$ns" bash -c 'echo loop >/dev/udp/127.0.0.1/9' || true
sleep 1
before=$(ip -n "$ns" -j -s -s link)
ip netns exec "$ns" "$rec" link "$out/links-stats.nl"
ip -n "$ns" -s link >"$out/stats-ip-s-link.txt"
ip -n "$ns" -s -s link >"$out/stats-ip-s-s-link.txt"
ip -n "$ns" -j -s link >"$out/stats-ip-j-s-link.json"
ip -n "$ns" -j -s -s link >"$out/stats-ip-j-s-s-link.json"
# nothing moved while they were taken
[ "$before" = "$(cat "$out/stats-ip-j-s-s-link.json")" ] ||
	{ echo "mkfixtures_stats: the counters moved; run again" >&2; exit 1; }
cat "$out/stats-ip-s-s-link.txt"
