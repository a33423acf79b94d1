#!/usr/bin/env bash
# sanitized: no
# timeout: 1800
# The node-debugging image (Dockerfile): built offline on the private engine
# of scripts/docker-up.sh from the Debian bases of scripts/mkbase.sh, then
# run the way `kubectl debug node/NODE --profile=sysadmin` runs it (all
# capabilities, the node's PID and network namespaces, its / at /host):
#   netjoin --host-root /host TARGET [COMMAND...]
# against a named network namespace, a container of the private engine and
# a Kubernetes pod laid out in the private containerd as its CRI plugin
# would. Oracles: ip(8) in the target namespace (the host's, through
# ipjson_compare.py; the image's own, through nsenter, for text), docker
# inspect, the kernel's namespace inodes.
#
# Left behind on purpose: the two base images (netjoin-base:bookworm and
# :bookworm-build) in the private engine's state, so the next run skips
# mkbase.sh (docker-down.sh --purge removes them). The built images, the
# build cache and everything else made here are removed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 66
here=$top/tests/integration
docker=/usr/bin/docker # /usr/local/bin/docker may be a newer, other CLI
compare=$here/ipjson_compare.py

need_root
{ [ -x "$docker" ] && [ -x /usr/sbin/dockerd ]; } || skip_all "docker.io not installed"
need mmdebstrap
need ctr
need ip
need jq
need nsenter
need curl
need python3
need capsh

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
chmod 755 "$tmp"
on_exit "rm -rf $tmp"
diag() { sed -n '1,40s/^/#   /p'; }

# Stop the engine at the end only if this test is the one that started it.
sock=/run/netjoin-test/docker.sock
state=/run/netjoin-test/containerd # the engine's own containerd
if ! curl -fsS --max-time 2 --unix-socket "$sock" http://docker/_ping >/dev/null 2>&1; then
	on_exit "$top/scripts/docker-down.sh"
fi
if ! up=$("$top"/scripts/docker-up.sh 2>"$tmp/up.err"); then
	diag <"$tmp/up.err"
	skip_all "cannot start the private dockerd"
fi
export "${up?}" # DOCKER_HOST=unix:///run/netjoin-test/docker.sock
"$top"/scripts/mkimage.sh || skip_all "cannot build netjoin-test/busybox"

# --- the image -----------------------------------------------------------

start=$SECONDS
if base_args=$("$top"/scripts/mkbase.sh 2>"$tmp/mkbase.err"); then
	ok "mkbase.sh: base images ($((SECONDS - start)) s)"
	sed 's/^/# /' "$tmp/mkbase.err"
else
	not_ok "mkbase.sh: base images"
	diag <"$tmp/mkbase.err"
	exit 1
fi
mapfile -t build_args < <(printf '%s\n' "$base_args" | sed 's/^/--build-arg=/')

version=$(sed -n 's/^VERSION := *//p' "$top/Makefile")
img=netjoin:$version
on_exit "$docker builder prune -af"
on_exit "$docker rmi -f $img netjoin:latest"
# BuildKit (docker 20.10's own; the classic builder is its default, and
# builds the same Dockerfile in 6 times the time on the vfs driver). The
# engine's build network has no route out: the build is offline.
start=$SECONDS
if DOCKER_BUILDKIT=1 $docker build --progress=plain "${build_args[@]}" \
	-t "$img" -t netjoin:latest "$top" >"$tmp/build.log" 2>&1; then
	ok "docker build $img, offline ($((SECONDS - start)) s)"
else
	not_ok "docker build $img, offline"
	tail -n 30 "$tmp/build.log" | diag
	exit 1
fi

inspect() { $docker image inspect -f "$1" "$img"; }
check_eq "label org.opencontainers.image.version" "$version" \
	"$(inspect '{{index .Config.Labels "org.opencontainers.image.version"}}')"
check_eq "no ENTRYPOINT, CMD bash: any tool is the command" "null [\"bash\"]" \
	"$(inspect '{{json .Config.Entrypoint}} {{json .Config.Cmd}}')"
size=$(inspect '{{.Size}}')
echo "# $img: $((size / 1000000)) MB"
check "image is under 200 MB" test "$size" -lt 200000000

run() { $docker run --rm "$img" "$@" 2>"$tmp/run.err"; }
check_eq "netjoin -V" "netjoin $version" "$(run netjoin -V)"
check "ip -V: iproute2" grep -q iproute2 <<<"$(run ip -V)"
check "tcpdump --version" grep -q '^tcpdump version' <<<"$(run tcpdump --version)"

# Each tool is on PATH and finds all its shared libraries.
tools=(netjoin ip ss tc bridge nstat tcpdump ping tracepath arping dig nslookup
	nc socat curl ethtool conntrack iptables iptables-legacy ip6tables nft
	ipset ipvsadm brctl ifconfig netstat route traceroute mtr iperf3 ps lsof
	strace jq less nsenter lsns bash)
# shellcheck disable=SC2016 # expanded by the image's shell
run sh -c 'for t; do
	p=$(command -v "$t") || { echo "$t missing"; continue; }
	if ldd "$p" 2>/dev/null | grep -q "not found"; then echo "$t lacks a library"
	else echo "$t ok"; fi
done' sh "${tools[@]}" >"$tmp/tools"
for t in "${tools[@]}"; do
	check_eq "tool $t" "$t ok" "$(grep -m1 "^$t " "$tmp/tools")"
done
check "no compiler in the runtime image" test -z "$(run sh -c 'command -v cc gcc')"
# netjoin's completion, by bash-completion's loader as a Tab would load it.
check_eq "bash completes netjoin in an interactive shell" "complete -F _netjoin netjoin" \
	"$(run bash -ic '__load_completion netjoin && complete -p netjoin')"

# --- node debugging: netjoin --host-root /host --------------------------------

# kubectl's sysadmin profile is privileged. Where the engine cannot grant
# a capability this machine's bounding set lacks (runc then refuses
# --privileged outright), all the others and no confinement instead.
priv=(--privileged)
if ! $docker run --rm "${priv[@]}" "$img" true >/dev/null 2>"$tmp/priv.err"; then
	bnd=$((16#$(awk '/^CapBnd/ {print $2}' /proc/self/status)))
	priv=(--cap-add ALL --security-opt seccomp=unconfined
		--security-opt apparmor=unconfined --security-opt systempaths=unconfined)
	for ((i = 0; i <= 37; i++)); do # up to CAP_AUDIT_READ: those docker 20.10 knows
		((bnd >> i & 1)) && continue
		c=$(capsh --decode="$(printf '%x' $((1 << i)))" | sed 's/.*=cap_//')
		priv+=(--cap-drop "${c^^}")
	done
	echo "# --privileged refused here ($(grep -m1 -o 'unable to [^:]*: [^:]*' "$tmp/priv.err")); instead: ${priv[*]}"
fi

# The node as the debug container sees it: the private engine's socket (a
# DOCKER_HOST under /host), the private containerd's state as the node's
# /run/containerd, and the machine's other runtimes' state hidden. A mount
# point under /host is a directory of the host's own, which the engine
# would make there if missing: it already exists, or is made and removed.
node=(--rm "${priv[@]}" --pid=host --net=host -v /:/host
	-e "DOCKER_HOST=unix:///host$sock" -v "$state:/host/run/containerd:ro")
if [ ! -d /run/containerd ]; then
	mkdir /run/containerd && on_exit "rmdir /run/containerd"
fi
mkdir "$tmp/empty"
for d in /var/lib/docker /run/docker /run/containers /var/lib/containers /run/crun; do
	[ -d "$d" ] && node+=(-v "$tmp/empty:/host$d:ro")
done
# nodebug ARGS...: `netjoin --host-root /host ARGS...` in a debug container.
nodebug() { $docker run "${node[@]}" "$img" netjoin --host-root /host "$@" 2>"$tmp/nj.err"; }
# in_image CMD...: any command in a debug container (an oracle).
in_image() { $docker run "${node[@]}" "$img" "$@" 2>/dev/null; }
ino() { stat -L -c %i "$1"; }

# json_ifaces DESC TARGET ORACLE...: `netjoin -j TARGET`.interfaces, run in
# the image, equals ORACLE's `ip -j addr` on ipjson_compare.py's fields.
json_ifaces() {
	local desc=$1 target=$2 rc; shift 2
	if ! nodebug -j "$target" >"$tmp/nj.json"; then
		not_ok "$desc"; diag <"$tmp/nj.err"; return
	fi
	"$@" >"$tmp/ip.json"
	python3 "$compare" "$tmp/nj.json" "$tmp/ip.json" >"$tmp/diff" 2>&1; rc=$?
	if [ "$rc" = 0 ]; then ok "$desc"; else not_ok "$desc"; diag <"$tmp/diff"; fi
}

# Namespaces: A (v0, 192.0.2.1 and 2001:db8:6e6a::1) and B (v0's peer
# v0p, .2 and ::2, and the pod's host-side veth), and a pod's pinned
# cni-<uuid> (eth0, 198.51.100.2 and 2001:db8:6e6b::2) as CNI makes them.
# Documentation prefixes, only ever inside these namespaces; no DAD, so no
# address is tentative while two tools read it.
A=$nj_id-a B=$nj_id-b P=cni-$(cat /proc/sys/kernel/random/uuid)
setup() {
	local ns
	for ns in "$A" "$B" "$P"; do
		mk_netns "$ns" &&
			ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
				net.ipv6.conf.default.accept_dad=0 || return 1
	done
	ip -n "$A" link add v0 type veth peer name v0p netns "$B" &&
		ip -n "$B" link add v1p type veth peer name eth0 netns "$P" &&
		ip -n "$A" addr add 192.0.2.1/24 dev v0 &&
		ip -n "$A" addr add 2001:db8:6e6a::1/64 dev v0 &&
		ip -n "$B" addr add 192.0.2.2/24 dev v0p &&
		ip -n "$B" addr add 2001:db8:6e6a::2/64 dev v0p &&
		ip -n "$P" addr add 198.51.100.2/24 dev eth0 &&
		ip -n "$P" addr add 2001:db8:6e6b::2/64 dev eth0 &&
		ip -n "$A" link set v0 up && ip -n "$B" link set v0p up &&
		ip -n "$B" link set v1p up && ip -n "$P" link set eth0 up
}
setup || skip_all "cannot make network namespaces"
ino_a=$(ino "/run/netns/$A")

json_ifaces "netns:$A -j: interfaces as ip -j addr" "netns:$A" ip -n "$A" -j addr
check_eq "netns:$A -j: .target" "kind=netns netns=net:[$ino_a]" \
	"$(jq -r '.target | "kind=\(.kind) netns=\(.netns)"' "$tmp/nj.json" 2>/dev/null)"
# The image's ip, run by netjoin in the namespace, against the same ip run
# by nsenter there: exactly A's two interfaces.
want=$(in_image nsenter --net="/host/run/netns/$A" ip -br addr)
require_eq "netns:$A ip -br addr: oracle lists lo and v0" "lo v0" "$(awk '{sub(/@.*/, "", $1); print $1}' <<<"$want" | xargs)"
check_eq "netns:$A ip -br addr: the image's ip inside" "$want" "$(nodebug "netns:$A" ip -br addr)"
check_eq "netns:$A: the command's netns" "net:[$ino_a]" \
	"$(nodebug "netns:$A" readlink /proc/self/ns/net)"
# -S: the image's bash ($SHELL), its prompt naming the target, in A.
# shellcheck disable=SC2016 # expanded by that bash
check_eq "-S netns:$A: an interactive bash in A" "net:[$ino_a] bash netns:$A" \
	"$(echo 'readlink /proc/self/ns/net; echo "${BASH_VERSION:+bash} $NETJOIN_TARGET"' |
		$docker run -i "${node[@]}" "$img" netjoin --host-root /host -S "netns:$A" 2>/dev/null | xargs)"
check_eq "--sysfs netns:$A: /sys/class/net" "lo v0" \
	"$(nodebug --sysfs "netns:$A" ls /sys/class/net | xargs)"

# Capture and ping with the image's tools, in A, between A and B.
# shellcheck disable=SC2016 # expanded by the image's shell
nodebug "netns:$A" bash -c '
	timeout 20 tcpdump -lni v0 -c 1 "icmp and src 192.0.2.1" >/tmp/cap 2>/tmp/err & t=$!
	for i in $(seq 100); do grep -q listening /tmp/err && break; sleep 0.1; done
	ping -c 1 -W 5 192.0.2.2 >/dev/null; echo "ping $?"
	wait $t; cat /tmp/cap' >"$tmp/cap"
check_eq "netns:$A ping 192.0.2.2 (B) from A" "ping 0" "$(head -n 1 "$tmp/cap")"
check "netns:$A tcpdump -i v0 captures the echo request" \
	grep -q '192\.0\.2\.1 > 192\.0\.2\.2: ICMP echo request' "$tmp/cap"

# -L: A is listed with its interfaces, by a target string that selects it.
nodebug -L -j >"$tmp/list.json"
entry=$(jq -c --argjson i "$ino_a" '.namespaces[] | select(.netns_inode == $i)' "$tmp/list.json" 2>/dev/null)
check_eq "-L -j lists $A: interfaces" "lo v0 192.0.2.1/24,2001:db8:6e6a::1/64" \
	"$(jq -r '[.interfaces[].ifname] + [[.interfaces[] | select(.ifname == "v0") | .addresses[]
		| select(startswith("fe80") | not)] | join(",")] | join(" ")' <<<"$entry" 2>/dev/null)"
t=$(jq -r .target <<<"$entry" 2>/dev/null)
check_eq "-L -j lists $A: its target string ($t) selects it" "net:[$ino_a]" \
	"$(nodebug -j "$t" | jq -r .target.netns 2>/dev/null)"

# --- a container of the engine, by name -----------------------------------------

web=$nj_id-web
on_exit "$docker rm -f $web"
if $docker run -d --name "$web" netjoin-test/busybox sleep 3600 >/dev/null 2>"$tmp/web.err"; then
	pid=$($docker inspect -f '{{.State.Pid}}' "$web")
	json_ifaces "$web -j: interfaces as ip -j addr" "$web" nsenter -n -t "$pid" ip -j addr
	check_eq "$web -j: .target" \
		"kind=container runtime=docker name=$web id=$($docker inspect -f '{{.Id}}' "$web") source=api netns=net:[$(ino "/proc/$pid/ns/net")]" \
		"$(jq -r '.target | "kind=\(.kind) runtime=\(.runtime) name=\(.name) id=\(.id) source=\(.source) netns=\(.netns)"' "$tmp/nj.json" 2>/dev/null)"
	check_eq "$web ip -br addr: the image's ip inside" \
		"$(in_image nsenter -n -t "$pid" ip -br addr)" "$(nodebug "$web" ip -br addr)"
	# Without DOCKER_HOST, the node's default socket under /host. The
	# node's /run is an empty directory here, so that a Docker of this
	# machine's own is never asked: none answers there.
	mkdir -p "$tmp/norun"
	$docker run "${node[@]}" -v "$tmp/norun:/host/run" -e DOCKER_HOST= "$img" \
		netjoin --host-root /host "$web" >/dev/null 2>"$tmp/nj.err"
	rc=$?
	# /var/run/docker.sock, through the node's /var/run -> /run link
	check_eq "$web without DOCKER_HOST: exit 3, names /host/run/docker.sock" "3 1" \
		"$rc $(grep -c '/host/run/docker\.sock' "$tmp/nj.err")"
else
	not_ok "run container $web"; diag <"$tmp/web.err"
fi

# --- a pod: the kubectl plugin's command ---------------------------------------

# A pod sandbox in the private containerd, as the CRI plugin makes it: a
# task in namespace k8s.io joined to the pinned $P, with the CRI
# annotations; runc's state under the private state dir.
pod=web-$nj_id sb=a$(od -An -N31 -tx1 /dev/urandom | tr -d ' \n')
ctr_() { timeout 60 ctr --address "$state/containerd.sock" "$@"; }
mk_pod() {
	"$top"/scripts/mkimage.sh --tar "$tmp/rootfs.tar" && mkdir "$tmp/rootfs" &&
		tar -C "$tmp/rootfs" -xf "$tmp/rootfs.tar" || return 1
	on_exit "rmdir $state/io.containerd.runtime.v2.task/k8s.io $state/runc/k8s.io"
	on_exit "ctr_ namespaces remove k8s.io"
	on_exit "ctr_ -n k8s.io containers delete $sb"
	on_exit "ctr_ -n k8s.io tasks delete -f $sb"
	ctr_ -n k8s.io run -d --null-io --cgroup "" --runc-root "$state/runc" \
		--with-ns "network:/var/run/netns/$P" \
		--label io.cri-containerd.kind=sandbox \
		--annotation io.kubernetes.cri.container-type=sandbox \
		--annotation "io.kubernetes.cri.sandbox-id=$sb" \
		--annotation "io.kubernetes.cri.sandbox-name=$pod" \
		--annotation io.kubernetes.cri.sandbox-namespace=shop \
		--annotation io.kubernetes.cri.sandbox-uid=8c1d5d3e-0b7e-4b8e-9f4c-6e6a6e6a6e6a \
		--rootfs "$tmp/rootfs" "$sb" /bin/sleep 3600
}
if mk_pod >"$tmp/pod.err" 2>&1; then
	ino_p=$(ino "/run/netns/$P")
	json_ifaces "pod:shop/$pod -j: interfaces as ip -j addr" "pod:shop/$pod" ip -n "$P" -j addr
	check_eq "pod:shop/$pod -j: .target" \
		"kind=pod runtime=containerd pod=shop/$pod id=$sb netns=net:[$ino_p]" \
		"$(jq -r '.target | "kind=\(.kind) runtime=\(.runtime) pod=\(.pod.namespace)/\(.pod.name) id=\(.id) netns=\(.netns)"' "$tmp/nj.json" 2>/dev/null)"
	# the CRI's /var/run/netns/... is found under /host through the
	# node's /var/run -> /run link, not by falling back to the PID
	check_eq "pod:shop/$pod -j: joined through the pinned file under /host" \
		"nsfs /host/run/netns/$P" \
		"$(jq -r '.target | "\(.joined) \(.path)"' "$tmp/nj.json" 2>/dev/null)"
	check_eq "pod:shop/$pod ip -br addr: the image's ip inside" \
		"$(in_image nsenter --net="/host/run/netns/$P" ip -br addr)" \
		"$(nodebug "pod:shop/$pod" ip -br addr)"
else
	not_ok "pod sandbox $pod in the private containerd"; diag <"$tmp/pod.err"
fi
