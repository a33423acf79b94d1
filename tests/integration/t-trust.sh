#!/usr/bin/env bash
# timeout: 300
# Trust on a production node: safety checks that fail closed, files a
# container cannot choose, output that cannot drive a terminal.
#   - a recycled PID named by a pidfile (CRI-O's conmon pidfile,
#     containerd's init.pid) is refused, also when /proc/stat is larger
#     than any fixed buffer, and crun's record is read;
#   - a thread that cannot step back from another namespace ends the run;
#   - --dns resolves a container's symlinks inside its own root, takes
#     regular files only and keeps their mode;
#   - no text mode writes a control byte other than newline and tab;
#   - --user gives the environment runuser -u gives;
#   - no uninitialised read on the command path (valgrind).
# Runtime state is written by hand in private directories bound over the
# default paths (nj_view), pointing at real processes in real namespaces.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

plan 41

need_root
need ip
need jq
need unshare
need python3
need cc
need valgrind
need busybox
need runuser
runuser=$(command -v runuser)
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
chmod 755 "$tmp"
on_exit "rm -rf $tmp"
export DOCKER_HOST=unix://$tmp/no-docker.sock
nj() { nj_view "$NETJOIN" "$@"; }

# Control bytes other than newline and tab in a file: none, or say which.
no_ctl() {
	python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
bad = sorted({b for b in data if (b < 0x20 and b not in (9, 10)) or b == 0x7f})
if bad:
    print("#   control bytes: " + " ".join("%02x" % b for b in bad))
    sys.exit(1)' "$1"
}

# spawn VAR NETNS: a live sleep in that named namespace, killed at exit.
spawn() {
	local p i
	ip netns exec "$2" sleep 3600 >/dev/null 2>&1 &
	p=$!
	on_exit "kill $p"
	for ((i = 0; i < 50; i++)); do
		[ "$(readlink "/proc/$p/ns/net")" = "net:[$(stat -L -c %i "/run/netns/$2")]" ] && break
		sleep 0.1
	done
	printf -v "$1" %s "$p"
}
start_of() { awk '{print $22}' "/proc/$1/stat"; }

# --- a process in a namespace of its own, with a marked interface ----------
nsA=${nj_id}a
mk_netns "$nsA"
require "a marked interface in $nsA" ip -n "$nsA" link add "${nj_id}m" type veth peer name "${nj_id}n"
spawn pidA "$nsA"
require "process in $nsA" test -n "$pidA"
startA=$(start_of "$pidA")

# A /proc/stat of 80 KiB whose btime line comes last, as on a machine with
# many CPUs and interrupts.
python3 - "$tmp/stat" <<'EOF'
import sys
lines = open("/proc/stat").read().splitlines()
btime = [l for l in lines if l.startswith("btime ")]
rest = [l for l in lines if not l.startswith("btime ")]
cpus = ["cpu%d 1 2 3 4 5 6 7 8 0 0" % i for i in range(1024)]
intr = "intr 1 " + " ".join(["0"] * 20000)
open(sys.argv[1], "w").write("\n".join(rest[:1] + cpus + [intr] + rest[1:] + btime) + "\n")
EOF
require "the big /proc/stat is over 64 KiB with btime last" \
	sh -c "[ \$(stat -c %s $tmp/stat) -gt 65536 ] && tail -n 1 $tmp/stat | grep -q '^btime '"

# Other runtimes' state hidden, so only ours is read.
mkdir -p "$tmp/empty"
for d in /run/containerd /var/lib/docker /run/docker /run/runc /run/crun; do
	[ -d "$d" ] && nj_view_bind "$tmp/empty" "$d"
done

# --- CRI-O: conmon's pidfile -----------------------------------------------
crio_root=$tmp/crio-run
cid=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
ud=$crio_root/overlay-containers/$cid/userdata
mkdir -p "$ud"
nj_view_bind "$crio_root" /run/containers/storage
nj_view_bind "$tmp/empty" /var/lib/containers/storage
jq -n --arg name "trust-$nj_id" --arg sb "$cid" '{ociVersion: "1.0.2",
	annotations: {"io.kubernetes.cri-o.ContainerType": "container",
		"io.kubernetes.cri-o.SandboxID": $sb,
		"io.kubernetes.pod.name": "trust", "io.kubernetes.pod.namespace": "default",
		"io.kubernetes.container.name": $name},
	linux: {namespaces: [{type: "network"}]}}' >"$ud/config.json"
printf '%s' "$pidA" >"$ud/pidfile"

touch -d '1 hour ago' "$ud/pidfile"
check_exit "CRI-O: a pidfile an hour older than its process: refused (exit 6)" 6 nj "crio:$cid"
check "CRI-O: the message says the PID belongs to another process" \
	grep -q "another process" <<<"$nj_err"
nj_view_bind "$tmp/stat" /proc/stat
check_exit "CRI-O: the same with an 80 KiB /proc/stat, btime last: still refused" 6 nj "crio:$cid"
touch "$ud/pidfile"
check_exit "CRI-O: a fresh pidfile, 80 KiB /proc/stat: joined" 0 nj "crio:$cid"
check "CRI-O: the listing is the process's namespace" grep -q "${nj_id}m" <<<"$nj_out"

# --- containerd: init.pid, runc's and crun's records ------------------------
tasks=$tmp/tasks
runc=$tmp/runc
tid=trust-$nj_id
mkdir -p "$tasks/default/$tid" "$runc/default/$tid"
nj_view_bind "$tasks" /run/containerd/io.containerd.runtime.v2.task
nj_view_bind "$runc" /run/containerd/runc
jq -n '{ociVersion: "1.0.2", linux: {namespaces: [{type: "network"}]}}' \
	>"$tasks/default/$tid/config.json"
printf '%s' "$pidA" >"$tasks/default/$tid/init.pid"

touch -d '1 hour ago' "$tasks/default/$tid/init.pid"
check_exit "containerd: no runtime record, init.pid an hour older than its process: refused (exit 6)" \
	6 nj "containerd:default/$tid"
check "containerd: the message says the PID belongs to another process" \
	grep -q "another process" <<<"$nj_err"
touch "$tasks/default/$tid/init.pid"
check_exit "containerd: no runtime record, fresh init.pid: joined" 0 nj "containerd:default/$tid"
check "containerd: the listing is the process's namespace" grep -q "${nj_id}m" <<<"$nj_out"
# crun keeps its record in 'status', under the root the shim gives it
jq -n --argjson pid "$pidA" --argjson st "$((startA + 1))" \
	'{id: "x", pid: $pid, "process-start-time": $st}' >"$runc/default/$tid/status"
check_exit "containerd on crun: a start time that is not the process's: refused (exit 6)" \
	6 nj "containerd:default/$tid"
check "containerd on crun: the message says the PID was reused" grep -q "reused" <<<"$nj_err"
jq -n --argjson pid "$pidA" --argjson st "$startA" \
	'{id: "x", pid: $pid, "process-start-time": $st}' >"$runc/default/$tid/status"
check_exit "containerd on crun: its own start time: joined" 0 nj "containerd:default/$tid"

# --- stranded in another namespace -----------------------------------------
require "setns shim builds" cc -shared -fPIC -o "$tmp/setns_fail.so" \
	"$top/tests/tools/setns_fail.c" -ldl
# an ASan build must not insist on being first in the library list
preload() {
	LD_PRELOAD=$tmp/setns_fail.so \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 "$@"
}
# -L: setns 1 steps into the first namespace, setns 2 back: make 2 fail
check_exit "-L cannot step back from a namespace: the run ends (exit 1)" 1 \
	preload env NJ_SETNS_FAIL_AT=2 "$NETJOIN" -L
check "-L stranded: it says why" grep -q "cannot return to netjoin's own network namespace" <<<"$nj_err"
check "-L stranded: nothing listed from the wrong namespace" test -z "$nj_out"
# peers: setns 1 joins A, 2 enters B for the veth peer, 3 comes back to A
nsB=${nj_id}b
mk_netns "$nsB"
require "veth between $nsA and $nsB" ip -n "$nsA" link add "${nj_id}v" type veth peer name "${nj_id}w" netns "$nsB"
check_exit "peers: the listing names the peer in $nsB" 0 "$NETJOIN" "netns:$nsA"
check "peers: the peer label" grep -q "peer ${nj_id}w in netns:$nsB" <<<"$nj_out"
check_exit "peers: cannot step back into the joined namespace: the run ends (exit 1)" 1 \
	preload env NJ_SETNS_FAIL_AT=3 "$NETJOIN" "netns:$nsA"
check "peers stranded: it says why" grep -q "cannot return to the joined network namespace" <<<"$nj_err"

# --- --dns: a container's files, inside its root ---------------------------
root=$tmp/croot
mkdir -p "$root/bin" "$root/etc" "$root/data"
cp "$(command -v busybox)" "$root/bin/busybox"
echo "container's own shadow" >"$root/etc/shadow"
ln -s /etc/shadow "$root/etc/resolv.conf"             # absolute: inside its root
ln -s ../../../../../../data/hosts "$root/etc/hosts"  # relative: climbs no higher than its root
printf '192.0.2.1 trust-%s\n' "$nj_id" >"$root/data/hosts"
chmod 0640 "$root/data/hosts"
chroot "$root" /bin/busybox sleep 3600 &
cpid=$!
on_exit "kill $cpid"
require "the chrooted process runs" sh -c "sleep 0.3; [ \"\$(readlink /proc/$cpid/root)\" = '$root' ]"
check_exit "--dns pid: (symlinks in its root): the command runs" 0 \
	"$NETJOIN" --dns "pid:$cpid" sh -c 'cat /etc/resolv.conf; cat /etc/hosts; stat -c %a /etc/hosts'
check_eq "--dns: /etc/resolv.conf -> /etc/shadow is the container's file, never the host's" \
	"container's own shadow" "$(sed -n 1p <<<"$nj_out")"
check_eq "--dns: a relative symlink climbing past / stays in the root" \
	"192.0.2.1 trust-$nj_id" "$(sed -n 2p <<<"$nj_out")"
check_eq "--dns: the file keeps its mode (0640)" 640 "$(sed -n 3p <<<"$nj_out")"
rm "$root/etc/hosts" && mkfifo "$root/etc/hosts"
check_exit "--dns: a FIFO as /etc/hosts is refused, not waited on (exit 1)" 1 \
	timeout 20 "$NETJOIN" --dns "pid:$cpid" true
check "--dns: the message says it is not a regular file" grep -q "not a regular file" <<<"$nj_err"

# --- control bytes ---------------------------------------------------------
esc=$(printf 'e\033[2J')
nsC=${nj_id}c
mk_netns "$nsC"
require "an interface named e<ESC>[2J, its peer on the host" \
	ip -n "$nsC" link add "$esc" type veth peer name "${nj_id}h" netns 1
on_exit "ip link del ${nj_id}h"
require "an address on it" ip -n "$nsC" addr add 192.0.2.200/32 dev "$esc"
ip netns exec "$nsC" python3 -c '
import ctypes, socket, sys, time
ctypes.CDLL(None).prctl(15, b"x\x1b[2J\ny\x07", 0, 0, 0)
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
sys.stdout.write("ready\n"); sys.stdout.flush(); time.sleep(3600)' >"$tmp/comm.ready" &
on_exit "kill $!"
require "a process whose comm holds ESC, newline and BEL listens in $nsC" \
	sh -c "for i in \$(seq 50); do grep -q ready $tmp/comm.ready && exit 0; sleep 0.1; done; exit 1"
modes=("netns:$nsC" "-b netns:$nsC" "-d netns:$nsC" "-a netns:$nsC" "-s -d netns:$nsC" "-L" "--find 192.0.2.200" "host")
for m in "${modes[@]}"; do
	# shellcheck disable=SC2086 # the mode's words
	"$NETJOIN" $m >"$tmp/out" 2>"$tmp/err"
	check "text of 'netjoin $m': no control byte but newline and tab" no_ctl "$tmp/out"
done
check "-s: the process title is shown, escaped" \
	grep -qF 'x\x1b[2J\x0ay\x07' <("$NETJOIN" -s "netns:$nsC")
check "host: the peer label names e\\x1b[2J" \
	grep -qF "peer e\\x1b[2J in netns:$nsC" <("$NETJOIN" host)
"$NETJOIN" -v "netns:$nsC" true >/dev/null 2>"$tmp/err"
check "-v on stderr: no control byte but newline and tab" no_ctl "$tmp/err"

# --- --user: the environment runuser -u gives --------------------------------
env_of() { grep -v '^NETJOIN_' | sort; }
for u in nobody root; do
	want=$(env -i PATH=/usr/bin:/bin USER=someone LOGNAME=someone HOME=/x SHELL=/bin/zsh FOO=bar \
		"$runuser" -u "$u" -- env | env_of)
	got=$(env -i PATH=/usr/bin:/bin USER=someone LOGNAME=someone HOME=/x SHELL=/bin/zsh FOO=bar \
		"$NETJOIN" --user "$u" "netns:$nsA" env | env_of)
	check_eq "--user $u: the environment runuser -u $u gives" "$want" "$got"
done
check_eq "--user root: keeps root's capabilities" \
	"$(grep ^CapEff: /proc/self/status)" "$("$NETJOIN" --user root "netns:$nsA" grep ^CapEff: /proc/self/status)"

# --- no uninitialised read on the command path -----------------------------
# valgrind cannot run an ASan build: the plain one is checked either way
plain=$top/build/netjoin
[ -x "$plain" ] || make -s -C "$top" build/netjoin >/dev/null 2>&1
check_exit "valgrind: a command without --dns reads nothing uninitialised" 0 \
	valgrind -q --error-exitcode=99 "$plain" "netns:$nsA" true
check_eq "valgrind: and prints no warning" "" "$(grep -v '^==' <<<"$nj_err")"
