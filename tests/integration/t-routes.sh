#!/usr/bin/env bash
# netjoin's routes and neighbours (-r, --table N, -n, -a) against ip(8) in
# a namespace built with every kind of route ip prints differently:
# default, connected, static via a gateway with metric and src, onlink,
# a host route, blackhole/unreachable/prohibit/throw, local and broadcast
# entries of the local table, IPv6 routes with preferences and an expiry,
# source-specific IPv6, a custom table (100) and an unnamed one (1000),
# multicast, ECMP (IPv4 with weights and a dead hop, IPv6), an IPv6
# gateway of an IPv4 route, metrics, tos, realms, a nexthop object; and
# neighbours: permanent, stale, reachable (kept so for an hour), noarp
# (which ip leaves out), externally learned, with a protocol, an IPv6
# router, and proxy entries. JSON is compared field by field with
# routejson_compare.py, text line by line with ip's own listing.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 15
compare=$top/tests/integration/routejson_compare.py

need_root
need ip
need python3
need unshare
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"
"$NETJOIN" --help 2>&1 | grep -q -- '--routes' ||
	skip_all "$NETJOIN has no --routes yet"

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
on_exit "rm -rf $tmp"
ns=${nj_id}rt
peer=${nj_id}rp

n() { ip -n "$ns" "$@"; }
# Features an older kernel may lack are optional; the rest must work.
# A feature it lacks is a skip (a failure under NETJOIN_REQUIRE_ALL=1),
# counted once setup's subshell is back.
opt() { "$@" 2>/dev/null || echo "# setup without: $*"; }

setup() {
	set -e
	# quiet links: nothing the kernel adds on its own between two dumps
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_ra=0 \
		net.ipv6.conf.default.accept_ra=0 \
		net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.all.forwarding=1
	ip netns exec "$peer" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	n link add v0 type veth peer name v1 netns "$peer"
	n link add d0 type veth peer name d1 netns "$peer"
	ip -n "$peer" link set v1 up
	ip -n "$peer" link set d1 up
	n link set v0 up
	n link set d0 up
	# vd0 without carrier (its peer down): "linkdown"
	n link add vd0 type veth peer name vd1
	n link set vd0 up
	# vx0: down after a multipath route uses it: a "dead" hop
	n link add vx0 type veth peer name vx1
	n link set vx0 up
	n link set vx1 up
	n addr add 10.0.0.1/24 dev v0
	n addr add 2001:db8::1/64 dev v0 nodad
	n addr add 10.1.0.1/24 dev d0
	n addr add 2001:db8:1::1/64 dev d0 nodad
	n addr add 10.5.0.1/24 dev vd0
	n addr add 10.6.0.1/24 dev vx0

	n route add default via 10.0.0.254 dev v0
	n route add 192.168.10.0/24 via 10.0.0.2 dev v0 proto static \
		metric 50 src 10.0.0.1
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
	n route add 10.5.9.0/24 via 10.5.0.9 dev vd0
	n route add 10.80.0.0/16 tos 0x10 dev d0
	n route add 10.90.0.0/16 dev d0 realm 5 proto dhcp
	n route add 10.91.0.0/16 dev d0 realms 2/0 proto 99
	n route add 10.92.0.0/16 dev d0 proto 200 scope 17
	opt n route add 10.60.0.0/16 via inet6 2001:db8::2 dev v0
	opt n route add 10.70.0.0/16 via 10.0.0.2 mtu lock 1400 advmss 1360 \
		rtt 100ms rttvar 20ms rto_min 2s initcwnd 10 congctl cubic \
		features ecn hoplimit 64 window 65535
	opt n nexthop add id 10 via 10.0.0.2 dev v0
	opt n route add 10.110.0.0/16 nhid 10
	n route add default via 10.0.0.253 dev v0 table 100
	n route add 10.50.0.0/16 dev d0 table 100 proto ra
	n route add multicast 239.1.0.0/16 dev d0 table 100
	n route add 10.51.0.0/16 dev d0 table 1000
	n -6 route add default via 2001:db8::ff dev v0 metric 1024 pref high
	n -6 route add 2001:db8:200::/48 nexthop via 2001:db8::2 dev v0 \
		nexthop via 2001:db8:1::2 dev d0
	n -6 route add 2001:db8:300::/48 via 2001:db8::2 dev v0 expires 600
	opt n -6 route add 2001:db8:400::/48 from 2001:db8:1::/64 \
		via 2001:db8::2 dev v0
	n -6 route add 2001:db8:500::1 dev d0 metric 5
	n -6 route add blackhole 2001:db8:600::/48
	n -6 route add 2001:db8:700::/48 via 2001:db8::2 dev v0 mtu 1300 \
		pref low
	n -6 route add 2001:db8:100::/48 dev d0 table 100
	n link set vx0 down

	# neighbours; REACHABLE stays so for an hour at least
	ip netns exec "$ns" sysctl -qw \
		net.ipv4.neigh.v0.base_reachable_time_ms=3600000 \
		net.ipv6.neigh.v0.base_reachable_time_ms=3600000
	n neigh add 10.0.0.2 lladdr 02:00:00:00:01:02 dev v0 nud permanent
	n neigh add 10.0.0.3 lladdr 02:00:00:00:01:03 dev v0 nud stale
	n neigh add 10.0.0.4 lladdr 02:00:00:00:01:04 dev v0 nud reachable
	n neigh add 10.0.0.5 lladdr 02:00:00:00:01:05 dev v0 nud noarp
	opt n neigh add 10.0.0.8 lladdr 02:00:00:00:01:08 dev v0 nud stale \
		extern_learn
	opt n neigh add 10.0.0.10 lladdr 02:00:00:00:01:0a dev v0 \
		nud permanent proto static
	n neigh add 10.1.0.2 lladdr 02:00:00:00:02:02 dev d0 nud permanent
	n neigh add proxy 10.0.0.77 dev v0
	n -6 neigh add 2001:db8::2 lladdr 02:00:00:00:01:02 dev v0 \
		nud permanent router
	n -6 neigh add 2001:db8::3 lladdr 02:00:00:00:01:03 dev v0 nud stale
	n -6 neigh add 2001:db8:1::2 lladdr 02:00:00:00:02:02 dev d0 \
		nud permanent
	n -6 neigh add proxy 2001:db8::77 dev v0
	set +e
}
if ! { mk_netns "$ns" && mk_netns "$peer"; }; then
	skip_all "cannot make namespaces"
fi
if ! (setup) >"$tmp/setup.out" 2>&1; then
	sed 's/^/#   /' "$tmp/setup.out"
	not_ok "namespace setup"
	exit 1
fi
while read -r line; do
	setup_missing "${line#\# setup without: }"
done < <(grep '^# setup without: ' "$tmp/setup.out")
sleep 1

# cmp_json WHAT DESC NETJOIN-ARGS -- IP-COMMAND [; IP-COMMAND...]
# netjoin's WHAT (routes, neighbors) against the ip commands' output,
# joined by ";". A difference is retried twice with fresh dumps, in case
# the kernel changed something between the two.
cmp_json() {
	local what=$1 desc=$2 out; shift 2
	local args=()
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	for _ in 1 2 3; do
		"$NETJOIN" "${args[@]}" >"$tmp/a.json" 2>"$tmp/a.err" || {
			not_ok "$desc"; sed 's/^/#   /' "$tmp/a.err"; return; }
		local bs=() i=0 cmd
		IFS=';' read -ra cmds <<<"$*"
		for cmd in "${cmds[@]}"; do
			# shellcheck disable=SC2086 # a command line, split on purpose
			$cmd >"$tmp/b$i.json" || { not_ok "$desc: $cmd"; return; }
			bs+=("$tmp/b$i.json"); i=$((i + 1))
		done
		out=$(python3 "$compare" "$what" "$tmp/a.json" "${bs[@]}") && {
			ok "$desc"; return; }
	done
	not_ok "$desc"
	printf '%s\n' "$out" | head -40 | sed 's/^/#   /'
}

cmp_json routes "-j -r: routes of every table equal ip -j route show table all" \
	-j -r "netns:$ns" -- "ip -n $ns -j route show table all"
cmp_json routes "-j -r --table 100: ip -4 and ip -6 route show table 100" \
	-j -r --table 100 "netns:$ns" -- \
	"ip -n $ns -4 -j route show table 100;ip -n $ns -6 -j route show table 100"
cmp_json routes "--table 254: the main table, both families" \
	-j -r --table 254 "netns:$ns" -- \
	"ip -n $ns -4 -j route show table main;ip -n $ns -6 -j route show table main"
cmp_json neighbors "-j -r -n: neighbours equal ip -j neigh, then its proxies" \
	-j -r -n "netns:$ns" -- \
	"ip -n $ns -j neigh;ip -n $ns -j neigh show proxy"
cmp_json routes "-j -a: routes" -j -a "netns:$ns" -- \
	"ip -n $ns -j route show table all"
cmp_json neighbors "-j -a: neighbours" -j -a "netns:$ns" -- \
	"ip -n $ns -j neigh;ip -n $ns -j neigh show proxy"

# the JSON's shape: sections only when asked for
"$NETJOIN" -j -r "netns:$ns" >"$tmp/r.json" 2>/dev/null
"$NETJOIN" -j -a "netns:$ns" >"$tmp/all.json" 2>/dev/null
check_eq "-j -r: target, interfaces, routes" "interfaces routes target" \
	"$(python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1])))))' "$tmp/r.json" 2>&1)"
check "-j -a: routes, neighbors and sockets are arrays" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not all(isinstance(d.get(k), list)
                 for k in ("interfaces", "routes", "neighbors", "sockets")))' \
	"$tmp/all.json"

# Text: the "routes:" section is `ip route show table all` line for line
# (an expiry's seconds may tick), and names every destination.
section() { # FILE HEADING: the lines after HEADING up to a blank line
	awk -v h="$2" '$0 == h { on = 1; next } on && $0 == "" { exit } on' "$1"
}
blank_expires() { sed -E 's/expires -?[0-9]+sec/expires Nsec/'; }
"$NETJOIN" -r -n "netns:$ns" >"$tmp/text" 2>"$tmp/text.err"
check_eq "text: exit status" 0 $?
section "$tmp/text" "routes:" | blank_expires >"$tmp/text.routes"
n route show table all | blank_expires >"$tmp/ip.routes"
check "text: routes section is ip route show table all" \
	diff -u "$tmp/ip.routes" "$tmp/text.routes"
n -j route show table all >"$tmp/b0.json"
missing_dst=$(python3 -c '
import json, sys
lines = open(sys.argv[2]).read().split("\n")
print(" ".join(r["dst"] for r in json.load(open(sys.argv[1]))
               if not any(r["dst"] in l.split() for l in lines)))' \
	"$tmp/b0.json" "$tmp/text.routes" 2>&1)
check_eq "text: every route's destination is listed" "" "$missing_dst"
section "$tmp/text" "neighbors:" >"$tmp/text.neigh"
{ n neigh; n neigh show proxy; } >"$tmp/ip.neigh"
check "text: neighbors section is ip neigh, then its proxies" \
	diff -u "$tmp/ip.neigh" "$tmp/text.neigh"
# shellcheck disable=SC2016 # expanded by that sh
check "text: no route listing without -r" \
	sh -c '! "$1" "$2" | grep -qx "routes:"' sh "$NETJOIN" "netns:$ns"

# Names from /etc/iproute2, as ip reads them: both run in a private mount
# namespace with the unit tests' name files (table 100 is "blue",
# protocol 201 "njproto", realm 3 "njrealm") bound over /etc/iproute2.
if [ -d /etc/iproute2 ]; then
	n route add 10.93.0.0/16 dev d0 realm 3 proto 201
	nj_view_bind "$top/tests/fixtures/route-iproute2" /etc/iproute2
	nj_view "$NETJOIN" -j -r "netns:$ns" >"$tmp/a.json" 2>"$tmp/a.err"
	nj_view ip -n "$ns" -j route show table all >"$tmp/b.json"
	out=$(python3 "$compare" routes "$tmp/a.json" "$tmp/b.json")
	check "names: custom table, protocol and realm names as ip prints them" \
		[ -z "$out" ]
	[ -z "$out" ] || printf '%s\n' "$out" | head -20 | sed 's/^/#   /'
	check "names: table 100 is \"blue\" in the view" \
		grep -q '"table":"blue"' "$tmp/a.json"
else
	missing "/etc/iproute2 (iproute2's name files) for custom table, protocol and realm names"
	missing "/etc/iproute2 for table 100 named \"blue\""
fi
