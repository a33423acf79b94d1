# Helpers for the tests that watch, sample and capture the namespaces of
# real containers and pods (t-docker.sh, t-containerd.sh, t-cri.sh). Source
# it after lib.sh, once $tmp exists. The release checks follow t-watch.sh:
# while netjoin runs it holds a socket in the namespace and no nsfs fd of
# it; after the owner is gone, nothing of a netjoin that still runs names
# the namespace, and the namespace itself is destroyed (a veth end that
# only it held disappears).

# wait_for SECONDS CMD...: until CMD succeeds, SECONDS at most (of the
# clock: on a busy machine each try may take a while)
wait_for() {
	local end=$((${EPOCHREALTIME/./} + $1 * 1000000)); shift
	until "$@" 2>/dev/null; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		sleep 0.05
	done
}
# wait_exit PID SECONDS: until PID (a child) has ended; its status in $wait_rc
wait_exit() {
	local end=$((${EPOCHREALTIME/./} + $2 * 1000000))
	wait_rc=
	while kill -0 "$1" 2>/dev/null; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		sleep 0.05
	done
	wait "$1"
	wait_rc=$?
}
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# fds_naming PID INODE: how many of PID's fds are nsfs files of net:[INODE]
fds_naming() {
	local n=0 f
	for f in /proc/"$1"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = "net:[$2]" ] && n=$((n + 1))
	done
	echo "$n"
}
# mounts_naming PID INODE: how many mounts PID sees are of net:[INODE]
mounts_naming() { grep -c " net:\[$2\] " "/proc/$1/mountinfo" 2>/dev/null; }
# sock_netns PID: the network namespace (inode) of each of PID's sockets,
# one a line (pidfd_getfd, then SIOCGSKNS)
sock_netns() {
	python3 - "$1" <<'PY'
import ctypes, fcntl, os, sys
libc = ctypes.CDLL(None, use_errno=True)
pid = int(sys.argv[1])
pfd = os.pidfd_open(pid)
for f in os.listdir(f"/proc/{pid}/fd"):
    try:
        if not os.readlink(f"/proc/{pid}/fd/{f}").startswith("socket:"):
            continue
    except OSError:
        continue
    fd = libc.syscall(438, pfd, int(f), 0)  # pidfd_getfd
    if fd < 0:
        continue
    try:
        ns = fcntl.ioctl(fd, 0x894C)  # SIOCGSKNS: an fd of its namespace
        print(os.fstat(ns).st_ino)
        os.close(ns)
    except OSError:
        pass
    os.close(fd)
PY
}
# sock_in PID INODE: PID has exactly one socket in net:[INODE]
sock_in() { [ "$(sock_netns "$1" | grep -cx "$2")" = 1 ]; }
# holders INODE [PID]: the processes but PID that hold net:[INODE] by a
# process, an fd or a mount (a private mount namespace made while a pin
# existed keeps a copy of it), one "# " line each
holders() {
	local f p
	for f in /proc/[0-9]*/ns/net /proc/[0-9]*/fd/* /proc/[0-9]*/mountinfo; do
		p=${f#/proc/}; p=${p%%/*}
		[ "$p" = "${2:-}" ] && continue
		case $f in
		*/mountinfo) grep -q " net:\[$1\] " "$f" 2>/dev/null || continue ;;
		*) [ "$(readlink "$f" 2>/dev/null)" = "net:[$1]" ] || continue ;;
		esac
		echo "#   net:[$1] held by $f: $(ps -o etimes=,args= -p "$p" 2>/dev/null | cut -c1-120)"
	done
}
# holds_nothing PID INODE: no socket, nsfs fd or mount of PID names
# net:[INODE]; what does is said in $held
holds_nothing() {
	local s f m
	s=$(sock_netns "$1" | grep -cx "$2")
	f=$(fds_naming "$1" "$2")
	m=$(mounts_naming "$1" "$2")
	[ "$s $f $m" = "0 0 0" ] && return 0
	held="#   pid $1 holds net:[$2]: $s sockets, $f nsfs fds, $m mounts"
	return 1
}

# veth_in NS THERE N: a veth pair from test namespace NS (pN,
# $live_net.4N+1/30) into THERE, a PID or a name in /run/netns (njN,
# $live_net.4N+2/30). Only THERE holds njN: when its namespace is
# destroyed, pN goes with it.
live_net=198.51.100
veth_in() {
	local ns=$1 there=$2 n=$3 in
	case $there in
	*[!0-9]*) in=(ip -n "$there") ;;
	*) in=(nsenter -n -t "$there" ip) ;;
	esac
	ip -n "$ns" link add "p$n" type veth peer name "nj$n" netns "$there" &&
		ip -n "$ns" addr add "$live_net.$((4 * n + 1))/30" dev "p$n" &&
		ip -n "$ns" link set "p$n" up &&
		"${in[@]}" addr add "$live_net.$((4 * n + 2))/30" dev "nj$n" &&
		"${in[@]}" link set "nj$n" up
}
# peer_gone NS N: pN is no longer in NS (its peer's namespace is destroyed)
peer_gone() { ! ip -n "$1" link show "p$2" >/dev/null 2>&1; }

# pinger NS DST RATE SECONDS: ICMP echo requests at RATE a second, paced on
# the clock, for SECONDS at most; prints "ready" at the first reply, and
# the number of replies when it ends. pinging NS DST RATE OUT: one in the
# background ($ping_pid, 60 s at most), once it is ready (20 s at most:
# python starts slowly on a busy machine), its output in OUT.
cat >"$tmp/pinger.py" <<'EOF'
import socket, struct, sys, time
dst, rate, secs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.setblocking(False)
def csum(b):
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xffff)
    return ~(t + (t >> 16)) & 0xffff
got, seq, t0 = 0, 0, time.monotonic()
while time.monotonic() < t0 + secs:
    while seq < int((time.monotonic() - t0) * rate) + 1:
        h = struct.pack("!BBHHH", 8, 0, 0, 0x4e4c, seq & 0xffff) + b"netjoin-live!!!!"
        s.sendto(h[:2] + struct.pack("!H", csum(h)) + h[4:], (dst, 0))
        seq += 1
    time.sleep(0.005)
    try:
        while True:
            d = s.recv(2048)
            if d[20] == 0 and struct.unpack("!H", d[24:26])[0] == 0x4e4c:
                if not got:
                    print("ready", flush=True)
                got += 1
    except BlockingIOError:
        pass
print(got)
EOF
pinger() { ip netns exec "$1" python3 "$tmp/pinger.py" "$2" "$3" "$4"; }
pinging() {
	ip netns exec "$1" python3 "$tmp/pinger.py" "$2" "$3" 60 >"$4" &
	ping_pid=$!
	wait_for 20 grep -qx ready "$4"
}

# reads_whole FILE: tshark and capinfos read it, without a warning (tshark
# says it runs as root: not a warning about the file)
reads_whole() {
	local rc=0
	tshark -r "$1" >/dev/null 2>"$tmp/ts.err" || rc=1
	grep -v '^Running as user "root"' "$tmp/ts.err" | grep -q . && rc=1
	capinfos "$1" >/dev/null 2>"$tmp/ci.err" || rc=1
	[ -s "$tmp/ci.err" ] && rc=1
	[ "$rc" = 0 ] || sed 's/^/#   /' "$tmp/ts.err" "$tmp/ci.err"
	return "$rc"
}
# if_blocks FILE: "NAME=DESCRIPTION" of each interface block, sorted, one a line
if_blocks() {
	capinfos "$1" 2>/dev/null | sed -n 's/^ *Name = //p; s/^ *Description = /=/p' |
		paste -d '' - - | sort
}
# frames FILE: "INTERFACE ICMP_TYPE" of each frame, one a line
frames() { tshark -r "$1" -T fields -e frame.interface_name -e icmp.type 2>/dev/null; }

# live_begin: a file's live section starts: its clock ($live_t0), and the
# list of what it runs in the background ($pids), killed and waited for
# at exit
live_begin() {
	live_t0=$SECONDS
	pids=()
	on_exit 'for p in "${pids[@]}"; do kill "$p"; done 2>/dev/null; wait "${pids[@]}" 2>/dev/null'
}
# live_watch_all JSON TEXT INODE: -j -L --watch and -L --watch (live_bg),
# their output in JSON and TEXT, their stderr in JSON.err and TEXT.err,
# their PIDs in $wl and $wlt and in $pids (live_begin first). Returns once
# both have made their first scan, which is done when a watch holds a
# socket in net:[INODE], a namespace that was there before; a watch that
# does not start stops the file (require).
live_watch_all() {
	local json=$1 text=$2 inode=$3
	live_bg "$json" "$json.err" -j -L --watch
	wl=$bg_pid
	pids+=("$wl")
	require "-L --watch starts" wait_for 20 sock_in "$wl" "$inode"
	live_bg "$text" "$text.err" -L --watch
	wlt=$bg_pid
	pids+=("$wlt")
	require "-L --watch (text) starts" wait_for 20 sock_in "$wlt" "$inode"
}
# live_watch_ended WHAT NAME: after the owner of the namespace that the
# --watch -j ($wj, stderr $tmp/wj.err) and text ($wt) watches of NAME
# follow went away at $t0 (WHAT did it): both end with 6, saying why
live_watch_ended() {
	check "$1: --watch -j ends within 5 s" wait_exit "$wj" 5
	echo "# $(ms_since "$t0") ms"
	check_eq "... with 6" 6 "$wait_rc"
	check "... saying so, naming $2" grep -q "^netjoin: $2: " "$tmp/wj.err"
	wait_exit "$wt" 5
	check_eq "the text --watch ends with 6 too" 6 "$wait_rc"
}
# live_has JSON INODE FILTER: a line of JSON about net:[INODE] matches FILTER
live_has() { grep -F "net:[$2]" "$1" | jq -c "select($3)" 2>/dev/null | grep -q .; }
# live_ns_freed TARGET INODE JSON TEXT: the namespace net:[INODE] of TARGET,
# whose owner went away, is reported gone by the -L --watch watches
# (live_watch_all JSON TEXT), which then hold nothing of it, and it is
# destroyed: the veth end p1 in $pn that only it held is gone
live_ns_freed() {
	local lt=$1 ino=$2 json=$3 text=$4
	check "-L --watch reports $lt gone" \
		wait_for 5 live_has "$json" "$ino" ".event == \"del\" and .kind == \"netns\" and .target == \"$lt\"" ||
		holders "$ino" "$wl"
	check "-L --watch (text): [TIME] [TARGET] Deleted netns net:[$ino]" \
		wait_for 3 grep -qE "^\[[-0-9T:.]+\] \[[^]]+\] Deleted netns net:\[$ino\]\$" "$text"
	check "... and within a second holds no socket, nsfs fd or mount of net:[$ino]" \
		wait_for 1 holds_nothing "$wl" "$ino" || echo "$held"
	check "the namespace is destroyed: nothing holds it (p1, nj1's peer, is gone)" wait_for 3 peer_gone "$pn" 1 ||
		holders "$ino"
}
# live_watch_all_end JSON: SIGTERM ends both -L --watch watches with 0,
# and every line of JSON was whole JSON
live_watch_all_end() {
	local rc
	kill -TERM "$wl" "$wlt"
	wait_exit "$wl" 3
	rc=$wait_rc
	wait_exit "$wlt" 3
	check_eq "-L --watch, -j and text: SIGTERM ends them with 0" "0 0" "$rc $wait_rc"
	check "... every line whole JSON" sh -c 'jq -c . "$1" >/dev/null' _ "$1"
}
# live_bg OUT ERR ARGS...: netjoin ARGS in the background, its output in
# OUT and ERR, its PID in $bg_pid (netjoin's own: what is checked of it, and
# what is signalled). With nj_view_binds set (lib.sh), in nj_view's view,
# but one whose mount namespace is the host's slave: a pin removed on the
# host (ip netns del, the CRI's RemovePodSandbox) is removed there too. A
# private copy would keep the namespace alive, and unseen.
live_bg() {
	local out=$1 err=$2; shift 2
	live_exec "$@" >"$out" 2>"$err" &
	bg_pid=$!
}
live_exec() { # in the background job's subshell: replaced by netjoin
	[ ${#nj_view_binds[@]} -gt 0 ] || exec "$NETJOIN" "$@"
	nj_view_cmd slave
	exec "${nj_view_argv[@]}" "$NETJOIN" "$@"
}
