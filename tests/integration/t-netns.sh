#!/usr/bin/env bash
# netjoin against network namespaces built here, compared with ip(8) itself:
# JSON (field by field, ipjson_compare.py), brief mode (byte for byte),
# text mode, target kinds (netns name, paths, pid, host), running a command
# inside, exit codes and error messages, and running without privilege.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 135
need_root
need ip
need jq
need python3
need setpriv

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
compare_tool=$here/ipjson_compare.py
tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
on_exit "rm -rf $tmp"

A=$nj_id-a     # the namespace with every kind of link and address
B=$nj_id-b     # holds the peer of A's v0, so v0 has a link_netnsid
W=$nj_id-w     # interface names with control and non-ASCII bytes
BIG=$nj_id-big # enough links and addresses for multi-part dumps

diag() { sed -n '1,40s/^/#   /p'; }

# quiet CMD...: run CMD, show its output only when it fails.
quiet() {
	"$@" >"$tmp/quiet.out" 2>&1 && return 0
	diag <"$tmp/quiet.out"
	return 1
}

# run_setup: eval each line of stdin, stopping at the first that fails.
run_setup() {
	local line
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		eval "$line" && continue
		echo "setup step failed: $line"
		return 1
	done
}

# ---- the compare tool tests itself ----------------------------------------

check "ipjson_compare.py --self-test" quiet python3 "$compare_tool" --self-test

# ---- namespaces ------------------------------------------------------------

for ns in "$A" "$B" "$W" "$BIG"; do
	mk_netns "$ns" || { not_ok "create namespace $ns"; exit 1; }
done

# A's IPv6 addresses skip DAD (no tentative flapping) except on v0, where
# fd00:6e6a:1::99 collides with B's address and ends "dadfailed", and on
# the down v2, whose addresses stay "tentative" until it comes up.
setup_a() {
	run_setup <<'EOF'
ip netns exec "$A" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip netns exec "$B" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n "$A" link add v0 type veth peer name v0p netns "$B"
ip netns exec "$A" sysctl -qw net.ipv6.conf.v0.accept_dad=1
ip -n "$A" link set v0 mtu 1400 up
ip -n "$B" link set v0p up
ip -n "$B" addr add 10.213.1.1/24 dev v0p
ip -n "$B" addr add fd00:6e6a:1::99/64 dev v0p nodad
ip -n "$A" addr add 10.213.1.2/24 brd + dev v0
ip -n "$A" addr add 10.213.1.3/24 dev v0 label v0:1
ip -n "$A" addr add 10.213.1.4/24 dev v0 label v0:2 valid_lft 3600 preferred_lft 1800
ip -n "$A" addr add 10.213.2.1 peer 10.213.2.9/32 dev v0 label v0:ptp
ip -n "$A" addr add 10.213.3.1/24 dev v0 noprefixroute
ip -n "$A" addr add 10.213.4.1/24 dev v0 valid_lft 3600 preferred_lft 0
ip -n "$A" addr add 239.1.2.3/32 dev v0 autojoin
ip -n "$A" addr add fd00:6e6a:1::2/64 dev v0 nodad
ip -n "$A" addr add fd00:6e6a:1::3/64 dev v0 nodad valid_lft 3600 preferred_lft 1800
ip -n "$A" addr add fd00:6e6a:1::4/64 dev v0 nodad home mngtmpaddr noprefixroute
ip -n "$A" addr add fd00:6e6a:1::5/64 dev v0 nodad valid_lft 3600 preferred_lft 0
ip -n "$A" addr add ff0e::6e6a/128 dev v0 autojoin
ip -n "$A" addr add fd00:6e6a:1::99/64 dev v0
ip -n "$A" link add br0 type bridge
ip -n "$A" link add v1 type veth peer name v1p
ip -n "$A" link set v1 master br0
ip -n "$A" link set v1 group 7 txqueuelen 500 up
ip -n "$A" link set br0 up
ip -n "$A" addr add 10.213.5.1/24 dev br0
ip -n "$A" addr add fd00:6e6a:5::1/64 dev br0 nodad
ip -n "$A" link add v2 type veth peer name v2p
ip netns exec "$A" sysctl -qw net.ipv6.conf.v2.accept_dad=1 net.ipv6.conf.v2.optimistic_dad=1
ip -n "$A" addr add fd00:6e6a:7::1/64 dev v2
ip -n "$A" addr add fd00:6e6a:7::2/64 dev v2 optimistic
ip -n "$A" link add mv0 link v2 type macvlan mode bridge
ip -n "$A" link set mv0 mtu 1280
ip -n "$A" link add vx0 type vxlan id 42 local 10.213.1.2 dstport 4789 dev v0
ip -n "$A" tuntap add mode tap name tap0
ip -n "$A" link set tap0 mtu 9000 up
ip -n "$A" addr add 10.213.10.1/24 dev tap0
ip -n "$A" link add ifb0 type ifb
ip -n "$A" link set ifb0 mtu 1234
ip -n "$A" addr add 10.213.6.1/24 dev ifb0
ip -n "$A" link add 'a"b\c' type veth peer name 0123456789abcde
ip -n "$A" link set 'a"b\c' up
ip -n "$A" link set 0123456789abcde up
ip -n "$A" addr add 10.213.8.1/24 dev 'a"b\c' label 'a"b\c:x'
ip -n "$A" addr add fd00:6e6a:8::1/64 dev 'a"b\c' nodad
ip -n "$A" link add v3 type veth peer name v3p
ip netns exec "$A" sysctl -qw net.ipv6.conf.v3.stable_secret=fd00:6e6a::1 net.ipv6.conf.v3.addr_gen_mode=2
ip -n "$A" link set v3 up
ip -n "$A" link set v3p txqueuelen 0 up
ip -n "$A" addr add 10.213.9.9/32 dev lo
EOF
}

setup_w() {
	run_setup <<'EOF'
ip -n "$W" link add "$(printf 'x\001y')" type bridge
ip -n "$W" link add "$(printf 'd\177')" type bridge
ip -n "$W" link add 'é-ü' type bridge
ip -n "$W" link add 'q$(id)`' type bridge
ip -n "$W" addr add 10.213.20.1/24 dev 'é-ü'
EOF
}

# 80 bridges and 1500 addresses: several netlink messages per dump and far
# more JSON than a pipe holds.
setup_big() {
	local i
	{
		for ((i = 0; i < 80; i++)); do echo "link add br$i type bridge"; done
		echo "link set br0 up"
		for ((i = 0; i < 1000; i++)); do
			echo "addr add 10.214.$((i / 250)).$((i % 250 + 1))/16 dev br0"
		done
		for ((i = 0; i < 500; i++)); do
			printf 'addr add fd00:6e6a:214::%x/64 dev br1 nodad\n' $((i + 1))
		done
	} >"$tmp/big.batch"
	ip -n "$BIG" -batch "$tmp/big.batch"
}

# Wait until A's addresses settle: link-locals on links with carrier done,
# and the colliding address marked dadfailed.
settle_a() {
	local i
	for ((i = 0; i < 100; i++)); do
		ip -n "$A" -j addr | jq -e '
			([.[] | select(.flags | index("LOWER_UP")) | .addr_info[]
			  | select(.tentative and (.dadfailed | not))] | length == 0)
			and ([.[].addr_info[] | select(.local == "fd00:6e6a:1::99"
			  and .dadfailed)] | length == 1)' >/dev/null && return 0
		sleep 0.1
	done
	echo "A's addresses did not settle:"
	ip -n "$A" addr
	return 1
}

for f in setup_a setup_w setup_big settle_a; do
	if quiet "$f"; then ok "$f"; else not_ok "$f"; exit 1; fi
done

# The setup itself gave every flag it is meant to show.
ip -n "$A" -j -d addr >"$tmp/a-ip.json"
has_flags=$(jq -r '[.[].addr_info[] | to_entries[] | select(.value == true)
	| .key] | unique | join(" ")' "$tmp/a-ip.json")
check_eq "A shows every address flag set up" \
	"autojoin dadfailed deprecated dynamic home mngtmpaddr nodad noprefixroute optimistic secondary stable-privacy tentative" \
	"$has_flags"
check_eq "A has every link kind set up" \
	"bridge ifb macvlan tun veth vxlan" \
	"$(jq -r '[.[].linkinfo.info_kind // empty] | unique | join(" ")' "$tmp/a-ip.json")"
check "A has a link_netnsid, a master and a link" quiet jq -e \
	'any(.[]; .link_netnsid == 0) and any(.[]; .master == "br0")
	 and any(.[]; .link == "v2")' "$tmp/a-ip.json"

# The compare tool against ip itself: equal to itself, and a hand-edited
# copy (one mtu, one address flag) must differ.
ip -n "$A" -j -d addr >"$tmp/a-ip2.json"
require "compare tool: ip equals ip" \
	quiet python3 "$compare_tool" "$tmp/a-ip.json" "$tmp/a-ip2.json" --details
jq '(.[] | select(.ifname == "v0") | .mtu) = 1500
    | (.[].addr_info[] | select(.secondary) | .secondary) = false' \
	"$tmp/a-ip.json" >"$tmp/a-edit.json"
python3 "$compare_tool" "$tmp/a-edit.json" "$tmp/a-ip2.json" >"$tmp/edit.out"
check_eq "compare tool: edited copy differs (exit 1)" 1 $?
check "compare tool: names the differences" \
	grep -q '^v0\.mtu: A=1500 B=1400$' "$tmp/edit.out"

# The rest needs the binary.
if [ ! -x "$NETJOIN" ]; then
	not_ok "netjoin binary $NETJOIN exists"
	exit 1
fi

# ---- targets ---------------------------------------------------------------

ino_a=$(stat -L -c %i "/run/netns/$A")
ino_b=$(stat -L -c %i "/run/netns/$B")
net_host=$(readlink /proc/self/ns/net)

# A process living in A. ip netns exec execs it directly, so $! is its PID
# (in A's network namespace and in a mount namespace of its own).
ip netns exec "$A" sleep 300 &
spid=$!
on_exit "kill $spid"
for ((i = 0; i < 50; i++)); do
	[ "$(readlink "/proc/$spid/ns/net" 2>/dev/null)" = "net:[$ino_a]" ] && break
	sleep 0.1
done
check_eq "the sleeper runs in A" "net:[$ino_a]" "$(readlink "/proc/$spid/ns/net")"

nj_wrap=()
# jcompare DESC "NJ_ARGS" "IP_ARGS" [--details]: netjoin's JSON equals ip's.
# ip is asked before and after netjoin; a host that changed in between
# (another test adding links) is asked again. Output kept in $tmp/nj.json.
jcompare() {
	local desc=$1 nj=$2 ipargs=$3 opt=${4:-} i rc=0
	for ((i = 0; i < 3; i++)); do
		ip $ipargs >"$tmp/ip1.json"
		"${nj_wrap[@]}" "$NETJOIN" $nj >"$tmp/nj.json" 2>"$tmp/nj.err"
		rc=$?
		ip $ipargs >"$tmp/ip2.json"
		python3 "$compare_tool" "$tmp/ip1.json" "$tmp/ip2.json" >/dev/null
		[ $? -ne 1 ] && break
	done
	if [ "$rc" -ne 0 ]; then
		not_ok "$desc"
		echo "#   netjoin $nj: exit $rc" | diag
		diag <"$tmp/nj.err"
		return
	fi
	if python3 "$compare_tool" "$tmp/nj.json" "$tmp/ip2.json" $opt \
		>"$tmp/cmp.out"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag <"$tmp/cmp.out"
	fi
	if [ -s "$tmp/nj.err" ]; then
		not_ok "$desc: nothing on stderr"
		diag <"$tmp/nj.err"
	fi
}

# target_is DESC NETNS KIND [PID]: .target of the last jcompare.
target_is() {
	check_eq "$1: .target.netns" "$2" "$(jq -r .target.netns "$tmp/nj.json")"
	check_eq "$1: .target.kind" "$3" "$(jq -r .target.kind "$tmp/nj.json")"
	[ $# -lt 4 ] ||
		check_eq "$1: .target.pid" "$4" "$(jq -c .target.pid "$tmp/nj.json")"
}

jcompare "-j netns:A = ip -n A -j addr" "-j netns:$A" "-n $A -j addr"
target_is "netns:A" "net:[$ino_a]" netns
jcompare "-j -d netns:A = ip -n A -j -d addr" "-j -d netns:$A" \
	"-n $A -j -d addr" --details
jcompare "-j netns:B = ip -n B -j addr" "-j netns:$B" "-n $B -j addr"
target_is "netns:B" "net:[$ino_b]" netns
jcompare "-j -d netns:W (odd names) = ip" "-j -d netns:$W" \
	"-n $W -j -d addr" --details
jcompare "-j -d netns:BIG (multi-part dumps) = ip" "-j -d netns:$BIG" \
	"-n $BIG -j -d addr" --details
jcompare "-j /run/netns/A" "-j /run/netns/$A" "-n $A -j addr"
target_is "/run/netns/A" "net:[$ino_a]" netns
jcompare "-j netns:/run/netns/A" "-j netns:/run/netns/$A" "-n $A -j addr"
target_is "netns:/run/netns/A" "net:[$ino_a]" netns
jcompare "-j pid:N" "-j pid:$spid" "-n $A -j addr"
target_is "pid:N" "net:[$ino_a]" pid "$spid"
jcompare "-j -d pid:N" "-j -d pid:$spid" "-n $A -j -d addr" --details
jcompare "-j N (bare pid)" "-j $spid" "-n $A -j addr"
target_is "bare N" "net:[$ino_a]" pid "$spid"
jcompare "-j /proc/N/ns/net" "-j /proc/$spid/ns/net" "-n $A -j addr"
target_is "/proc/N/ns/net" "net:[$ino_a]" netns
jcompare "-j host = ip -j addr" "-j host" "-j addr"
target_is "host" "$net_host" host
jcompare "-j -d host = ip -j -d addr" "-j -d host" "-j -d addr" --details

# ---- brief mode mirrors ip -br addr byte for byte -------------------------
# (but for control bytes in names: ip writes them raw, netjoin's text output
# as \xNN, so that no name drives a terminal)

# ip_esc: ip's output with control bytes other than newline and tab as \xNN
ip_esc() {
	python3 -c '
import sys
data = sys.stdin.buffer.read()
sys.stdout.buffer.write(b"".join(
    b"\\x%02x" % c if (c < 0x20 and c not in (9, 10)) or c == 0x7f else bytes([c])
    for c in data))'
}

# bcompare DESC "NJ_ARGS" "IP_ARGS": asked again if ip's answer changed.
bcompare() {
	local i rc
	for ((i = 0; i < 3; i++)); do
		ip $3 | ip_esc >"$tmp/ip0.br"
		"$NETJOIN" $2 >"$tmp/nj.br" 2>"$tmp/nj.err"
		rc=$?
		ip $3 | ip_esc >"$tmp/ip.br"
		cmp -s "$tmp/ip0.br" "$tmp/ip.br" && break
	done
	if [ $rc -eq 0 ] && cmp -s "$tmp/nj.br" "$tmp/ip.br"; then ok "$1"; else
		not_ok "$1"
		echo "netjoin exit $rc; diff -u ip netjoin (cat -A):" | diag
		diff -u <(cat -A "$tmp/ip.br") <(cat -A "$tmp/nj.br") | tail -n +3 | diag
		diag <"$tmp/nj.err"
	fi
}
bcompare "-b netns:A = ip -n A -br addr" "-b netns:$A" "-n $A -br addr"
bcompare "-b netns:B = ip -n B -br addr" "-b netns:$B" "-n $B -br addr"
bcompare "-b netns:W (odd names) = ip -n W -br addr" "-b netns:$W" "-n $W -br addr"
bcompare "-b netns:BIG = ip -n BIG -br addr" "-b netns:$BIG" "-n $BIG -br addr"
bcompare "-b host = ip -br addr" "-b host" "-br addr"

# ---- default text output ---------------------------------------------------

"$NETJOIN" "netns:$A" >"$tmp/a.txt" 2>"$tmp/nj.err"
check_eq "text netns:A exit status" 0 $?
check "text: header names net:[INODE]" \
	grep -qF "net:[$ino_a]" <(head -n1 "$tmp/a.txt")

# appears FILE WORD: WORD stands alone, not inside a longer address.
appears() {
	local re
	re=$(printf '%s' "$2" | sed 's/[][\\.^$*+?(){}|/]/\\&/g')
	grep -qE "(^|[^0-9A-Za-z.:/])$re(\$|[^0-9A-Za-z.:/])" "$1"
}
missing_names=$(jq -r '.[].ifname' "$tmp/a-ip.json" | while IFS= read -r n; do
	grep -qwF -- "$n" "$tmp/a.txt" || echo "$n"
done)
check_eq "text: every interface name appears" "" "$missing_names"
missing_addrs=$(jq -r '.[].addr_info[] | if .address
	then .local, "\(.address)/\(.prefixlen)"
	else "\(.local)/\(.prefixlen)" end' "$tmp/a-ip.json" |
	while IFS= read -r a; do appears "$tmp/a.txt" "$a" || echo "$a"; done |
	tr '\n' ' ')
check_eq "text: every address appears in CIDR form" "" "$missing_addrs"

"$NETJOIN" -d "netns:$A" >"$tmp/a-d.txt" 2>"$tmp/nj.err"
check_eq "text -d netns:A exit status" 0 $?
missing_kinds=$(for k in veth bridge macvlan vxlan ifb tun; do
	grep -qw "$k" "$tmp/a-d.txt" || echo -n "$k "
done)
check_eq "text -d: every link kind appears" "" "$missing_kinds"

# ---- running a command inside ---------------------------------------------

"$NETJOIN" "netns:$A" ip -j addr >"$tmp/in.json" 2>"$tmp/nj.err"
check_eq "netns:A ip -j addr: exit status" 0 $?
ip -n "$A" -j addr >"$tmp/ip.json"
check "netns:A ip -j addr = ip -n A -j addr" \
	quiet python3 "$compare_tool" "$tmp/in.json" "$tmp/ip.json"
"$NETJOIN" "netns:$A" ip -br addr >"$tmp/in.br" 2>&1
ip -n "$A" -br addr >"$tmp/ip.br"
check "netns:A ip -br addr = ip -n A -br addr" cmp "$tmp/in.br" "$tmp/ip.br"

check_exit "netns:A readlink /proc/self/ns/net" 0 \
	"$NETJOIN" "netns:$A" readlink /proc/self/ns/net
check_eq "netns:A: inside A's network namespace" "net:[$ino_a]" "$nj_out"
check_exit "pid:N readlink /proc/self/ns/net" 0 \
	"$NETJOIN" "pid:$spid" readlink /proc/self/ns/net
check_eq "pid:N: inside A's network namespace" "net:[$ino_a]" "$nj_out"
check_exit "host readlink /proc/self/ns/net" 0 \
	"$NETJOIN" host readlink /proc/self/ns/net
check_eq "host: stays in the host's network namespace" "$net_host" "$nj_out"

# Only the network namespace is joined: the others stay ours, even for a
# pid target whose mount namespace is not ours.
ns_others() { for t in mnt uts ipc pid user cgroup; do readlink "/proc/self/ns/$t"; done; }
ours=$(ns_others)
check_eq "netns:A: other namespaces not joined" "$ours" \
	"$("$NETJOIN" "netns:$A" sh -c 'for t in mnt uts ipc pid user cgroup; do readlink /proc/self/ns/$t; done')"
check_eq "pid:N: other namespaces not joined" "$ours" \
	"$("$NETJOIN" "pid:$spid" sh -c 'for t in mnt uts ipc pid user cgroup; do readlink /proc/self/ns/$t; done')"

check_exit "exit status propagated (7)" 7 "$NETJOIN" "netns:$A" sh -c 'exit 7'
check_exit "death by signal propagated as 128+15" 143 \
	"$NETJOIN" "netns:$A" sh -c 'kill -TERM $$'
check_exit "arguments after the command are its own" 0 \
	"$NETJOIN" "netns:$A" printf '%s|' a 'b c' -j --help
check_eq "arguments passed unchanged" "a|b c|-j|--help|" "$nj_out"
check_exit "'--' before the command" 0 "$NETJOIN" "netns:$A" -- echo x
check_eq "'--' before the command: not passed on" x "$nj_out"
check_eq "stdin passed through" "in" "$(echo in | "$NETJOIN" "netns:$A" cat)"

"$NETJOIN" "netns:$A" echo hello >"$tmp/out" 2>"$tmp/err"
check "with a command, stdout is only the command's" cmp "$tmp/out" <(echo hello)
check "with a command, stderr is only the command's" test ! -s "$tmp/err"
"$NETJOIN" "netns:$A" true >"$tmp/out" 2>&1
check "true prints nothing" test ! -s "$tmp/out"

# check_err DESC [ERE]: the error of the last check_exit is one line on
# stderr starting "netjoin: " (and matching ERE), with nothing on stdout.
check_err() {
	local desc="$1: one 'netjoin: ' line on stderr${2:+ matching /$2/}"
	if [ -z "$nj_out" ] && [ "$(printf '%s\n' "$nj_err" | wc -l)" -eq 1 ] &&
		[[ $nj_err == "netjoin: "?* ]] &&
		{ [ -z "${2:-}" ] || grep -qiE -- "$2" <<<"$nj_err"; }; then
		ok "$desc"
	else
		not_ok "$desc"
		printf 'stderr: %s\nstdout: %s\n' "$nj_err" "$nj_out" | diag
	fi
}

# check_usage_err DESC [ERE]: as check_err, but a usage error may add
# util-linux's second line pointing at --help.
try_help="Try 'netjoin --help' for more information."
check_usage_err() {
	local full=$nj_err
	nj_err=${nj_err%$'\n'"$try_help"}
	check_err "$@"
	nj_err=$full
}

check_exit "command not found: 127" 127 "$NETJOIN" "netns:$A" nj-no-such-command-$nj_id
check_err "command not found"
printf '#!/bin/sh\necho ran\n' >"$tmp/noexec"
chmod 644 "$tmp/noexec"
check_exit "command not executable: 126" 126 "$NETJOIN" "netns:$A" "$tmp/noexec"
check_err "command not executable"

# ---- errors ----------------------------------------------------------------

# check_fails DESC CMD...: like check_exit, for a failure whose exact class
# is not pinned down: any of netjoin's own error statuses (1-6).
check_fails() {
	local desc=$1 rc; shift
	nj_out=$("$@" 2>"$tmp/err"); rc=$?
	nj_err=$(cat "$tmp/err")
	if [ "$rc" -ge 1 ] && [ "$rc" -le 6 ]; then ok "$desc"; else
		not_ok "$desc"
		printf '#   expected exit 1-6, got %s; stderr: %s\n' "$rc" "$nj_err"
	fi
}

check_exit "netns:doesnotexist: 3" 3 "$NETJOIN" "netns:$nj_id-nope"
check_err "netns:doesnotexist" "$nj_id-nope"
echo plain >"$tmp/regular"
check_fails "a regular file: fails" "$NETJOIN" "$tmp/regular"
check_err "a regular file" "not a (network )?namespace"
check_fails "a directory: fails" "$NETJOIN" "$tmp"
check_err "a directory" "not a (network )?namespace"
check_fails "/proc/self/ns/mnt: fails" "$NETJOIN" /proc/self/ns/mnt
check_err "/proc/self/ns/mnt" "mount namespace|not a network namespace"
# Above PID_MAX_LIMIT no process can exist: a usage error, not a lookup.
check_exit "pid:999999999 (over PID_MAX_LIMIT): usage (2)" 2 "$NETJOIN" pid:999999999
check_usage_err "pid:999999999" "invalid PID"
# A PID in range (at most PID_MAX_LIMIT) that no process has.
unused=4194304
while [ -e "/proc/$unused" ]; do unused=$((unused - 1)); done
check_exit "pid:$unused (in range, unused): 3" 3 "$NETJOIN" "pid:$unused"
check_err "pid:$unused (in range, unused)" "no such process"
for bad in pid:0 pid:-1 pid:abc pid: ''; do
	check_exit "target '$bad': usage (2)" 2 "$NETJOIN" "$bad"
	check_usage_err "target '$bad'"
done
sleep 0.1 &
gone=$!
wait "$gone"
check_exit "pid of an exited process: 3" 3 "$NETJOIN" "pid:$gone"
check_err "pid of an exited process"
check_exit "no target: 2" 2 "$NETJOIN"
check_usage_err "no target"
check_exit "-j without target: 2" 2 "$NETJOIN" -j
check_usage_err "-j without target"
check_exit "unknown option: 2" 2 "$NETJOIN" --no-such-option host
check_usage_err "unknown option" "no-such-option"
check_exit "unknown short option: 2" 2 "$NETJOIN" -Z host
check_usage_err "unknown short option" "'-Z'"
check_exit "-j with -b: 2" 2 "$NETJOIN" -j -b host
check_usage_err "-j with -b"
check_exit "-j with a command: 2" 2 "$NETJOIN" -j "netns:$A" true
check_usage_err "-j with a command"
check_exit "--help: 0" 0 "$NETJOIN" --help
check "--help: usage on stdout, nothing on stderr" \
	eval '[ -z "$nj_err" ] && grep -qi usage <<<"$nj_out"'
check_exit "-V: 0" 0 "$NETJOIN" -V
check "-V: a version on stdout, nothing on stderr" \
	eval '[ -z "$nj_err" ] && grep -q "[0-9]" <<<"$nj_out"'
check_exit "stdout on a full disk: 1" 1 sh -c '"$0" -j host >/dev/full' "$NETJOIN"
check_err "stdout on a full disk" "space"

# ---- without privilege -----------------------------------------------------

nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
nj_unpriv=$NETJOIN
if ! "${nobody[@]}" test -x "$NETJOIN"; then
	# The build tree is not reachable by nobody: run a copy.
	mkdir "$tmp/bin" && cp "$NETJOIN" "$tmp/bin/netjoin" &&
		chmod 755 "$tmp" "$tmp/bin" "$tmp/bin/netjoin"
	nj_unpriv=$tmp/bin/netjoin
fi
check_exit "nobody, netns:A: 5" 5 "${nobody[@]}" "$nj_unpriv" "netns:$A"
check_err "nobody, netns:A" "root|CAP_SYS_ADMIN"
check_exit "nobody, pid:N of root: 5" 5 "${nobody[@]}" "$nj_unpriv" "pid:$spid"
check_err "nobody, pid:N of root" "root|CAP_SYS_ADMIN|permission"
check_exit "nobody, netns:A with a command: 5" 5 \
	"${nobody[@]}" "$nj_unpriv" "netns:$A" true
check_err "nobody, netns:A with a command"
nj_wrap=("${nobody[@]}")
NETJOIN_SAVED=$NETJOIN NETJOIN=$nj_unpriv
jcompare "nobody, -j host = ip -j addr" "-j host" "-j addr"
NETJOIN=$NETJOIN_SAVED
nj_wrap=()
check_exit "nobody, host with a command: runs it" 0 \
	"${nobody[@]}" "$nj_unpriv" host id -u
check_eq "nobody, host with a command: as nobody" 65534 "$nj_out"

# ---- stdout closed early ---------------------------------------------------

# head exits after one byte; what netjoin still writes meets EPIPE (BIG's
# listing is far larger than a pipe). Not an error: exit 0, nothing said.
for args in "-j host" "-j netns:$BIG" "netns:$BIG"; do
	"$NETJOIN" $args 2>"$tmp/pipe.err" | head -c1 >/dev/null
	st=${PIPESTATUS[0]}
	check_eq "'netjoin ${args/$BIG/BIG} | head -c1': exit 0" 0 "$st"
	check "'netjoin ${args/$BIG/BIG} | head -c1': nothing on stderr" \
		test ! -s "$tmp/pipe.err"
	[ -s "$tmp/pipe.err" ] && diag <"$tmp/pipe.err"
done
exit 0
