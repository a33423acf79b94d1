#!/usr/bin/env bash
# --top against namespaces made here. A sends UDP to B through a veth pair
# at a steady rate, and raw frames through a pair of its own; C is idle,
# and its veth pair is deleted and made again (same names and ifindexes,
# counters back to 0) between two samples; D is deleted and E added
# between two samples. No namespace here has IPv6, so nothing moves an
# idle counter. A per-interface run is compared with the counters
# ip -s -j link saw move; text, a terminal (a pty with a window of 12x60:
# q, SIGTERM), SIGTERM and a closed pipe end it cleanly; a target that
# goes away (pin removed, process exited) ends it with 6.
# timeout: 180
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 44

need_root
need ip
need python3
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

# the machine's own Docker daemon is not asked: a slow answer (3 s at
# most) in a sample would move the samples this test times its changes by
export DOCKER_HOST=unix:///nonexistent
tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
# wait_exit, fds_naming, sock_netns (its own definitions below win)
# shellcheck source-path=SCRIPTDIR source=live.sh
. "$(dirname "$0")/live.sh"
on_exit "rm -rf $tmp"
A=${nj_id}ta B=${nj_id}tb C=${nj_id}tc D=${nj_id}td E=${nj_id}te
RATE=200  # frames a second, each way A sends
FRAME=1042 # bytes: a 1000-byte UDP payload, its IPv4, UDP and Ethernet headers

for n in "$A" "$B" "$C" "$D"; do
	mk_netns "$n"
done
# E is made during a run; removed on exit whatever happened
on_exit "ip netns del $E"

quiet() { # NS: no IPv6 (no DAD, router or listener reports)
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
}
# c0/c1 in C, at ifindexes 50/51, up
mk_c() {
	ip -n "$C" link add c0 index 50 type veth peer name c1 index 51 &&
		ip -n "$C" link set c0 up && ip -n "$C" link set c1 up
}
setup() {
	set -e
	local n
	for n in "$A" "$B" "$C" "$D"; do quiet "$n"; done
	ip -n "$A" link add a0 type veth peer name b0 netns "$B"
	ip -n "$A" addr add 10.78.0.1/24 dev a0
	ip -n "$B" addr add 10.78.0.2/24 dev b0
	ip -n "$A" link set a0 up
	ip -n "$B" link set b0 up
	ip -n "$A" link add x0 type veth peer name x1
	ip -n "$A" link set x0 up
	ip -n "$A" link set x1 up
	mk_c
}
(setup)
require_eq "setup of $A, $B, $C, $D" 0 "$?"

# raw frames of FRAME bytes on IFACE: frames.py IFACE COUNT RATE (0: at once)
cat >"$tmp/frames.py" <<'EOF'
import socket, sys, time
iface, count, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
frame = b"\xff" * 6 + b"\x02" + bytes(5) + b"\x88\xb5" + bytes(1042 - 14)
t0 = time.monotonic()
for i in range(count):
    if rate:
        time.sleep(max(0.0, t0 + i / rate - time.monotonic()))
    s.send(frame)
EOF
# the steady traffic: UDP to B and frames on x0, RATE a second each,
# paced on the clock (a late wake-up sends what is due), for 60 s at most
cat >"$tmp/send.py" <<'EOF'
import socket, sys, time
rate = float(sys.argv[1])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
r.bind(("x0", 0))
frame = b"\xff" * 6 + b"\x02" + bytes(5) + b"\x88\xb5" + bytes(1042 - 14)
t0, sent = time.monotonic(), 0
while time.monotonic() < t0 + 60:
    due = int((time.monotonic() - t0) * rate)
    while sent < due:
        u.sendto(bytes(1000), ("10.78.0.2", 7777))
        r.send(frame)
        sent += 1
    time.sleep(0.01)
EOF
ip netns exec "$B" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.78.0.2", 7777))
while True:
    s.recv(65536)
' &
recv_pid=$!
on_exit "kill $recv_pid"
# C's c0 has counted 2000 frames before any sample: after it is made
# again, its counters are far below what the first sample read
ip netns exec "$C" python3 "$tmp/frames.py" c0 2000 0
require "C's c0 counted its frames" \
	test "$(ip -n "$C" -j -s link show c0 | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["packets"])')" -ge 2000
ip netns exec "$A" python3 "$tmp/send.py" "$RATE" &
send_pid=$!
on_exit "kill $send_pid"
sleep 1.5 # ARP done, the rate steady

# two sets of rates, 2 s apart; between the first two samples (a second
# in) D goes, E comes, and C's pair is made again with the same
# ifindexes. On a busy machine the first sample can come after that:
# then D is in no set, and the run is made again with a new D and E (two
# more tries at most).
run_node() {
	"$NETJOIN" --top -j --count 2 --interval 2 >"$tmp/node.json" 2>"$tmp/node.err" &
	top_pid=$!
	sleep 1
	ip netns del "$D"
	ip netns add "$E" && quiet "$E"
	ip -n "$C" link del c0 && mk_c
	wait "$top_pid"
}
for try in 1 2 3; do
	run_node
	rc=$?
	grep -q "\"netns:$D\"" "$tmp/node.json" && break
	echo "# try $try: the first sample came after $D was deleted"
	[ "$try" = 3 ] && break
	D=${nj_id}td$try E=${nj_id}te$try
	mk_netns "$D"
	quiet "$D"
	on_exit "ip netns del $E"
	ip netns exec "$C" python3 "$tmp/frames.py" c0 2000 0
done
check_eq "--top -j --count 2 --interval 2 exits 0" "0 " "$rc $(cat "$tmp/node.err")"

cat >"$tmp/judge.py" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
A, B, C, D, E = sys.argv[2:7]
frame, rate = 1042, 200
sets = [json.loads(l) for l in lines]
def ns(s, name):
    return [r for r in s["namespaces"] if r["target"] == "netns:" + name]
def total(r):
    return r["rx_bytes_per_s"] + r["tx_bytes_per_s"]
def near(v, want):
    return 0.5 * want <= v <= 1.5 * want
keys = ["rx_bytes_per_s", "tx_bytes_per_s", "rx_packets_per_s",
        "tx_packets_per_s", "errors_per_s", "drops_per_s"]
check = sys.argv[7]
s1, s2 = sets if len(sets) == 2 else (None, None)
if check == "lines":
    ok = len(sets) == 2 and all(set(s) == {"time", "interval", "namespaces"} for s in sets)
elif check == "shape":
    import re
    ok = all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", s["time"])
             and 1.5 < s["interval"] < 3 for s in sets)
    for s in sets:
        for r in s["namespaces"]:
            ok &= isinstance(r["netns"], int) and isinstance(r["owners"], list)
            ok &= all(isinstance(r[k], (int, float)) and r[k] >= 0 for k in keys)
            ok &= r.get("state", "live") in ("live", "new", "gone") and r.get("state") != "live"
elif check == "sorted":
    ok = all([total(r) for r in s["namespaces"]] ==
             sorted((total(r) for r in s["namespaces"]), reverse=True) for s in sets)
elif check == "first":
    ours = lambda s: [r["target"] for r in s["namespaces"]
                      if r["target"].startswith("netns:" + A[:-2])]
    ok = all(ours(s)[:2] == ["netns:" + A, "netns:" + B] for s in sets)
elif check == "rate":
    a, b = ns(s2, A)[0], ns(s2, B)[0]
    print("# A:", a, "\n# B:", b, file=sys.stderr)
    ok = (near(a["tx_bytes_per_s"], 2 * rate * frame) and near(a["rx_bytes_per_s"], rate * frame)
          and near(a["tx_packets_per_s"], 2 * rate) and near(b["rx_bytes_per_s"], rate * frame)
          and b["tx_bytes_per_s"] < 0.05 * rate * frame)
elif check == "idle":
    ok = all(total(r) == 0 and r["rx_packets_per_s"] == 0 and r["tx_packets_per_s"] == 0
             for s in sets for r in ns(s, C) + ns(s, E))
elif check == "recreated":
    c = ns(s1, C)
    ok = len(c) == 1 and "state" not in c[0] and all(c[0][k] == 0 for k in keys)
elif check == "gone":
    d1, d2 = ns(s1, D), ns(s2, D)
    ok = (len(d1) == 1 and d1[0].get("state") == "gone" and all(d1[0][k] == 0 for k in keys)
          and not d2)
elif check == "new":
    e1, e2 = ns(s1, E), ns(s2, E)
    ok = (len(e1) == 1 and e1[0].get("state") == "new" and all(e1[0][k] == 0 for k in keys)
          and len(e2) == 1 and "state" not in e2[0])
elif check == "owners":
    b = ns(s2, B)[0]
    ok = b["owners"] == [] and b["netns"] > 0
if not ok and s1 is not None:
    for i, s in enumerate(sets):
        print(f"# set {i + 1}: {s['time']} over {s['interval']} s:",
              [(r["target"], r["netns"], r.get("state")) for r in s["namespaces"]],
              file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
judge() { python3 "$tmp/judge.py" "$tmp/node.json" "$A" "$B" "$C" "$D" "$E" "$@"; }
check "  two JSON lines, each {time, interval, namespaces}" judge lines
check "  time is ISO-8601 UTC with milliseconds, interval the seconds measured; rates are numbers >= 0, state only new or gone" judge shape
check "  namespaces busiest first (rx + tx bytes)" judge sorted
check "  the busy namespace first of ours, the one it sends to second" judge first
check "  its rates are those of the traffic sent (within 50%)" judge rate
check "  idle namespaces (C, E) at 0" judge idle
check "  a veth made again between samples (counters back to 0) gives 0, not a negative or huge rate" judge recreated
check "  a namespace deleted between samples is shown once, as gone" judge gone
check "  one added is shown as new with no rates, then with its rates" judge new
check "  netns is the inode, owners an array" judge owners

# per interface, against ip: exactly 20 frames on a pair of Q's own, a
# second after the start of two intervals of 2 s (the first sample is
# taken at the start); the rates times the intervals are what ip saw move
Q=${nj_id}tq
mk_netns "$Q"
(set -e; quiet "$Q"; ip -n "$Q" link add q0 type veth peer name q1
	ip -n "$Q" link set q0 up; ip -n "$Q" link set q1 up)
require_eq "setup of $Q" 0 "$?"
ip -n "$Q" -s -j link >"$tmp/q.before"
"$NETJOIN" --top -j --count 2 --interval 2 "netns:$Q" >"$tmp/q.json" 2>"$tmp/q.err" &
top_pid=$!
sleep 1
ip netns exec "$Q" python3 "$tmp/frames.py" q0 20 0
wait "$top_pid"
check_eq "--top -j --count 2 netns:Q exits 0" "0 " "$? $(cat "$tmp/q.err")"
ip -n "$Q" -s -j link >"$tmp/q.after"
cat >"$tmp/q.py" <<'EOF'
import json, sys
out = [json.loads(l) for l in open(sys.argv[1])]
before = {l["ifname"]: l["stats64"] for l in json.load(open(sys.argv[2]))}
after = {l["ifname"]: l["stats64"] for l in json.load(open(sys.argv[3]))}
check = sys.argv[4]
rows = [{r["ifname"]: r for r in s["interfaces"]} for s in out]
if check == "shape":
    busy = [s for s in out if s["interfaces"][0]["tx_bytes_per_s"] + s["interfaces"][0]["rx_bytes_per_s"]]
    ok = (len(out) == 2 and all(sorted(r) == sorted(after) for r in rows)
          and all(s["target"] == sys.argv[5] and isinstance(s["netns"], int) for s in out)
          and rows[0]["q0"]["kind"] == "veth" and "kind" not in rows[0]["lo"] and len(busy) == 1
          and [r["ifname"] for r in busy[0]["interfaces"]][:2] in (["q0", "q1"], ["q1", "q0"]))
else:
    ok = True
    for name in after:
        for d, key in (("rx", "bytes"), ("tx", "bytes"), ("rx", "packets"), ("tx", "packets")):
            moved = after[name][d][key] - before[name][d][key]
            got = sum(r[name][f"{d}_{key}_per_s"] * s["interval"] for r, s in zip(rows, out))
            if abs(got - moved) > 0.002 * max(moved, 1) + 0.01:
                print(f"# {name} {d} {key}: ip saw {moved}, rate x interval {got}", file=sys.stderr)
                ok = False
    ok &= after["q0"]["tx"]["packets"] - before["q0"]["tx"]["packets"] == 20
sys.exit(0 if ok else 1)
EOF
check "  one row per interface (lo too) in each set; the busy pair first in the set with the frames" \
	python3 "$tmp/q.py" "$tmp/q.json" "$tmp/q.before" "$tmp/q.after" shape "netns:$Q"
check "  each interface's rates x interval are the counters ip -s -j link saw move" \
	python3 "$tmp/q.py" "$tmp/q.json" "$tmp/q.before" "$tmp/q.after" counters

# text, piped: a table a sample, a blank line between
"$NETJOIN" --top --count 2 --interval 0.3 >"$tmp/node.txt" 2>"$tmp/txt.err"
check_eq "--top --count 2 piped exits 0" "0 " "$? $(cat "$tmp/txt.err")"
check_eq "  two tables, one blank line between them" "2 1" \
	"$(grep -c '^TARGET  *RX B/s  TX B/s  RX p/s  TX p/s   ERR/s  DROP/s  OWNERS$' "$tmp/node.txt") $(grep -c '^$' "$tmp/node.txt")"
check "  each begins with the time and the seconds its rates are over" \
	test "$(grep -cE '^[0-9-]{10}T[0-9:.]{12}Z  rates over [0-9.]+ s  [0-9]+ namespaces$' "$tmp/node.txt")" = 2
check "  the busy namespace's row: its target, rates, owner process" \
	grep -qE "^netns:$A +[0-9.]+[kM]? +[0-9.]+[kM]? .* python3\\([0-9]+\\)$" "$tmp/node.txt"
"$NETJOIN" --top --count 1 --interval 0.3 "netns:$A" >"$tmp/a.txt" 2>&1
check "--top TARGET text: a row per interface with its kind" \
	grep -qE '^x0 +[0-9.]+[kM]? .* veth$' "$tmp/a.txt"
check "  under an IFNAME header" grep -q '^IFNAME  *RX B/s' "$tmp/a.txt"

# a terminal: a pty of 12 rows and 60 columns
cat >"$tmp/term.py" <<'EOF'
import fcntl, os, pty, re, select, signal, struct, subprocess, sys, termios, time
how, out_file = sys.argv[1], sys.argv[2]
m, s = pty.openpty()
fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack("HHHH", 12, 60, 0, 0))
before = termios.tcgetattr(s)
p = subprocess.Popen(sys.argv[3:], stdin=s, stdout=s, stderr=s, start_new_session=True,
                     preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
out = b""
def read_for(t):
    global out
    end = time.monotonic() + t
    while time.monotonic() < end:
        if select.select([m], [], [], 0.05)[0]:
            out += os.read(m, 65536)
read_for(2.0)
changed = termios.tcgetattr(s) != before
if how == "q":
    os.write(m, b"q")
else:
    p.send_signal(signal.SIGTERM)
try:
    rc = p.wait(5)
except subprocess.TimeoutExpired:
    p.kill()
    rc = "hung"
read_for(0.3)
open(out_file, "wb").write(out)
frames = out.split(b"\x1b[H\x1b[2J")
lines = [l for f in frames[1:] for l in f.split(b"\x1b[")[0].split(b"\r\n")]
print(rc, changed, termios.tcgetattr(s) == before,
      out.startswith(b"\x1b[?1049h"), out.endswith(b"\x1b[?25h\x1b[?1049l"),
      len(frames) >= 3, max(len(l.decode()) for l in lines) <= 60,
      all(f.count(b"\r\n") <= 11 for f in frames[1:]))
EOF
want="0 True True True True True True True"
check_eq "a terminal: q ends it (exit 0; settings changed while it ran, the same after; alternate screen entered and left last; frames redrawn, no line over 60 columns, none over 11 lines)" \
	"$want" "$(python3 "$tmp/term.py" q "$tmp/pty-q.out" "$NETJOIN" --top --interval 0.5)"
check "  the frames show our namespaces" grep -q "netns:$A" "$tmp/pty-q.out"
check_eq "a terminal: SIGTERM ends it the same way" "$want" \
	"$(python3 "$tmp/term.py" term "$tmp/pty-t.out" "$NETJOIN" --top --interval 0.5)"
check_eq "a terminal, one target: q ends it the same way" "$want" \
	"$(python3 "$tmp/term.py" q "$tmp/pty-a.out" "$NETJOIN" --top --interval 0.5 "netns:$A")"

# piped: SIGTERM ends it, every line whole; so does SIGINT (started from
# python: a background job of this shell would have SIGINT ignored)
cat >"$tmp/sig.py" <<'EOF'
import signal, subprocess, sys, time
with open(sys.argv[2], "w") as out, open(sys.argv[3], "w") as err:
    p = subprocess.Popen(sys.argv[4:], stdout=out, stderr=err)
    time.sleep(1.2)
    p.send_signal(getattr(signal, "SIG" + sys.argv[1]))
    try:
        print(p.wait(5))
    except subprocess.TimeoutExpired:
        p.kill()
        print("hung")
EOF
for sig in TERM INT; do
	rc=$(python3 "$tmp/sig.py" "$sig" "$tmp/sig.json" "$tmp/sig.err" \
		"$NETJOIN" --top -j --interval 0.3)
	check_eq "piped, SIG$sig: exit 0, nothing on stderr" "0 " "$rc $(cat "$tmp/sig.err")"
	check "  every line written is a whole JSON object" python3 -c '
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "" and len(lines) >= 3
for l in lines[:-1]:
    json.loads(l)' "$tmp/sig.json"
done

# a reader that goes away
timeout 20 bash -c '"$1" --top -j --interval 0.2 2>"$2" | head -1 >/dev/null; echo "${PIPESTATUS[0]}"' \
	_ "$NETJOIN" "$tmp/pipe.err" >"$tmp/pipe.rc"
check_eq "a closed pipe (| head -1) ends it with exit 0, nothing on stderr" "0 " \
	"$(cat "$tmp/pipe.rc") $(cat "$tmp/pipe.err")"

# a target that goes away (its pin removed, its process exited) ends
# --top TARGET with 6 within a second, between samples 5 s apart, and
# nothing of netjoin's is left in its namespace
# socks_in PID INODE: how many of PID's sockets are in net:[INODE]
socks_in() { sock_netns "$1" | grep -cx "$2"; }
# ns_gone DEV INODE: no process, no fd of one, and no pin shows that
# namespace (an inode freed may soon be another namespace's: holders
# younger than 2 s, started after the deletion, are named, not counted)
ns_gone() {
	python3 - "$1" "$2" <<'PY'
import glob, os, sys
want = (int(sys.argv[1]), int(sys.argv[2]))
hz, up = os.sysconf("SC_CLK_TCK"), float(open("/proc/uptime").read().split()[0])
def age(pid):
    try:
        st = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return up - int(st[19]) / hz
    except OSError:
        return 0
old = False
for f in glob.glob("/proc/[0-9]*/ns/net") + glob.glob("/proc/[0-9]*/fd/*") + glob.glob("/run/netns/*"):
    try:
        st = os.stat(f)
    except OSError:
        continue
    if (st.st_dev, st.st_ino) != want:
        continue
    a = age(f.split("/")[2]) if f.startswith("/proc/") else None
    print(f"# {want} shown by {f}", "" if a is None else f"(started {a:.1f} s ago)")
    old |= a is None or a >= 2
sys.exit(1 if old else 0)
PY
}
G=${nj_id}tg
mk_netns "$G"
gino=$(stat -L -c %i "/run/netns/$G") gdev=$(stat -L -c %d "/run/netns/$G")
"$NETJOIN" --top -j --interval 5 "netns:$G" >"$tmp/g.json" 2>"$tmp/g.err" &
gp=$!
on_exit "kill $gp"
sleep 1
check_eq "--top netns:NAME holds no nsfs fd of it, and one socket in it" "0 1" \
	"$(fds_naming "$gp" "$gino") $(socks_in "$gp" "$gino")"
ip netns del "$G"
t0=$(date +%s%N)
wait_rc=
wait_exit "$gp" 3
check_eq "its pin removed: it ends with 6 within a second" "6 yes" \
	"${wait_rc:-running} $([ $((($(date +%s%N) - t0) / 1000000)) -lt 1000 ] && echo yes)"
check "  saying so" grep -q "^netjoin: netns:$G: /run/netns/$G was removed or replaced" "$tmp/g.err"
check "  nothing shows the namespace any more, netjoin's fds included" ns_gone "$gdev" "$gino"

unshare -n sh -c "touch $tmp/ready; exec sleep 300" &
sp=$!
on_exit "kill $sp"
for i in $(seq 60); do [ -e "$tmp/ready" ] && break; sleep 0.05; done
sleep 0.1 # exec'd
pino=$(stat -L -c %i "/proc/$sp/ns/net") pdev=$(stat -L -c %d "/proc/$sp/ns/net")
require "the process has a namespace of its own" test "$pino" != "$(stat -L -c %i /proc/$$/ns/net)"
"$NETJOIN" --top --interval 5 "pid:$sp" >"$tmp/p.txt" 2>"$tmp/p.err" &
pp=$!
on_exit "kill $pp"
sleep 1
check_eq "--top pid:N holds no nsfs fd of its namespace, and one socket in it" "0 1" \
	"$(fds_naming "$pp" "$pino") $(socks_in "$pp" "$pino")"
kill "$sp"
t0=$(date +%s%N)
wait_rc=
wait_exit "$pp" 3
check_eq "its process exits: it ends with 6 within a second" "6 yes" \
	"${wait_rc:-running} $([ $((($(date +%s%N) - t0) / 1000000)) -lt 1000 ] && echo yes)"
check "  saying so" grep -q "^netjoin: pid:$sp: process $sp exited" "$tmp/p.err"
check "  nothing shows the namespace any more, netjoin's fds included" ns_gone "$pdev" "$pino"

# usage
check_exit "--interval without --top is a usage error" 2 "$NETJOIN" --interval 1
check_exit "--top --count 0 is a usage error" 2 "$NETJOIN" --top --count 0
check_eq "  in one line naming --count" 1 "$(grep -c -- '--count' <<<"$nj_err")"
check_exit "--top --interval 0 is a usage error" 2 "$NETJOIN" --top --interval 0
check_exit "--top with a COMMAND is a usage error" 2 "$NETJOIN" --top "netns:$A" ip link
check_exit "--top with -L is a usage error" 2 "$NETJOIN" --top -L
check_exit "--top of a target that is not there exits 3" 3 \
	"$NETJOIN" --top --count 1 "netns:${nj_id}-none"
