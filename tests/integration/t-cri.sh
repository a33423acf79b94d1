#!/usr/bin/env bash
# netjoin against real Kubernetes pods: containerd's own CRI plugin, on the
# private engine of scripts/cri-up.sh, receives the kubelet's gRPC calls
# (RunPodSandbox, CreateContainer, StartContainer, StopPodSandbox,
# RemovePodSandbox) from cri/cri.py, and Debian's CNI plugins (bridge,
# host-local, loopback) wire the pods. Nothing here is laid out by hand:
# annotations, pinned namespaces, veths, addresses, resolv.conf are the
# CRI's and CNI's. netjoin runs through nj_view, where the engine's state
# dir is bound over /run/containerd. The oracles are ip(8) inside each
# pod's pinned namespace and the host's ip(8) for the veths.
# timeout: 300
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
here=$top/tests/integration

# plan/require come with the harness; until then, the same meaning here.
declare -F require >/dev/null || require() {
	local desc=$1; shift
	"$@" && return 0
	not_ok "precondition: $desc"; exit 1
}
declare -F plan >/dev/null || plan() { :; }
plan 68

need_root
need ctr
need containerd
need containerd-shim-runc-v2
need runc
need ip
need jq
need nsenter
need unshare
need python3
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"
py=/usr/bin/python3 # Debian's, where python3-grpcio and python3-grpc-tools are
"$py" -c 'import grpc, grpc_tools' 2>/dev/null ||
	skip_all "$nj_name needs python3-grpcio and python3-grpc-tools"
for p in bridge host-local loopback; do
	[ -x "/usr/lib/cni/$p" ] || skip_all "$nj_name needs the CNI plugin /usr/lib/cni/$p"
done

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
on_exit "rm -rf $tmp"

# The engine: stopped at the end only if this test started it.
crisock=/run/netjoin-test-cri/containerd/containerd.sock
if ! { [ -S "$crisock" ] && timeout 5 ctr --address "$crisock" version >/dev/null 2>&1; }; then
	on_exit "$top/scripts/cri-down.sh"
fi
if ! "$top"/scripts/cri-up.sh >"$tmp/up.env" 2>"$tmp/up.err"; then
	sed 's/^/#   /' "$tmp/up.err"
	skip_all "cannot start the private CRI containerd"
fi
CRI_ADDRESS='' CRI_BRIDGE='' CRI_SUBNET='' CRI_IMAGE=''
while IFS='=' read -r k v; do
	case $k in CRI_ADDRESS | CRI_BRIDGE | CRI_SUBNET | CRI_IMAGE) printf -v "$k" %s "$v" ;; esac
done <"$tmp/up.env"
state=${CRI_ADDRESS%/containerd.sock}
tdir=$state/io.containerd.runtime.v2.task/k8s.io

cri() { timeout 150 "$py" "$here/cri/cri.py" "$CRI_ADDRESS" "$@"; }
require "the CRI plugin serves runtime.v1" \
	test "$(cri version 2>"$tmp/v.err" | cut -d' ' -f3)" = v1
require "the sandbox image $CRI_IMAGE is known to the CRI" cri image "$CRI_IMAGE" >/dev/null

# Docker is not asked (no daemon there); the machine's other runtimes'
# state, when it has any, is hidden from netjoin by empty directories.
export DOCKER_HOST=unix://$tmp/no-docker.sock
mkdir "$tmp/empty"
for d in /var/lib/docker /run/docker /run/containers /var/lib/containers /run/runc /run/crun; do
	[ -d "$d" ] && nj_view_bind "$tmp/empty" "$d"
done
nj_view_bind "$state" /run/containerd
nj() { nj_view "$NETJOIN" "$@"; }
# jq_of TARGET FILTER: FILTER applied to `netjoin -j TARGET` (empty on error).
jq_of() { nj -j "$1" 2>/dev/null | jq -r "$2" 2>/dev/null; }
ino() { stat -L -c %i "$1"; }
uuid() { cat /proc/sys/kernel/random/uuid; }

# json_ifaces DESC TARGET ORACLE...: `netjoin -j TARGET`.interfaces equals
# ORACLE's `ip -j addr` output on the fields ipjson_compare.py checks.
json_ifaces() { local desc=$1 target=$2; shift 2; ip_json_same "$desc" nj -j "$target" -- "$@"; }

# --- pods, through the CRI ---------------------------------------------

podns=shop-$nj_id
sysns=kube-$nj_id
pod_a=web-$nj_id
pod_b=web-$nj_id-b
pod_h=hostnet-$nj_id
uid_a=$(uuid) uid_b=$(uuid) uid_h=$(uuid)
search1=$nj_id.svc.example.test
dns1=192.0.2.153

# podconf FILE NAMESPACE NAME UID NETWORK_MODE: a PodSandboxConfig as the
# kubelet sends it, with a DNS config of our own.
podconf() {
	jq -n --arg ns "$2" --arg name "$3" --arg uid "$4" --arg net "$5" \
		--arg dns "$dns1" --arg search "$search1" '{
		metadata: {name: $name, uid: $uid, namespace: $ns, attempt: 0},
		hostname: (if $net == "NODE" then "" else $name end),
		dns_config: {servers: [$dns, "2001:db8::153"], searches: [$search, "example.test"],
			options: ["ndots:3"]},
		labels: {"io.kubernetes.pod.name": $name, "io.kubernetes.pod.namespace": $ns,
			"io.kubernetes.pod.uid": $uid},
		linux: {security_context: {namespace_options: {network: $net}}}}' >"$1"
}

# runpod VAR NAMESPACE NAME UID NETWORK_MODE: RunPodSandbox; the pod ID goes
# to VAR, and the pod is stopped and removed on exit.
runpod() {
	local id
	podconf "$tmp/$3.pod.json" "$2" "$3" "$4" "$5"
	id=$(cri runp "$tmp/$3.pod.json" 2>"$tmp/runp.err") ||
		{ sed 's/^/#   /' "$tmp/runp.err"; return 1; }
	on_exit "$py $here/cri/cri.py $CRI_ADDRESS stopp $id; $py $here/cri/cri.py $CRI_ADDRESS rmp $id"
	printf -v "$1" %s "$id"
}

# runapp VAR POD_ID POD_NAME NAME: CreateContainer and StartContainer, a
# sleeping container in that pod; its ID goes to VAR.
runapp() {
	local id
	jq -n --arg name "$4" --arg image "$CRI_IMAGE" '{metadata: {name: $name, attempt: 0},
		image: {image: $image}, command: ["/bin/sleep", "3600"]}' >"$tmp/$4.ctr.json"
	if ! id=$(cri create "$2" "$tmp/$4.ctr.json" "$tmp/$3.pod.json" 2>"$tmp/create.err") ||
		! cri start "$id" 2>"$tmp/create.err"; then
		sed 's/^/#   /' "$tmp/create.err"; return 1
	fi
	printf -v "$1" %s "$id"
}

# The pinned namespace of a pod, as the CRI wrote it in the sandbox's spec.
pin_of() {
	jq -r '.linux.namespaces[] | select(.type == "network") | .path // empty' "$tdir/$1/config.json"
}
# IPv6 DAD settles in the first second or two; compare only after.
settle() { nj_settle nsenter --net="$1" ip; }

sb_a='' sb_b='' sb_h='' app_a=''
require "RunPodSandbox $podns/$pod_a" runpod sb_a "$podns" "$pod_a" "$uid_a" POD
require "CreateContainer, StartContainer: app in $pod_a" runapp app_a "$sb_a" "$pod_a" app
require "RunPodSandbox $sysns/$pod_h (hostNetwork)" runpod sb_h "$sysns" "$pod_h" "$uid_h" NODE

pin_a=$(pin_of "$sb_a")
require "pod A is pinned in /var/run/netns/cni-…" test -n "$pin_a" -a "${pin_a#/var/run/netns/cni-}" != "$pin_a"
require "pod A's pin is a network namespace" nsenter --net="$pin_a" true
require "the hostNetwork sandbox has no network namespace of its own" test -z "$(pin_of "$sb_h")"
settle "$pin_a"
ino_a=$(ino "$pin_a")
ino_host=$(ino /proc/self/ns/net)
ip_a=$(cri inspectp "$sb_a" | jq -r .network.ip)
require "pod A's CNI address $ip_a is in the test's subnet $CRI_SUBNET" \
	test "${ip_a%.*}.0/24" = "$CRI_SUBNET"
require "pod A's CNI address $ip_a is on its eth0" \
	nsenter --net="$pin_a" sh -c "ip -o -4 addr show dev eth0 | grep -qF ' $ip_a/'"
oracle_a=(nsenter --net="$pin_a" ip -j addr)

# --- pod:NS/NAME and a name prefix -------------------------------------

t=pod:$podns/$pod_a
json_ifaces "$t: interfaces as ip -j addr in its pinned netns" "$t" "${oracle_a[@]}"
# Before pod B exists, a prefix of pod A's name is unique.
json_ifaces "pod:$podns/${pod_a%?} (unique prefix): interfaces" "pod:$podns/${pod_a%?}" "${oracle_a[@]}"
check_eq "$t: .target" \
	"kind=pod runtime=containerd namespace=k8s.io id=$sb_a name=$pod_a path=$pin_a netns_inode=$ino_a" \
	"$(jq_of "$t" '.target | "kind=\(.kind) runtime=\(.runtime) namespace=\(.namespace) id=\(.id) name=\(.name) path=\(.path) netns_inode=\(.netns_inode)"')"
check_eq "$t: .target.pod" "{\"name\":\"$pod_a\",\"namespace\":\"$podns\",\"uid\":\"$uid_a\"}" \
	"$(jq_of "$t" '.target.pod | {name, namespace, uid} | tojson')"
check_eq "$t ip -br addr runs the host's ip inside" \
	"$(nsenter --net="$pin_a" ip -br addr)" "$(nj "$t" ip -br addr)"
check_eq "-b $t mirrors ip -br addr" "$(nsenter --net="$pin_a" ip -br addr)" "$(nj -b "$t")"
check_eq "$t: the command is in the pod's netns" "net:[$ino_a]" "$(nj "$t" readlink /proc/self/ns/net)"

# --- a pod named without its namespace: the hint names the namespace ----

check_exit "pod:$pod_a (namespace default): no such pod" 3 nj "pod:$pod_a"
check_eq "pod:$pod_a: the hint is pod:$podns/$pod_a" "  pod:$podns/$pod_a (containerd)" \
	"$(grep -xF "  pod:$podns/$pod_a (containerd)" <<<"$nj_err")"

# --- the app container's ID, and an ID prefix ---------------------------

check_eq "$app_a (app container ID): the pod's netns" "$ino_a" "$(jq_of "$app_a" .target.netns_inode)"
check_eq "${app_a:0:12} (ID prefix): the pod's netns" "$ino_a" "$(jq_of "${app_a:0:12}" .target.netns_inode)"
check_eq "containerd:k8s.io/$app_a: a container of pod A, named app" \
	"container app $pod_a $podns $uid_a" \
	"$(jq_of "containerd:k8s.io/$app_a" '"\(.target.kind) \(.target.name) \(.target.pod.name) \(.target.pod.namespace) \(.target.pod.uid)"')"
json_ifaces "${app_a:0:12}: interfaces as ip -j addr" "${app_a:0:12}" "${oracle_a[@]}"
check_eq "${app_a:0:12} ip -br addr" "$(nsenter --net="$pin_a" ip -br addr)" "$(nj "${app_a:0:12}" ip -br addr)"

# --- host veth peers ---------------------------------------------------

# The host end of pod A's eth0: the host link whose ifindex is eth0's iflink.
peer_ix=$(nsenter --net="$pin_a" ip -j link show dev eth0 | jq -r '.[0].link_index')
ip -j link show >"$tmp/hostlinks.json"
hostveth=$(jq -r --argjson i "$peer_ix" '.[] | select(.ifindex == $i) | .ifname' "$tmp/hostlinks.json")
hostmaster=$(jq -r --argjson i "$peer_ix" '.[] | select(.ifindex == $i) | .master // ""' "$tmp/hostlinks.json")
require "pod A's host veth ($hostveth) is on the test's bridge $CRI_BRIDGE" \
	test -n "$hostveth" -a "$hostmaster" = "$CRI_BRIDGE"
check_eq "$t: eth0's peer is the host veth on $CRI_BRIDGE" \
	"ifindex=$peer_ix ifname=$hostveth master=$CRI_BRIDGE netns=net:[$ino_host] target=host" \
	"$(jq_of "$t" '.interfaces[] | select(.ifname == "eth0") | .peer |
		"ifindex=\(.ifindex) ifname=\(.ifname) master=\(.master) netns=\(.netns) target=\(.target)"')"
line=$(nj "$t" | grep -E '^ *[0-9]+: eth0')
if [[ $line == *"peer $hostveth (master $CRI_BRIDGE) in host"* ]]; then
	ok "$t: text names the peer $hostveth (master $CRI_BRIDGE) in host"
else
	not_ok "$t: text names the peer $hostveth (master $CRI_BRIDGE) in host"; printf '#   line: %s\n' "$line"
fi
check_eq "host: $hostveth's peer is pod A's eth0" "ifname=eth0 netns=net:[$ino_a] target=$t" \
	"$(nj -j host | jq -r --arg v "$hostveth" '.interfaces[] | select(.ifname == $v) | .peer |
		"ifname=\(.ifname) netns=\(.netns) target=\(.target)"')"

# --- --dns: the pod's own resolv.conf ------------------------------------

# The CRI wrote it for the sandbox from our DNSConfig; the sandbox's root
# sees it at /etc/resolv.conf.
pid_a=$(cat "$tdir/$sb_a/init.pid")
sandbox_resolv=$(cat "/proc/$pid_a/root/etc/resolv.conf")
require "the CRI wrote our DNSConfig into the sandbox's resolv.conf" \
	grep -qx "nameserver $dns1" <<<"$sandbox_resolv"
out=$(nj --dns "$t" cat /etc/resolv.conf)
check_eq "--dns $t: the command sees the pod's resolv.conf" "$sandbox_resolv" "$out"
check_eq "--dns $t: with our nameserver and search" "nameserver $dns1|search $search1 example.test" \
	"$(grep -E "^(nameserver $dns1|search)" <<<"$out" | sort | paste -sd'|')"
check_eq "--dns ${app_a:0:12}: the pod's resolv.conf too" "$sandbox_resolv" \
	"$(nj --dns "${app_a:0:12}" cat /etc/resolv.conf)"

# --- a hostNetwork pod -------------------------------------------------

t=pod:$sysns/$pod_h
check_eq "$t (hostNetwork): the host's netns" "$ino_host" "$(jq_of "$t" .target.netns_inode)"
check_eq "$t (hostNetwork): kind pod, its name and namespace" "pod $pod_h $sysns $sb_h" \
	"$(jq_of "$t" '"\(.target.kind) \(.target.pod.name) \(.target.pod.namespace) \(.target.id)"')"
note=$(jq_of "$t" '.target.note // ""')
if grep -qi host <<<"$note"; then ok "$t (hostNetwork): .target.note says host"; else
	not_ok "$t (hostNetwork): .target.note says host"; printf '#   note: %s\n' "$note"
fi
check_exit "-v $t" 0 nj -v "$t"
if grep -qi host <<<"${nj_err//$pod_h/}"; then ok "-v $t: stderr says host network"; else
	not_ok "-v $t: stderr says host network"; printf '#   stderr: %s\n' "$nj_err"
fi

# --- a second pod: prefixes, -L and --find ------------------------------

# -L --watch runs from here to the pods' removal (see "watch, top and
# capture" below), in live_bg's view, which sees pins go as the host does
# shellcheck source-path=SCRIPTDIR source=live.sh
. "$here/live.sh"
live_begin
live_watch_all "$tmp/wL" "$tmp/wLT" "$ino_a"
require "RunPodSandbox $podns/$pod_b" runpod sb_b "$podns" "$pod_b" "$uid_b" POD
t0=${EPOCHREALTIME/./}
pin_b=$(pin_of "$sb_b")
require "pod B is pinned apart from pod A" test -n "$pin_b" -a "$pin_b" != "$pin_a"
settle "$pin_b"
ino_b=$(ino "$pin_b")
check "-L --watch: pod B started is reported new" \
	wait_for 5 live_has "$tmp/wL" "$ino_b" ".event == \"new\" and .kind == \"netns\" and .netns_inode == $ino_b"
new=$(grep -F "net:[$ino_b]" "$tmp/wL" | jq -c 'select(.kind == "netns")' | head -n 1)
ms=$((($(date -d "$(jq -r .time <<<"$new")" +%s%6N) - t0) / 1000))
check "... within a second of RunPodSandbox's end: $ms ms" test "$ms" -lt 1000
echo "# $new"
# The CRI pins the namespace before it starts the sandbox: it may be seen
# first without owners (netns:cni-...), and is reported again once named.
named=".kind == \"netns\" and .event == \"new\" and .target == \"pod:$podns/$pod_b\"
	and ([.owners[].pod.name] | index(\"$pod_b\") != null)"
check "-L --watch: pod B reported as pod:$podns/$pod_b, owned by the pod" \
	wait_for 3 live_has "$tmp/wL" "$ino_b" "$named"
new=$(grep -F "net:[$ino_b]" "$tmp/wL" | jq -c "select($named)" | head -n 1)
ms=$((($(date -d "$(jq -r .time <<<"$new")" +%s%6N) - t0) / 1000))
check "... within a second of RunPodSandbox's end: $ms ms" test -n "$new" -a "$ms" -lt 1000
check "-L --watch (text): [TIME] [TARGET] netns net:[$ino_b] OWNERS" \
	wait_for 3 grep -qE "^\[[-0-9T:.]+\] \[[^]]+\] netns net:\[$ino_b\] " "$tmp/wLT"
ip_b=$(cri inspectp "$sb_b" | jq -r .network.ip)
require "pod B's CNI address $ip_b differs from pod A's" test -n "$ip_b" -a "$ip_b" != "$ip_a"

json_ifaces "pod:$podns/$pod_b: interfaces as ip -j addr" "pod:$podns/$pod_b" nsenter --net="$pin_b" ip -j addr
check_eq "pod:$podns/$pod_a (exact, and a prefix of $pod_b): pod A" "$ino_a" \
	"$(jq_of "pod:$podns/$pod_a" .target.netns_inode)"
check_eq "pod:$podns/$pod_a- (unique prefix): pod B" "$ino_b" "$(jq_of "pod:$podns/$pod_a-" .target.netns_inode)"
check_exit "pod:$podns/${pod_a%?} (prefix of both): exit 4" 4 nj "pod:$podns/${pod_a%?}"
if grep -q "$pod_a\([^-]\|$\)" <<<"$nj_err" && grep -q "$pod_b" <<<"$nj_err"; then
	ok "pod:$podns/${pod_a%?}: lists both pods"
else
	not_ok "pod:$podns/${pod_a%?}: lists both pods"; printf '#   stderr: %s\n' "$nj_err"
fi

nj -j -L >"$tmp/L.json" 2>"$tmp/L.err" || sed 's/^/#   /' "$tmp/L.err"
row() { jq -r --argjson i "$1" "[.namespaces[] | select(.netns_inode == \$i)] | $2" "$tmp/L.json" 2>/dev/null; }
check_eq "-j -L: pod A's namespace, once, as pod:$podns/$pod_a, owned by the pod" \
	"1 pod:$podns/$pod_a $pod_a $podns" \
	"$(row "$ino_a" '"\(length) \(.[0].target) \([.[0].owners[].pod.name] | unique | join(",")) \([.[0].owners[].pod.namespace] | unique | join(","))"')"
check_eq "-j -L: pod B's namespace as pod:$podns/$pod_b" "1 pod:$podns/$pod_b" \
	"$(row "$ino_b" '"\(length) \(.[0].target)"')"
check_eq "-j -L: pod A's addresses" \
	"$(nsenter --net="$pin_a" ip -j addr | jq -r '[.[].addr_info[] | "\(.local)/\(.prefixlen)"] | sort | join(" ")')" \
	"$(row "$ino_a" '[.[0].interfaces[].addresses[]] | sort | join(" ")')"
line=$(nj -L | grep -F "net:[$ino_a] ")
if [[ $line == *"pod:$podns/$pod_a "* && $line == *"pod $podns/$pod_a"* ]]; then
	ok "-L: pod A's row names its target and its owner"
else
	not_ok "-L: pod A's row names its target and its owner"; printf '#   row: %s\n' "$line"
fi

check_eq "--find $ip_a: pod A's eth0" "net:[$ino_a] pod:$podns/$pod_a eth0 $pod_a" \
	"$(nj -j --find "$ip_a" | jq -r '.matches[] | "\(.netns) \(.target) \(.ifname) \(.owners[0].pod.name)"')"
check_eq "--find $ip_b: pod B's eth0" "net:[$ino_b] pod:$podns/$pod_b eth0" \
	"$(nj -j --find "$ip_b" | jq -r '.matches[] | "\(.netns) \(.target) \(.ifname)"')"

# --- watch, top and capture ------------------------------------------

# A test namespace $pn pings pod A through a veth of its own (p1 - nj1),
# and pod B through another (p2 - nj2), while --top samples and
# --capture writes both pods at once through a pattern; --watch follows
# an address added in pod A; StopPodSandbox ends it with 6, -L --watch
# reports both pods gone, and nothing holds their namespaces any more
# (nj1 and nj2, and so p1 and p2, are destroyed with them).
pn=${nj_id}p
mk_netns "$pn"
ip netns exec "$pn" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
require "a veth from $pn into pod A" veth_in "$pn" "${pin_a##*/}" 1
require "a veth from $pn into pod B" veth_in "$pn" "${pin_b##*/}" 2
ta=pod:$podns/$pod_a
live_bg "$tmp/wj" "$tmp/wj.err" -j --watch "$ta"
wj=$bg_pid
live_bg "$tmp/wt" "$tmp/wt.err" --watch "$ta"
wt=$bg_pid
pids+=("$wj" "$wt")
check "--watch $ta: a socket in its namespace" wait_for 5 sock_in "$wj" "$ino_a"
check_eq "... but no nsfs fd of it" 0 "$(fds_naming "$wj" "$ino_a")"
wait_for 5 sock_in "$wt" "$ino_a" # the text one subscribed too
a=192.0.2.$((RANDOM % 200 + 20))
nj "$ta" ip addr add "$a/32" dev eth0
check "--watch -j $ta: the address added inside, kind addr, event new, target $ta" \
	wait_for 3 live_has "$tmp/wj" "$ino_a" ".event == \"new\" and .kind == \"addr\" and .target == \"$ta\"
		and .ifname == \"eth0\" and .addr_info[0].local == \"$a\""
check "--watch $ta (text): as ip monitor, after the time" \
	wait_for 3 grep -qE "^\[[-0-9T:.]+\] [0-9]+: eth0 +inet $a/32 scope global eth0" "$tmp/wt"
check "-L --watch: the same event, target $ta" \
	wait_for 3 live_has "$tmp/wL" "$ino_a" ".event == \"new\" and .kind == \"addr\" and .target == \"$ta\"
		and .addr_info[0].local == \"$a\""

require "$pn pings pod A" pinging "$pn" "$live_net.6" 50 "$tmp/ping1.out"
pids+=("$ping_pid")
require "$pn pings pod B" pinging "$pn" "$live_net.10" 50 "$tmp/ping2.out"
pids+=("$ping_pid")
nj --top --count 3 --interval 0.2 -j >"$tmp/top.json" 2>"$tmp/top.err"
check_eq "--top --count 3 --interval 0.2 -j: exit 0, three samples" "0 3" "$? $(wc -l <"$tmp/top.json")"
check_eq "... pod A's namespace: a row each, as $ta, owned by the pod" \
	"$(printf '%s\n' "$ta $pod_a" "$ta $pod_a" "$ta $pod_a")" \
	"$(jq -r --argjson i "$ino_a" '.namespaces[] | select(.netns == $i) |
		"\(.target) \([.owners[].pod.name] | unique | join(","))"' "$tmp/top.json")"
# moved FILE FILTER: the packets received and sent that the rows FILTER
# selects (one a sample) show, rate x interval summed over the samples
moved() {
	jq -r "$2"' | "\(.rx_packets_per_s * .i) \(.tx_packets_per_s * .i)"' "$1" |
		awk '{ rx += $1; tx += $2 } END { printf "%.0f %.0f\n", rx, tx }'
}
na=$(moved "$tmp/top.json" ".interval as \$i | .namespaces[] | select(.netns == $ino_a) | . + {i: \$i}")
nb=$(moved "$tmp/top.json" ".interval as \$i | .namespaces[] | select(.netns == $ino_b) | . + {i: \$i}")
check "... pods A and B, pinged: rx and tx rates not 0 (packets over the samples: $na, $nb)" \
	test "${na% *}" -gt 0 -a "${na#* }" -gt 0 -a "${nb% *}" -gt 0 -a "${nb#* }" -gt 0
nj --top --count 2 --interval 0.2 -j "$ta" >"$tmp/topt.json" 2>"$tmp/topt.err"
rc=$?
ifs=$(nsenter --net="$pin_a" ip -j link | jq -r '[.[].ifname] | sort | join(" ")')
check_eq "--top $ta: exit 0; each sample names it, a row for each interface ip link shows" \
	"0|$ta $ifs|$ta $ifs" \
	"$rc|$(jq -r '"\(.target) \([.interfaces[].ifname] | sort | join(" "))"' "$tmp/topt.json" | paste -sd'|')"
n=$(moved "$tmp/topt.json" '.interval as $i | .interfaces[] | select(.ifname == "nj1") | . + {i: $i}')
check "... nj1, the pinged one: rx and tx rates not 0 (packets: $n)" \
	test "${n% *}" -gt 0 -a "${n#* }" -gt 0

# both pods at once, through a pattern
if command -v tshark >/dev/null && command -v capinfos >/dev/null; then
	f=$tmp/pods.pcapng
	pat="pod:$podns/web-$nj_id*"
	# the filter keeps out what the pods' eth0, on the CNI bridge, may
	# carry meanwhile (t-docker's once caught a packet on its eth0)
	nj_view timeout 20 "$NETJOIN" --capture -f icmp -c 100 -w "$f" "$pat" 2>"$tmp/cap.err"
	check_eq "--capture -f icmp -c 100 -w FILE $pat: exit 0" 0 "$?"
	check "... tshark and capinfos read it, without a warning" reads_whole "$f"
	# the owners as -L writes them: "RUNTIME pod NS/NAME", ", " between
	desc() {
		nj -L -j | jq -r --argjson i "$1" '.namespaces[] | select(.netns_inode == $i) | .owners |
			map(if .pod then "\(.runtime) pod \(.pod.namespace)/\(.pod.name)"
				else "\(.runtime) \(if .name != "" then .name else .id end)" end) | join(", ")'
	}
	da=$(desc "$ino_a") db=$(desc "$ino_b")
	tb=pod:$podns/$pod_b
	check_eq "... an interface block for each of both pods' interfaces, named TARGET:IFACE, described by its owners" \
		"$(printf '%s\n' "$ta:eth0=$da" "$ta:nj1=$da" "$tb:eth0=$db" "$tb:nj2=$db" | sort | paste -sd'|')" \
		"$(if_blocks "$f" | paste -sd'|')"
	check_eq "... 100 packets, on $ta:nj1 and $tb:nj2: the pings and their replies" \
		"100 $(printf '%s\n' "$ta:nj1" "$tb:nj2" | sort | paste -sd,) 0,8" \
		"$(frames "$f" | wc -l) $(frames "$f" | cut -f1 | sort -u | paste -sd,) $(frames "$f" | cut -f2 | grep . | sort -u | paste -sd,)"
else
	for i in 1 2 3 4; do missing "tshark and capinfos (scripts/deps.sh --it)"; done
fi
for p in "${pids[@]: -2}"; do kill "$p"; done

# --- the kubelet removes the pods ---------------------------------------

t0=$(date +%s%N)
require "StopPodSandbox, RemovePodSandbox: pods A and B" cri stopp "$sb_a" "$sb_b"
live_watch_ended "StopPodSandbox: $ta" "$ta"
both_gone() {
	live_has "$tmp/wL" "$ino_a" '.event == "del" and .kind == "netns"' &&
		live_has "$tmp/wL" "$ino_b" '.event == "del" and .kind == "netns"'
}
check "-L --watch reports pods A and B gone" wait_for 5 both_gone ||
	{ holders "$ino_a" "$wl"; holders "$ino_b" "$wl"; }
holds_neither() { holds_nothing "$wl" "$ino_a" && holds_nothing "$wl" "$ino_b"; }
check "-L --watch (text): [TIME] [TARGET] Deleted netns net:[$ino_b]" \
	wait_for 3 grep -qE "^\[[-0-9T:.]+\] \[[^]]+\] Deleted netns net:\[$ino_b\]\$" "$tmp/wLT"
check "... and within a second holds no socket, nsfs fd or mount of net:[$ino_a] or net:[$ino_b]" \
	wait_for 1 holds_neither || echo "$held"
peers_gone() { peer_gone "$pn" 1 && peer_gone "$pn" 2; }
check "their namespaces are destroyed: nothing holds them (p1 and p2 are gone)" wait_for 3 peers_gone ||
	{ holders "$ino_a"; holders "$ino_b"; }
live_watch_all_end "$tmp/wL"
require "RemovePodSandbox: pods A and B" cri rmp "$sb_a" "$sb_b"
require "the CRI removed pod A's and B's pins" test ! -e "$pin_a" -a ! -e "$pin_b"
check_exit "pod:$podns/$pod_a after RemovePodSandbox: exit 3" 3 nj "pod:$podns/$pod_a"
check_exit "${app_a:0:12} after RemovePodSandbox: exit 3" 3 nj "${app_a:0:12}"
check_exit "--find $ip_a after RemovePodSandbox: none holds it (exit 3)" 3 nj --find "$ip_a"
require "StopPodSandbox: the hostNetwork pod" cri stopp "$sb_h"
require "RemovePodSandbox: the hostNetwork pod" cri rmp "$sb_h"
require "the CRI lists none of this test's pods" \
	test -z "$(cri pods | grep -E " ($podns|$sysns)/")"
echo "# $nj_name: watch, top and capture: $((SECONDS - live_t0)) s"
