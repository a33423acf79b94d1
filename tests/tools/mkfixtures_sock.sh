#!/usr/bin/env bash
# Record tests/fixtures/sock-{tcp,udp}{4,6}.nl, the NETLINK_SOCK_DIAG dumps
# test_sock.c replays, from a namespace built for them, with ss's own
# listings of it beside them (sock-README.md says what is in it). Needs
# root, python3 and setpriv. Re-recording changes the inodes and the
# ephemeral ports: update exp_socks in tests/unit/test_sock.c to what the
# new sock-ss-tuane.txt shows.
#   tests/tools/mkfixtures_sock.sh [OUTDIR]
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/tests/fixtures}
rec=/tmp/nlrecord
ns=njsockrec
tmp=$(mktemp -d)
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns del "$ns" 2>/dev/null || true

cc -O2 -Wall -Wextra -o "$rec" "$here/tests/tools/nlrecord.c" \
	$(pkg-config --cflags --libs libmnl)

ip netns add "$ns"
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	net.ipv6.conf.default.accept_dad=0
ip -n "$ns" link set lo up
# (no dummy driver on every kernel: a veth pair, e0 and its peer e1)
ip -n "$ns" link add e0 address 02:00:00:00:00:01 type veth peer name e1 \
	address 02:00:00:00:00:02
ip -n "$ns" link set e0 up
ip -n "$ns" link set e1 up
ip -n "$ns" addr add fe80::1/64 dev e0 nodad

# Every kind of socket ss -tuan shows, in one process (root).
cat >"$tmp/server.py" <<'EOF'
import socket, sys, time
S, D, T = socket.SOCK_STREAM, socket.SOCK_DGRAM, socket
def sock(af, ty, addr, v6only=None, dev=None):
    s = socket.socket(af, ty)
    s.setsockopt(T.SOL_SOCKET, T.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(T.IPPROTO_IPV6, T.IPV6_V6ONLY, v6only)
    if dev:
        s.setsockopt(T.SOL_SOCKET, T.SO_BINDTODEVICE, dev)
    s.bind(addr)
    return s
keep = []
# TCP listeners: v4 loopback and wildcard, v6 dual-stack, v6-only, ::1,
# one bound to a device
l1 = sock(T.AF_INET, S, ("127.0.0.1", 8080)); l1.listen(16); keep.append(l1)
l2 = sock(T.AF_INET, S, ("0.0.0.0", 8081)); l2.listen(5); keep.append(l2)
l3 = sock(T.AF_INET6, S, ("::", 8082), v6only=0); l3.listen(128); keep.append(l3)
l4 = sock(T.AF_INET6, S, ("::", 8083), v6only=1); l4.listen(7); keep.append(l4)
l5 = sock(T.AF_INET6, S, ("::1", 8084)); l5.listen(3); keep.append(l5)
l6 = sock(T.AF_INET, S, ("0.0.0.0", 8085), dev=b"lo"); l6.listen(1); keep.append(l6)
# established over loopback: client -> 8080, accepted; 5 unread bytes
# on the server side
c1 = socket.create_connection(("127.0.0.1", 8080)); keep.append(c1)
a1, _ = l1.accept(); keep.append(a1)
c1.sendall(b"hello")
# v6: client -> [::1]:8084, accepted, nothing pending
c2 = socket.create_connection(("::1", 8084)); keep.append(c2)
a2, _ = l5.accept(); keep.append(a2)
# a connection 8081 has not accepted yet: its LISTEN Recv-Q is 1
c3 = socket.create_connection(("127.0.0.1", 8081)); keep.append(c3)
# UDP: wildcard and loopback v4, dual-stack and ::1 v6, link-local with
# its scope, and one connected (ESTAB) v4 socket
u1 = sock(T.AF_INET, D, ("0.0.0.0", 5353)); keep.append(u1)
u2 = sock(T.AF_INET, D, ("127.0.0.1", 5354)); keep.append(u2)
u3 = sock(T.AF_INET6, D, ("::", 5355), v6only=0); keep.append(u3)
u4 = sock(T.AF_INET6, D, ("::1", 5356)); keep.append(u4)
u5 = socket.socket(T.AF_INET6, D)
u5.bind(("fe80::1", 5357, 0, socket.if_nametoindex("e0"))); keep.append(u5)
u6 = sock(T.AF_INET, D, ("127.0.0.1", 5358)); u6.connect(("127.0.0.1", 5354)); keep.append(u6)
# a datagram u2 has not read: its Recv-Q is the buffer it takes
u6.send(b"ping")
open(sys.argv[1], "w").close()
while True:
    time.sleep(60)
EOF
# A UDP socket of another user, so uid is not always 0.
cat >"$tmp/nobody.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5359))
while True:
    time.sleep(60)
EOF
chmod 0755 "$tmp" # nobody reads its script here
ip netns exec "$ns" python3 "$tmp/server.py" "$tmp/ready1" &
pids+=($!)
# (the system's python3: a root-only one, pyenv's, may come first in PATH)
ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
	/usr/bin/python3 "$tmp/nobody.py" &
pids+=($!)
ready() {
	[ -e "$tmp/ready1" ] &&
		ip netns exec "$ns" ss -Hunl 'sport = :5359' | grep -q .
}
for _ in $(seq 100); do
	ready && break
	sleep 0.1
done
ready || { echo "servers not ready" >&2; exit 1; }

for p in tcp udp; do
	for v in 4 6; do
		ip netns exec "$ns" "$rec" sock "$p" "$v" all "$out/sock-$p$v.nl"
	done
done
ip netns exec "$ns" ss -tuan >"$out/sock-ss-tuan.txt"
ip netns exec "$ns" ss -tuln >"$out/sock-ss-tuln.txt"
# (-e: uid and ino; its "cgroup:" complaint on stderr is not kept)
ip netns exec "$ns" ss -tuane 2>/dev/null >"$out/sock-ss-tuane.txt"
ip -n "$ns" -o link >"$out/sock-ip-link.txt"
echo "recorded in $out"
