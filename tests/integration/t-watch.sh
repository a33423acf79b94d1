#!/usr/bin/env bash
# --watch against ip(8) in namespaces and processes made here: events of a
# netns:NAME target in JSON (the ip -j shapes of the same objects, read
# back with ip -j) and in text (ip -ts monitor's lines, recorded at the
# same time); a target that goes away (its process exits, its pin is
# removed) ends the watch with 6 within a second, holding nothing of its
# namespace; -L --watch writes events while a rescan runs; SIGTERM and a
# reader that goes away end it with 0 and whole lines; the options
# --watch refuses.
# timeout: 240
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 71

need_root
need ip
need python3
need unshare
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
# wait_exit, fds_naming, sock_netns (its own definitions below win)
# shellcheck source-path=SCRIPTDIR source=live.sh
. "$(dirname "$0")/live.sh"
on_exit "rm -rf $tmp"
A=${nj_id}wa
pids=()
# every process started here is ended on exit, by its PID
on_exit 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null'

# wait_line FILE PATTERN: until a line of FILE matches PATTERN (grep -E),
# 3 s at most
wait_line() {
	local i
	for ((i = 0; i < 60; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
wait_line_file() {
	local i
	for ((i = 0; i < 60; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
# ns_seen INODE: a process or a pin in /run/netns still shows it
# (an inode number freed is soon another namespace's on a busy node: the
# holders are named, and one started after the deletion is not counted)
ns_holders() {
	local f
	for f in /proc/[0-9]*/ns/net /run/netns/*; do
		[ "$(stat -L -c %i "$f" 2>/dev/null)" = "$1" ] && echo "$f"
	done
}
ns_gone() { # INODE SINCE_SECONDS_AGO
	local f pid old=0
	for f in $(ns_holders "$1"); do
		echo "# net:[$1] shown by $f" \
			"($(ps -o etimes=,comm= -p "$(cut -d/ -f3 <<<"$f")" 2>/dev/null))"
		pid=$(cut -d/ -f3 <<<"$f")
		case $f in
		/proc/*) [ "$(ps -o etimes= -p "$pid" 2>/dev/null)" -ge "$2" ] 2>/dev/null &&
			old=1 ;;
		*) old=1 ;;
		esac
	done
	[ "$old" = 0 ]
}

# usage
check_exit "--watch with a COMMAND: usage" 2 "$NETJOIN" --watch host ip link
check_exit "--watch with --brief: usage" 2 "$NETJOIN" -b --watch host
check_exit "--watch with --routes: usage" 2 "$NETJOIN" -r --watch host
check_exit "--watch with --find: usage" 2 "$NETJOIN" --watch --find 10.0.0.1
check_exit "--watch with --shell: usage" 2 "$NETJOIN" --watch -S host

mk_netns "$A"
ip netns exec "$A" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1
ino=$(stat -L -c %i "/run/netns/$A")

"$NETJOIN" -j --watch "netns:$A" >"$tmp/j" 2>"$tmp/j.err" &
wj=$!
pids+=("$wj")
"$NETJOIN" --watch "netns:$A" >"$tmp/t" 2>"$tmp/t.err" &
wt=$!
pids+=("$wt")
ip -n "$A" -ts monitor link address route neigh >"$tmp/ip" 2>/dev/null &
pids+=($!)
ipmon=$!
sleep 0.5 # the sockets subscribed (there is no line to wait for)

check_eq "the watch holds no nsfs fd of the namespace" 0 "$(fds_naming "$wj" "$ino")"
check_eq "... but a socket in it" 1 "$(sock_netns "$wj" | grep -cx "$ino")"
ip -n "$A" link add v0 address 02:00:00:77:00:01 type veth peer name v1 \
	address 02:00:00:77:00:02
ip -n "$A" link set v1 up
ip -n "$A" link set v0 up
t0=$(date +%s%N)
ip -n "$A" addr add 10.77.1.1/24 dev v0
check "an address's event comes within a second" \
	wait_line "$tmp/j" '"event":"new","kind":"addr".*"local":"10.77.1.1"'
t1=$(date +%s%N)
check "... measured: $(((t1 - t0) / 1000000)) ms" test $(((t1 - t0) / 1000000)) -lt 1000
ip -n "$A" route add 10.77.9.0/24 via 10.77.1.2 dev v0
ip -n "$A" neigh add 10.77.1.5 lladdr 02:00:00:77:00:05 dev v0
check "a route's event" wait_line "$tmp/j" '"kind":"route","dst":"10.77.9.0/24"'
check "a neighbour's event" wait_line "$tmp/j" '"kind":"neigh","dst":"10.77.1.5"'
check "a link's event" wait_line "$tmp/j" '"event":"new","kind":"link","ifindex":[0-9]+,"link":"v1","ifname":"v0"'

# the JSON objects are ip -j's for the same objects, plus the event's keys
ip -n "$A" -j addr show dev v0 >"$tmp/ip-addr"
ip -n "$A" -j route show table all >"$tmp/ip-route"
ip -n "$A" -j neigh show >"$tmp/ip-neigh"
ip -n "$A" -j link show dev v0 >"$tmp/ip-link"
same() { # KIND: the last event of KIND against ip -j
	python3 - "$tmp/j" "$tmp" "$1" "$A" <<'PY'
import json, sys
lines, tmp, kind, ns = sys.argv[1:]
evs = [json.loads(l) for l in open(lines)]
for e in evs:
    assert set(("time", "target", "netns", "event", "kind")) <= set(e), e
    assert e["target"] == "netns:" + ns, e
def strip(e):
    return {k: v for k, v in e.items()
            if k not in ("time", "target", "netns", "event", "kind")}
mine = [strip(e) for e in evs if e["kind"] == kind and e["event"] == "new"]
if kind == "addr":
    ip = json.load(open(tmp + "/ip-addr"))[0]
    a = [x for x in ip["addr_info"] if x["local"] == "10.77.1.1"][0]
    m = [x for x in mine if x["addr_info"][0]["local"] == "10.77.1.1"][-1]
    ok = m["addr_info"][0] == a and m["ifname"] == ip["ifname"] and m["ifindex"] == ip["ifindex"]
elif kind == "route":
    ip = [r for r in json.load(open(tmp + "/ip-route")) if r["dst"] == "10.77.9.0/24"]
    ok = [m for m in mine if m["dst"] == "10.77.9.0/24"][-1:] == ip
elif kind == "neigh":
    ip = [r for r in json.load(open(tmp + "/ip-neigh")) if r["dst"] == "10.77.1.5"]
    ok = [m for m in mine if m["dst"] == "10.77.1.5"][-1:] == ip
else:
    ip = json.load(open(tmp + "/ip-link"))[0]
    m = [x for x in mine if x["ifname"] == "v0"][-1]
    keys = ("ifindex", "ifname", "link", "flags", "mtu", "qdisc", "operstate",
            "group", "txqlen", "link_type", "address", "broadcast")
    ok = all(m.get(k) == ip.get(k) for k in keys)
    if not ok:
        print({k: (m.get(k), ip.get(k)) for k in keys if m.get(k) != ip.get(k)})
if not ok:
    print("mine:", mine, "\nip:", ip)
sys.exit(0 if ok else 1)
PY
}
for k in addr route neigh link; do
	check "JSON $k event: the object of ip -j, plus time, target, netns, event, kind" same "$k"
done

ip -n "$A" route del 10.77.9.0/24
ip -n "$A" addr del 10.77.1.1/24 dev v0
ip -n "$A" link del v0
check "an address's deletion" wait_line "$tmp/j" '"event":"del","kind":"addr".*"local":"10.77.1.1"'
check "a link's deletion" wait_line "$tmp/j" '"event":"del","kind":"link",.*"ifname":"v0"'
check "a route's deletion" wait_line "$tmp/j" '"event":"del","kind":"route","dst":"10.77.9.0/24"'
check "every JSON line parses" python3 -c '
import json, sys
for l in open(sys.argv[1]): json.loads(l)' "$tmp/j"

# text: ip -ts monitor's lines (an address's second line joined to its
# first), after the time
wait_line "$tmp/t" 'Deleted [0-9]+: v1@NONE' && wait_line "$tmp/ip" 'Deleted [0-9]+: v1@NONE'
kill "$ipmon"
body() { sed -E 's/^\[[-0-9T:.]+\] //' "$1"; }
ipjoined() { body "$tmp/ip" | sed -E ':a;N;s/\n +(valid_lft|link\/)/ \1/;ta;P;D'; }
check "text: each line begins with a time, as ip -ts" \
	python3 -c 'import re,sys; sys.exit(0 if all(re.match(r"\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\] ", l) for l in open(sys.argv[1])) else 1)' "$tmp/t"
for pat in '^10\.77\.9\.0/24 via' '^10\.77\.1\.5 dev' '^Deleted 10\.77\.1\.5 dev' \
	'^[0-9]+: v0 +inet 10\.77\.1\.1' '^Deleted [0-9]+: v0 +inet 10\.77\.1\.1' \
	'^Deleted 10\.77\.9\.0/24'; do
	line=$(body "$tmp/t" | grep -E "$pat" | tail -1)
	check_eq "text as ip monitor: ${pat//\\/}" "$(ipjoined | grep -E "$pat" | tail -1)" \
		"${line:-(no line)}"
done
check "text: a link's line as ip monitor's first, up to its group" \
	python3 - "$tmp" <<'PY'
import re, sys
t = sys.argv[1]
def links(f):
    out = []
    for l in open(f):
        m = re.match(r"\[[^]]+\] ((Deleted )?\d+: v0@v1: .* group \S+)", l)
        if m:
            out.append(m.group(1))
    return out
sys.exit(0 if links(t + "/t") == links(t + "/ip") and links(t + "/t") else 1)
PY

# the pin removed: 6 within a second, with a message, nothing kept
ip netns del "$A"
gone=$(date +%s%N)
check "netns:NAME removed: the JSON watch ends" wait_exit "$wj" 3
check_eq "... with 6" 6 "${wait_rc:-}"
check "... within a second" test $((($(date +%s%N) - gone) / 1000000)) -lt 1500
check "... saying so" grep -q "netjoin: netns:$A: /run/netns/$A was removed" "$tmp/j.err"
wait_exit "$wt" 3
check_eq "the text watch ends with 6 too" 6 "${wait_rc:-}"
check "the namespace is gone: no process or pin shows net:[$ino]" \
	ns_gone "$ino" 3

# pid:N: the process exits; the watch ends with 6, the namespace gone
unshare -n sh -c "touch $tmp/ready; exec sleep 300" &
sp=$!
pids+=("$sp")
require "the process in a namespace of its own starts" wait_line_file "$tmp/ready"
sleep 0.1 # exec'd
pino=$(stat -L -c %i "/proc/$sp/ns/net")
require "the process has a namespace of its own" test "$pino" != "$(stat -L -c %i /proc/$$/ns/net)"
"$NETJOIN" -j --watch "pid:$sp" >"$tmp/p" 2>"$tmp/p.err" &
wp=$!
pids+=("$wp")
sleep 0.3
check_eq "pid:N: the watch holds no nsfs fd of the namespace" 0 "$(fds_naming "$wp" "$pino")"
kill "$sp"
gone=$(date +%s%N)
check "pid:N exits: the watch ends" wait_exit "$wp" 3
check_eq "... with 6" 6 "${wait_rc:-}"
check "... within a second" test $((($(date +%s%N) - gone) / 1000000)) -lt 1500
check "... saying the process exited" grep -q "pid:$sp: process $sp exited" "$tmp/p.err"
check "the namespace is gone: nothing shows net:[$pino]" \
	ns_gone "$pino" 3

# SIGTERM and SIGINT: 0, the lines whole
B=${nj_id}wb
mk_netns "$B"
"$NETJOIN" -j --watch "netns:$B" >"$tmp/s" 2>"$tmp/s.err" &
ws=$!
pids+=("$ws")
sleep 0.3
for i in 1 2 3 4 5; do ip -n "$B" addr add "10.77.2.$i/24" dev lo; done
wait_line "$tmp/s" '"local":"10.77.2.5"'
kill -TERM "$ws"
check "SIGTERM ends the watch" wait_exit "$ws" 2
check_eq "... with 0" 0 "${wait_rc:-}"
check "... every line whole JSON" python3 -c '
import json, sys
d = open(sys.argv[1]).read()
assert d.endswith("\n")
for l in d.splitlines(): json.loads(l)' "$tmp/s"
"$NETJOIN" --watch "netns:$B" >"$tmp/i" 2>&1 &
wi=$!
pids+=("$wi")
sleep 0.3
kill -INT "$wi"
check "SIGINT ends it" wait_exit "$wi" 2
check_eq "... with 0" 0 "${wait_rc:-}"

# a reader that goes away: `| head -n 1` ends it after the first line
(
	"$NETJOIN" --watch "netns:$B" | head -n 1 >"$tmp/h"
	echo "${PIPESTATUS[0]}" >"$tmp/h.rc"
) &
hp=$!
pids+=("$hp")
sleep 0.3
ip -n "$B" addr add 10.77.2.9/24 dev lo
check "| head -n 1: the watch ends at once" wait_exit "$hp" 2
check_eq "... with 0" 0 "$(cat "$tmp/h.rc" 2>/dev/null)"

# -L --watch: namespaces that come and go, each line naming its target
"$NETJOIN" -j -L --watch >"$tmp/L" 2>"$tmp/L.err" &
wl=$!
pids+=("$wl")
sleep 1 # the first scan
C=${nj_id}wc
socks() { ls -l /proc/"$1"/fd 2>/dev/null | grep -c 'socket:'; }
t0=$(date +%s%N)
mk_netns "$C"
check "-L --watch: a namespace added is reported" \
	wait_line "$tmp/L" "\"target\":\"netns:$C\",\"netns\":\"net:\\[[0-9]+\\]\",\"event\":\"new\",\"kind\":\"netns\""
check "... within a second" test $((($(date +%s%N) - t0) / 1000000)) -lt 1000
cino=$(stat -L -c %i "/run/netns/$C")
ip -n "$C" addr add 10.77.3.1/8 dev lo
check "... and its events, naming it" \
	wait_line "$tmp/L" "\"target\":\"netns:$C\",.*\"event\":\"new\",\"kind\":\"addr\".*\"local\":\"10.77.3.1\""
unshare -n sh -c "touch $tmp/ready2; exec sleep 300" &
up=$!
pids+=("$up")
wait_line_file "$tmp/ready2"
check "a process's own namespace is reported, as pid:N (rescan: 2 s)" \
	wait_line "$tmp/L" "\"target\":\"pid:$up\",.*\"event\":\"new\",\"kind\":\"netns\",.*\"owners\":\\[\\]"
uino=$(stat -L -c %i "/proc/$up/ns/net")
check_eq "a socket of the watch in each namespace" "1 1" \
	"$(sock_netns "$wl" | grep -cx "$cino") $(sock_netns "$wl" | grep -cx "$uino")"
t0=$(date +%s%N)
ip netns del "$C"
check "a namespace removed is reported" \
	wait_line "$tmp/L" "\"target\":\"netns:$C\",.*\"event\":\"del\",\"kind\":\"netns\""
check "... within a second" test $((($(date +%s%N) - t0) / 1000000)) -lt 1000
check_eq "... its socket closed" 0 "$(sock_netns "$wl" | grep -cx "$cino")"
check_eq "... no nsfs fd of it held" 0 "$(fds_naming "$wl" "$cino")"
check "... the namespace gone" ns_gone "$cino" 2
t0=$(date +%s%N)
echo "# pid:$up before it is stopped: $(ps -o stat=,etimes=,comm= -p "$up")"
kill "$up"
check "a process's namespace gone with it is reported (its pidfd)" \
	wait_line "$tmp/L" "\"target\":\"pid:$up\",.*\"event\":\"del\",\"kind\":\"netns\""
check "... within a second" test $((($(date +%s%N) - t0) / 1000000)) -lt 1000
check_eq "... its socket closed" 0 "$(sock_netns "$wl" | grep -cx "$uino")"
check "... the namespace gone" ns_gone "$uino" 2
kill -TERM "$wl"
check "-L --watch: SIGTERM ends it" wait_exit "$wl" 3
check_eq "... with 0" 0 "${wait_rc:-}"
check "... every line whole JSON" python3 -c '
import json, sys
for l in open(sys.argv[1]): json.loads(l)' "$tmp/L"

# a rescan does not hold the events: with a Docker daemon that never
# answers, each rescan that finds a new namespace waits 200 ms for it;
# an address added 0.1 s after a namespace (its rescan running) is still
# written at once
cat >"$tmp/hung.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(64)
held = []
while True:
    held.append(s.accept()[0])
EOF
cat >"$tmp/lat.py" <<'EOF'
import statistics, subprocess, sys, time
out, base, keep, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
lat = []
for k in range(n):
    subprocess.run(["ip", "netns", "add", f"{base}{k}"], check=True)
    time.sleep(0.1)
    addr = f"10.77.5.{k + 1}"
    subprocess.run(["ip", "-n", keep, "addr", "add", addr + "/32", "dev", "lo"], check=True)
    t1 = time.monotonic()
    want = f'"local":"{addr}"'
    while want not in open(out).read() and time.monotonic() < t1 + 3:
        time.sleep(0.002)
    lat.append(time.monotonic() - t1)
    time.sleep(1)  # its quick rescans over
print(f"# from ip's end to the line, ms: {[round(x * 1000) for x in lat]}", file=sys.stderr)
print(round(statistics.median(lat) * 1000))
EOF
python3 "$tmp/hung.py" "$tmp/hung.sock" &
pids+=($!)
R=${nj_id}r
mk_netns "$R"
for k in 0 1 2 3 4 5; do on_exit "ip netns del $R$k"; done
wait_line_file "$tmp/hung.sock"
DOCKER_HOST="unix://$tmp/hung.sock" "$NETJOIN" -j -L --watch >"$tmp/R" 2>"$tmp/R.err" &
wr=$!
pids+=("$wr")
sleep 2 # the first scan (200 ms of it for the daemon)
med=$(python3 "$tmp/lat.py" "$tmp/R" "$R" "$R" 6)
check "-L --watch, a rescan waiting on a hung Docker daemon: events written meanwhile (median ${med:-?} ms, under 100)" \
	test "${med:-9999}" -lt 100
check_eq "... and the namespaces added meanwhile reported" 6 \
	"$(grep -cE "\"target\":\"netns:$R[0-5]\",.*\"event\":\"new\",\"kind\":\"netns\"" "$tmp/R")"
kill -TERM "$wr"
wait_exit "$wr" 3

# the open files limit: raised to the hard limit for 100 namespaces, or
# a clear error when even that is too few
for i in $(seq 1 100); do mk_netns "${nj_id}n$i"; done
prlimit --nofile=64:4096 "$NETJOIN" -L --watch >/dev/null 2>"$tmp/f.err" &
wf=$!
pids+=("$wf")
sleep 3
check "100 namespaces, 64 open files: still watching" kill -0 "$wf"
check_eq "... the soft limit raised to the hard one" 4096 \
	"$(awk '/^Max open files/ {print $4}' /proc/"$wf"/limits)"
check "... a socket for each" test "$(socks "$wf")" -ge 100
kill -TERM "$wf"
wait_exit "$wf" 3
check_exit "a hard limit of 64: exit 1" 1 prlimit --nofile=64:64 "$NETJOIN" -L --watch
check "... saying which limit" grep -q "hard limit is 64" <<<"$nj_err"
