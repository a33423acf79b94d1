#!/usr/bin/env bash
# netjoin against containerd's on-disk state, on the private containerd of
# scripts/containerd-up.sh (never the machine's own), driven with ctr.
# Kubernetes pods are laid out as containerd's CRI plugin lays them out,
# without the plugin: a pinned network namespace /var/run/netns/cni-<uuid>
# with a veth on a host bridge, a sandbox container joined to it, an app
# container joined to the sandbox's /proc/<pid>/ns/net, and the CRI
# annotations on both. netjoin runs through nj_view, where the private state
# dir is bound over /run/containerd. The oracle is ip(8) in the namespace.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 123
here=$top/tests/integration
compare=$here/ipjson_compare.py

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

run=/run/netjoin-test
state=$run/containerd # bound over /run/containerd in every view
sock=$state/containerd.sock
tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
chmod 755 "$tmp"
on_exit "rm -rf $tmp"

# Stop containerd at the end only if this test is the one that started it
# (containerd-down refuses while the private dockerd still uses it).
if ! { [ -S "$sock" ] && timeout 5 ctr --address "$sock" version >/dev/null 2>&1; }; then
	on_exit "$top/scripts/containerd-down.sh"
fi
if ! "$top"/scripts/containerd-up.sh >/dev/null 2>"$tmp/up.err"; then
	sed 's/^/#   /' "$tmp/up.err"
	skip_all "cannot start the private containerd"
fi
"$top"/scripts/mkimage.sh --tar "$tmp/rootfs.tar" || skip_all "cannot build the busybox rootfs"
rootfs=$tmp/rootfs
if ! { mkdir "$rootfs" && tar -C "$rootfs" -xf "$tmp/rootfs.tar"; }; then
	skip_all "cannot unpack the rootfs"
fi

# Docker is not asked (no daemon there), and the machine's other runtimes'
# state, when it has any, is hidden from netjoin by empty directories.
export DOCKER_HOST=unix://$tmp/no-docker.sock
mkdir "$tmp/empty"
hide_binds=()
for d in /var/lib/docker /run/docker /run/containers /var/lib/containers /run/runc /run/crun; do
	[ -d "$d" ] && hide_binds+=("$tmp/empty" "$d")
done
nj_view_bind "$state" /run/containerd
nj_view_binds+=("${hide_binds[@]}")

nj() { nj_view "$NETJOIN" "$@"; }

# --- helpers -----------------------------------------------------------

ctr_() { timeout 60 ctr --address "$sock" "$@"; }

# A container ID as containerd's CRI plugin makes them: 64 hex digits.
# The first is a letter so that no prefix is read as a PID.
hexid() {
	local h letters=abcdef
	h=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	echo "${letters:RANDOM%6:1}${h:1}"
}
uuid() { cat /proc/sys/kernel/random/uuid; }

# start NS ID ARGS...: a detached `sleep` task from $rootfs in containerd
# namespace NS, with ctr run's ARGS (--with-ns, --annotation ...), deleted
# on exit. runc keeps its state under the private state dir
# (runc/NS/ID/state.json, as /run/containerd/runc/NS/ID in the view); no
# cgroup path, so runc's /<id> cgroups go with the task; no FIFOs.
start() {
	local ns=$1 id=$2; shift 2
	on_exit "ctr_rm $ns $id"
	ctr_ -n "$ns" run -d --null-io --cgroup "" --runc-root "$state/runc" \
		"$@" --rootfs "$rootfs" "$id" /bin/sleep 3600 >"$tmp/run.err" 2>&1 ||
		{ sed 's/^/#   /' "$tmp/run.err"; return 1; }
}
ctr_rm() {
	ctr_ -n "$1" tasks delete -f "$2"
	ctr_ -n "$1" containers delete "$2"
	# The namespace and its state dirs go with its last container.
	ctr_ namespaces remove "$1"
	rmdir "$state/io.containerd.runtime.v2.task/$1" "$state/runc/$1"
}
# The PID of task NS/ID, as the shim recorded it.
pid_of() { cat "$state/io.containerd.runtime.v2.task/$1/$2/init.pid"; }
ino() { stat -L -c %i "$1"; }

# IPv6 DAD settles in the first second or two; compare only after.
settle() { nj_settle ip -n "$1"; }

# json_ifaces DESC TARGET ORACLE...: `netjoin -j TARGET`.interfaces equals
# ORACLE's `ip -j addr` output on the fields ipjson_compare.py checks.
json_ifaces() { local desc=$1 target=$2; shift 2; ip_json_same "$desc" nj -j "$target" -- "$@"; }

# jq_of TARGET FILTER: FILTER applied to `netjoin -j TARGET` (empty on error).
jq_of() { nj -j "$1" 2>/dev/null | jq -r "$2" 2>/dev/null; }

err_grep=(-E) # err_has (lib.sh): extended regular expressions

# --- pods --------------------------------------------------------------

br=${nj_id}br # host bridge the pods' veths hang on (names <= 15 bytes)
on_exit "ip link del $br"
if ! { ip link add "$br" type bridge && ip link set "$br" up; }; then
	skip_all "cannot create bridge $br"
fi
# Addresses live only inside the pods' namespaces; the bridge has none, so
# the host routes nothing there.
sub4=10.216.$((RANDOM % 256))
sub6=fd00:6e6a:$(printf '%x' $((RANDOM % 65535 + 1)))

# mk_podnet VAR N: a CNI-style namespace cni-<uuid> with lo and eth0 (a veth
# whose host end ${nj_id}vN is on $br), .N+1 in $sub4/24 and ::N+1 in
# $sub6::/64; its name goes to VAR.
mk_podnet() {
	local ns host=${nj_id}v$2
	ns=cni-$(uuid)
	mk_netns "$ns" || return 1
	ip link add "$host" type veth peer name eth0 netns "$ns" &&
		ip link set "$host" master "$br" up &&
		ip -n "$ns" addr add "$sub4.$(($2 + 1))/24" dev eth0 &&
		ip -n "$ns" addr add "$sub6::$(($2 + 1))/64" dev eth0 &&
		ip -n "$ns" link set eth0 up || return 1
	printf -v "$1" %s "$ns"
}

# mk_sandbox VAR NETWORK_ARGS POD_NAMESPACE POD_NAME UID: a pod sandbox in
# containerd namespace k8s.io; its ID goes to VAR.
mk_sandbox() {
	local id
	id=$(hexid)
	# shellcheck disable=SC2086 # NETWORK_ARGS are two words or one
	start k8s.io "$id" $2 \
		--label io.cri-containerd.kind=sandbox \
		--annotation io.kubernetes.cri.container-type=sandbox \
		--annotation "io.kubernetes.cri.sandbox-id=$id" \
		--annotation "io.kubernetes.cri.sandbox-name=$4" \
		--annotation "io.kubernetes.cri.sandbox-namespace=$3" \
		--annotation "io.kubernetes.cri.sandbox-uid=$5" \
		--annotation "io.kubernetes.cri.sandbox-log-directory=/var/log/pods/$3_$4_$5" || return 1
	printf -v "$1" %s "$id"
}

# mk_app VAR SANDBOX_ID POD_NAMESPACE POD_NAME UID NAME: an app container
# of that pod, in the sandbox's netns as CRI joins it; its ID goes to VAR.
mk_app() {
	local id
	id=$(hexid)
	start k8s.io "$id" \
		--with-ns "network:/proc/$(pid_of k8s.io "$2")/ns/net" \
		--label io.cri-containerd.kind=container \
		--annotation io.kubernetes.cri.container-type=container \
		--annotation "io.kubernetes.cri.sandbox-id=$2" \
		--annotation "io.kubernetes.cri.sandbox-name=$4" \
		--annotation "io.kubernetes.cri.sandbox-namespace=$3" \
		--annotation "io.kubernetes.cri.sandbox-uid=$5" \
		--annotation "io.kubernetes.cri.container-name=$6" \
		--annotation io.kubernetes.cri.image-name=netjoin-test/busybox:latest || return 1
	printf -v "$1" %s "$id"
}

pod_a=frontend-$nj_id
pod_b=frontend-$nj_id-b
pod_h=hostnet-$nj_id
uid_a=$(uuid) uid_b=$(uuid) uid_h=$(uuid)
# Set by mk_podnet, mk_sandbox and mk_app:
ns_a='' ns_b='' sb_a='' sb_b='' sb_h='' app_a='' app_b=''

mk_podnet ns_a 1 || skip_all "cannot make pod A's network namespace"
mk_sandbox sb_a "--with-ns network:/var/run/netns/$ns_a" shop "$pod_a" "$uid_a" ||
	skip_all "cannot run containers with ctr"
mk_app app_a "$sb_a" shop "$pod_a" "$uid_a" app || skip_all "cannot run pod A's app container"
mk_sandbox sb_h --net-host kube-system "$pod_h" "$uid_h" || skip_all "cannot run a hostNetwork sandbox"
# A plain container in namespace "default": ctr gives it a new, empty netns.
id_d=$(hexid)
start default "$id_d" || skip_all "cannot run a plain container"
settle "$ns_a"

ns_a_path=/var/run/netns/$ns_a
ino_a=$(ino "/run/netns/$ns_a")
ino_host=$(ino /proc/self/ns/net)
pid_d=$(pid_of default "$id_d")
ino_d=$(ino "/proc/$pid_d/ns/net")

# The layout itself, before any netjoin check: the tests below mean nothing
# unless it is what containerd's CRI plugin would have written.
tdir=$state/io.containerd.runtime.v2.task
require_eq "sandbox's netns path in config.json" "$ns_a_path" \
	"$(jq -r '.linux.namespaces[] | select(.type == "network") | .path' "$tdir/k8s.io/$sb_a/config.json")"
require_eq "app's netns path in config.json" "/proc/$(pid_of k8s.io "$sb_a")/ns/net" \
	"$(jq -r '.linux.namespaces[] | select(.type == "network") | .path' "$tdir/k8s.io/$app_a/config.json")"
require_eq "app's annotations" "container $sb_a $pod_a shop $uid_a app" \
	"$(jq -r '.annotations | [."io.kubernetes.cri.container-type", ."io.kubernetes.cri.sandbox-id",
		."io.kubernetes.cri.sandbox-name", ."io.kubernetes.cri.sandbox-namespace",
		."io.kubernetes.cri.sandbox-uid", ."io.kubernetes.cri.container-name"] | join(" ")' \
		"$tdir/k8s.io/$app_a/config.json")"
require_eq "hostNetwork sandbox has no network namespace entry" "" \
	"$(jq -r '.linux.namespaces[] | select(.type == "network") | .type' "$tdir/k8s.io/$sb_h/config.json")"
require_eq "app task runs in the pod's netns" "$ino_a" "$(ino "/proc/$(pid_of k8s.io "$app_a")/ns/net")"
require_eq "runc state of the app task" "$(pid_of k8s.io "$app_a")" \
	"$(jq -r .init_process_pid "$state/runc/k8s.io/$app_a/state.json")"
require "plain container has its own netns" test "$ino_d" != "$ino_host"
# The machine's containerd may run pods of its own: ours only must not be
# under its /run/containerd/runc.
require "the tasks' runc state is not under the real /run/containerd/runc" \
	test ! -e "/run/containerd/runc/k8s.io/$sb_a" -a ! -e "/run/containerd/runc/k8s.io/$app_a"

# --- pod: targets ------------------------------------------------------

oracle_a=(ip -n "$ns_a" -j addr)

# Before pod B exists, a prefix of pod A's name is unique.
json_ifaces "pod:shop/$pod_a: interfaces as ip -j addr" "pod:shop/$pod_a" "${oracle_a[@]}"
json_ifaces "pod:shop/${pod_a%?} (unique prefix): interfaces" "pod:shop/${pod_a%?}" "${oracle_a[@]}"
check_eq "pod:shop/${pod_a%?} (unique prefix): pod name" "$pod_a" \
	"$(jq_of "pod:shop/${pod_a%?}" .target.pod.name)"

t=pod:shop/$pod_a
check_eq "$t: .target" \
	"kind=pod runtime=containerd namespace=k8s.io id=$sb_a name=$pod_a source=disk joined=nsfs netns=net:[$ino_a] netns_inode=$ino_a" \
	"$(jq_of "$t" '.target | "kind=\(.kind) runtime=\(.runtime) namespace=\(.namespace) id=\(.id) name=\(.name) source=\(.source) joined=\(.joined) netns=\(.netns) netns_inode=\(.netns_inode)"')"
check_eq "$t: .target.pod" "{\"name\":\"$pod_a\",\"namespace\":\"shop\",\"uid\":\"$uid_a\"}" \
	"$(jq_of "$t" '.target.pod | {name, namespace, uid} | tojson')"
path=$(jq_of "$t" .target.path)
if [ "$path" = "$ns_a_path" ] || [ "$path" = "/run/netns/$ns_a" ]; then ok "$t: .target.path is the pinned netns"; else
	not_ok "$t: .target.path is the pinned netns"
	printf '#   expected: %s (or /run/netns/%s)\n#   actual:   %s\n' "$ns_a_path" "$ns_a" "$path"
fi

check_eq "$t ip -br addr runs the host's ip inside" "$(ip -n "$ns_a" -br addr)" "$(nj "$t" ip -br addr)"
check_eq "-b $t mirrors ip -br addr" "$(ip -n "$ns_a" -br addr)" "$(nj -b "$t")"
check_eq "$t: command sees the pod's netns" "net:[$ino_a]" "$(nj "$t" readlink /proc/self/ns/net)"
check_exit "$t: text listing" 0 nj "$t"
head1=$(printf '%s\n' "$nj_out" | head -n 1)
if [[ $head1 == *containerd* && $head1 == *"$pod_a"* && $head1 == *"net:[$ino_a]"* ]]; then
	ok "$t: text header names containerd, the pod and net:[inode]"
else
	not_ok "$t: text header names containerd, the pod and net:[inode]"; printf '#   header: %s\n' "$head1"
fi
check_exit "-v $t" 0 nj -v "$t"
err_has "-v $t: names containerd" '[Cc]ontainerd'
err_has "-v $t: says on-disk state" 'on-disk state'

# --- containerd: targets: the app container is followed to its pod -------

short=${app_a:0:12}
for t in "containerd:k8s.io/$app_a" "$app_a" "$short" "containerd:$app_a" "containerd:$short" \
	"containerd:k8s.io/$short"; do
	check_eq "$t: the pod's netns" "$ino_a" "$(jq_of "$t" .target.netns_inode)"
done
json_ifaces "containerd:k8s.io/$short: interfaces as ip -j addr" "containerd:k8s.io/$short" "${oracle_a[@]}"
json_ifaces "$short: interfaces as ip -j addr" "$short" "${oracle_a[@]}"
t=containerd:k8s.io/$app_a
check_eq "$t: .target" \
	"kind=container runtime=containerd namespace=k8s.io id=$app_a name=app source=disk netns_inode=$ino_a" \
	"$(jq_of "$t" '.target | "kind=\(.kind) runtime=\(.runtime) namespace=\(.namespace) id=\(.id) name=\(.name) source=\(.source) netns_inode=\(.netns_inode)"')"
check_eq "$t: .target.pod" "{\"name\":\"$pod_a\",\"namespace\":\"shop\",\"uid\":\"$uid_a\"}" \
	"$(jq_of "$t" '.target.pod | {name, namespace, uid} | tojson')"
check_eq "containerd:k8s.io/$sb_a (the sandbox): the pod's netns" "$ino_a" \
	"$(jq_of "containerd:k8s.io/$sb_a" .target.netns_inode)"
check_eq "$t: command sees the pod's netns" "net:[$ino_a]" "$(nj "$app_a" readlink /proc/self/ns/net)"

# The bare container name, only if no other container of that name is in
# the private state (a concurrent Docker test's are in "moby", unnamed).
n_app=$(cat "$tdir"/*/*/config.json 2>/dev/null |
	jq -r '.annotations["io.kubernetes.cri.container-name"] // empty' | grep -cx app)
if [ "$n_app" = 1 ]; then
	check_eq "app (bare container name, unique): the pod's netns" "$ino_a" "$(jq_of app .target.netns_inode)"
else
	# several pods with an app container: an ambiguity, never a guess
	check_exit "app (bare name, $n_app containers of that name): ambiguous" 4 \
		nj app true
fi

# --- hostNetwork pod ---------------------------------------------------

t=pod:kube-system/$pod_h
check_eq "$t (hostNetwork): host's netns" "$ino_host" "$(jq_of "$t" .target.netns_inode)"
check_eq "$t (hostNetwork): kind pod, pod name" "pod $pod_h kube-system" \
	"$(jq_of "$t" '"\(.target.kind) \(.target.pod.name) \(.target.pod.namespace)"')"
note=$(jq_of "$t" '.target.note // ""')
if grep -qi host <<<"$note"; then ok "$t (hostNetwork): .target.note mentions host"; else
	not_ok "$t (hostNetwork): .target.note mentions host"; printf '#   note: %s\n' "$note"
fi
check_exit "-v $t" 0 nj -v "$t"
if grep -qi host <<<"${nj_err//$pod_h/}"; then ok "-v $t: stderr says host network"; else
	not_ok "-v $t: stderr says host network"; printf '#   stderr: %s\n' "$nj_err"
fi
check_eq "containerd:k8s.io/$sb_h (hostNetwork sandbox): host's netns" "$ino_host" \
	"$(jq_of "containerd:k8s.io/$sb_h" .target.netns_inode)"

# --- a plain container in namespace "default" ---------------------------

oracle_d=(nsenter -n -t "$pid_d" ip -j addr)
for t in "containerd:default/$id_d" "$id_d" "containerd:${id_d:0:12}"; do
	check_eq "$t (default namespace): its own netns" "$ino_d" "$(jq_of "$t" .target.netns_inode)"
done
json_ifaces "containerd:default/$id_d: interfaces as ip -j addr" "containerd:default/$id_d" "${oracle_d[@]}"
t=containerd:default/$id_d
check_eq "$t: .target" "kind=container runtime=containerd namespace=default id=$id_d pid=$pid_d netns=net:[$ino_d]" \
	"$(jq_of "$t" '.target | "kind=\(.kind) runtime=\(.runtime) namespace=\(.namespace) id=\(.id) pid=\(.pid) netns=\(.netns)"')"
check_eq "$t: no pod" "null" "$(jq_of "$t" .target.pod)"

# --- a container nerdctl made: its name, from the nerdctl/name label ----

# nerdctl sets its labels on the containerd container and copies them into
# the OCI spec's annotations; ctr does the same with --label/--annotation.
nname=web-$nj_id
id_n=$(hexid)
if start default "$id_n" --label "nerdctl/name=$nname" --annotation "nerdctl/name=$nname" \
	--label nerdctl/namespace=default --annotation nerdctl/namespace=default; then
	ino_n=$(ino "/proc/$(pid_of default "$id_n")/ns/net")
	for t in "$nname" "containerd:$nname" "containerd:default/$nname"; do
		check_eq "$t (nerdctl's name): the container's netns" "$ino_n" "$(jq_of "$t" .target.netns_inode)"
	done
	check_eq "$nname: .target names it" "containerd default $id_n $nname" \
		"$(jq_of "$nname" '"\(.target.runtime) \(.target.namespace) \(.target.id) \(.target.name)"')"
	check_eq "-L: its namespace's owner is $nname" "$nname" \
		"$(nj -L -j | jq -r --arg i "net:[$ino_n]" '.namespaces[] | select(.netns == $i) | .owners[].name')"
else
	for i in 1 2 3 4 5; do not_ok "cannot run a container with nerdctl's labels"; done
fi

# --- a second pod: prefixes and ambiguity ------------------------------

mk_podnet ns_b 2 || not_ok "cannot make pod B's network namespace"
mk_sandbox sb_b "--with-ns network:/var/run/netns/$ns_b" shop "$pod_b" "$uid_b" || not_ok "cannot run pod B's sandbox"
settle "$ns_b"
ino_b=$(ino "/run/netns/$ns_b")

check_eq "pod:shop/$pod_a (exact, and a prefix of $pod_b): pod A" "$ino_a" \
	"$(jq_of "pod:shop/$pod_a" .target.netns_inode)"
check_eq "pod:shop/$pod_a- (unique prefix): pod B" "$ino_b" "$(jq_of "pod:shop/$pod_a-" .target.netns_inode)"
json_ifaces "pod:shop/$pod_b: interfaces as ip -j addr" "pod:shop/$pod_b" ip -n "$ns_b" -j addr
check_exit "pod:shop/${pod_a%?} (prefix of both): exit 4" 4 nj "pod:shop/${pod_a%?}"
err_line "pod:shop/${pod_a%?}: starts with a netjoin: line" multi
err_has "pod:shop/${pod_a%?}: lists $pod_a" "$pod_a([^-]|$)"
err_has "pod:shop/${pod_a%?}: lists $pod_b" "$pod_b"

# Two app containers called app, in pods with different netns: ambiguous.
if mk_app app_b "$sb_b" shop "$pod_b" "$uid_b" app; then
	check_exit "app (in two pods): exit 4" 4 nj app
	err_line "app (in two pods): starts with a netjoin: line" multi
	err_has "app (in two pods): lists pod A's" "${app_a:0:12}"
	err_has "app (in two pods): lists pod B's" "${app_b:0:12}"
	check_eq "containerd:k8s.io/$app_b: pod B" "$ino_b" "$(jq_of "containerd:k8s.io/$app_b" .target.netns_inode)"
else
	not_ok "cannot run pod B's app container"
fi

# --- not found ---------------------------------------------------------

for t in pod:nonexistent "pod:shop/nonexistent-$nj_id" "pod:$pod_a" "pod:kube-system/$pod_a" \
	"containerd:nosuchns-$nj_id/$app_a" "containerd:k8s.io/$id_d" "containerd:$nj_id-nosuch"; do
	check_exit "$t: exit 3" 3 nj "$t"
	case $t in
	"pod:$pod_a" | "pod:kube-system/$pod_a")
		# the same pod runs in shop: named, as a target, below the line
		err_line "$t: a netjoin: line, then hints" multi
		err_has "$t: the hint is pod:shop/$pod_a" "^  pod:shop/$pod_a \(containerd\)\$" ;;
	*) err_line "$t: one netjoin: line" ;;
	esac
done

# --- --host-root: the same state under another root -----------------------

# DIR/run/containerd is the private state and DIR/run/netns the host's
# pinned namespaces; DIR/var/run is an absolute symlink to /run, as on
# every node, so the CRI's /var/run/netns/cni-... must be resolved inside
# DIR (a naive DIR + path would reach netjoin's own /run). In netjoin's
# mount namespace /run/containerd and /run/netns are empty, so only DIR
# is read.
hr=$tmp/hostroot
mkdir -p "$hr/run/containerd" "$hr/run/netns" "$hr/var"
ln -s /run "$hr/var/run"
in_hostroot() {
	# shellcheck disable=SC2016 # expanded by that sh
	unshare -m --propagation private sh -c '
		mount --bind "$1" "$2/run/containerd" &&
			mount --rbind /run/netns "$2/run/netns" || exit 125
		for d in /run/containerd /run/netns; do
			[ ! -d $d ] || mount -t tmpfs -o size=64k,mode=0755 nj-empty $d || exit 125
		done
		shift 2
		exec "$@"' in_hostroot "$state" "$hr" "$@"
}
check_exit "--host-root: pod:shop/$pod_a" 0 in_hostroot "$NETJOIN" --host-root "$hr" -j "pod:shop/$pod_a"
check_eq "--host-root: pod:shop/$pod_a is pod A's netns" "$ino_a" "$(jq -r .target.netns_inode <<<"$nj_out" 2>/dev/null)"
check_eq "--host-root: joined through the pinned file, /var/run followed inside the root" \
	"nsfs $hr/run/netns/$ns_a" "$(jq -r '"\(.target.joined) \(.target.path)"' <<<"$nj_out" 2>/dev/null)"
printf '%s\n' "$nj_out" >"$tmp/hr.json"
"${oracle_a[@]}" >"$tmp/ip.json"
check "--host-root: interfaces as ip -j addr" python3 "$compare" "$tmp/hr.json" "$tmp/ip.json"
check_eq "--host-root: containerd:k8s.io/$short" "$ino_a" \
	"$(in_hostroot "$NETJOIN" --host-root "$hr" -j "containerd:k8s.io/$short" 2>/dev/null | jq -r .target.netns_inode 2>/dev/null)"
# -L names a pinned namespace netns:NAME as netns:NAME selects it there
mk_netns "${nj_id}hr"
hr_ino=$(stat -L -c %i "/run/netns/${nj_id}hr")
in_hostroot "$NETJOIN" --host-root "$hr" -L -j >"$tmp/hrL.json" 2>/dev/null
check_eq "--host-root -L: pod A's row is pod:shop/$pod_a" "pod:shop/$pod_a" \
	"$(jq -r --argjson i "$ino_a" '.namespaces[] | select(.netns_inode == $i) | .target' "$tmp/hrL.json" 2>/dev/null)"
check_eq "--host-root -L: a pinned namespace is netns:${nj_id}hr" "netns:${nj_id}hr" \
	"$(jq -r --argjson i "$hr_ino" '.namespaces[] | select(.netns_inode == $i) | .target' "$tmp/hrL.json" 2>/dev/null)"
check_exit "--host-root: netns:${nj_id}hr selects it" 0 in_hostroot "$NETJOIN" --host-root "$hr" -j "netns:${nj_id}hr"
check_eq "... the same namespace" "$hr_ino" "$(jq -r .target.netns_inode <<<"$nj_out" 2>/dev/null)"
check_exit "without --host-root, that view has no pods: exit 3" 3 in_hostroot "$NETJOIN" "pod:shop/$pod_a"

# --- a stopped task ------------------------------------------------------

# Killed but not deleted: its task dir and init.pid stay, naming a dead PID.
id_s=$(hexid)
if start default "$id_s"; then
	pid_s=$(pid_of default "$id_s")
	ctr_ -n default tasks kill -s KILL "$id_s"
	for ((i = 0; i < 50; i++)); do
		ctr_ -n default tasks ls | grep -q "^$id_s .*STOPPED" && break
		sleep 0.1
	done
	check "stopped task: init.pid stays" test -s "$tdir/default/$id_s/init.pid"
	check "stopped task: its PID is gone" test ! -e "/proc/$pid_s"
	check_exit "containerd:default/$id_s (stopped): exit 6" 6 nj "containerd:default/$id_s"
	err_line "containerd:default/$id_s (stopped): one netjoin: line"
	check_exit "$id_s (stopped, bare): exit 6" 6 nj "$id_s"
else
	not_ok "cannot run the container to stop"
fi

# --- a recycled PID ------------------------------------------------------

# A copy of the plain container's task dir and runc state, under another
# state root, whose init.pid names a live process that is not the task (a
# recycled PID): runc's init_process_start disagrees with its start time.
# A second copy with the right start time is the control: the layout alone
# must not be what makes netjoin refuse.
fake=$tmp/fake-containerd
fns=nj-fake
unshare -n sleep 3600 >/dev/null 2>&1 &
victim=$!
on_exit "kill $victim"
for ((i = 0; i < 50; i++)); do
	[ "$(readlink "/proc/$victim/ns/net")" != "net:[$ino_host]" ] && break
	sleep 0.1
done
victim_ino=$(ino "/proc/$victim/ns/net")
victim_start=$(awk '{print $22}' "/proc/$victim/stat")
mk_fake() { # ID START
	local d=$fake/io.containerd.runtime.v2.task/$fns/$1
	mkdir -p "$d" "$fake/runc/$fns/$1"
	find "$tdir/default/$id_d" -maxdepth 1 -type f -exec cp {} "$d" \;
	printf '%s' "$victim" >"$d/init.pid"
	jq --arg id "$1" --argjson pid "$victim" --argjson start "$2" \
		'.id = $id | .init_process_pid = $pid | .init_process_start = $start' \
		"$state/runc/default/$id_d/state.json" >"$fake/runc/$fns/$1/state.json"
}
recycled=$(hexid) control=$(hexid)
mk_fake "$recycled" $((victim_start + 1000))
mk_fake "$control" "$victim_start"
nj_fake() {
	local nj_view_binds=("$fake" /run/containerd "${hide_binds[@]}")
	nj_view "$NETJOIN" "$@"
}
require_eq "control's netns is the live process's" "$victim_ino" \
	"$(nj_fake -j "containerd:$fns/$control" 2>/dev/null | jq -r .target.netns_inode 2>/dev/null)"
check_exit "recycled PID: exit 6" 6 nj_fake -j "containerd:$fns/$recycled"
err_line "recycled PID: one netjoin: line"
err_has "recycled PID: says the PID was reused" 'reused|another process'
check_eq "recycled PID: nothing printed" "" "$nj_out"
check_exit "recycled PID with a command: exit 6" 6 nj_fake "containerd:$fns/$recycled" readlink /proc/self/ns/net
check_eq "recycled PID with a command: command never ran" "" "$nj_out"
check_exit "recycled PID, bare ID: exit 6" 6 nj_fake "$recycled"

# --- watch, top and capture: a container started and stopped meanwhile --

# -L --watch sees a container started in namespace "default"; a test
# namespace $pn pings it through a veth of its own (p1 - nj1) while --top
# samples and --capture writes; --watch follows an address added inside;
# the task killed ends the single-target watches with 6, -L --watch
# reports it, and nothing holds the namespace any more (nj1, and so p1,
# is destroyed with it). The long-running netjoins run in live_bg's view,
# which sees pins go as the host does.
# shellcheck source-path=SCRIPTDIR source=live.sh
. "$here/live.sh"
live_begin
pn=${nj_id}p
mk_netns "$pn"
ip netns exec "$pn" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1

live_watch_all "$tmp/L" "$tmp/LT" "$(ino "/run/netns/$pn")"
id_l=$(hexid)
require "ctr run: a container in namespace default" start default "$id_l"
t0=${EPOCHREALTIME/./}
pid_l=$(pid_of default "$id_l")
ino_l=$(ino "/proc/$pid_l/ns/net")
# jq_line FILE FILTER: a line of FILE (JSON lines) that names the
# container's namespace is one FILTER selects
jq_line() { grep -F "net:[$ino_l]" "$1" | jq -c "select($2)" 2>/dev/null | grep -q .; }
check "-L --watch: the container started is reported new" \
	wait_for 5 jq_line "$tmp/L" ".event == \"new\" and .kind == \"netns\" and .netns_inode == $ino_l"
new=$(grep -F "net:[$ino_l]" "$tmp/L" | jq -c 'select(.kind == "netns")' | head -n 1)
lt=$(jq -r .target <<<"$new")
ms=$((($(date -d "$(jq -r .time <<<"$new")" +%s%6N) - t0) / 1000))
check "... within a second of ctr run's end: $ms ms" test "$ms" -lt 1000
check_eq "... with the target and owners -L gives it" \
	"$(nj -L -j | jq -c --argjson i "$ino_l" '.namespaces[] | select(.netns_inode == $i) | [.target, .owners]')" \
	"$(jq -c '[.target, .owners]' <<<"$new")"
check_eq "... its owner the container, $id_l" true \
	"$(jq --arg id "$id_l" '.owners | any(.runtime == "containerd" and .id == $id)' <<<"$new")"
check "-L --watch (text): [TIME] [$lt] netns net:[$ino_l] containerd $id_l" \
	wait_for 3 grep -qE "^\[[-0-9T:.]+\] \[$lt\] netns net:\[$ino_l\] containerd $id_l\$" "$tmp/LT"

require "a veth from $pn into the container" veth_in "$pn" "$pid_l" 1
ct=containerd:default/$id_l
live_bg "$tmp/wj" "$tmp/wj.err" -j --watch "$ct"
wj=$bg_pid
live_bg "$tmp/wt" "$tmp/wt.err" --watch "$ct"
wt=$bg_pid
pids+=("$wj" "$wt")
check "--watch $ct: a socket in its namespace" wait_for 5 sock_in "$wj" "$ino_l"
check_eq "... but no nsfs fd of it" 0 "$(fds_naming "$wj" "$ino_l")"
wait_for 5 sock_in "$wt" "$ino_l" # the text one subscribed too
a=192.0.2.$((RANDOM % 200 + 20))
nj "$ct" ip addr add "$a/32" dev nj1
check "--watch -j $ct: the address added inside, kind addr, event new, target $ct" \
	wait_for 3 jq_line "$tmp/wj" ".event == \"new\" and .kind == \"addr\" and .target == \"$ct\"
		and .ifname == \"nj1\" and .addr_info[0].local == \"$a\""
check "--watch $ct (text): as ip monitor, after the time" \
	wait_for 3 grep -qE "^\[[-0-9T:.]+\] [0-9]+: nj1 +inet $a/32 scope global nj1" "$tmp/wt"
check "-L --watch: the same event, its target $lt" \
	wait_for 3 jq_line "$tmp/L" ".event == \"new\" and .kind == \"addr\" and .target == \"$lt\"
		and .addr_info[0].local == \"$a\""

# --top: the node, then the container per interface, while $pn pings it
require "$pn pings the container" pinging "$pn" "$live_net.6" 50 "$tmp/ping.out"
pids+=("$ping_pid")
nj --top --count 3 --interval 0.2 -j >"$tmp/top.json" 2>"$tmp/top.err"
check_eq "--top --count 3 --interval 0.2 -j: exit 0, three samples" "0 3" "$? $(wc -l <"$tmp/top.json")"
check_eq "... the container's namespace: a row each, as $lt, owned by $id_l" \
	"$(printf '%s\n' "$lt $id_l" "$lt $id_l" "$lt $id_l")" \
	"$(jq -r --argjson i "$ino_l" '.namespaces[] | select(.netns == $i) |
		"\(.target) \([.owners[] | select(.runtime == "containerd") | .id] | join(","))"' "$tmp/top.json")"
# moved FILE FILTER: the packets received and sent that the rows FILTER
# selects (one a sample) show, rate x interval summed over the samples
moved() {
	jq -r "$2"' | "\(.rx_packets_per_s * .i) \(.tx_packets_per_s * .i)"' "$1" |
		awk '{ rx += $1; tx += $2 } END { printf "%.0f %.0f\n", rx, tx }'
}
n=$(moved "$tmp/top.json" ".interval as \$i | .namespaces[] | select(.netns == $ino_l) | . + {i: \$i}")
check "... its rx and tx rates, while pinged, are not 0 (packets over the samples: $n)" \
	test "${n% *}" -gt 0 -a "${n#* }" -gt 0
nj --top --count 2 --interval 0.2 -j "$ct" >"$tmp/topt.json" 2>"$tmp/topt.err"
rc=$?
ifs=$(nsenter -n -t "$pid_l" ip -j link | jq -r '[.[].ifname] | sort | join(" ")')
check_eq "--top $ct: exit 0; each sample names it, a row for each interface ip link shows" \
	"0|$ct $ifs|$ct $ifs" \
	"$rc|$(jq -r '"\(.target) \([.interfaces[].ifname] | sort | join(" "))"' "$tmp/topt.json" | paste -sd'|')"
n=$(moved "$tmp/topt.json" '.interval as $i | .interfaces[] | select(.ifname == "nj1") | . + {i: $i}')
check "... nj1, the pinged one: rx and tx rates not 0 (packets: $n)" \
	test "${n% *}" -gt 0 -a "${n#* }" -gt 0

# --capture: 20 packets, the pings and their replies, on nj1
if command -v tshark >/dev/null && command -v capinfos >/dev/null; then
	f=$tmp/live.pcapng
	nj_view timeout 20 "$NETJOIN" --capture -c 20 -w "$f" "$ct" 2>"$tmp/cap.err"
	check_eq "--capture -c 20 -w FILE $ct: exit 0" 0 "$?"
	check "... tshark and capinfos read it, without a warning" reads_whole "$f"
	check_eq "... one interface block, named $ct:nj1, described by its owner as -L says it" \
		"$ct:nj1=containerd $id_l" "$(if_blocks "$f" | paste -sd'|')"
	check_eq "... 20 packets, all on $ct:nj1: the pings, their replies (and ARP)" "20 $ct:nj1 0,8" \
		"$(frames "$f" | wc -l) $(frames "$f" | cut -f1 | sort -u | paste -sd,) $(frames "$f" | cut -f2 | grep . | sort -u | paste -sd,)"
else
	for i in 1 2 3 4; do missing "tshark and capinfos (scripts/deps.sh --it)"; done
fi
kill "$ping_pid"

# the task killed: the watches end, the namespace is freed
t0=$(date +%s%N)
ctr_ -n default tasks kill -s KILL "$id_l"
live_watch_ended "the task killed" "$ct"
live_ns_freed "$lt" "$ino_l" "$tmp/L" "$tmp/LT"
live_watch_all_end "$tmp/L"
echo "# $nj_name: watch, top and capture: $((SECONDS - live_t0)) s"
