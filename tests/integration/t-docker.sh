#!/usr/bin/env bash
# netjoin against Docker containers, on the private engine of
# scripts/docker-up.sh (never the user's own Docker). The oracle for every
# listing is the host's `ip` run by nsenter in the container's netns.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 95
here=$top/tests/integration
docker=/usr/bin/docker # /usr/local/bin/docker may be a newer, other CLI
image=netjoin-test/busybox:latest

need_root
{ [ -x "$docker" ] && [ -x /usr/sbin/dockerd ]; } || skip_all "docker.io not installed"
need nsenter
need jq
need curl
need python3
need setpriv
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

# Stop the engine at the end only if this test is the one that started it.
sock=/run/netjoin-test/docker.sock
if ! curl -fsS --max-time 2 --unix-socket "$sock" http://docker/_ping >/dev/null 2>&1; then
	on_exit "$top/scripts/docker-down.sh"
fi
if ! up=$("$top"/scripts/docker-up.sh 2>"$tmp/up.err"); then
	sed 's/^/#   /' "$tmp/up.err"
	skip_all "cannot start the private dockerd"
fi
export "${up?}" # DOCKER_HOST=unix:///run/netjoin-test/docker.sock
"$top"/scripts/mkimage.sh || skip_all "cannot build $image"

# --- helpers -----------------------------------------------------------

pid_of() { $docker inspect -f '{{.State.Pid}}' "$1"; }
id_of() { $docker inspect -f '{{.Id}}' "$1"; }
netns_of() { echo "net:[$(stat -L -c %i "/proc/$1/ns/net")]"; }

# run NAME ARGS...: a container from our image, removed on exit.
run() {
	local name=$1; shift
	on_exit "$docker rm -f $name"
	$docker run -d --name "$name" "$@" >/dev/null 2>"$tmp/run.err" ||
		{ sed 's/^/#   /' "$tmp/run.err"; return 1; }
}

# IPv6 DAD and link state settle in the first second; compare only after.
settle() { nj_settle nsenter -n -t "$1" ip; }

# json_ifaces DESC TARGET PID: `netjoin -j TARGET`.interfaces equals
# `ip -j addr` in PID's netns, on the fields ipjson_compare.py checks.
json_ifaces() { ip_json_same "$1" "$NETJOIN" -j "$2" -- nsenter -n -t "$3" ip -j addr; }

# The .target object of `netjoin -j TARGET`, one "key=value" per field.
target_of() {
	"$NETJOIN" -j "$1" 2>/dev/null |
		jq -r '.target | "kind=\(.kind) runtime=\(.runtime) id=\(.id) name=\(.name) pid=\(.pid) netns=\(.netns)"'
}
target_want() {
	echo "kind=container runtime=docker id=$(id_of "$1") name=$1 pid=$(pid_of "$1") netns=$(netns_of "$(pid_of "$1")")"
}



# fails_fast DESC ARGS...: netjoin ARGS exits non-zero within 15 s; its
# stderr is kept in $nj_err.
fails_fast() {
	local desc=$1 rc; shift
	nj_err=$(timeout 15 "$NETJOIN" "$@" 2>&1 >/dev/null); rc=$?
	if [ "$rc" != 0 ] && [ "$rc" != 124 ]; then ok "$desc: fails (exit $rc)"; else
		not_ok "$desc: fails within 15 s"; printf '#   exit %s; stderr: %s\n' "$rc" "$nj_err"
	fi
}

# --- containers --------------------------------------------------------

web=$nj_id-web     # default bridge, serves /www on $port
none=$nj_id-none   # --network none
hnet=$nj_id-hnet   # --network host (name avoids the word the check greps)
share=$nj_id-share # --network container:$web
v6=$nj_id-v6       # user-defined network with IPv6
net=$nj_id-net
port=18080

# Subnets unlikely to be in use: the engine's own pools are 10.213/10.214,
# and fd00:<this run>::/64 is not the host's fd00::/64.
v4sub=10.215.$((RANDOM % 256)).0/24
v6sub=fd00:$(printf '%x' $((RANDOM % 65535 + 1)))::/64
on_exit "$docker network rm $net"
$docker network create --ipv6 --subnet "$v6sub" --subnet "$v4sub" "$net" >/dev/null ||
	skip_all "cannot create network $net ($v4sub, $v6sub)"

run "$web" "$image" httpd -f -p "$port" -h /www || skip_all "cannot run containers"
run "$none" --network none "$image" sleep 3600
run "$hnet" --network host "$image" sleep 3600
run "$share" --network "container:$web" "$image" sleep 3600
run "$v6" --network "$net" "$image" sleep 3600
# Never started, and started then exited: both "not running".
on_exit "$docker rm -f $nj_id-created $nj_id-exited"
$docker create --name "$nj_id-created" "$image" sleep 3600 >/dev/null 2>&1
$docker run --name "$nj_id-exited" "$image" true >/dev/null 2>&1

for c in "$web" "$none" "$v6"; do settle "$(pid_of "$c")"; done
web_id=$(id_of "$web")
web_pid=$(pid_of "$web")

# --- listing: every way to name a container ----------------------------

# A bare all-digit prefix would be a PID (1 run in 300): qualify it then.
short=${web_id:0:12}
[[ $short == *[a-f]* ]] || short=docker:$short
for t in "$web_id" "$short" "$web" "/$web" "docker:$web"; do
	json_ifaces "-j $t: interfaces as ip -j addr" "$t" "$web_pid"
	check_eq "-j $t: .target" "$(target_want "$web")" "$(target_of "$t")"
done

# --- nothing matches, something close does: the hint names it -------------

check_exit "${web%b} (a name's first letters): no such target" 3 "$NETJOIN" "${web%b}"
check_eq "${web%b}: the hint names docker:${web_id:0:12} ($web)" "  docker:${web_id:0:12} ($web)" \
	"$(grep -xF "  docker:${web_id:0:12} ($web)" <<<"$nj_err")"
check_exit "${web%eb}be (two letters swapped): no such target" 3 "$NETJOIN" "${web%eb}be"
check_eq "${web%eb}be: the hint names $web" "1" "$(grep -c "($web)\$" <<<"$nj_err")"

want=$(nsenter -n -t "$web_pid" ip -br addr)
check_eq "$web ip -br addr runs the host's ip inside" "$want" "$("$NETJOIN" "$web" ip -br addr)"
check_eq "-b $web mirrors ip -br addr" "$want" "$("$NETJOIN" -b "$web")"

# Only the netns is joined: the host's files and other namespaces stay.
check_eq "command sees the container's netns" "$(readlink "/proc/$web_pid/ns/net")" \
	"$("$NETJOIN" "$web" readlink /proc/self/ns/net)"
check_eq "command keeps the host's mount ns" "$(readlink /proc/self/ns/mnt)" \
	"$("$NETJOIN" "$web" readlink /proc/self/ns/mnt)"

# --- network modes -----------------------------------------------------

check_eq "--network none: only lo" "lo" \
	"$("$NETJOIN" -j "$none" | jq -r '[.interfaces[].ifname] | join(",")')"
json_ifaces "--network none: interfaces as ip -j addr" "$none" "$(pid_of "$none")"

check_eq "--network host: host's netns" "net:[$(stat -L -c %i /proc/self/ns/net)]" \
	"$("$NETJOIN" -j "$hnet" | jq -r .target.netns)"
json_ifaces "--network host: interfaces as host's ip -j addr" "$hnet" "$$"
check_exit "--network host: text listing" 0 "$NETJOIN" "$hnet"
# Look only at stderr and the header, without the name: "scope host" in
# the listing itself would match anyway.
if { printf '%s\n' "$nj_err"; printf '%s\n' "$nj_out" | head -n 1; } |
	sed "s/$hnet//g" | grep -qi host; then
	ok "--network host: says host network mode"
else
	not_ok "--network host: says host network mode"
	printf '#   stderr: %s\n#   first line: %s\n' "$nj_err" "$(printf '%s\n' "$nj_out" | head -n 1)"
fi

check_eq "--network container:web: web's netns" "$(netns_of "$web_pid")" \
	"$("$NETJOIN" -j "$share" | jq -r .target.netns)"
check_eq "--network container:web: reaches web's httpd on 127.0.0.1" "netjoin-test" \
	"$("$NETJOIN" "$share" curl -sS --max-time 5 "http://127.0.0.1:$port/" 2>&1)"

# The namespace is web's: the sidecar is a guest in it, and every view
# names web first, whichever container the runtime lists first.
web_ns=$(netns_of "$web_pid")
check_exit "--network container:web: listed" 0 "$NETJOIN" "$share"
check "--network container:web: the header names web as the namespace's owner" \
	grep -qF "a guest in the network namespace of docker:${web_id:0:12} ($web)" <<<"$(head -n 1 <<<"$nj_out")"
check_eq "-L -j: web's namespace has web as its target" "docker:${web_id:0:12}" \
	"$("$NETJOIN" -L -j | jq -r --arg ns "$web_ns" '.namespaces[] | select(.netns == $ns) | .target')"
check_eq "-L -j: owners web, then its guest" "$web $share:true" \
	"$("$NETJOIN" -L -j | jq -r --arg ns "$web_ns" '.namespaces[] | select(.netns == $ns)
		| "\(.owners[0].name) \(.owners[1].name):\(.owners[1].guest)"')"
check "-L: web's row names docker $web, then docker $share" \
	grep -qF "docker $web, docker $share" <<<"$("$NETJOIN" -L | grep -F "$web_ns")"
web_ip=$($docker inspect -f '{{.NetworkSettings.IPAddress}}' "$web")
check "--find web's address: its row names web first" \
	grep -qF "docker $web, docker $share" <<<"$("$NETJOIN" --find "$web_ip")"
check "host veth of web's eth0: its peer label names web, then its guest" \
	grep -qF "in docker:${web_id:0:12} (docker $web, docker $share)" <<<"$("$NETJOIN" host)"

v6_pid=$(pid_of "$v6")
v6_addr=$($docker inspect -f "{{(index .NetworkSettings.Networks \"$net\").GlobalIPv6Address}}" "$v6")
check "user network: docker reports an IPv6 address" test -n "$v6_addr"
check_eq "user network: eth0 has $v6_addr/64" "$v6_addr/64" \
	"$("$NETJOIN" -j "$v6" | jq -r --arg a "$v6_addr" '.interfaces[] | select(.ifname == "eth0")
		| .addr_info[] | select(.family == "inet6" and .local == $a) | "\(.local)/\(.prefixlen)"')"
json_ifaces "user network: interfaces as ip -j addr" "$v6" "$v6_pid"

# --- errors ------------------------------------------------------------

check_exit "never started container: exit 6" 6 "$NETJOIN" "$nj_id-created"
err_line "never started container: one netjoin: line"
check_exit "exited container: exit 6" 6 "$NETJOIN" "docker:$nj_id-exited"
err_line "exited container: one netjoin: line"
check_exit "unknown name: exit 3" 3 "$NETJOIN" "$nj_id-nosuch"
err_line "unknown name: one netjoin: line"
check_exit "unknown docker:name: exit 3" 3 "$NETJOIN" "docker:$nj_id-nosuch"

# Ambiguous prefix: running containers until two IDs share a first hex
# letter. A letter, not a digit: netjoin reads a bare number as a PID.
declare -A by_digit=()
amb=
note() {
	local id d
	id=$(id_of "$1"); d=${id:0:1}
	case $d in [a-f]) ;; *) return ;; esac
	if [ -n "${by_digit[$d]:-}" ]; then amb="$d ${by_digit[$d]} $1"; fi
	by_digit[$d]=$1
}
for c in "$web" "$none" "$hnet" "$share" "$v6"; do [ -n "$amb" ] || note "$c"; done
i=0
while [ -z "$amb" ] && [ "$i" -lt 60 ]; do # 7 letter IDs surely collide
	c=$nj_id-amb$i; i=$((i + 1))
	run "$c" --network none "$image" sleep 3600 || break
	note "$c"
done
if [ -n "$amb" ]; then
	read -r d c1 c2 <<<"$amb"
	check_exit "ambiguous prefix docker:$d: exit 4" 4 "$NETJOIN" "docker:$d"
	check_exit "ambiguous prefix $d: exit 4" 4 "$NETJOIN" "$d"
	err_line "ambiguous prefix: starts with a netjoin: line" multi
	for c in "$c1" "$c2"; do
		id=$(id_of "$c")
		err_has "ambiguous prefix: lists $c" "${id:0:12}" "$c"
	done
else
	not_ok "could not make two container IDs share a first letter"
fi

# The private socket is root-only, and setns needs CAP_SYS_ADMIN.
nj=$NETJOIN
if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$nj"; then
	chmod 755 "$tmp" && cp "$NETJOIN" "$tmp/netjoin" && nj=$tmp/netjoin
fi
check_exit "non-root: exit 5" 5 setpriv --reuid=65534 --regid=65534 --clear-groups "$nj" "$web"
err_line "non-root: one netjoin: line"

# Daemon unreachable, or not a unix socket: fail, and in bounded time.
DOCKER_HOST=unix:///nonexistent.sock fails_fast "unreachable daemon" "docker:$web"
err_has "unreachable daemon: names the socket" /nonexistent.sock
err_line "unreachable daemon: one netjoin: line"
# A socket nobody listens on (refused), and one that accepts and never
# answers (a hung daemon): the latter needs netjoin's own timeout.
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tmp/dead.sock"
DOCKER_HOST=unix://$tmp/dead.sock fails_fast "refused connection" "docker:$web"
err_has "refused connection: names the socket" "$tmp/dead.sock"
err_line "refused connection: one netjoin: line"
python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8); held = []
while True: held.append(s.accept()[0])' "$tmp/hung.sock" &
on_exit "kill $!"
for ((i = 0; i < 50; i++)); do [ -S "$tmp/hung.sock" ] && break; sleep 0.1; done
DOCKER_HOST=unix://$tmp/hung.sock fails_fast "hung daemon" "docker:$web"
err_has "hung daemon: names the socket" "$tmp/hung.sock"
err_line "hung daemon: one netjoin: line"
DOCKER_HOST=tcp://127.0.0.1:2375 fails_fast "tcp DOCKER_HOST" "docker:$web"
err_has "tcp DOCKER_HOST: says only unix:// is supported" 'unix://'
err_line "tcp DOCKER_HOST: one netjoin: line"

# --- commands ----------------------------------------------------------

check_exit "command not found: 127" 127 "$NETJOIN" "$web" "$nj_id-no-such-command"
err_line "command not found: one netjoin: line"
printf '#!/bin/sh\n' >"$tmp/noexec"
chmod 644 "$tmp/noexec"
check_exit "command not executable: 126" 126 "$NETJOIN" "$web" "$tmp/noexec"
err_line "command not executable: one netjoin: line"
check_exit "command's exit status is propagated" 7 "$NETJOIN" "$web" sh -c 'exit 7'

# --- watch, top and capture: a container started and stopped meanwhile --

# -L --watch sees $live started; a test namespace $pn pings it through a
# veth of its own (p1 - nj1) while --top samples and --capture writes;
# --watch follows an address added inside; `docker stop` ends the
# single-target watches with 6, -L --watch reports it, and nothing holds
# the namespace any more (nj1, and so p1, is destroyed with it).
# shellcheck source-path=SCRIPTDIR source=live.sh
. "$here/live.sh"
live_begin
live=$nj_id-live
pn=${nj_id}p
mk_netns "$pn"
ip netns exec "$pn" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1

live_watch_all "$tmp/L" "$tmp/LT" "$(stat -L -c %i "/run/netns/$pn")"
require "docker run $live" run "$live" "$image" sleep 3600
t0=${EPOCHREALTIME/./}
live_pid=$(pid_of "$live")
live_ino=$(stat -L -c %i "/proc/$live_pid/ns/net")
# jq_line FILE FILTER: a line of FILE (JSON lines) that names $live's
# namespace is one FILTER selects
jq_line() { grep -F "net:[$live_ino]" "$1" | jq -c "select($2)" 2>/dev/null | grep -q .; }
# The private engine's exec root is not /run/docker, where -L --watch's
# inotify looks: its rescan (every 2 s) is what finds the container here.
check "-L --watch: $live started is reported new" \
	wait_for 5 jq_line "$tmp/L" ".event == \"new\" and .kind == \"netns\" and .netns_inode == $live_ino"
# Seen in the middle of docker run, it may have no owners yet (pid:N):
# then it is reported again once Docker's state names it.
lt=$("$NETJOIN" -j -L | jq -r --argjson i "$live_ino" '.namespaces[] | select(.netns_inode == $i) | .target')
named=".kind == \"netns\" and .event == \"new\" and .target == \"$lt\"
	and ([.owners[].name] | index(\"$live\") != null)"
check "-L --watch: $live reported as -L names it ($lt), owned by $live" \
	wait_for 3 jq_line "$tmp/L" "$named"
new=$(grep -F "net:[$live_ino]" "$tmp/L" | jq -c "select($named)" | head -n 1)
ms=$((($(date -d "$(jq -r .time <<<"$new")" +%s%6N) - t0) / 1000))
check "... within 2.5 s of docker run's end (the rescan period): $ms ms" test -n "$new" -a "$ms" -lt 2500
check "-L --watch (text): [TIME] [TARGET] netns net:[$live_ino] OWNERS" \
	wait_for 3 grep -qE "^\[[-0-9T:.]+\] \[[^]]+\] netns net:\[$live_ino\] " "$tmp/LT"

require "a veth from $pn into $live" veth_in "$pn" "$live_pid" 1
live_bg "$tmp/wj" "$tmp/wj.err" -j --watch "$live"
wj=$bg_pid
live_bg "$tmp/wt" "$tmp/wt.err" --watch "$live"
wt=$bg_pid
pids+=("$wj" "$wt")
check "--watch $live: a socket in its namespace" wait_for 5 sock_in "$wj" "$live_ino"
check_eq "... but no nsfs fd of it" 0 "$(fds_naming "$wj" "$live_ino")"
wait_for 5 sock_in "$wt" "$live_ino" # the text one subscribed too
a=192.0.2.$((RANDOM % 200 + 20))
"$NETJOIN" "$live" ip addr add "$a/32" dev eth0
check "--watch -j $live: the address added inside, kind addr, event new, target $live" \
	wait_for 3 jq_line "$tmp/wj" ".event == \"new\" and .kind == \"addr\" and .target == \"$live\"
		and .ifname == \"eth0\" and .addr_info[0].local == \"$a\""
check "--watch $live (text): as ip monitor, after the time" \
	wait_for 3 grep -qE "^\[[-0-9T:.]+\] [0-9]+: eth0 +inet $a/32 scope global eth0" "$tmp/wt"
check "-L --watch: the same event, with the target it reported the namespace as ($lt)" \
	wait_for 3 jq_line "$tmp/L" ".event == \"new\" and .kind == \"addr\" and .target == \"$lt\"
		and .addr_info[0].local == \"$a\""

# --top: the node, then the container per interface, while $pn pings it
require "$pn pings $live" pinging "$pn" "$live_net.6" 50 "$tmp/ping.out"
pids+=("$ping_pid")
"$NETJOIN" --top --count 3 --interval 0.2 -j >"$tmp/top.json" 2>"$tmp/top.err"
check_eq "--top --count 3 --interval 0.2 -j: exit 0, three samples" "0 3" "$? $(wc -l <"$tmp/top.json")"
# top_row FILTER: FILTER on $live's row in each sample, one a line
top_row() { jq -c --argjson i "$live_ino" "[.namespaces[] | select(.netns == \$i)] | $1" "$tmp/top.json" 2>/dev/null; }
want=docker:$(id_of "$live" | cut -c1-12)
check_eq "... $live's namespace: a row each, its target $want, owned by docker $live" \
	"$(printf '["%s"]\n' "$want $live" "$want $live" "$want $live")" \
	"$(top_row 'map("\(.target) \([.owners[] | select(.runtime == "docker") | .name] | join(","))")')"
# moved FILE FILTER: the packets received and sent that the rows FILTER
# selects (one a sample) show, rate x interval summed over the samples
moved() {
	jq -r "$2"' | "\(.rx_packets_per_s * .i) \(.tx_packets_per_s * .i)"' "$1" |
		awk '{ rx += $1; tx += $2 } END { printf "%.0f %.0f\n", rx, tx }'
}
n=$(moved "$tmp/top.json" ".interval as \$i | .namespaces[] | select(.netns == $live_ino) | . + {i: \$i}")
check "... its rx and tx rates, while pinged, are not 0 (packets over the samples: $n)" \
	test "${n% *}" -gt 0 -a "${n#* }" -gt 0
"$NETJOIN" --top --count 2 --interval 0.2 -j "$live" >"$tmp/topt.json" 2>"$tmp/topt.err"
rc=$?
ifs=$(nsenter -n -t "$live_pid" ip -j link | jq -r '[.[].ifname] | sort | join(" ")')
check_eq "--top $live: exit 0; each sample names it, a row for each interface ip link shows" \
	"0|$live $ifs|$live $ifs" \
	"$rc|$(jq -r '"\(.target) \([.interfaces[].ifname] | sort | join(" "))"' "$tmp/topt.json" | paste -sd'|')"
n=$(moved "$tmp/topt.json" '.interval as $i | .interfaces[] | select(.ifname == "nj1") | . + {i: $i}')
check "... nj1, the pinged one: rx and tx rates not 0 (packets: $n)" \
	test "${n% *}" -gt 0 -a "${n#* }" -gt 0

# --capture: 20 packets, the pings and their replies, on nj1. The filter
# keeps out what eth0, on a bridge with IPv6, may carry meanwhile (a CI
# run once caught one such packet there: router solicitations, MLD).
if command -v tshark >/dev/null && command -v capinfos >/dev/null; then
	f=$tmp/live.pcapng
	timeout 20 "$NETJOIN" --capture -f icmp -c 20 -w "$f" "$live" 2>"$tmp/cap.err"
	check_eq "--capture -f icmp -c 20 -w FILE $live: exit 0" 0 "$?"
	check "... tshark and capinfos read it, without a warning" reads_whole "$f"
	check_eq "... an interface block each, named $live:IFACE, described as owned by docker $live" \
		"$live:eth0=docker $live|$live:nj1=docker $live" "$(if_blocks "$f" | paste -sd'|')"
	check_eq "... 20 packets, all on $live:nj1: the pings and their replies" "20 $live:nj1 0,8" \
		"$(frames "$f" | wc -l) $(frames "$f" | cut -f1 | sort -u | paste -sd,) $(frames "$f" | cut -f2 | grep . | sort -u | paste -sd,)"
else
	for i in 1 2 3 4; do missing "tshark and capinfos (scripts/deps.sh --it)"; done
fi
kill "$ping_pid"

# docker stop: the watches end, the namespace is freed
t0=$(date +%s%N)
$docker stop -t 0 "$live" >/dev/null
live_watch_ended "docker stop $live" "$live"
live_ns_freed "$lt" "$live_ino" "$tmp/L" "$tmp/LT"
live_watch_all_end "$tmp/L"
echo "# $nj_name: watch, top and capture: $((SECONDS - live_t0)) s"
