#!/usr/bin/env bash
# netjoin's sockets section (-s, --listening, -a) against ss in a namespace
# built here: TCP listeners (IPv4, IPv6 dual-stack and v6-only, loopback),
# UDP sockets (bound, link-local with a scope, connected), established TCP
# connections over loopback, a listener shared by two processes, and one
# of busybox nc's. JSON is compared with `ss -tuanp` / `ss -tulnp` socket
# by socket (netid, state, queues, both endpoints, owners), text word by
# word.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 22
need_root
need ip
need ss
need jq
need python3

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
on_exit "rm -rf $tmp"
NS=$nj_id-s

diag() { sed -n '1,40s/^/#   /p'; }

# ---- the namespace and its sockets -----------------------------------------

mk_netns "$NS" || { not_ok "create namespace $NS"; exit 1; }
ip -n "$NS" link add e0 type veth peer name e1 &&
	ip -n "$NS" link set e0 up && ip -n "$NS" link set e1 up &&
	ip -n "$NS" addr add fe80::1/64 dev e0 nodad ||
	{ not_ok "set up $NS's links"; exit 1; }

# One process with every kind of socket; a child it forks first shares
# only the listener on 7006 (two owners), and leaves when its parent does.
cat >"$tmp/server.py" <<'EOF'
import os, socket, sys, time
T = socket
keep = []
def sock(af, ty, addr, v6only=None, listen=None):
    s = socket.socket(af, ty)
    s.setsockopt(T.SOL_SOCKET, T.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(T.IPPROTO_IPV6, T.IPV6_V6ONLY, v6only)
    s.bind(addr)
    if listen:
        s.listen(listen)
    keep.append(s)
    return s
shared = sock(T.AF_INET, T.SOCK_STREAM, ("0.0.0.0", 7006), listen=4)
parent = os.getpid()
child = os.fork()
if child == 0:
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)
open(sys.argv[1] + "/child.pid", "w").write("%d\n" % child)
S, D = T.SOCK_STREAM, T.SOCK_DGRAM
l4 = sock(T.AF_INET, S, ("127.0.0.1", 7001), listen=16)
sock(T.AF_INET, S, ("0.0.0.0", 7002), listen=5)
sock(T.AF_INET6, S, ("::", 7003), v6only=0, listen=128)
l6 = sock(T.AF_INET6, S, ("::1", 7004), listen=3)
sock(T.AF_INET6, S, ("::", 7005), v6only=1, listen=7)
sock(T.AF_INET, D, ("0.0.0.0", 7101))
sock(T.AF_INET, D, ("127.0.0.1", 7102))
sock(T.AF_INET6, D, ("::", 7103), v6only=0)
sock(T.AF_INET6, D, ("::1", 7104))
ll = socket.socket(T.AF_INET6, D)
ll.bind(("fe80::1", 7105, 0, socket.if_nametoindex("e0")))
keep.append(ll)
# established over loopback, v4 (5 bytes left unread) and v6
c = socket.create_connection(("127.0.0.1", 7001))
a, _ = l4.accept()
c.sendall(b"hello")
c6 = socket.create_connection(("::1", 7004))
a6, _ = l6.accept()
# connected UDP: ESTAB, so not listed by --listening
u = sock(T.AF_INET, D, ("127.0.0.1", 7106))
u.connect(("127.0.0.1", 7102))
keep += [c, a, c6, a6]
open(sys.argv[1] + "/ready", "w").close()
while True:
    time.sleep(60)
EOF

# ip netns exec execs its command: $! is the server itself.
ip netns exec "$NS" python3 "$tmp/server.py" "$tmp" >"$tmp/server.log" 2>&1 &
spid=$!
on_exit "kill $spid"
on_exit '[ -s "$tmp/child.pid" ] && kill "$(cat "$tmp/child.pid")"'
have_nc=0
if command -v busybox >/dev/null && busybox nc --help 2>&1 | grep -q -- '-l'; then
	ip netns exec "$NS" busybox nc -l -p 7200 </dev/null >/dev/null 2>&1 &
	ncpid=$!
	on_exit "kill $ncpid"
	have_nc=1
fi
ready() {
	[ -e "$tmp/ready" ] || return 1
	[ "$have_nc" = 0 ] ||
		ip netns exec "$NS" ss -Htln 'sport = :7200' | grep -q .
}
for ((i = 0; i < 100; i++)); do
	ready && break
	sleep 0.1
done
if ! ready; then
	not_ok "the socket servers in $NS start"
	diag <"$tmp/server.log"
	exit 1
fi
cpid=$(cat "$tmp/child.pid")
ok "the socket servers in $NS start (pids $spid, $cpid)"
[ "$have_nc" = 1 ] || missing "busybox nc: one owner fewer"

if [ ! -x "$NETJOIN" ]; then
	not_ok "netjoin binary $NETJOIN exists"
	exit 1
fi
if ! "$NETJOIN" --help 2>&1 | grep -q -- '--sockets'; then
	not_ok "netjoin --help lists --sockets"
	exit 1
fi

# ---- the comparison tool ---------------------------------------------------

# sscmp.py json|text NETJOIN_OUT SS_OUT: netjoin's sockets (its JSON's
# "sockets", or the lines after "sockets:" in its text) against the
# sockets in ss -tuanp's listing, in order. JSON: netid, state, queues,
# both endpoints (ss's spelling undone: "*" is "::", brackets and "%if"
# taken apart, port "*" is 0) and owners. Text: word for word, the users
# compared as sets (ss lists them in its hash's order). Differences on
# stdout, exit 1.
cat >"$tmp/sscmp.py" <<'EOF'
import json, re, sys

USER = re.compile(r'\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=(\d+)\)')

def users(word):
    return sorted((m.group(1), int(m.group(2)), int(m.group(3)))
                  for m in USER.finditer(word))

def ss_lines(path):
    out = []
    for line in open(path):
        w = line.split()
        if not w or w[0] == "Netid":
            continue
        out.append(w)
    return out

def endpoint(s):
    addr, port = s.rsplit(":", 1)
    ifname = None
    if "%" in addr:
        addr, ifname = addr.rsplit("%", 1)
    if addr == "*":
        addr = "::"
    addr = addr.strip("[]")
    return (addr, 0 if port == "*" else int(port), ifname)

def from_ss(w):
    u = users(" ".join(w[6:]))
    return ((w[0], w[1], int(w[2]), int(w[3]), endpoint(w[4]),
             endpoint(w[5])), u)

def from_json(e):
    lo, pe = e["local"], e["peer"]
    u = sorted((x["comm"], x["pid"], x["fd"]) for x in e["users"])
    return ((e["netid"], e["state"], e["recv_q"], e["send_q"],
             (lo["address"], lo["port"], lo.get("interface")),
             (pe["address"], pe["port"], None)), u)

def text_words(path):
    lines = open(path).read().split("\n")
    if "sockets:" not in lines:
        print("no 'sockets:' line")
        sys.exit(1)
    out = []
    for line in lines[lines.index("sockets:") + 1:]:
        if not line.strip():
            break
        out.append(line.split())
    return out

def norm_text(w):
    head = [x for x in w if not x.startswith("users:")]
    return head, users(" ".join(w))

mode, nj, ss = sys.argv[1:4]
want = ss_lines(ss)
if mode == "json":
    got = [from_json(e) for e in json.load(open(nj))["sockets"]]
    want = [from_ss(w) for w in want]
else:
    got = [norm_text(w) for w in text_words(nj)]
    want = [norm_text(w) for w in want]
bad = 0
if len(got) != len(want):
    print("netjoin lists %d sockets, ss %d" % (len(got), len(want)))
    bad = 1
for i, (g, s) in enumerate(zip(got, want)):
    if g != s:
        print("socket %d: netjoin %s" % (i + 1, g))
        print("socket %d: ss      %s" % (i + 1, s))
        bad = 1
sys.exit(bad)
EOF

# sscompare DESC MODE "NJ_ARGS" "SS_ARGS": netjoin's sockets equal ss's.
# ss is asked before and after netjoin, again if the two differ.
sscompare() {
	local desc=$1 mode=$2 nj=$3 ssargs=$4 i rc
	for ((i = 0; i < 3; i++)); do
		ip netns exec "$NS" ss $ssargs >"$tmp/ss1.txt"
		"$NETJOIN" $nj >"$tmp/nj.out" 2>"$tmp/nj.err"
		rc=$?
		ip netns exec "$NS" ss $ssargs >"$tmp/ss2.txt"
		cmp -s "$tmp/ss1.txt" "$tmp/ss2.txt" && break
	done
	if [ "$rc" -ne 0 ]; then
		not_ok "$desc"
		echo "netjoin $nj: exit $rc" | diag
		diag <"$tmp/nj.err"
		return
	fi
	if python3 "$tmp/sscmp.py" "$mode" "$tmp/nj.out" "$tmp/ss2.txt" \
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

# The tool on its own: ss against itself, and against an edited copy.
ip netns exec "$NS" ss -tuanp >"$tmp/self.txt"
{ echo sockets:; tail -n +2 "$tmp/self.txt"; } >"$tmp/self2.txt"
require "compare tool: ss equals ss" \
	python3 "$tmp/sscmp.py" text "$tmp/self2.txt" "$tmp/self.txt"
sed '0,/LISTEN/s/LISTEN/ESTAB /' "$tmp/self2.txt" >"$tmp/self3.txt"
python3 "$tmp/sscmp.py" text "$tmp/self3.txt" "$tmp/self.txt" >/dev/null
check_eq "compare tool: an edited copy differs" 1 $?

# ---- netjoin against ss ----------------------------------------------------

sscompare "-j -s netns:NS = ss -tuanp" json "-j -s netns:$NS" "-tuanp"
cp "$tmp/nj.out" "$tmp/all.json"
sscompare "-j -s --listening netns:NS = ss -tulnp" json \
	"-j -s --listening netns:$NS" "-tulnp"
cp "$tmp/nj.out" "$tmp/listen.json"
sscompare "-s netns:NS (text) = ss -tuanp" text "-s netns:$NS" "-tuanp"
cp "$tmp/nj.out" "$tmp/all.txt"
sscompare "-s --listening netns:NS (text) = ss -tulnp" text \
	"-s --listening netns:$NS" "-tulnp"

# ---- what the namespace holds, by name --------------------------------------

J=$tmp/all.json
jqc() { jq -c "$@" "$J"; }
jqe() { jq -e "$@" >/dev/null; }
check "JSON: target, interfaces and sockets" \
	jqe '(.target|type) == "object" and (.interfaces|type) == "array"
		and (.sockets|length) > 0' "$J"
check_eq "JSON: every socket has the documented keys" "[]" \
	"$(jqc '[.sockets[] | keys - ["netid","state","recv_q","send_q",
		"local","peer","v6only","inode","uid","users"]
		| select(length > 0)]')"
check_eq "JSON: listener 127.0.0.1:7001 (backlog 16) owned by the server" \
	"[\"LISTEN\",0,16,[[$spid,\"python3\"]]]" \
	"$(jqc ".sockets[] | select(.netid == \"tcp\" and .local.port == 7001
		and .state == \"LISTEN\") | [.state, .recv_q, .send_q,
		[.users[] | [.pid, .comm]]]")"
check_eq "JSON: the v4 connection, both ends, 5 bytes unread at the server" \
	'[["127.0.0.1",7001,5],["127.0.0.1",7001,0]]' \
	"$(jqc '[.sockets[] | select(.netid == "tcp" and .state == "ESTAB"
		and .peer.address == "127.0.0.1" and (.local.port == 7001 or
		.peer.port == 7001)) | [.local.address,
		(if .local.port == 7001 then .local.port else .peer.port end),
		.recv_q]] | sort_by(-.[2])')"
check_eq "JSON: the v6 connection, both ends over ::1" 2 \
	"$(jqc '[.sockets[] | select(.state == "ESTAB" and .local.address == "::1"
		and .peer.address == "::1")] | length')"
check_eq "JSON: 7006 shared by the server and its child" \
	"[$(printf '%s\n' "$spid" "$cpid" | sort -n | paste -sd,)]" \
	"$(jqc '[.sockets[] | select(.local.port == 7006) | .users[].pid] | sort')"
check_eq "JSON: dual-stack and v6-only wildcards" \
	'[[7003,"::",false],[7005,"::",true]]' \
	"$(jqc '[.sockets[] | select(.netid == "tcp" and .local.address == "::"
		and (.local.port == 7003 or .local.port == 7005))
		| [.local.port, .local.address, .v6only]] | sort')"
check_eq "JSON: link-local UDP with its interface" \
	'["udp","UNCONN","fe80::1",7105,"e0"]' \
	"$(jqc '.sockets[] | select(.local.port == 7105) | [.netid, .state,
		.local.address, .local.port, .local.interface]')"
check_eq "JSON: connected UDP is ESTAB" '["ESTAB","127.0.0.1",7102]' \
	"$(jqc '.sockets[] | select(.netid == "udp" and .local.port == 7106)
		| [.state, .peer.address, .peer.port]')"
check_eq "--listening: LISTEN and UNCONN only" '["LISTEN","UNCONN"]' \
	"$(jq -c '[.sockets[].state] | unique' "$tmp/listen.json")"
check_eq "--listening: no connected UDP socket" 0 \
	"$(jq '[.sockets[] | select(.local.port == 7106)] | length' "$tmp/listen.json")"
if [ "$have_nc" = 1 ]; then
	check_eq "JSON: busybox nc's listener is its" "[$ncpid]" \
		"$(jqc '[.sockets[] | select(.local.port == 7200) | .users[].pid]')"
fi
check "text: a 'sockets:' section with the v6-only wildcard as ss writes it" \
	grep -Eq '^tcp +LISTEN +0 +7 +\[::\]:7005 +\[::\]:\* +users:\(\("python3",pid='"$spid"',fd=[0-9]+\)\)$' \
	"$tmp/all.txt"
check "text: link-local with its scope, [fe80::1]%e0:7105" \
	grep -q ' \[fe80::1\]%e0:7105 ' "$tmp/all.txt"

# -a: every section, sockets among them
"$NETJOIN" -j -a "netns:$NS" >"$tmp/a.json" 2>"$tmp/a.err"
check_eq "-j -a: exit 0" 0 $?
check_eq "-j -a: the same sockets as -j -s" \
	"$(jq -c '[.sockets[] | [.netid, .state, .local, .peer]]' "$J")" \
	"$(jq -c '[.sockets[] | [.netid, .state, .local, .peer]]' "$tmp/a.json")"
