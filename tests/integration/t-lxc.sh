#!/usr/bin/env bash
# shellcheck disable=SC2016 # jq and sh -c programs are quoted whole
# netjoin against an LXC container (lxc-start, Debian's lxc 5.0) made from
# the busybox template, found from LXC's own state: the containers of the
# lxcpath, and each one's init through its monitor's command socket
# (LXC_CMD_GET_INIT_PIDFD), never through the lxc-* tools (the test uses
# them to make the container, and lxc-info as an oracle only).
#
# Nothing of the host is touched: the container lives in a private
# lxcpath under a temporary directory, which netjoin learns from an
# lxc.conf bound over /etc/lxc in a private mount namespace (nj_view); its
# network is LXC's "empty" type, into which the test moves one end of a
# veth pair whose other end lives in a namespace the test made. The
# oracle for the listing is the host's `ip -j addr` run by nsenter.
#
# timeout: 300
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 35

need_root
need lxc-create
need lxc-start
need nsenter
need jq
need python3
need setpriv
need unshare
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"
[ -x /usr/share/lxc/templates/lxc-busybox ] || skip_all "no LXC busybox template"

tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
# LXC's locks of the containers of our lxcpaths, which it leaves behind
on_exit "rm -rf /run/lxc/lock$tmp"
# as root's /var/lib/lxc is: others may list it, not enter a container
chmod 0755 "$tmp"
lp=$tmp/lxc
mkdir -p "$lp" "$tmp/etc-lxc"
echo "lxc.lxcpath = $lp/" >"$tmp/etc-lxc/lxc.conf"
name=$nj_id-lxc # longer than the 12 characters an ID is cut to
peer=$nj_id-lxp

# netjoin sees our lxcpath as LXC's own, and no Docker daemon
nj_view_bind "$tmp/etc-lxc" /etc/lxc
nj() { DOCKER_HOST=unix:///nonexistent.sock nj_view "$NETJOIN" "$@"; }
jqe() { jq -e "$@" >/dev/null; }
err_grep=(-F) # err_has (lib.sh): fixed strings

# --- the container -------------------------------------------------------

printf '%s\n' 'lxc.net.0.type = empty' 'lxc.apparmor.profile = unconfined' \
	>"$tmp/config"
on_exit "lxc-destroy -f -P $lp -n $name"
if ! lxc-create -P "$lp" -n "$name" -t busybox -f "$tmp/config" \
	>"$tmp/create.log" 2>&1; then
	sed 's/^/#   /' "$tmp/create.log"
	skip_all "lxc-create cannot make a busybox container here"
fi
on_exit "lxc-stop -k -P $lp -n $name"
lxc-start -P "$lp" -n "$name" -l INFO -o "$tmp/start.log" ||
	{ sed 's/^/#   /' "$tmp/start.log"; skip_all "lxc-start cannot start it here"; }
require "the container runs" lxc-wait -P "$lp" -n "$name" -s RUNNING -t 20
pid=$(lxc-info -P "$lp" -n "$name" -p -H)
require "lxc-info names its init" test -n "$pid"
ino=$(stat -L -c %i "/proc/$pid/ns/net")
require "the container has a network namespace of its own" \
	test "$ino" != "$(stat -L -c %i /proc/self/ns/net)"

# its network: eth1, moved in from a veth pair made in our own namespace,
# with an address no namespace on the node holds
mk_netns "$peer"
net=
for n in 198.51.100 192.0.2 203.0.113; do
	node_addrs | net_free "$n.0/24" && { net=$n; break; }
done
require "a free test prefix" test -n "$net"
require "a veth into the container" ip -n "$peer" link add "h$nj_id" \
	type veth peer name eth1 netns "$pid"
ip -n "$peer" addr add "$net.1/24" dev "h$nj_id"
ip -n "$peer" link set "h$nj_id" up
nsenter -t "$pid" -n ip addr add "$net.2/24" dev eth1
nsenter -t "$pid" -n ip link set eth1 up
nsenter -t "$pid" -n ip link set lo up
# carrier comes a moment after both ends are up, and only then the
# link-local address whose DAD nj_settle waits for (ip's complaints about
# other namespaces' stale names in /run/netns are not ours)
in_ct() { nsenter -n -t "$pid" ip "$@" 2>/dev/null; }
for ((i = 0; i < 50; i++)); do
	in_ct -o link show eth1 | grep -q 'state UP' &&
		in_ct -6 -o addr show dev eth1 scope link | grep -q inet6 && break
	sleep 0.1
done
require "eth1 is up, with its link-local address" \
	sh -c "nsenter -n -t $pid ip -6 -o addr show dev eth1 scope link 2>/dev/null | grep -q inet6"
nj_settle in_ct

# --- found, listed, joined -----------------------------------------------

for t in "lxc:$name" "$name"; do
	ip_json_same "$t: its interfaces, as ip -j addr lists them inside" \
		nj -j "$t" -- nsenter -n -t "$pid" ip -j addr
	check_eq "$t: the target is the container's init and namespace" \
		"container lxc $name $pid $ino" \
		"$(jq -r '.target | "\(.kind) \(.runtime) \(.name) \(.pid) \(.netns_inode)"' "$tmp/nj.json" 2>/dev/null)"
done
check_eq "netjoin NAME ip addr: the host's ip runs in its namespace" \
	"$net.2" \
	"$(nj "$name" ip -j addr show dev eth1 2>/dev/null | jq -r '.[0].addr_info[] | select(.family == "inet") | .local')"
# the host's files (the test's own config), which the container's root
# does not have
check_eq "netjoin lxc:NAME COMMAND: joined its network namespace only" \
	"net:[$ino] host files" \
	"$(nj "lxc:$name" sh -c 'echo "$(readlink /proc/self/ns/net) $(test -f "$1" && echo host files)"' _ "$tmp/config" 2>/dev/null)"
check_exit "-v: says how it was found" 0 nj -v "lxc:$name"
err_has "-v names LXC's command socket" "its monitor's command socket"
check_eq "the text header names it once (it has no ID)" \
	"lxc $name pid $pid net:[$ino]" "$(nj "lxc:$name" 2>/dev/null | head -n 1)"
check "--complete offers it" grep -qx -- "$name" <<<"$(nj --complete 2>/dev/null)"

# --- node-wide views -----------------------------------------------------

nj -L -j >"$tmp/list.json" 2>/dev/null
check "-L -j: its namespace is owned by lxc NAME, target lxc:NAME" jqe \
	--argjson ino "$ino" --arg n "$name" \
	'.namespaces[] | select(.netns_inode == $ino) | .owners[0] |
	 select(.runtime == "lxc" and .name == $n and .target == "lxc:" + $n)' \
	"$tmp/list.json"
check "-L: its row says lxc NAME" grep -qF -- "lxc $name" <<<"$(nj -L 2>/dev/null)"
check_exit "--find ADDR: found" 0 nj --find "$net.2"
check "--find ADDR: its owner is lxc NAME" grep -qF -- "lxc $name" <<<"$nj_out"
check "--find -j ADDR: the target lxc:NAME" jqe --arg n "$name" \
	'.matches[] | select(.target == "lxc:" + $n)' <<<"$(nj --find "$net.2" -j 2>/dev/null)"

# --- not found, ambiguous, refused ---------------------------------------

check_exit "a name close to it: not found (exit 3)" 3 nj "${name%?}"
err_has "…with a hint that names lxc:NAME" "lxc:$name"
check_exit "lxc:NAME of nothing: exit 3" 3 nj "lxc:$nj_id-none"

# A containerd container that nerdctl named the same (its task state, as
# the shim writes it, around a process of ours in a namespace of its own):
# a bare name is ambiguous, lxc:NAME is not.
fake=$tmp/containerd
cid=$(head -c 32 /dev/urandom | sha256sum | cut -c1-64)
tdir=$fake/io.containerd.runtime.v2.task/default/$cid
mkdir -p "$tdir"
unshare -n sleep 3600 >/dev/null 2>&1 &
other=$!
on_exit "kill $other"
for ((i = 0; i < 50; i++)); do
	[ "$(stat -L -c %i "/proc/$other/ns/net" 2>/dev/null)" != "$(stat -L -c %i /proc/self/ns/net)" ] && break
	sleep 0.1
done
jq -n --arg n "$name" '{ociVersion: "1.0.2", annotations: {"nerdctl/name": $n},
	linux: {namespaces: [{type: "network"}]}}' >"$tdir/config.json"
sleep 1 # init.pid is written after its process started, as the shim does
printf '%s' "$other" >"$tdir/init.pid"
njf() {
	local nj_view_binds=("${nj_view_binds[@]}" "$fake" /run/containerd)
	DOCKER_HOST=unix:///nonexistent.sock nj_view "$NETJOIN" "$@"
}
require_eq "the containerd container is seen" "$(stat -L -c %i "/proc/$other/ns/net")" \
	"$(njf -j "containerd:default/$cid" 2>/dev/null | jq -r .target.netns_inode 2>/dev/null)"
check_exit "a name LXC and containerd both use: ambiguous (exit 4)" 4 njf "$name"
err_has "…listing lxc:NAME" "lxc:$name"
err_has "…and the containerd one" "containerd:default/${cid:0:12}"
check_eq "lxc:NAME still selects the LXC one" "$ino" \
	"$(njf -j "lxc:$name" 2>/dev/null | jq -r .target.netns_inode 2>/dev/null)"

# A user: the container is root's
check_exit "a user's lxc:NAME: needs root (exit 5)" 5 \
	nj_view setpriv --reuid 65534 --regid 65534 --clear-groups "$NETJOIN" "lxc:$name"
err_has "…and says so" "needs root"

# A name whose command socket a stranger holds (anyone may bind an
# abstract name): never trusted
rogue=$nj_id-rog
mkdir -p "$lp/$rogue"
: >"$lp/$rogue/config"
# the system's python, which that user may run (not a root-only pyenv's)
setpriv --reuid 65534 --regid 65534 --clear-groups /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(b"\0" + sys.argv[1].encode())
s.listen(8)
while True:
    c, _ = s.accept()
    c.recv(64)
    c.send(bytes(16))
    c.close()
' "$lp/$rogue/command" >/dev/null 2>&1 &
rogue_pid=$!
on_exit "kill $rogue_pid"
listens() { ss -xlH | grep -qF -- "@$lp/$rogue/command "; }
for ((i = 0; i < 50; i++)); do listens && break; sleep 0.1; done
require "the stranger listens" listens
check_exit "a socket held by another user: not joined (exit 6)" 6 nj "lxc:$rogue"
err_has "…and says it is not trusted" "not trusted"

# --- a long lxcpath --------------------------------------------------------

# "<lxcpath>/<name>/command" longer than sun_path: LXC names the socket
# "lxc/<FNV-1a 64 of lxcpath/name>/command" instead
llp=$tmp/$(printf 'l%.0s' {1..90})
lname=$nj_id-long
mkdir -p "$llp" "$tmp/etc-lxc-long"
echo "lxc.lxcpath = $llp" >"$tmp/etc-lxc-long/lxc.conf"
on_exit "lxc-destroy -f -P $llp -n $lname"
require "a container in a long lxcpath" lxc-create -P "$llp" -n "$lname" \
	-t busybox -f "$tmp/config" >/dev/null 2>&1
on_exit "lxc-stop -k -P $llp -n $lname"
require "it starts" lxc-start -P "$llp" -n "$lname"
require "it runs" lxc-wait -P "$llp" -n "$lname" -s RUNNING -t 20
lpid=$(lxc-info -P "$llp" -n "$lname" -p -H)
require "LXC hashed its socket's name" sh -c 'ss -xlH | grep -q "@lxc/[0-9a-f]\{16\}/command "'
njl() {
	local nj_view_binds=("$tmp/etc-lxc-long" /etc/lxc)
	DOCKER_HOST=unix:///nonexistent.sock nj_view "$NETJOIN" "$@"
}
check_eq "lxc:NAME through a hashed socket name: its init's namespace" \
	"$lpid $(stat -L -c %i "/proc/$lpid/ns/net")" \
	"$(njl -j "lxc:$lname" 2>/dev/null | jq -r '.target | "\(.pid) \(.netns_inode)"')"
lxc-stop -k -P "$llp" -n "$lname"

# --- -L --watch: a second container started and stopped meanwhile ---------

# lxc-start makes no file: the one sign on disk is its write of the
# container's lock (/run/lxc/lock/<lxcpath>/.<name>), which -L --watch
# watches; the rescan every 2 s would find it too, but later. No lxc-*
# tool runs between lxc-start and the event: each writes the lock too.
# shellcheck source-path=SCRIPTDIR source=live.sh
. "$(dirname "$0")/live.sh"
name2=$nj_id-lx2
on_exit "lxc-destroy -f -P $lp -n $name2"
require "a second container" lxc-create -P "$lp" -n "$name2" -t busybox \
	-f "$tmp/config" >/dev/null 2>&1
DOCKER_HOST=unix:///nonexistent.sock live_bg "$tmp/L" "$tmp/L.err" -j -L --watch
wl=$bg_pid
on_exit "kill $wl"
# its first scan is done when it watches the namespace of the first one
require "-L --watch starts" wait_for 20 sock_in "$wl" "$ino"
on_exit "lxc-stop -k -P $lp -n $name2"
require "the second one starts" lxc-start -P "$lp" -n "$name2"
t0=${EPOCHREALTIME/./}
# lx2_line FILTER: a line of -L --watch's about the second one that FILTER
# selects (the first may be ownerless, pid:N: then it is named again)
lx2_line() { jq -c --arg t "lxc:$name2" "select(.kind == \"netns\" and .target == \$t and $1)" "$tmp/L" 2>/dev/null | grep -m 1 .; }
lx2_has() { lx2_line "$1" >/dev/null; }
wait_for 5 lx2_has '.event == "new"'
new=$(lx2_line '.event == "new"')
pid2=$(lxc-info -P "$lp" -n "$name2" -p -H)
ino2=$(stat -L -c %i "/proc/$pid2/ns/net" 2>/dev/null)
check "-L --watch: its namespace is new, target lxc:NAME, owned by lxc NAME" \
	jqe --argjson i "${ino2:-0}" --arg n "$name2" '.netns_inode == $i and
	 (.owners[] | select(.runtime == "lxc" and .name == $n))' <<<"$new"
ms=
[ -n "$new" ] && ms=$((($(date -d "$(jq -r .time <<<"$new")" +%s%6N) - t0) / 1000))
check "... within 1 s of lxc-start's end, not at the 2 s rescan: ${ms:-no event} ms" \
	test -n "$ms" -a "${ms:-0}" -lt 1000
t0=${EPOCHREALTIME/./}
lxc-stop -k -P "$lp" -n "$name2"
check "lxc-stop: -L --watch reports it gone" wait_for 5 lx2_has '.event == "del"'
echo "# del after $(ms_since "${t0}000") ms"
check "... and holds no socket, nsfs fd or mount of it" \
	wait_for 1 holds_nothing "$wl" "${ino2:-0}" || echo "$held"
kill -TERM "$wl"
wait_exit "$wl" 3
check_eq "-L --watch: SIGTERM ends it with 0" 0 "$wait_rc"

# --- stopped -------------------------------------------------------------

require "the container stops" lxc-stop -k -P "$lp" -n "$name"
check_exit "a stopped container: exit 6" 6 nj "lxc:$name"
err_has "…saying it is not running" "lxc:$name is not running (stopped)"
owned() { nj -L -j 2>/dev/null | jqe --arg n "$name" '.namespaces[].owners[] | select(.name == $n)'; }
check "-L: no namespace owned by it once stopped" eval '! owned'
