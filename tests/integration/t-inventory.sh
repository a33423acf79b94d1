#!/usr/bin/env bash
# timeout: 1200
# The node-wide view: veth peers across namespaces (the "peer" object of
# -j interfaces, and "peer IFNAME (master BR) in TARGET (OWNER)" in text),
# -L / -j -L, and --find, on a node with one of each kind of namespace:
#
#   host         the machine's own
#   docker       a container of the private engine of scripts/docker-up.sh,
#                on its default bridge njtest0 (eth0) and on a dual-stack
#                user network (eth1)
#   pod          a Kubernetes pod laid out as containerd's CRI plugin lays
#                it out (t-containerd.sh): a pinned cni-<uuid> netns with a
#                veth on a bridge of ours, a sandbox and an app container
#                (one namespace, two containers: one row, owned by the pod)
#   podman       a container of the private store of scripts/podman-up.sh
#   netns:A, :B  `ip netns add` namespaces with a veth between them
#   pid:N        a namespace held only by a process (unshare -n sleep)
#   /proc/H/fd/F a namespace held only by an open fd of process H (its
#                first process is gone)
#
# and, last, 100 more `ip netns add` namespaces with a veth each (cost), a
# namespace only a thread is in, and one pinned only by a bind mount in
# another mount namespace.
#
# netjoin runs through nj_view, with the runtimes' state bound at their
# default paths, so owners are found from disk (Docker from its API, and
# again with the API unreachable). Oracles: the kernel itself (iflink,
# ifindex), ip(8) in each namespace, and, for the set of namespaces, a scan
# of /proc/*/ns/net, /proc/*/fd and the nsfs mounts here, made by the test
# (plus util-linux lsns for the process-held ones).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 236
docker=/usr/bin/docker # /usr/local/bin/docker may be a newer, other CLI
image=netjoin-test/busybox:latest
pm=$top/scripts/podman-private.sh
pm_image=localhost/netjoin-test/busybox:latest
run=/run/netjoin-test
state=$run/containerd
csock=$state/containerd.sock
dsock=$run/docker.sock
graph=/var/lib/netjoin-test/containers
runroot=$run/containers

need_root
{ [ -x "$docker" ] && [ -x /usr/sbin/dockerd ]; } || skip_all "docker.io not installed"
command -v podman >/dev/null 2>&1 || skip_all "podman not installed"
for c in ctr containerd containerd-shim-runc-v2 runc ip jq nsenter unshare python3 curl lsns timeout; do
	need "$c"
done
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
chmod 755 "$tmp"
on_exit "rm -rf $tmp"

# --- engines -------------------------------------------------------------

# Each is stopped at the end only if this test started it. Cleanups run
# last in, first out: podman's before docker-down.sh, which removes all of
# /run/netjoin-test (podman's runroot and config included).
if ! curl -fsS --max-time 2 --unix-socket "$dsock" http://docker/_ping >/dev/null 2>&1; then
	on_exit "$top/scripts/docker-down.sh"
fi
if ! up=$("$top"/scripts/docker-up.sh 2>"$tmp/up.err"); then
	sed 's/^/#   /' "$tmp/up.err"
	skip_all "cannot start the private dockerd"
fi
export "${up?}" # DOCKER_HOST=unix:///run/netjoin-test/docker.sock
"$top"/scripts/mkimage.sh || skip_all "cannot build $image"
# docker-up.sh started the private containerd too.
timeout 5 ctr --address "$csock" version >/dev/null 2>&1 || skip_all "the private containerd does not answer"

for d in /var/lib/containers /run/containers; do
	[ -e "$d" ] || on_exit "rmdir $d/storage $d"
done
if [ -f "$run/podman/containers.conf" ]; then
	on_exit "$pm ps -aq --filter name=^$nj_id- | xargs -r $pm rm -f -i -t 0"
else
	on_exit "$top/scripts/podman-down.sh"
fi
if ! "$top"/scripts/podman-up.sh 2>"$tmp/up.err"; then
	sed 's/^/#   /' "$tmp/up.err"
	skip_all "cannot set up the private podman store"
fi

"$top"/scripts/mkimage.sh --tar "$tmp/rootfs.tar" || skip_all "cannot build the busybox rootfs"
rootfs=$tmp/rootfs
{ mkdir "$rootfs" && tar -C "$rootfs" -xf "$tmp/rootfs.tar"; } || skip_all "cannot unpack the rootfs"

# netjoin's view: every runtime's state at its default path.
nj_view_bind "$state" /run/containerd
nj_view_bind /var/lib/netjoin-test/docker /var/lib/docker
nj_view_bind "$run/docker" /run/docker
nj_view_bind "$graph" /var/lib/containers/storage
nj_view_bind "$runroot" /run/containers/storage
# nj ARGS: netjoin in that view (DOCKER_HOST is the private engine's),
# bounded so that a hang is a failure, not a stuck test.
nj() { nj_view timeout 300 "$NETJOIN" "$@"; }

# --- helpers -------------------------------------------------------------

ino() { stat -L -c %i "$1"; }
uuid() { cat /proc/sys/kernel/random/uuid; }
# A container ID as containerd's CRI plugin makes them, first digit a letter.
hexid() {
	local h letters=abcdef
	h=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	echo "${letters:RANDOM%6:1}${h:1}"
}


# settle_pid PID / settle_ns NAME: IPv6 DAD done, so no address changes.
settle_pid() { nj_settle nsenter -n -t "$1" ip; }
settle_ns() { nj_settle ip -n "$1"; }

# wait_own_netns PID: until PID (just started by unshare -n) is in a
# namespace other than ours.
wait_own_netns() {
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(ino "/proc/$1/ns/net" 2>/dev/null)" != "$ino_host" ] && return 0
		sleep 0.1
	done
	return 1
}

# Docker, containerd (ctr) and podman.
dk_pid() { $docker inspect -f '{{.State.Pid}}' "$1"; }
dk_id() { $docker inspect -f '{{.Id}}' "$1"; }
pm_pid() { $pm inspect -f '{{.State.Pid}}' "$1"; }
pm_id() { $pm inspect -f '{{.Id}}' "$1"; }
ctr_() { timeout 60 ctr --address "$csock" "$@"; }
ctr_pid() { cat "$state/io.containerd.runtime.v2.task/$1/$2/init.pid"; }
ctr_rm() {
	ctr_ -n "$1" tasks delete -f "$2"
	ctr_ -n "$1" containers delete "$2"
	ctr_ namespaces remove "$1"
	rmdir "$state/io.containerd.runtime.v2.task/$1" "$state/runc/$1"
}
# ctr_start NS ID ARGS...: a detached sleep task, as t-containerd.sh makes them.
ctr_start() {
	local ns=$1 id=$2; shift 2
	on_exit "ctr_rm $ns $id"
	ctr_ -n "$ns" run -d --null-io --cgroup "" --runc-root "$state/runc" \
		"$@" --rootfs "$rootfs" "$id" /bin/sleep 3600 >"$tmp/run.err" 2>&1 ||
		{ sed 's/^/#   /' "$tmp/run.err"; return 1; }
}

# ip_ifaces: `ip -j addr` on stdin as one line per interface,
# "IFINDEX IFNAME MAC ADDR/LEN,...", the form ifaces_of prints.
ip_ifaces() {
	jq -r '[.[] | "\(.ifindex) \(.ifname) \(.address // "-") \([.addr_info[] | "\(.local)/\(.prefixlen)"] | join(","))"] | sort | .[]'
}
# ifaces_of FILE INODE: the same from the -j -L listing in FILE.
ifaces_of() {
	jq -r --argjson i "$2" '.namespaces[] | select(.netns_inode == $i)
		| [.interfaces[] | "\(.ifindex) \(.ifname) \(.address // "-") \(.addresses | join(","))"] | sort | .[]' "$1"
}
# row_of FILE INODE FILTER: FILTER applied to that row of a -j -L listing.
row_of() { jq -c --argjson i "$2" ".namespaces[] | select(.netns_inode == \$i) | $3" "$1"; }

ino_host=$(ino /proc/self/ns/net)
# The node may have namespaces of its own: R and H are chosen so that every
# prefix below is free on it, and so is "nowhere" (section 3).
node_addrs >"$tmp/node-addrs"
for _ in $(seq 1 50); do
	R=$((RANDOM % 250 + 1))
	H=$(printf '%x' $((RANDOM % 65535 + 1)))
	nowhere=198.18.$R.$((RANDOM % 250 + 1))
	nowhere_mac=02:00:5e:10:$(printf '%02x' "$R"):77
	net_free 10.219.$R.0/24 10.220.$R.0/24 10.221.$R.0/24 10.222.$R.0/24 \
		10.223.$R.0/24 198.18.$R.0/24 "fd00:6e6b:$H::/64" "fd00:6e6c:$H::/64" \
		"fd00:6e6d:$H::/64" "fd00:6e6e:$H::/64" "2001:db8:$H::/64" \
		<"$tmp/node-addrs" && ! grep -qx "link/ether $nowhere_mac" "$tmp/node-addrs" && break
	R=
done
require "prefixes free on the node (10.219-223.R, 198.18.R, fd00:6e6b-6e6e:H, 2001:db8:H)" test -n "$R"

# --- the node --------------------------------------------------------------

# Docker: eth0 on the default bridge njtest0, eth1 on a dual-stack user
# network (its bridge is br-<network id>).
d=$nj_id-d
dnet=$nj_id-net
on_exit "$docker network rm $dnet"
$docker network create --ipv6 --subnet "fd00:6e6b:$H::/64" --subnet "10.221.$R.0/24" "$dnet" >/dev/null ||
	skip_all "cannot create docker network $dnet"
on_exit "$docker rm -f $d"
$docker run -d --name "$d" "$image" sleep 3600 >/dev/null 2>"$tmp/run.err" ||
	{ sed 's/^/#   /' "$tmp/run.err"; skip_all "cannot run a docker container"; }
$docker network connect "$dnet" "$d" || skip_all "cannot connect $d to $dnet"
d_id=$(dk_id "$d") d_pid=$(dk_pid "$d")
d_ino=$(ino "/proc/$d_pid/ns/net")
d_br1=br-$($docker network inspect -f '{{.Id}}' "$dnet" | cut -c1-12)

# A pod: cni-<uuid> netns, eth0 with its host end ${nj_id}v1 on ${nj_id}br.
br=${nj_id}br
pod=frontend-$nj_id
on_exit "ip link del $br"
{ ip link add "$br" type bridge && ip link set "$br" up; } || skip_all "cannot create bridge $br"
pns=cni-$(uuid)
pv=${nj_id}v1
mk_netns "$pns" || skip_all "cannot make the pod's netns"
if ! { ip link add "$pv" type veth peer name eth0 netns "$pns" &&
	ip link set "$pv" master "$br" up &&
	ip -n "$pns" addr add "10.219.$R.2/24" dev eth0 &&
	ip -n "$pns" addr add "fd00:6e6c:$H::2/64" dev eth0 &&
	ip -n "$pns" link set eth0 up; }; then
	skip_all "cannot set up the pod's eth0"
fi
p_uid=$(uuid) sb=$(hexid) app=$(hexid)
ctr_start k8s.io "$sb" --with-ns "network:/var/run/netns/$pns" \
	--label io.cri-containerd.kind=sandbox \
	--annotation io.kubernetes.cri.container-type=sandbox \
	--annotation "io.kubernetes.cri.sandbox-id=$sb" \
	--annotation "io.kubernetes.cri.sandbox-name=$pod" \
	--annotation io.kubernetes.cri.sandbox-namespace=shop \
	--annotation "io.kubernetes.cri.sandbox-uid=$p_uid" \
	--annotation "io.kubernetes.cri.sandbox-log-directory=/var/log/pods/shop_${pod}_$p_uid" ||
	skip_all "cannot run the pod's sandbox with ctr"
ctr_start k8s.io "$app" --with-ns "network:/proc/$(ctr_pid k8s.io "$sb")/ns/net" \
	--label io.cri-containerd.kind=container \
	--annotation io.kubernetes.cri.container-type=container \
	--annotation "io.kubernetes.cri.sandbox-id=$sb" \
	--annotation "io.kubernetes.cri.sandbox-name=$pod" \
	--annotation io.kubernetes.cri.sandbox-namespace=shop \
	--annotation "io.kubernetes.cri.sandbox-uid=$p_uid" \
	--annotation io.kubernetes.cri.container-name=app \
	--annotation "io.kubernetes.cri.image-name=$image" ||
	skip_all "cannot run the pod's app container"
p_ino=$(ino "/run/netns/$pns")

# podman: the default network (CNI bridge njpod0).
p=$nj_id-p
on_exit "$pm rm -f -t 0 $p"
$pm run -d --name "$p" "$pm_image" sleep 3600 >/dev/null 2>"$tmp/run.err" ||
	{ sed 's/^/#   /' "$tmp/run.err"; skip_all "cannot run a podman container"; }
pm_id_=$(pm_id "$p") pm_pid_=$(pm_pid "$p")
pm_ino=$(ino "/proc/$pm_pid_/ns/net")

# netns:A and netns:B, a veth va (A) - vb (B) between them.
A=${nj_id}a B=${nj_id}b
{ mk_netns "$A" && mk_netns "$B"; } || skip_all "cannot make namespaces $A, $B"
if ! { ip -n "$A" link add va type veth peer name vb netns "$B" &&
	ip -n "$A" addr add "10.220.$R.1/24" dev va && ip -n "$A" addr add "fd00:6e6d:$H::1/64" dev va &&
	ip -n "$B" addr add "10.220.$R.2/24" dev vb && ip -n "$B" addr add "fd00:6e6d:$H::2/64" dev vb &&
	ip -n "$A" link set va up && ip -n "$B" link set vb up; }; then
	skip_all "cannot set up the veth between $A and $B"
fi
a_ino=$(ino "/run/netns/$A") b_ino=$(ino "/run/netns/$B")

# pid:N: a namespace only a process holds (no bind mount, no fd).
unshare -n sleep 600 &
hp=$!
on_exit "kill $hp"
wait_own_netns "$hp" || skip_all "unshare -n did not make a namespace"
nsenter -t "$hp" -n sh -c "ip link add d0 type veth peer name d0p && ip addr add 10.222.$R.1/32 dev d0 &&
	ip link set d0 up && ip link set d0p up && ip link set lo up" || skip_all "cannot set up d0 in pid:$hp"
hp_ino=$(ino "/proc/$hp/ns/net")

# A namespace only an fd holds: python opens the namespace of a process
# that then exits.
unshare -n sleep 600 &
tp=$!
on_exit "kill $tp"
wait_own_netns "$tp" || skip_all "unshare -n did not make a namespace"
nsenter -t "$tp" -n sh -c "ip link add d1 type veth peer name d1p && ip addr add 10.222.$R.2/32 dev d1 &&
	ip addr add fd00:6e6e:$H::2/128 dev d1 && ip link set d1 up && ip link set d1p up" || skip_all "cannot set up d1"
fp_ino=$(ino "/proc/$tp/ns/net")
python3 -c 'import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
print(fd, flush=True)
time.sleep(600)' "/proc/$tp/ns/net" >"$tmp/fd" &
fh=$!
on_exit "kill $fh"
for ((i = 0; i < 50; i++)); do [ -s "$tmp/fd" ] && break; sleep 0.1; done
fh_fd=$(cat "$tmp/fd")
kill "$tp"; wait "$tp" 2>/dev/null
fh_path=/proc/$fh/fd/$fh_fd

settle_pid "$d_pid"; settle_pid "$pm_pid_"; settle_ns "$pns"; settle_ns "$A"; settle_ns "$B"
settle_pid "$hp"; settle_pid "$fh"

# The layout, before any netjoin check.
require "$fh_path is net:[$fp_ino]" test "$(readlink "$fh_path")" = "net:[$fp_ino]"
require "no process is in net:[$fp_ino] any more" \
	test -z "$(find /proc/[0-9]*/ns/net -maxdepth 0 -lname "net:\[$fp_ino\]" 2>/dev/null)"
require "net:[$fp_ino] is mounted nowhere" \
	test -z "$(awk '$9 == "nsfs"' /proc/self/mountinfo | awk '{print $5}' |
		while read -r m; do [ "$(ino "$m" 2>/dev/null)" = "$fp_ino" ] && echo "$m"; done)"
require "the pod's app task shares the sandbox's netns" \
	test "$(ino "/proc/$(ctr_pid k8s.io "$app")/ns/net")" = "$p_ino"
require "the Docker container is also in containerd's moby namespace" \
	test -d "$state/io.containerd.runtime.v2.task/moby/$d_id"
require "every namespace made here is distinct" test "$(printf '%s\n' \
	"$ino_host" "$d_ino" "$p_ino" "$pm_ino" "$a_ino" "$b_ino" "$hp_ino" "$fp_ino" | sort -u | wc -l)" = 8

# ===== 1. peers across namespaces ==========================================

nj -j host >"$tmp/host.json" 2>"$tmp/host.err" || { not_ok "-j host"; sed 's/^/#   /' "$tmp/host.err"; }
nj host >"$tmp/host.txt" 2>&1 || not_ok "host (text)"

# host_name IFINDEX: the host's interface of that index.
host_name() { ip -j link | jq -r --argjson i "$1" '.[] | select(.ifindex == $i) | .ifname'; }
host_master() { ip -j link show "$1" | jq -r '.[0].master // "(none)"'; }

# peers_to_host DESC TARGET IFNAME IFLINK IFINDEX INO WANT_TARGET WANT_OWNER
# WANT_MASTER: TARGET's IFNAME (whose kernel iflink and ifindex are given)
# names the host veth of that ifindex, its bridge, and "host"; the host's
# listing names IFNAME back, in WANT_TARGET (selecting net:[INO]), owned
# by WANT_OWNER. Both text listings say the same.
peers_to_host() {
	local desc=$1 t=$2 ifn=$3 iflink=$4 ifx=$5 ino=$6 wt=$7 wo=$8 wm=$9 hv f=$tmp/peer.json
	hv=$(host_name "$iflink")
	check "$desc: the kernel names the host end (ifindex $iflink)" test -n "$hv"
	check_eq "$desc: its bridge is $wm" "$wm" "$(host_master "$hv")"
	if ! nj -j "$t" >"$f" 2>"$tmp/peer.err"; then not_ok "$desc: -j $t"; sed 's/^/#   /' "$tmp/peer.err"; return; fi
	check_eq "$desc: $ifn's link_index is the kernel's iflink" "$iflink" \
		"$(jq -r --arg n "$ifn" '.interfaces[] | select(.ifname == $n) | .link_index' "$f")"
	check_eq "$desc: -j $t: $ifn's .peer" \
		"ifindex=$iflink ifname=$hv master=$wm netns=net:[$ino_host] target=host" \
		"$(jq -r --arg n "$ifn" '.interfaces[] | select(.ifname == $n) | .peer |
			"ifindex=\(.ifindex) ifname=\(.ifname) master=\(.master) netns=\(.netns) target=\(.target)"' "$f")"
	check_eq "$desc: -j host: $hv's .peer" \
		"ifindex=$ifx ifname=$ifn netns=net:[$ino] target=$wt owner=$wo" \
		"$(jq -r --arg n "$hv" '.interfaces[] | select(.ifname == $n) | .peer |
			"ifindex=\(.ifindex) ifname=\(.ifname) netns=\(.netns) target=\(.target) owner=\(.owner)"' "$tmp/host.json")"
	check_eq "$desc: -j host: $hv's .peer.target selects net:[$ino]" "$ino" \
		"$(nj -j "$wt" 2>/dev/null | jq -r .target.netns_inode)"
	nj "$t" >"$tmp/peer.txt" 2>&1
	if grep -qF " peer $hv (master $wm) in host" <(grep -E "^[0-9]+: $ifn@" "$tmp/peer.txt"); then
		ok "$desc: text $t: $ifn names peer $hv (master $wm) in host"
	else
		not_ok "$desc: text $t: $ifn names peer $hv (master $wm) in host"
		grep -E "^[0-9]+: $ifn@" "$tmp/peer.txt" | sed 's/^/#   line: /'
	fi
	if grep -qF " peer $ifn in $wt ($wo)" <(grep -E "^[0-9]+: $hv@" "$tmp/host.txt"); then
		ok "$desc: text host: $hv names peer $ifn in $wt ($wo)"
	else
		not_ok "$desc: text host: $hv names peer $ifn in $wt ($wo)"
		grep -E "^[0-9]+: $hv@" "$tmp/host.txt" | sed 's/^/#   line: /'
	fi
}

# Docker: eth0 (njtest0) and eth1 (the user network's bridge). The
# container's own sysfs is in its mount namespace (nsenter -m).
dk_short=docker:${d_id:0:12}
for ifn in eth0 eth1; do
	want_br=njtest0
	[ "$ifn" = eth1 ] && want_br=$d_br1
	peers_to_host "docker $d $ifn" "$d" "$ifn" \
		"$(nsenter -t "$d_pid" -n -m cat "/sys/class/net/$ifn/iflink")" \
		"$(nsenter -t "$d_pid" -n -m cat "/sys/class/net/$ifn/ifindex")" \
		"$d_ino" "$dk_short" "docker $d" "$want_br"
done

# The pod: pod:shop/NAME's eth0 is ${nj_id}v1 on ${nj_id}br.
peers_to_host "pod shop/$pod eth0" "pod:shop/$pod" eth0 \
	"$(ip netns exec "$pns" cat /sys/class/net/eth0/iflink)" \
	"$(ip netns exec "$pns" cat /sys/class/net/eth0/ifindex)" \
	"$p_ino" "pod:shop/$pod" "containerd pod shop/$pod" "$br"
check_eq "pod: the kernel's host end is $pv" "$pv" "$(host_name "$(ip netns exec "$pns" cat /sys/class/net/eth0/iflink)")"

# podman, on njpod0.
peers_to_host "podman $p eth0" "podman:$p" eth0 \
	"$(nsenter -t "$pm_pid_" -n -m cat /sys/class/net/eth0/iflink)" \
	"$(nsenter -t "$pm_pid_" -n -m cat /sys/class/net/eth0/ifindex)" \
	"$pm_ino" "podman:${pm_id_:0:12}" "podman $p" njpod0

# Neither end in the host: A's va names vb in B, and back.
for pair in "$A va $B vb $b_ino" "$B vb $A va $a_ino"; do
	read -r x xi y yi yino <<<"$pair"
	iflink=$(ip netns exec "$x" cat "/sys/class/net/$xi/iflink")
	check_eq "netns:$x $xi: the kernel's peer is $yi in $y" "$iflink" \
		"$(ip -n "$y" -j link show "$yi" | jq -r '.[0].ifindex')"
	nj -j "netns:$x" >"$tmp/ab.json" 2>"$tmp/ab.err" || { not_ok "-j netns:$x"; sed 's/^/#   /' "$tmp/ab.err"; }
	check_eq "-j netns:$x: $xi's .peer" "ifindex=$iflink ifname=$yi master=(none) netns=net:[$yino] target=netns:$y owner=(none)" \
		"$(jq -r --arg n "$xi" '.interfaces[] | select(.ifname == $n) | .peer |
			"ifindex=\(.ifindex) ifname=\(.ifname) master=\(.master // "(none)") netns=\(.netns) target=\(.target) owner=\(.owner // "(none)")"' "$tmp/ab.json")"
	line=$(nj "netns:$x" 2>&1 | grep -E "^[0-9]+: $xi@")
	if [[ $line == *" peer $yi in netns:$y" ]]; then ok "text netns:$x: $xi ends with peer $yi in netns:$y"; else
		not_ok "text netns:$x: $xi ends with peer $yi in netns:$y"; printf '#   line: %s\n' "$line"
	fi
done

# Only links with another end elsewhere have a peer.
for f in "$tmp/host.json" "$tmp/ab.json"; do
	check_eq "$(basename "$f"): no .peer without a link_netnsid" "" \
		"$(jq -r '.interfaces[] | select(.link_netnsid == null and .peer != null) | .ifname' "$f")"
done

# A veth with both ends in one namespace has no peer elsewhere.
check_eq "-j pid:$hp: d0 (its peer d0p is beside it) has no .peer" "d0 null" \
	"$(nj -j "pid:$hp" 2>/dev/null | jq -r '.interfaces[] | select(.ifname == "d0") | "\(.ifname) \(.peer)"')"

# ===== 2. -L / -j -L ========================================================

# The oracle for the set of namespaces: inodes of /proc/*/ns/net, of the
# namespace fds in /proc/*/fd, and of nsfs mounts of network namespaces
# here, as JSON {"procs": [...], "fds": [...], "mounts": [...]}.
cat >"$tmp/oracle.py" <<'EOF'
import fcntl, json, os
NS_GET_NSTYPE, CLONE_NEWNET = 0xb703, 0x40000000
procs, fds, mounts = set(), set(), set()
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        procs.add(os.stat(f"/proc/{pid}/ns/net").st_ino)
    except OSError:
        pass
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("net:["):
                fds.add(int(link[5:-1]))
    except OSError:
        pass
def unescape(s):
    return s.encode().decode("unicode_escape").encode("latin-1").decode(errors="surrogateescape")
with open("/proc/self/mountinfo") as f:
    for line in f:
        a, b = line.split(" - ", 1)
        if b.split()[0] != "nsfs":
            continue
        mp = unescape(a.split()[4])
        try:
            fd = os.open(mp, os.O_RDONLY)
        except OSError:
            continue
        try:
            if fcntl.ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET:
                mounts.add(os.fstat(fd).st_ino)
        except OSError:
            pass
        os.close(fd)
print(json.dumps({"procs": sorted(procs), "fds": sorted(fds), "mounts": sorted(mounts)}))
EOF
oracle() { python3 "$tmp/oracle.py"; }
lsns_set() { lsns -t net -J -o NS | jq -c '[.namespaces[].ns] | sort'; }

# list_stable: `-j -L` into $tmp/L.json between two oracle and lsns runs
# ($tmp/o1 $tmp/o2 $tmp/l1 $tmp/l2). Namespaces in both oracles must be
# listed, and only namespaces in one of them may be: other work on the
# machine may come and go meanwhile. Tried three times.
list_stable() {
	local i
	for ((i = 0; i < 3; i++)); do
		oracle >"$tmp/o1"; lsns_set >"$tmp/l1"
		nj -j -L >"$tmp/L.json" 2>"$tmp/L.err" || return 1
		lsns_set >"$tmp/l2"; oracle >"$tmp/o2"
		jq -n --slurpfile o1 "$tmp/o1" --slurpfile o2 "$tmp/o2" --slurpfile nj "$tmp/L.json" '
			def all(o): o.procs + o.fds + o.mounts | unique;
			(all($o1[0]) - (all($o1[0]) - all($o2[0]))) as $both
			| (all($o1[0]) + all($o2[0]) | unique) as $any
			| [$nj[0].namespaces[].netns_inode] as $got
			| ($both - $got | length == 0) and ($got - $any | length == 0)' | grep -qx true && return 0
	done
	return 0 # the checks below say what differs
}
list_stable || { not_ok "-j -L"; sed 's/^/#   /' "$tmp/L.err"; }
L=$tmp/L.json
check "-j -L: valid JSON with .namespaces" jq -e '.namespaces | type == "array"' "$L" >/dev/null

# Every row once; the rows are the oracle's namespaces.
check_eq "-j -L: no namespace listed twice" "" \
	"$(jq -r '[.namespaces[].netns_inode] | group_by(.) | map(select(length > 1) | .[0]) | .[]' "$L")"
check_eq "-j -L: .netns is net:[.netns_inode] in every row" "" \
	"$(jq -r '.namespaces[] | select(.netns != "net:[\(.netns_inode)]") | .netns' "$L")"
missing_=$(jq -rn --slurpfile o1 "$tmp/o1" --slurpfile o2 "$tmp/o2" --slurpfile nj "$L" '
	def all(o): o.procs + o.fds + o.mounts | unique;
	(all($o1[0]) - (all($o1[0]) - all($o2[0]))) - [$nj[0].namespaces[].netns_inode] | .[]')
extra=$(jq -rn --slurpfile o1 "$tmp/o1" --slurpfile o2 "$tmp/o2" --slurpfile nj "$L" '
	def all(o): o.procs + o.fds + o.mounts | unique;
	[$nj[0].namespaces[].netns_inode] - (all($o1[0]) + all($o2[0]) | unique) | .[]')
check_eq "-j -L: every namespace of the oracle is listed" "" "$missing_"
check_eq "-j -L: nothing the oracle does not know is listed" "" "$extra"
n_oracle=$(jq -r '.procs + .fds + .mounts | unique | length' "$tmp/o2")
n_procs=$(jq -r '.procs | length' "$tmp/o2")
n_pinned=$(jq -r '(.fds + .mounts | unique) - .procs | length' "$tmp/o2")
echo "# -L: $(jq '.namespaces | length' "$L") rows; oracle: $n_procs process-held + $n_pinned pinned-only = $n_oracle"
check_eq "-j -L: rows = process namespaces + pinned-only ones" "$n_oracle" "$(jq '.namespaces | length' "$L")"
# lsns (process-held namespaces): the same set as /proc/*/ns/net, all listed.
require_eq "lsns and /proc/*/ns/net agree on the process-held set (oracle sanity)" "" \
	"$(jq -rn --slurpfile l1 "$tmp/l1" --slurpfile l2 "$tmp/l2" --slurpfile o1 "$tmp/o1" --slurpfile o2 "$tmp/o2" '
		(($l1[0] - ($l1[0] - $l2[0])) - ($o1[0].procs + $o2[0].procs)) +
		(($o1[0].procs - ($o1[0].procs - $o2[0].procs)) - ($l1[0] + $l2[0])) | .[]')"
check_eq "-j -L: every namespace lsns lists is listed" "" \
	"$(jq -rn --slurpfile l1 "$tmp/l1" --slurpfile l2 "$tmp/l2" --slurpfile nj "$L" '
		($l1[0] - ($l1[0] - $l2[0])) - [$nj[0].namespaces[].netns_inode] | .[]')"

# One row per object made here: its target, owners, and processes.
row_checks() { # DESC INO TARGET OWNERS PROCS
	check_eq "-j -L: $1: one row" 1 "$(jq --argjson i "$2" '[.namespaces[] | select(.netns_inode == $i)] | length' "$L")"
	check_eq "-j -L: $1: .target" "$3" "$(row_of "$L" "$2" .target | jq -r .)"
	check_eq "-j -L: $1: .owners" "$4" "$(row_of "$L" "$2" \
		'[.owners[] | "\(.runtime) \(.pod.namespace // "-")/\(.pod.name // "-") \(.name) \(.target)"] | join("; ")' | jq -r .)"
	[ -z "$5" ] || check_eq "-j -L: $1: .processes" "$5" "$(row_of "$L" "$2" .processes)"
}
row_checks "host" "$ino_host" host "" ""
check_eq "-j -L: host: .host is true" true "$(row_of "$L" "$ino_host" .host)"
check_eq "-j -L: only the host's row says host" 1 "$(jq '[.namespaces[] | select(.host == true)] | length' "$L")"
row_checks "docker $d" "$d_ino" "$dk_short" "docker -/- $d $dk_short" ""
check_eq "-j -L: docker $d: owner id" "$d_id" "$(row_of "$L" "$d_ino" '.owners[0].id' | jq -r .)"
row_checks "pod shop/$pod (sandbox + app)" "$p_ino" "pod:shop/$pod" \
	"containerd shop/$pod $(row_of "$L" "$p_ino" '.owners[0].name' | jq -r .) pod:shop/$pod" ""
oid=$(row_of "$L" "$p_ino" '.owners[0].id' | jq -r .)
check "-j -L: pod: owner id is the sandbox's or the app's" test "$oid" = "$sb" -o "$oid" = "$app"
check_eq "-j -L: pod: .mount is the pinned netns" "/run/netns/$pns" "$(row_of "$L" "$p_ino" .mount | jq -r .)"
row_checks "podman $p" "$pm_ino" "podman:${pm_id_:0:12}" "podman -/- $p podman:${pm_id_:0:12}" ""
check_eq "-j -L: podman $p: owner id" "$pm_id_" "$(row_of "$L" "$pm_ino" '.owners[0].id' | jq -r .)"
row_checks "netns:$A" "$a_ino" "netns:$A" "" '{"count":0}'
check_eq "-j -L: netns:$A: .mount" "/run/netns/$A" "$(row_of "$L" "$a_ino" .mount | jq -r .)"
row_checks "netns:$B" "$b_ino" "netns:$B" "" '{"count":0}'
row_checks "pid:$hp (process only)" "$hp_ino" "pid:$hp" "" "{\"count\":1,\"pid\":$hp,\"comm\":\"sleep\"}"
check_eq "-j -L: pid:$hp: no .mount" null "$(row_of "$L" "$hp_ino" .mount)"
row_checks "$fh_path (fd only)" "$fp_ino" "$fh_path" "" '{"count":0}'
check_eq "-j -L: $fh_path: no .mount" null "$(row_of "$L" "$fp_ino" .mount)"

# Docker's owners come from its state on disk as well: with the API
# unreachable the row is still the Docker container (config.v2.json in the
# bound data root), not containerd's "moby" view of it.
DOCKER_HOST=unix://$tmp/no-docker.sock nj -j -L >"$tmp/Ld.json" 2>"$tmp/Ld.err" ||
	{ not_ok "-j -L without the Docker API"; sed 's/^/#   /' "$tmp/Ld.err"; }
check_eq "-j -L without the Docker API: docker $d: .target and .owners" \
	"$dk_short docker -/- $d $dk_short $d_id" \
	"$(row_of "$tmp/Ld.json" "$d_ino" '"\(.target) \([.owners[] | "\(.runtime) \(.pod.namespace // "-")/\(.pod.name // "-") \(.name) \(.target) \(.id)"] | join("; "))"' | jq -r .)"

# Interfaces and addresses as ip sees them. The host's may change under
# us (other work on the machine): ask twice before calling it a failure.
ifaces_check() { # DESC INO ORACLE...
	local desc=$1 i=$2 want got; shift 2
	want=$("$@" | ip_ifaces)
	got=$(ifaces_of "$L" "$i")
	if [ "$want" != "$got" ] && [ "$i" = "$ino_host" ]; then
		list_stable; want=$("$@" | ip_ifaces); got=$(ifaces_of "$L" "$i")
	fi
	check_eq "-j -L: $desc: interfaces and addresses as ip" "$want" "$got"
}
ifaces_check host "$ino_host" ip -j addr
ifaces_check "docker $d" "$d_ino" nsenter -t "$d_pid" -n ip -j addr
ifaces_check "pod shop/$pod" "$p_ino" ip -n "$pns" -j addr
ifaces_check "podman $p" "$pm_ino" nsenter -t "$pm_pid_" -n ip -j addr
ifaces_check "netns:$A" "$a_ino" ip -n "$A" -j addr
ifaces_check "netns:$B" "$b_ino" ip -n "$B" -j addr
ifaces_check "pid:$hp" "$hp_ino" nsenter -t "$hp" -n ip -j addr
ifaces_check "$fh_path" "$fp_ino" nsenter --net="$fh_path" ip -j addr

# Each row's .target is a target string that selects it.
for i in "$ino_host" "$d_ino" "$p_ino" "$pm_ino" "$a_ino" "$b_ino" "$hp_ino" "$fp_ino"; do
	t=$(row_of "$L" "$i" .target | jq -r .)
	check_eq "-j -L: .target $t selects net:[$i]" "$i" "$(nj -j "$t" 2>/dev/null | jq -r .target.netns_inode)"
done

# Text: one line per namespace, "net:[I] TARGET IFS OWNERS ADDRESSES...".
nj -L >"$tmp/L.txt" 2>"$tmp/L.err" || { not_ok "-L"; sed 's/^/#   /' "$tmp/L.err"; }
check_eq "-L: header" "NETNS TARGET IFS OWNERS ADDRESSES" "$(head -n 1 "$tmp/L.txt" | tr -s ' ')"
# text_row DESC INO TARGET OWNERS: the line's target, interface count
# (from -j -L), owners, and non-loopback addresses (as ip has them).
text_row() {
	local desc=$1 i=$2 lines line n want_addrs got_addrs
	lines=$(grep -F "net:[$i] " "$tmp/L.txt")
	check_eq "-L: $desc: one line" 1 "$(printf '%s\n' "$lines" | grep -c .)"
	line=$(printf '%s\n' "$lines" | head -n 1)
	n=$(jq --argjson i "$i" '.namespaces[] | select(.netns_inode == $i) | .interfaces | length' "$L")
	check_eq "-L: $desc: target and interface count" "$3 $n" "$(awk '{print $2, $3}' <<<"$line")"
	if [[ $line == *" $4 "* || $line == *" $4" ]]; then ok "-L: $desc: owners '$4'"; else
		not_ok "-L: $desc: owners '$4'"; printf '#   line: %s\n' "$line"
	fi
	want_addrs=$(jq -r --argjson i "$i" '.namespaces[] | select(.netns_inode == $i)
		| [.interfaces[] | select(.ifname != "lo") | .addresses[]] | join(" ")' "$L")
	got_addrs=$(awk '{ for (i = 4; i <= NF; i++)
		if ($i ~ /^[0-9a-f:.]+\/[0-9]+$/ && $i ~ /[.:]/) print $i }' <<<"$line" | paste -sd ' ')
	check_eq "-L: $desc: addresses" "$want_addrs" "$got_addrs"
}
text_row "docker $d" "$d_ino" "$dk_short" "docker $d"
text_row "pod shop/$pod" "$p_ino" "pod:shop/$pod" "containerd pod shop/$pod"
text_row "podman $p" "$pm_ino" "podman:${pm_id_:0:12}" "podman $p"
text_row "netns:$A" "$a_ino" "netns:$A" "-"
text_row "pid:$hp" "$hp_ino" "pid:$hp" "sleep($hp)"
text_row "$fh_path" "$fp_ino" "$fh_path" "-"
check "-L: a line per row of -j -L" test "$(($(wc -l <"$tmp/L.txt") - 1))" -ge "$(jq '.namespaces | length' "$L")"

# ===== 3. --find ============================================================

# find_one DESC QUERY INO TARGET IFNAME MATCH: one match, that row.
find_one() {
	local desc=$1 q=$2
	check_exit "--find $q ($desc): exit 0" 0 nj -j --find "$q"
	check_eq "--find $q ($desc): the one match" "net:[$3] $4 $5 $6" \
		"$(jq -r '[.matches[] | "\(.netns) \(.target) \(.ifname) \(.match)"] | join(" | ")' <<<"$nj_out")"
	check_exit "--find $q ($desc) (text): exit 0" 0 nj --find "$q"
	if [ "$(grep -c . <<<"$nj_out")" = 1 ] && [[ $(tr -s ' ' <<<"$nj_out") == "net:[$3] $4 $5 $6 "* ]]; then
		ok "--find $q ($desc) (text): one line"
	else
		not_ok "--find $q ($desc) (text): one line"; printf '#   out: %s\n' "$nj_out"
	fi
}
# addr_of NSENTER_ARGS... -- IFNAME FAMILY SCOPE: "ADDR/LEN" from ip.
addr_of() {
	local a=() ifn fam scope
	while [ "$1" != -- ]; do a+=("$1"); shift; done
	ifn=$2 fam=$3 scope=$4
	"${a[@]}" ip -j addr show dev "$ifn" | jq -r --arg f "$fam" --arg s "$scope" \
		'.[0].addr_info[] | select(.family == $f and .scope == $s) | "\(.local)/\(.prefixlen)"' | head -n 1
}
mac_of() { "$@" ip -j link show dev eth0 | jq -r '.[0].address'; }

dk_ns=(nsenter -t "$d_pid" -n)
pm_ns=(nsenter -t "$pm_pid_" -n)
p_ns=(ip netns exec "$pns")
d4=$(addr_of "${dk_ns[@]}" -- eth0 inet global)
d6=$(addr_of "${dk_ns[@]}" -- eth1 inet6 global)
p4=$(addr_of "${p_ns[@]}" -- eth0 inet global)
p6=$(addr_of "${p_ns[@]}" -- eth0 inet6 global)
pm4=$(addr_of "${pm_ns[@]}" -- eth0 inet global)
pm6=$(addr_of "${pm_ns[@]}" -- eth0 inet6 link)
require "docker, pod and podman addresses known" test -n "$d4" -a -n "$d6" -a -n "$p4" -a -n "$p6" -a -n "$pm4"
find_one "docker IPv4" "${d4%/*}" "$d_ino" "$dk_short" eth0 "$d4"
find_one "docker IPv6" "${d6%/*}" "$d_ino" "$dk_short" eth1 "$d6"
find_one "pod IPv4" "${p4%/*}" "$p_ino" "pod:shop/$pod" eth0 "$p4"
find_one "pod IPv6" "${p6%/*}" "$p_ino" "pod:shop/$pod" eth0 "$p6"
find_one "podman IPv4" "${pm4%/*}" "$pm_ino" "podman:${pm_id_:0:12}" eth0 "$pm4"
[ -z "$pm6" ] || find_one "podman IPv6 link-local" "${pm6%/*}" "$pm_ino" "podman:${pm_id_:0:12}" eth0 "$pm6"
# The host's own: docker-up.sh's bridge njtest0 has the engine's gateway.
h4=$(ip -j addr show dev njtest0 | jq -r '.[0].addr_info[] | select(.family == "inet") | "\(.local)/\(.prefixlen)"' | head -n 1)
[ -z "$h4" ] || find_one "the host's njtest0" "${h4%/*}" "$ino_host" host njtest0 "$h4"
find_one "fd-held namespace" "10.222.$R.2" "$fp_ino" "$fh_path" d1 "10.222.$R.2/32"
find_one "process-held namespace" "10.222.$R.1" "$hp_ino" "pid:$hp" d0 "10.222.$R.1/32"
m=$(mac_of "${dk_ns[@]}"); find_one "docker MAC" "$m" "$d_ino" "$dk_short" eth0 "$m"
m=$(mac_of "${p_ns[@]}"); find_one "pod MAC" "$m" "$p_ino" "pod:shop/$pod" eth0 "$m"
m=$(mac_of "${pm_ns[@]}"); find_one "podman MAC" "$m" "$pm_ino" "podman:${pm_id_:0:12}" eth0 "$m"
mu=$(tr 'a-f:' 'A-F-' <<<"$m")
find_one "podman MAC, upper case with dashes" "$mu" "$pm_ino" "podman:${pm_id_:0:12}" eth0 "$m"

# A prefix covering two namespaces: both rows.
for q in "10.220.$R.0/24 10.220.$R.1/24 10.220.$R.2/24" "fd00:6e6d:$H::/64 fd00:6e6d:$H::1/64 fd00:6e6d:$H::2/64"; do
	read -r pfx m1 m2 <<<"$q"
	check_exit "--find $pfx (two namespaces): exit 0" 0 nj -j --find "$pfx"
	check_eq "--find $pfx: A's va and B's vb" \
		"$(printf '%s\n' "net:[$a_ino] netns:$A va $m1" "net:[$b_ino] netns:$B vb $m2" | sort)" \
		"$(jq -r '.matches[] | "\(.netns) \(.target) \(.ifname) \(.match)"' <<<"$nj_out" | sort)"
	check_exit "--find $pfx (text): exit 0" 0 nj --find "$pfx"
	check_eq "--find $pfx (text): two lines" 2 "$(grep -c . <<<"$nj_out")"
done

# Nowhere: exit 3, one line.
# nowhere, 198.18.R.0/24, 2001:db8:H::/64 and nowhere_mac: free on the node
# (chosen so above).
for q in "$nowhere" "198.18.$R.0/24" "2001:db8:$H::77" "$nowhere_mac"; do
	check_exit "--find $q (nowhere): exit 3" 3 nj --find "$q"
	err_line "--find $q (nowhere): one netjoin: line"
	check_eq "--find $q (nowhere): nothing on stdout" "" "$nj_out"
	check_exit "-j --find $q (nowhere): exit 3" 3 nj -j --find "$q"
done

# Malformed: exit 2, a netjoin: line (and "try --help").
for q in 10.0.0.256 10.0.0.0/33 fd00::/129 fd00:::1 02:42:ac:11:00 02:42:ac:11:00:zz 'web' '' 10.0.0.1/; do
	check_exit "--find '$q' (malformed): exit 2" 2 nj --find "$q"
	err_line "--find '$q' (malformed): netjoin: line first" 2
done
check_exit "--find with a TARGET: exit 2" 2 nj --find "$nowhere" host
check_exit "-L with a TARGET: exit 2" 2 nj -L host
check_exit "-L --find: exit 2" 2 nj -L --find "$nowhere"
check_exit "-b -L: exit 2" 2 nj -b -L

# ===== 4. cost: 100 more namespaces, a veth each =============================

N=100
# The host ends first: a namespace's own links go with it only later (the
# kernel tears namespaces down asynchronously).
on_exit "for i in \$(seq 1 $N); do echo link del ${nj_id}c\$i; echo netns del ${nj_id}c\$i; done | ip -force -batch -"
made=0
for i in $(seq 1 $N); do
	n=${nj_id}c$i
	ip netns add "$n" &&
		ip link add "$n" type veth peer name eth0 netns "$n" &&
		ip -n "$n" addr add "10.223.$R.$i/24" dev eth0 &&
		ip -n "$n" link set eth0 up && made=$((made + 1))
done
require_eq "$N namespaces with a veth each" "$N" "$made"
t0=$(date +%s%N)
nj -j -L >"$tmp/many.json" 2>"$tmp/many.err" || { not_ok "-j -L with $N more"; sed 's/^/#   /' "$tmp/many.err"; }
echo "# -j -L over $(jq '.namespaces | length' "$tmp/many.json") namespaces: $((($(date +%s%N) - t0) / 1000000)) ms"
check_eq "-j -L: all $N listed once, each netns:NAME with lo and eth0 10.223.$R.I/24" \
	"$(for i in $(seq 1 $N); do echo "netns:${nj_id}c$i eth0=10.223.$R.$i/24,lo="; done | sort)" \
	"$(jq -r --arg p "netns:${nj_id}c" '.namespaces[] | select(.target | startswith($p))
		| "\(.target) \([.interfaces[] | "\(.ifname)=\(.addresses | map(select(startswith("127.") or startswith("::1") | not)) | join(","))"] | sort | join(","))"' \
		"$tmp/many.json" | sort)"
check_exit "--find 10.223.$R.0/24: exit 0" 0 nj -j --find "10.223.$R.0/24"
check_eq "--find 10.223.$R.0/24: $N matches, one per namespace" "$N $N" \
	"$(jq -r '"\(.matches | length) \([.matches[].netns] | unique | length)"' <<<"$nj_out")"
t0=$(date +%s%N)
nj -j host >"$tmp/host.json" 2>"$tmp/host.err" || { not_ok "-j host with $N more"; sed 's/^/#   /' "$tmp/host.err"; }
echo "# -j host with $N more veth peers: $((($(date +%s%N) - t0) / 1000000)) ms"
check_eq "-j host: each of the $N host veths names eth0 in its netns:NAME" \
	"$(for i in $(seq 1 $N); do echo "${nj_id}c$i eth0 netns:${nj_id}c$i"; done | sort)" \
	"$(jq -r --arg p "${nj_id}c" '.interfaces[] | select(.ifname | startswith($p))
		| "\(.ifname) \(.peer.ifname) \(.peer.target)"' "$tmp/host.json" | sort)"

# ===== 5. namespaces held in less usual ways ================================

# Not in the oracle above (nor in lsns), and after it: a namespace that
# only a thread is in (its process's leader is elsewhere, as with a Go
# program's locked OS thread), and one pinned only by a bind mount in
# another mount namespace (a runtime with private mounts).
unshare -n sleep 600 &
tp2=$!
on_exit "kill $tp2"
wait_own_netns "$tp2" || skip_all "unshare -n did not make a namespace"
th_ino=$(ino "/proc/$tp2/ns/net")
python3 -c 'import ctypes, os, sys, threading, time
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(sys.argv[1], os.O_RDONLY)
def run():
    if libc.setns(fd, 0x40000000) == 0:
        os.close(fd)
        print(threading.get_native_id(), flush=True)
    time.sleep(600)
threading.Thread(target=run, daemon=True).start()
time.sleep(600)' "/proc/$tp2/ns/net" >"$tmp/tid" &
th=$!
on_exit "kill $th"
for ((i = 0; i < 50; i++)); do [ -s "$tmp/tid" ] && break; sleep 0.1; done
th_path=/proc/$th/task/$(cat "$tmp/tid")/ns/net
kill "$tp2"; wait "$tp2" 2>/dev/null

unshare -n sleep 600 &
tp3=$!
on_exit "kill $tp3"
wait_own_netns "$tp3" || skip_all "unshare -n did not make a namespace"
mp_ino=$(ino "/proc/$tp3/ns/net")
: >"$tmp/pin"
# shellcheck disable=SC2016 # expanded by that sh
unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && exec sleep 600' sh \
	"/proc/$tp3/ns/net" "$tmp/pin" &
mh=$!
on_exit "kill $mh"
for ((i = 0; i < 50; i++)); do grep -q " $tmp/pin " "/proc/$mh/mountinfo" 2>/dev/null && break; sleep 0.1; done
kill "$tp3"; wait "$tp3" 2>/dev/null

holders() { # INODE: every process, thread, fd and (our) mount that holds it
	find /proc/[0-9]*/ns/net /proc/[0-9]*/task/[0-9]*/ns/net /proc/[0-9]*/fd/* \
		-maxdepth 0 -lname "net:\[$1\]" 2>/dev/null
	awk '$9 == "nsfs" {print $5}' /proc/self/mountinfo |
		while read -r m; do [ "$(ino "$m" 2>/dev/null)" = "$1" ] && echo "$m"; done
}
require_eq "only the thread $th_path holds net:[$th_ino]" "$th_path" "$(holders "$th_ino")"
require_eq "net:[$mp_ino] is held by nothing but a mount elsewhere" "" "$(holders "$mp_ino")"
require "that mount is in process $mh's mount namespace" \
	grep -q " $tmp/pin .* - nsfs " "/proc/$mh/mountinfo"

nj -j -L >"$tmp/L5.json" 2>"$tmp/L5.err" || { not_ok "-j -L"; sed 's/^/#   /' "$tmp/L5.err"; }
for c in "thread-held:$th_ino:$th_path" "mounted in another mount namespace:$mp_ino:-"; do
	IFS=: read -r desc i p <<<"$c"
	n=$(jq --argjson i "$i" '[.namespaces[] | select(.netns_inode == $i)] | length' "$tmp/L5.json")
	check_eq "-j -L: $desc net:[$i]: one row" 1 "$n"
	[ "$n" = 1 ] || continue
	t=$(row_of "$tmp/L5.json" "$i" .target | jq -r .)
	check_eq "-j -L: $desc: .target $t selects it" "$i" "$(nj -j "$t" 2>/dev/null | jq -r .target.netns_inode)"
	if [ "$p" != - ]; then
		want=$(nsenter --net="$p" ip -j addr | ip_ifaces)
		check_eq "-j -L: $desc: interfaces and addresses as ip" "$want" "$(ifaces_of "$tmp/L5.json" "$i")"
	fi
done
