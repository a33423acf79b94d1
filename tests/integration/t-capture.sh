#!/usr/bin/env bash
# --capture: packets between namespaces made here (a veth pair A-B, and C
# joined to A), written as one pcapng section. Oracles: tshark, capinfos
# and tcpdump read every file without a warning; ICMP echoes of a known
# count and a TCP transfer of a known size are there, each on its own
# interface; two targets at once and a pattern; the filter; a capture
# ended by SIGINT, by -c and by a closed pipe is whole; a terminal is
# refused; a bad filter is a usage error with libpcap's message; a target
# whose process exits, or whose namespace file is removed, mid-capture is
# closed and its namespace freed while the capture goes on with the
# others; an interface that comes up after the start (made then, or down
# until then) is read from then on under its own name, unless -i leaves
# it out, and one removed is closed.
# timeout: 180
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 56

need_root
need ip
need python3
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"
for t in tshark capinfos tcpdump; do
	command -v "$t" >/dev/null || skip_all "$nj_name needs $t (scripts/deps.sh --it)"
done

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
on_exit "rm -rf $tmp"
A=${nj_id}ca
B=${nj_id}cb
C=${nj_id}cc
NET=10.231.16
NET2=10.231.17
NET3=10.231.18
NET4=10.231.19
require "$NET.0/24, $NET2.0/24, $NET3.0/24 and $NET4.0/24 are free on this node" \
	net_free "$NET.0/24" "$NET2.0/24" "$NET3.0/24" "$NET4.0/24" < <(node_addrs)

mk_netns "$A"
mk_netns "$B"
mk_netns "$C"
setup() {
	set -e
	for n in "$A" "$B" "$C"; do
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
	ip -n "$A" link add a0 type veth peer name b0 netns "$B"
	ip -n "$A" addr add "$NET.1/24" dev a0
	ip -n "$B" addr add "$NET.2/24" dev b0
	ip -n "$A" link set a0 up
	ip -n "$B" link set b0 up
	ip -n "$A" link add ac0 type veth peer name c0 netns "$C"
	ip -n "$A" addr add "$NET2.1/24" dev ac0
	ip -n "$C" addr add "$NET2.2/24" dev c0
	ip -n "$A" link set ac0 up
	ip -n "$C" link set c0 up
}
(setup)
require_eq "setup of $A, $B and $C" 0 "$?"

# tshark says so when run as root: not a warning about the file
tshark_quiet() { grep -v '^Running as user "root"' "$1" || true; }

# reads_whole FILE: tshark, capinfos and tcpdump read it, no warning
reads_whole() {
	local f=$1 rc=0
	tshark -r "$f" >/dev/null 2>"$tmp/ts.err" || rc=1
	[ -z "$(tshark_quiet "$tmp/ts.err")" ] || rc=1
	capinfos "$f" >/dev/null 2>"$tmp/ci.err" || rc=1
	[ -s "$tmp/ci.err" ] && rc=1
	tcpdump -r "$f" >/dev/null 2>"$tmp/td.err" || rc=1
	grep -qv '^reading from file' "$tmp/td.err" && rc=1
	[ "$rc" = 0 ] || sed 's/^/#   /' "$tmp/ts.err" "$tmp/ci.err" "$tmp/td.err"
	return "$rc"
}

# fields FILE FILTER FIELD...: tshark's fields of the frames FILTER keeps
fields() {
	local f=$1 y=$2; shift 2
	local a=() x
	for x in "$@"; do a+=(-e "$x"); done
	tshark -r "$f" -Y "$y" -T fields "${a[@]}" 2>/dev/null
}
# count FILE FILTER IFNAME: frames FILTER keeps on interface IFNAME
count() {
	fields "$1" "$2" frame.interface_name | grep -cx "$3"
}

# start_capture OUT ERR N ARGS...: netjoin --capture in the background
# ($cap_pid), once it listens on N interfaces
start_capture() {
	local out=$1 err=$2 n=$3 i; shift 3
	"$NETJOIN" --capture "$@" >"$out" 2>"$err" &
	cap_pid=$!
	for ((i = 0; i < 100; i++)); do
		[ "$(grep -c '^netjoin: listening on' "$err")" -ge "$n" ] && return 0
		kill -0 "$cap_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# ping NS DST N: N ICMP echo requests from NS, each answered
ping_n() {
	ip netns exec "$1" python3 - "$2" "$3" <<'PY'
import socket, struct, sys
dst, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.settimeout(2)
def csum(b):
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xffff)
    return ~(t + (t >> 16)) & 0xffff
got = 0
for seq in range(n):
    h = struct.pack("!BBHHH", 8, 0, 0, 0x4e4a, seq) + b"netjoin-capture!"
    s.sendto(h[:2] + struct.pack("!H", csum(h)) + h[4:], (dst, 0))
    while True:
        d = s.recv(2048)
        if d[20] == 0 and struct.unpack("!HH", d[24:28]) == (0x4e4a, seq):
            got += 1
            break
sys.exit(0 if got == n else 1)
PY
}

# tcp_send FROM TO_NS ADDR BYTES: a TCP transfer of BYTES; the listener
# in TO_NS prints what it received into $tmp/tcp.n
tcp_send() {
	ip netns exec "$2" python3 -c '
import socket, sys
s = socket.socket(); s.bind((sys.argv[1], 5001)); s.listen(1)
print("ready", flush=True)
c, _ = s.accept(); n = 0
while True:
    d = c.recv(65536)
    if not d: break
    n += len(d)
print(n)' "$3" >"$tmp/tcp.n" &
	local l=$! i
	for ((i = 0; i < 50; i++)); do
		grep -q ready "$tmp/tcp.n" && break
		sleep 0.1
	done
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], 5001))
s.sendall(b"x" * int(sys.argv[2])); s.close()' "$3" "$4"
	wait "$l"
}

udp_send() { # NS DST N
	local i
	for ((i = 0; i < $3; i++)); do
		ip netns exec "$1" bash -c "echo u$i >/dev/udp/$2/9999"
	done
}

# 1. two targets at once: echoes and a TCP transfer
f=$tmp/two.pcapng
check "capture of netns:$A and netns:$B starts" \
	start_capture /dev/null "$tmp/two.err" 3 -w "$f" "netns:$A" "netns:$B"
ping_n "$B" "$NET.1" 7
require_eq "7 echoes answered" 0 "$?"
tcp_send "$B" "$A" "$NET.1" 100000
require_eq "the listener got the 100000 bytes" 100000 "$(tail -1 "$tmp/tcp.n")"
sleep 0.5
kill -INT "$cap_pid"
wait "$cap_pid"
check_eq "SIGINT ends it with status 0" 0 "$?"
check "tshark, capinfos and tcpdump read it, without a warning" reads_whole "$f"
check_eq "one interface each: a0, ac0 of $A and b0 of $B" \
	"netns:$A:a0 netns:$A:ac0 netns:$B:b0" \
	"$(capinfos "$f" 2>/dev/null | sed -n 's/^ *Name = //p' | sort | xargs)"
check_eq "  named the same in the interface blocks" 3 \
	"$(capinfos "$f" | grep -c 'Name = netns:')"
check_eq "  nanosecond timestamps" 3 \
	"$(capinfos "$f" | grep -c 'Time precision = nanoseconds (9)')"
check_eq "  a statistics block each" 3 \
	"$(capinfos "$f" | grep -c 'Number of stat entries = 1')"
check_eq "7 echo requests on $A's a0" 7 "$(count "$f" 'icmp.type == 8' "netns:$A:a0")"
check_eq "7 echo replies on $A's a0" 7 "$(count "$f" 'icmp.type == 0' "netns:$A:a0")"
check_eq "7 echo requests on $B's b0" 7 "$(count "$f" 'icmp.type == 8' "netns:$B:b0")"
check_eq "no echo on $A's ac0" 0 "$(count "$f" icmp "netns:$A:ac0")"
# FILE IFNAME: TCP payload bytes to port 5001 seen there, each sequence
# number once (tshark's own analysis would take the copy of a segment on
# the other interface for a retransmission)
payload() {
	fields "$1" "tcp.dstport == 5001" frame.interface_name tcp.seq_raw tcp.len |
		awk -v i="$2" '$1 == i && $3 > 0 && !seen[$2]++ { n += $3 } END { print n + 0 }'
}
check_eq "the 100000 TCP bytes on $A's a0" 100000 "$(payload "$f" "netns:$A:a0")"
check_eq "  and on $B's b0" 100000 "$(payload "$f" "netns:$B:b0")"
check "stderr: per interface, then tcpdump's totals" \
	grep -q "^netns:$A:a0: [0-9]* packets captured, [0-9]* received by filter, 0 dropped by kernel" "$tmp/two.err"
check "  N packets captured / received by filter / dropped by kernel" \
	sh -c "grep -q '^[0-9]* packets captured\$' '$tmp/two.err' &&
		grep -q '^[0-9]* packets received by filter\$' '$tmp/two.err' &&
		grep -q '^0 packets dropped by kernel\$' '$tmp/two.err'"

# 2. the filter, -i, and -c, to stdout
f=$tmp/udp.pcapng
check "-f udp -i a0 -c 5 to stdout" \
	start_capture "$f" "$tmp/udp.err" 1 -f udp -i a0 -c 5 "netns:$A"
tcp_send "$B" "$A" "$NET.1" 5000
udp_send "$B" "$NET.1" 5
wait "$cap_pid"
check_eq "  ends by itself after 5 packets, status 0" 0 "$?"
check "  the file reads whole" reads_whole "$f"
check_eq "  5 UDP datagrams, nothing else" "5 5" \
	"$(fields "$f" udp frame.number | wc -l) $(fields "$f" frame frame.number | wc -l)"

# 3. a pattern over the names of our namespaces; one namespace twice
f=$tmp/pat.pcapng
check "a pattern: netns:${nj_id}c?" \
	start_capture /dev/null "$tmp/pat.err" 4 -w "$f" --duration 30 "netns:${nj_id}c?" "netns:$A"
ping_n "$B" "$NET.1" 3
ping_n "$C" "$NET2.1" 3
sleep 0.3
kill -TERM "$cap_pid"
wait "$cap_pid"
check_eq "  SIGTERM ends it with status 0" 0 "$?"
check_eq "  its namespaces, $A once" \
	"netns:$A:a0 netns:$A:ac0 netns:$B:b0 netns:$C:c0" \
	"$(capinfos "$f" 2>/dev/null | sed -n 's/^ *Name = //p' | sort | xargs)"
check_eq "  3 echoes from $C on its c0" 3 "$(count "$f" 'icmp.type == 8' "netns:$C:c0")"
check_exit "a pattern matching nothing: exit 3" 3 \
	"$NETJOIN" --capture -w "$tmp/none" "netns:${nj_id}zz*"
check "  says so" grep -q "no network namespace matches" <<<"$nj_err"

# 4. a reader that goes away: the capture ends, status 0
( while :; do ip netns exec "$B" bash -c "echo p >/dev/udp/$NET.1/9999"; done ) &
flood=$!
on_exit "kill $flood"
check_exit "a closed pipe ends it with status 0" 0 \
	bash -c "'$NETJOIN' --capture 'netns:$A' 2>/dev/null | head -c 2000 >/dev/null; exit \${PIPESTATUS[0]}"
# SIGINT while packets stream in
f=$tmp/int.pcapng
start_capture /dev/null "$tmp/int.err" 2 -w "$f" "netns:$A"
sleep 1
kill -INT "$cap_pid"
wait "$cap_pid"
check_eq "SIGINT mid-stream: status 0" 0 "$?"
check "  the file reads whole" reads_whole "$f"
check "  with packets in it" test "$(fields "$f" udp frame.number | wc -l)" -gt 0
kill "$flood" 2>/dev/null
wait "$flood" 2>/dev/null

# 5. mistakes
check_exit "stdout a terminal: refused, exit 2" 2 \
	script -qec "'$NETJOIN' --capture 'netns:$A'" /dev/null
check "  saying why" grep -q "refusing to write capture data to a terminal" <<<"$nj_out"
check_exit "a filter that does not compile: exit 2" 2 \
	"$NETJOIN" --capture -f 'udp and nonsense' -w "$tmp/bad" "netns:$A"
check "  with libpcap's message" grep -q "syntax error" <<<"$nj_err"
check_exit "-c without --capture: exit 2" 2 "$NETJOIN" -c 5 "netns:$A"
if command -v capsh >/dev/null; then
	check_exit "without CAP_NET_RAW: exit 5" 5 \
		capsh --drop=cap_net_raw -- -c "exec '$NETJOIN' --capture -w '$tmp/np' 'netns:$A'"
else
	missing "capsh (libcap2-bin), to drop CAP_NET_RAW"
fi

# 6. a target whose only process exits, its pin removed: closed, and its
# namespace freed while the capture goes on with the other
ip netns exec "$C" sleep 600 &
sleeper=$!
on_exit "kill $sleeper"
sleep 0.2
sleep_pid=$(ip netns pids "$C" | head -1)
ino=$(stat -L -c %i "/run/netns/$C")
f=$tmp/gone.pcapng
check "capture of pid:$sleep_pid (in $C) and netns:$B" \
	start_capture /dev/null "$tmp/gone.err" 2 -w "$f" "pid:$sleep_pid" "netns:$B"
kill "$sleep_pid"
ip netns del "$C"
gone=no
for ((i = 0; i < 50; i++)); do
	ip -n "$A" link show ac0 >/dev/null 2>&1 || { gone=yes; break; }
	sleep 0.2
done
check_eq "$C is freed while the capture runs (ac0, its veth's end, is gone)" yes "$gone"
check_eq "  no fd of netjoin's is its namespace" 0 \
	"$(ls -l "/proc/$cap_pid/fd" 2>/dev/null | grep -c "net:\[$ino\]")"
ping_n "$A" "$NET.2" 4
sleep 0.3
kill -INT "$cap_pid"
wait "$cap_pid"
check_eq "  the capture ends with status 0" 0 "$?"
check "  its interface closed, saying why" \
	grep -q "^pid:$sleep_pid:c0: .*(closed: its process exited)" "$tmp/gone.err"
check_eq "  $B's echoes after that are there" 4 "$(count "$f" 'icmp.type == 8' "netns:$B:b0")"

# 7. a pinned namespace whose file is removed (ip netns del, no process
# in it): closed on the mount table's change, and freed
D=${nj_id}cd
mk_netns "$D"
ip -n "$A" link add ad0 type veth peer name d0 netns "$D" && ip -n "$D" link set d0 up
require_eq "setup of $D" 0 "$?"
f=$tmp/pin.pcapng
check "capture of netns:$D and netns:$B" \
	start_capture /dev/null "$tmp/pin.err" 2 -w "$f" "netns:$D" "netns:$B"
ip netns del "$D"
gone=no
for ((i = 0; i < 50; i++)); do
	ip -n "$A" link show ad0 >/dev/null 2>&1 || { gone=yes; break; }
	sleep 0.2
done
check_eq "$D is freed while the capture runs (ad0 is gone)" yes "$gone"
kill -INT "$cap_pid"
wait "$cap_pid"
check_eq "  the capture ends with status 0" 0 "$?"
check "  its interface closed, saying why" \
	grep -q "^netns:$D:d0: .*(closed: its namespace file was removed)" "$tmp/pin.err"

# 8. interfaces that come up after the start: aw0 is down when it starts
# (left for later, not an error), an0 is made afterwards; each is read
# once it is up, with its description before its first packet, and an0,
# removed, is closed; a capture with -i a0 takes neither
setup_late() {
	set -e
	ip -n "$A" link add aw0 type veth peer name w0 netns "$B"
	ip -n "$A" addr add "$NET4.1/24" dev aw0
	ip -n "$B" addr add "$NET4.2/24" dev w0
	ip -n "$B" link set w0 up
}
(setup_late)
require_eq "setup of aw0, down" 0 "$?"
f=$tmp/late.pcapng
check "capture of netns:$A, aw0 down: a0 only (ac0 went with $C)" \
	start_capture /dev/null "$tmp/late.err" 1 -w "$f" "netns:$A"
late_pid=$cap_pid
start_capture /dev/null "$tmp/only.err" 1 -w "$tmp/only.pcapng" -i a0 "netns:$A"
only_pid=$cap_pid
setup_new() {
	set -e
	ip -n "$A" link set aw0 up
	ip -n "$A" link add an0 type veth peer name n0 netns "$B"
	ip -n "$A" addr add "$NET3.1/24" dev an0
	ip -n "$B" addr add "$NET3.2/24" dev n0
	ip -n "$A" link set an0 up
	ip -n "$B" link set n0 up
}
(setup_new)
require_eq "an0 made and aw0 up" 0 "$?"
# listening N: the capture said it listens on N interfaces
listening() { [ "$(grep -c '^netjoin: listening on' "$tmp/late.err")" -ge "$1" ]; }
for ((i = 0; i < 50; i++)); do listening 3 && break; sleep 0.1; done
check "  it says it listens on an0 and aw0 once they are up" \
	sh -c "grep -q '^netjoin: listening on netns:$A:an0, link-type EN10MB' '$tmp/late.err' &&
		grep -q '^netjoin: listening on netns:$A:aw0, link-type EN10MB' '$tmp/late.err'"
ping_n "$B" "$NET3.1" 5
require_eq "5 echoes over an0 answered" 0 "$?"
ping_n "$B" "$NET4.1" 3
require_eq "3 echoes over aw0 answered" 0 "$?"
sleep 0.3
ip -n "$A" link del an0
ip -n "$A" link del aw0
sleep 0.3
kill -INT "$late_pid" "$only_pid"
wait "$late_pid"
check_eq "  SIGINT ends it with status 0" 0 "$?"
wait "$only_pid"
check "  the file reads whole" reads_whole "$f"
check_eq "  its interfaces, each named by target and interface" \
	"netns:$A:a0 netns:$A:an0 netns:$A:aw0" \
	"$(capinfos "$f" 2>/dev/null | sed -n 's/^ *Name = //p' | sort | xargs)"
check_eq "  a statistics block each" 3 \
	"$(capinfos "$f" | grep -c 'Number of stat entries = 1')"
check_eq "  the 5 echo requests on an0" 5 "$(count "$f" 'icmp.type == 8' "netns:$A:an0")"
check_eq "  the 5 echo replies on an0" 5 "$(count "$f" 'icmp.type == 0' "netns:$A:an0")"
check_eq "  the 3 echo requests on aw0" 3 "$(count "$f" 'icmp.type == 8' "netns:$A:aw0")"
check "  an0, removed, is closed, saying so" \
	grep -q "^netns:$A:an0: [0-9]* packets captured, .*(closed: " "$tmp/late.err"
check_eq "-i a0: the new interfaces are left out" "netns:$A:a0" \
	"$(capinfos "$tmp/only.pcapng" 2>/dev/null | sed -n 's/^ *Name = //p' | xargs)"
