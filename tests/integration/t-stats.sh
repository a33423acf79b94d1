#!/usr/bin/env bash
# --stats against ip(8) in two namespaces made here, joined by a veth
# pair, after traffic between them: UDP datagrams (and the port
# unreachables they cause), frames of an unknown ethertype (rx dropped)
# and frames for another MAC address (rx otherhost). Neither namespace
# has IPv6, so nothing (DAD, router solicitations, MLD) moves a counter
# while ip and netjoin read them; a reading is kept only when ip saw the
# same counters before and after it. JSON is compared with ip -j -s link
# (and -s -s) key for key, text with ip -s link (and -s -s) line for
# line, for every link of both namespaces (stats_compare.py).
# timeout: 120
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 16
compare=$top/tests/integration/stats_compare.py

need_root
need ip
need python3
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
on_exit "rm -rf $tmp"
A=${nj_id}sa
B=${nj_id}sb

# namespaces first, here: mk_netns registers their removal
mk_netns "$A"
mk_netns "$B"
# run in a subshell, outside any && list, so that set -e holds
setup() {
	set -e
	for n in "$A" "$B"; do
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	ip -n "$A" link add a0 type veth peer name b0 netns "$B"
	ip -n "$A" addr add 10.77.0.1/24 dev a0
	ip -n "$B" addr add 10.77.0.2/24 dev b0
	ip -n "$A" link set a0 up
	ip -n "$B" link set b0 up
	# a local pair whose carrier has come and gone
	ip -n "$A" link add x0 type veth peer name x1
	ip -n "$A" link set x0 up
	ip -n "$A" link set x1 up
	ip -n "$A" link set x1 down
	# 10.77.0.3 is "at" a MAC nobody has: a0 gets frames not for it
	ip -n "$B" neigh add 10.77.0.3 lladdr 02:00:00:00:77:03 dev b0
	local i
	for i in $(seq 1 40); do
		ip netns exec "$B" bash -c "echo d$i >/dev/udp/10.77.0.1/9"
		ip netns exec "$A" bash -c "echo e$i >/dev/udp/10.77.0.2/9"
	done
	for i in 1 2 3 4; do
		ip netns exec "$B" bash -c "echo o$i >/dev/udp/10.77.0.3/9"
	done
	ip netns exec "$A" bash -c 'echo loop >/dev/udp/127.0.0.1/9'
	# frames for a0 of an ethertype nothing handles
	local mac
	mac=$(ip -n "$A" -j link show a0 | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["address"])')
	ip netns exec "$B" python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("b0", 0))
frame = bytes.fromhex(sys.argv[1].replace(":", "")) + bytes(6) + b"\x88\xb5" + bytes(50)
for _ in range(6):
    s.send(frame)
' "$mac"
}
(setup)
require_eq "setup of $A and $B" 0 "$?"

# read NS: ip's listings and netjoin's of NS, kept only when ip saw the
# same counters before and after (three tries): $tmp/NS.*
read_quiet() {
	local ns=$1 try before after o=$tmp/$1
	for try in 1 2 3; do
		before=$(ip -n "$ns" -j -s -s link)
		ip -n "$ns" -s link >"$o.ip-s.txt"
		ip -n "$ns" -s -s link >"$o.ip-ss.txt"
		ip -n "$ns" -j -s link >"$o.ip-s.json"
		ip -n "$ns" -j -s -s link >"$o.ip-ss.json"
		"$NETJOIN" --stats "netns:$ns" >"$o.nj-s.txt" 2>"$o.err" &&
			"$NETJOIN" --stats --stats "netns:$ns" >"$o.nj-ss.txt" 2>>"$o.err" &&
			"$NETJOIN" -j --stats "netns:$ns" >"$o.nj-s.json" 2>>"$o.err" &&
			"$NETJOIN" -j --stats --stats "netns:$ns" >"$o.nj-ss.json" 2>>"$o.err" ||
			return 1
		after=$(ip -n "$ns" -j -s -s link)
		[ "$before" = "$after" ] && return 0
		sleep 1
	done
	echo "# the counters of $ns kept moving" >&2
	return 1
}

cmp_out() { # MODE OURS IPS
	python3 "$compare" "$@" >"$tmp/cmp.out" 2>&1 && return 0
	sed 's/^/#   /' "$tmp/cmp.out"
	return 1
}

for ns in "$A" "$B"; do
	o=$tmp/$ns
	check "$ns: netjoin --stats reads while the counters hold still" read_quiet "$ns"
	check "$ns: -j --stats: stats64 of every link is ip -j -s link's" \
		cmp_out json "$o.nj-s.json" "$o.ip-s.json"
	check "$ns: -j --stats --stats: stats64 is ip -j -s -s link's" \
		cmp_out json "$o.nj-ss.json" "$o.ip-ss.json"
	check "$ns: --stats: every link's counters are ip -s link's lines" \
		cmp_out text "$o.nj-s.txt" "$o.ip-s.txt"
	check "$ns: --stats --stats: ip -s -s link's lines" \
		cmp_out text "$o.nj-ss.txt" "$o.ip-ss.txt"
done

# the traffic is there: what was compared was not all zeros
rx=$(python3 -c '
import json, sys
for i in json.load(open(sys.argv[1]))["interfaces"]:
    if i["ifname"] == "a0":
        r = i["stats64"]["rx"]
        print(r["packets"] >= 40, r["dropped"] >= 6, r.get("otherhost", 0) >= 4)
' "$tmp/$A.nj-ss.json")
check_eq "a0 counted the datagrams, the dropped frames and the otherhost ones" \
	"True True True" "$rx"

out=$("$NETJOIN" -j "netns:$A")
check "without --stats, no stats64" \
	python3 -c 'import json,sys; sys.exit(any("stats64" in i for i in json.load(sys.stdin)["interfaces"]))' <<<"$out"

check_exit "--stats with -b is a usage error" 2 "$NETJOIN" -b --stats "netns:$A"
check_eq "  in one line naming --stats" 1 \
	"$(grep -c -- '--stats' <<<"$nj_err")"
check_exit "--stats with a COMMAND is a usage error" 2 \
	"$NETJOIN" --stats "netns:$A" true
check_exit "--stats with -L is a usage error" 2 "$NETJOIN" -L --stats
