#!/usr/bin/env bash
# Record tests/fixtures/routes.nl, neighs.nl, neighs-proxy.nl and
# route-links.nl from a namespace built for them, with ip's own listings
# beside them (see tests/fixtures/routes.md). ip reads its names
# (rt_tables, rt_protos...) from tests/fixtures/route-iproute2, bound over
# /etc/iproute2 in a private mount namespace, so the fixtures do not depend
# on this machine's files. Needs root. Re-recording can change ifindexes
# and the remaining lifetime of the expiring route: update
# tests/unit/test_route.c to what route-ip-all.txt shows.
#   tests/tools/mkfixtures_route.sh [OUTDIR]
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/tests/fixtures}
etc=$here/tests/fixtures/route-iproute2
rec=/tmp/nlrecord
ns=njrtrec
peer=njrtrecpeer

cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	ip netns del "$peer" 2>/dev/null || true
}
trap cleanup EXIT
cleanup

# shellcheck disable=SC2046 # pkg-config's flags are words
cc -O2 -Wall -Wextra -o "$rec" "$here/tests/tools/nlrecord.c" \
	$(pkg-config --cflags --libs libmnl)

ip netns add "$ns"
ip netns add "$peer"
n() { ip -n "$ns" "$@"; }
# quiet links: no DAD, no router solicitations, nothing the kernel adds
# on its own while recording; forwarding makes IPv6 anycast routes
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_ra=0 \
	net.ipv6.conf.default.accept_ra=0 \
	net.ipv6.conf.default.router_solicitations=0 \
	net.ipv6.conf.all.forwarding=1
ip netns exec "$peer" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1

n link set lo up
# v0 and d0: veths with their peers up in the other namespace
n link add v0 address 02:00:00:00:00:01 type veth peer name v1 \
	address 02:00:00:00:00:02 netns "$peer"
n link add d0 address 02:00:00:00:00:10 type veth peer name d1 \
	address 02:00:00:00:00:11 netns "$peer"
ip -n "$peer" link set v1 up
ip -n "$peer" link set d1 up
n link set v0 up
n link set d0 up
# vd0: up, its peer vd1 down, so no carrier: routes on it are "linkdown"
n link add vd0 address 02:00:00:00:00:20 type veth peer name vd1 \
	address 02:00:00:00:00:21
n link set vd0 up
# vx0: set down after a multipath route uses it: a "dead" nexthop
n link add vx0 address 02:00:00:00:00:30 type veth peer name vx1 \
	address 02:00:00:00:00:31
n link set vx0 up
n link set vx1 up

n addr add 10.0.0.1/24 dev v0
n addr add 2001:db8::1/64 dev v0 nodad
n addr add 10.1.0.1/24 dev d0
n addr add 2001:db8:1::1/64 dev d0 nodad
n addr add 10.5.0.1/24 dev vd0
n addr add 10.6.0.1/24 dev vx0

# IPv4, main table
n route add default via 10.0.0.254 dev v0
n route add 192.168.10.0/24 via 10.0.0.2 dev v0 proto static metric 50 \
	src 10.0.0.1
n route add 192.168.20.0/24 via 172.16.0.1 dev d0 onlink
n route add 10.2.2.2 dev d0 scope link
n route add blackhole 10.99.0.0/16
n route add unreachable 10.98.0.0/16 metric 7
n route add prohibit 10.97.0.0/16
n route add throw 10.96.0.0/16
n route add 10.200.0.0/16 nexthop via 10.0.0.2 dev v0 weight 1 \
	nexthop via 10.1.0.2 dev d0 weight 3
n route add 10.201.0.0/16 nexthop via 10.0.0.2 dev v0 \
	nexthop via 10.6.0.9 dev vx0 nexthop via 10.5.0.9 dev vd0
n route add 10.60.0.0/16 via inet6 2001:db8::2 dev v0
n route add 10.70.0.0/16 via 10.0.0.2 mtu lock 1400 advmss 1360 \
	rtt 100ms rttvar 20ms rto_min 2s initcwnd 10 congctl cubic \
	features ecn hoplimit 64 window 65535
n route add 10.80.0.0/16 tos 0x10 dev d0
n route add 10.81.0.0/16 tos 0x28 dev d0
n route add 10.90.0.0/16 dev d0 realm 5 proto dhcp
n route add 10.91.0.0/16 dev d0 realms 2/0 proto 99
n route add 10.93.0.0/16 dev d0 realm 3 proto 201
n route add 10.92.0.0/16 dev d0 proto 200 scope 17
n route add 10.5.9.0/24 via 10.5.0.9 dev vd0
n nexthop add id 10 via 10.0.0.2 dev v0
n route add 10.110.0.0/16 nhid 10
# other tables: 100 (named "blue" in route-iproute2), 1000 (no name)
n route add default via 10.0.0.253 dev v0 table 100
n route add 10.50.0.0/16 dev d0 table 100 proto ra
n route add multicast 239.1.0.0/16 dev d0 table 100
n route add 10.51.0.0/16 dev d0 table 1000
# IPv6
n -6 route add default via 2001:db8::ff dev v0 metric 1024 pref high
n -6 route add 2001:db8:200::/48 nexthop via 2001:db8::2 dev v0 \
	nexthop via 2001:db8:1::2 dev d0
n -6 route add 2001:db8:300::/48 via 2001:db8::2 dev v0 expires 600
n -6 route add 2001:db8:400::/48 from 2001:db8:1::/64 via 2001:db8::2 dev v0
n -6 route add 2001:db8:500::1 dev d0 metric 5
n -6 route add blackhole 2001:db8:600::/48
n -6 route add 2001:db8:700::/48 via 2001:db8::2 dev v0 mtu 1300 pref low
n -6 route add 2001:db8:100::/48 dev d0 table 100
n link set vx0 down

# neighbours; REACHABLE lasts: base_reachable_time of an hour
ip netns exec "$ns" sysctl -qw net.ipv4.neigh.v0.base_reachable_time_ms=3600000 \
	net.ipv6.neigh.v0.base_reachable_time_ms=3600000
n neigh add 10.0.0.2 lladdr 02:00:00:00:01:02 dev v0 nud permanent
n neigh add 10.0.0.3 lladdr 02:00:00:00:01:03 dev v0 nud stale
n neigh add 10.0.0.4 lladdr 02:00:00:00:01:04 dev v0 nud reachable
n neigh add 10.0.0.5 lladdr 02:00:00:00:01:05 dev v0 nud noarp
n neigh add 10.0.0.8 lladdr 02:00:00:00:01:08 dev v0 nud stale extern_learn
n neigh add 10.0.0.10 lladdr 02:00:00:00:01:0a dev v0 nud permanent \
	proto static
n neigh add 10.1.0.2 lladdr 02:00:00:00:02:02 dev d0 nud permanent
n neigh add proxy 10.0.0.77 dev v0
n -6 neigh add 2001:db8::2 lladdr 02:00:00:00:01:02 dev v0 nud permanent \
	router
n -6 neigh add 2001:db8::3 lladdr 02:00:00:00:01:03 dev v0 nud stale
n -6 neigh add 2001:db8:1::2 lladdr 02:00:00:00:02:02 dev d0 nud permanent
n -6 neigh add proxy 2001:db8::77 dev v0
sleep 1

ip netns exec "$ns" "$rec" link "$out/route-links.nl"
ip netns exec "$ns" "$rec" route "$out/routes.nl"
ip netns exec "$ns" "$rec" neigh "$out/neighs.nl"
ip netns exec "$ns" "$rec" proxy "$out/neighs-proxy.nl"
# ip with the fixture's name files in place of /etc/iproute2
# shellcheck disable=SC2016 # expanded by that sh
unshare -m --propagation private sh -ec '
	mount --bind "$1" /etc/iproute2
	ns=$2 out=$3
	ip -n "$ns" -j route show table all >"$out/route-ip-j-all.json"
	ip -n "$ns" route show table all >"$out/route-ip-all.txt"
	ip -n "$ns" -j route show table 100 >"$out/route-ip-j-100.json"
	ip -n "$ns" -6 -j route show table 100 >"$out/route-ip6-j-100.json"
	ip -n "$ns" route show table 100 >"$out/route-ip-100.txt"
	ip -n "$ns" -6 route show table 100 >"$out/route-ip6-100.txt"
	ip -n "$ns" -j neigh >"$out/neigh-ip-j.json"
	ip -n "$ns" -j neigh show proxy >"$out/neigh-ip-j-proxy.json"
	ip -n "$ns" neigh >"$out/neigh-ip.txt"
	ip -n "$ns" neigh show proxy >"$out/neigh-ip-proxy.txt"
	ip -n "$ns" -d link >"$out/route-ip-d-link.txt"
' sh "$etc" "$ns" "$out"
