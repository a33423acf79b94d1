#!/usr/bin/env bash
# Record tests/fixtures/links.nl and addrs.nl from a namespace built for
# them, with ip's own listings of it beside them (see
# tests/fixtures/README.md). Needs root. Re-recording changes
# lifetimes and possibly ifindexes: update tests/unit/test_decode.c to what
# the printed `ip -d` listings show.
#   tests/tools/mkfixtures.sh [OUTDIR]
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/tests/fixtures}
rec=/tmp/nlrecord
ns=njrec
peer=njrecpeer

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
# no duplicate address detection: link-local addresses are final at once
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	net.ipv6.conf.default.accept_dad=0
n() { ip -n "$ns" "$@"; }

n link set lo up

# v0 here, its peer v1 in another namespace: v0 gets IFLA_LINK_NETNSID
n link add v0 address 02:00:00:00:00:01 type veth peer name v1 \
	address 02:00:00:00:00:02 netns "$peer"
ip -n "$peer" link set v1 up
n link set v0 mtu 1400 up

# a bridge with one end of a local veth pair enslaved
n link add br0 address 02:00:00:00:00:10 type bridge
n link add vb0 address 02:00:00:00:00:11 type veth peer name vb1 \
	address 02:00:00:00:00:12
n link set vb0 master br0
n link set vb0 up
n link set vb1 up
n link set br0 up

n link add vx0 address 02:00:00:00:00:20 type vxlan id 42 dstport 4789 \
	remote 192.0.2.2
n link set vx0 up

n addr add 10.1.0.1/24 brd + dev v0 label v0:main
n addr add 10.1.0.2/24 dev v0 # same subnet: secondary
n addr add 2001:db8:1::1/64 dev v0 nodad
n addr add 10.2.0.1/16 dev br0 valid_lft 3600 preferred_lft 1800
n addr add 2001:db8:2::1/64 dev br0 nodad valid_lft 7200 preferred_lft 3600
n addr add 10.3.0.1 peer 10.3.0.2/32 dev vx0

sleep 1 # let the links settle (carrier, bridge port state)
ip netns exec "$ns" "$rec" link "$out/links.nl"
ip netns exec "$ns" "$rec" addr "$out/addrs.nl"
# what ip said at the same moment: the tests' expected values
n -d link >"$out/ip-d-link.txt"
n -d addr >"$out/ip-d-addr.txt"
n -br addr >"$out/ip-br-addr.txt"
n -j addr >"$out/ip-j-addr.json"
cat "$out/ip-d-addr.txt"
