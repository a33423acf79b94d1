#!/usr/bin/env bash
# netjoin against CRI-O's on-disk state. CRI-O is not packaged for Debian,
# so its files are written here as CRI-O writes them (server/
# sandbox_run_linux.go, internal/factory/container, internal/oci of
# cri-o/cri-o), in private directories bound over containers/storage's run
# root (/run/containers/storage) and graph root (/var/lib/containers/storage)
# by nj_view. What the files point at is real: network namespaces pinned by
# `ip netns add <uuid>` (CRI-O pins /var/run/netns/<uuid>), with a veth on a
# host bridge, and live processes in them for the pidfiles. The oracle is
# ip(8) in the namespace.
#
# Per container, as CRI-O (and conmon) leave them:
#   run root   overlay-containers/<id>/userdata/config.json  the OCI bundle's spec
#                                             .../pidfile      conmon -p, no newline
#   graph root overlay-containers/<id>/userdata/config.json  the same spec
#                                             .../state.json   ContainerState (initPid,
#                                                              initStartTime), not for
#                                                              a dropped infra container
#              overlay-containers/containers.json  containers/storage's records
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 51
here=$top/tests/integration

need_root
need ip
need jq
need nsenter
need unshare
need python3
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
chmod 755 "$tmp"
on_exit "rm -rf $tmp"
run_root=$tmp/run-storage # bound over /run/containers/storage
graph_root=$tmp/lib-storage # bound over /var/lib/containers/storage
mkdir -p "$run_root/overlay-containers" "$graph_root/overlay-containers"
: >"$run_root/overlay-containers/containers.lock"
: >"$graph_root/overlay-containers/containers.lock"

# A bind mount needs its mount point: make the missing part of the path
# (on a machine without CRI-O or podman) and remove it at exit, deepest first.
mkpoint() {
	local d=$1 made=()
	while [ ! -e "$d" ]; do made+=("$d"); d=$(dirname "$d"); done
	[ ${#made[@]} -gt 0 ] || return 0
	mkdir -p "$1" && on_exit "rmdir ${made[*]}"
}
mkpoint /run/containers/storage || skip_all "cannot make /run/containers/storage"
mkpoint /var/lib/containers/storage || skip_all "cannot make /var/lib/containers/storage"
nj_view_bind "$run_root" /run/containers/storage
nj_view_bind "$graph_root" /var/lib/containers/storage
# Docker is not asked, and other runtimes' state is hidden.
export DOCKER_HOST=unix://$tmp/no-docker.sock
mkdir "$tmp/empty"
for d in /run/containerd /var/lib/docker /run/docker /run/runc /run/crun; do
	[ -d "$d" ] && nj_view_bind "$tmp/empty" "$d"
done

nj() { nj_view "$NETJOIN" "$@"; }

# --- helpers -----------------------------------------------------------

hexid() {
	local h letters=abcdef
	h=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	echo "${letters:RANDOM%6:1}${h:1}"
}
uuid() { cat /proc/sys/kernel/random/uuid; }
ino() { stat -L -c %i "$1"; }
start_time() { awk '{print $22}' "/proc/$1/stat"; }

# spawn VAR [NETNS_FILE]: a live `sleep` in that network namespace (the
# host's without one), killed on exit; its PID goes to VAR once it runs.
spawn() {
	local p i
	if [ -n "${2:-}" ]; then
		nsenter --net="$2" sleep 3600 >/dev/null 2>&1 &
	else
		sleep 3600 >/dev/null 2>&1 &
	fi
	p=$!
	on_exit "kill $p"
	for ((i = 0; i < 50; i++)); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] && break
		sleep 0.1
	done
	printf -v "$1" %s "$p"
}

settle() { nj_settle ip -n "$1"; }

br=${nj_id}br
on_exit "ip link del $br"
if ! { ip link add "$br" type bridge && ip link set "$br" up; }; then
	skip_all "cannot create bridge $br"
fi
sub4=10.217.$((RANDOM % 256))
sub6=fd00:6e6b:$(printf '%x' $((RANDOM % 65535 + 1)))

# mk_podnet VAR N: a network namespace pinned as CRI-O pins it, at
# /var/run/netns/<uuid>, with lo and eth0 (a veth whose host end ${nj_id}vN
# is on $br), .N+1 in $sub4/24 and ::N+1 in $sub6::/64; the uuid goes to VAR.
mk_podnet() {
	local ns host=${nj_id}v$2
	ns=$(uuid)
	mk_netns "$ns" || return 1
	ip link add "$host" type veth peer name eth0 netns "$ns" &&
		ip link set "$host" master "$br" up &&
		ip -n "$ns" addr add "$sub4.$(($2 + 1))/24" dev eth0 &&
		ip -n "$ns" addr add "$sub6::$(($2 + 1))/64" dev eth0 &&
		ip -n "$ns" link set eth0 up || return 1
	printf -v "$1" %s "$ns"
}

# spec ID TYPE SANDBOX_ID POD_NS POD UID CNAME NETNS ATTEMPT [SPOOFED]: the
# config.json CRI-O writes for a sandbox (TYPE sandbox, CNAME POD) or a
# container. NETNS is the pinned path, "" for hostNetwork (no network entry).
spec() {
	jq -n --arg id "$1" --arg type "$2" --arg sb "$3" --arg podns "$4" --arg pod "$5" \
		--arg uid "$6" --arg cname "$7" --arg netns "$8" --arg attempt "$9" \
		--arg spoofed "${10:-}" --arg created "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" \
		--arg layer "$(hexid)" --arg nsuuid "$(uuid)" '
	def ud($i): "/run/containers/storage/overlay-containers/\($i)/userdata";
	def sbname: "k8s_\($pod)_\($podns)_\($uid)_\($attempt)";
	{"io.kubernetes.container.name": $cname, "io.kubernetes.pod.name": $pod,
	 "io.kubernetes.pod.namespace": $podns, "io.kubernetes.pod.uid": $uid} as $labels
	| {"kubernetes.io/config.seen": $created, "kubernetes.io/config.source": "api"} as $kube
	| ($labels + $kube + {
		"io.kubernetes.cri-o.Annotations": ($kube | tojson),
		"io.kubernetes.cri-o.ContainerID": $id,
		"io.kubernetes.cri-o.ContainerType": $type,
		"io.kubernetes.cri-o.Created": $created,
		"io.kubernetes.cri-o.Labels": ($labels | tojson),
		"io.kubernetes.cri-o.MountPoint": "/var/lib/containers/storage/overlay/\($layer)/merged",
		"io.kubernetes.cri-o.ResolvPath": (ud($sb) + "/resolv.conf"),
		"io.kubernetes.cri-o.SandboxID": $sb,
		"io.kubernetes.cri-o.SandboxName": sbname,
		"io.kubernetes.cri-o.SeccompProfilePath": "RuntimeDefault"}
	  + if $type == "sandbox" then {
		"io.kubernetes.cri-o.ContainerName": "k8s_POD_\($pod)_\($podns)_\($uid)_\($attempt)",
		"io.kubernetes.cri-o.HostName": $pod,
		"io.kubernetes.cri-o.HostNetwork": ($netns == "" | tostring),
		"io.kubernetes.cri-o.HostnamePath": (ud($id) + "/hostname"),
		"io.kubernetes.cri-o.Image": "registry.k8s.io/pause:3.9",
		"io.kubernetes.cri-o.ImageName": "registry.k8s.io/pause:3.9",
		"io.kubernetes.cri-o.KubeName": $pod,
		"io.kubernetes.cri-o.LogPath": "/var/log/pods/\($podns)_\($pod)_\($uid)/\($id).log",
		"io.kubernetes.cri-o.Metadata": ({name: $pod, uid: $uid, namespace: $podns, attempt: ($attempt | tonumber)} | tojson),
		"io.kubernetes.cri-o.Name": sbname,
		"io.kubernetes.cri-o.Namespace": $podns,
		"io.kubernetes.cri-o.NamespaceOptions": ({pid: 1} | tojson),
		"io.kubernetes.cri-o.PortMappings": "[]",
		"io.kubernetes.cri-o.PrivilegedRuntime": "false",
		"io.kubernetes.cri-o.RuntimeHandler": "",
		"io.kubernetes.cri-o.ShmPath": (ud($id) + "/shm")}
	    + if $spoofed == "" then {} else {"io.kubernetes.cri-o.Spoofed": "true"} end
	  else {
		"io.kubernetes.container.restartCount": "0",
		"io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
		"io.kubernetes.cri-o.Image": "docker.io/library/busybox:latest",
		"io.kubernetes.cri-o.ImageName": "docker.io/library/busybox:latest",
		"io.kubernetes.cri-o.LogPath": "/var/log/pods/\($podns)_\($pod)_\($uid)/\($cname)/\($attempt).log",
		"io.kubernetes.cri-o.Metadata": ({name: $cname, attempt: ($attempt | tonumber)} | tojson),
		"io.kubernetes.cri-o.Name": "k8s_\($cname)_\($pod)_\($podns)_\($uid)_\($attempt)",
		"io.kubernetes.cri-o.Stdin": "false",
		"io.kubernetes.cri-o.StdinOnce": "false",
		"io.kubernetes.cri-o.TTY": "false",
		"io.kubernetes.cri-o.Volumes": "[]"} end) as $ann
	| {ociVersion: "1.0.2-dev",
	   process: {terminal: false, user: {uid: 0, gid: 0},
		args: (if $type == "sandbox" then ["/pause"] else ["/bin/sleep", "3600"] end),
		env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=\($pod)"],
		cwd: "/"},
	   root: {path: "/var/lib/containers/storage/overlay/\($layer)/merged"},
	   hostname: $pod,
	   annotations: $ann,
	   linux: {cgroupsPath: "kubepods-besteffort-pod\($uid | gsub("-"; "_")).slice:crio:\($id)",
		namespaces: ([{type: "pid"}]
			+ (if $netns == "" then [] else [{type: "network", path: $netns}] end)
			+ [{type: "ipc", path: "/var/run/ipcns/\($nsuuid)"},
			   {type: "uts", path: "/var/run/utsns/\($nsuuid)"}, {type: "mount"}])}}'
}

# put ID PID SPEC_ARGS...: a container's files, as CRI-O would have them
# with its process PID ("" for none: a dropped infra container); the
# pidfile only when PID is given, written after the process started.
put() {
	local id=$1 pid=$2 run_ud lib_ud; shift 2
	run_ud=$run_root/overlay-containers/$id/userdata
	lib_ud=$graph_root/overlay-containers/$id/userdata
	mkdir -p "$run_ud" "$lib_ud" || return 1
	spec "$id" "$@" >"$run_ud/config.json" || return 1
	cp "$run_ud/config.json" "$lib_ud/config.json"
	if [ "$1" = sandbox ]; then
		echo "$4" >"$run_ud/hostname"
		echo "nameserver 10.96.0.10" >"$run_ud/resolv.conf"
		mkdir "$run_ud/shm"
	fi
	names+=("$id" "k8s_$([ "$1" = sandbox ] && echo POD || echo "$6")_$4_$3_$5_0")
	[ -n "$pid" ] || return 0
	printf '%s' "$pid" >"$run_ud/pidfile"
	jq -n --arg id "$id" --argjson pid "$pid" --arg start "$(start_time "$pid" 2>/dev/null || echo 1)" \
		--arg bundle "/run/containers/storage/overlay-containers/$id/userdata" \
		--arg now "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" --slurpfile spec "$run_ud/config.json" \
		'{ociVersion: "1.0.2-dev", id: $id, status: "running", pid: $pid, bundle: $bundle,
		  annotations: $spec[0].annotations, created: $now, started: $now,
		  finished: "0001-01-01T00:00:00Z", initPid: $pid, initStartTime: $start,
		  checkpointedTime: "0001-01-01T00:00:00Z"}' >"$lib_ud/state.json"
}
names=() # id name pairs for containers.json

# json_ifaces DESC TARGET NETNS: `netjoin -j TARGET`.interfaces equals
# `ip -n NETNS -j addr` on the fields ipjson_compare.py checks.
json_ifaces() { ip_json_same "$1" nj -j "$2" -- ip -n "$3" -j addr; }
jq_of() { nj -j "$1" 2>/dev/null | jq -r "$2" 2>/dev/null; }
err_grep=(-E) # err_has (lib.sh): extended regular expressions

# --- the node: pods and containers -----------------------------------------

pod1=cart-$nj_id   # infra container and an app container
pod2=batch-$nj_id  # dropped infra container (drop_infra_ctr): no process
pod3=agent-$nj_id  # hostNetwork, in kube-system
pod4=gone-$nj_id   # dropped infra, its pinned netns already removed
uid1=$(uuid) uid2=$(uuid) uid3=$(uuid) uid4=$(uuid)
# Set by mk_podnet and spawn:
ns1='' ns2='' infra1='' proc1='' infra3=''
sb1=$(hexid) app1=$(hexid) sb2=$(hexid) sb3=$(hexid) sb4=$(hexid)
dead=$(hexid) recycled=$(hexid)

mk_podnet ns1 1 || skip_all "cannot make pod 1's network namespace"
mk_podnet ns2 2 || skip_all "cannot make pod 2's network namespace"
settle "$ns1"; settle "$ns2"

spawn infra1 "/run/netns/$ns1"
spawn proc1 "/run/netns/$ns1"
spawn infra3
put "$sb1" "$infra1" sandbox "$sb1" shop "$pod1" "$uid1" POD "/var/run/netns/$ns1" 0 ||
	skip_all "cannot write CRI-O's files"
put "$app1" "$proc1" container "$sb1" shop "$pod1" "$uid1" app "/var/run/netns/$ns1" 0
put "$sb2" "" sandbox "$sb2" shop "$pod2" "$uid2" POD "/var/run/netns/$ns2" 0 spoofed
put "$sb3" "$infra3" sandbox "$sb3" kube-system "$pod3" "$uid3" POD "" 0
put "$sb4" "" sandbox "$sb4" shop "$pod4" "$uid4" POD "/var/run/netns/$(uuid)" 0 spoofed

# An exited container of pod 1 whose pidfile names a PID that is gone.
sh -c 'exit 0' &
dead_pid=$!
wait "$dead_pid"
put "$dead" "$dead_pid" container "$sb1" shop "$pod1" "$uid1" worker "/var/run/netns/$ns1" 0
# A container of pod 1 whose pidfile, written an hour ago, names a PID now
# used by a younger process in a namespace of its own (a recycled PID).
unshare -n sleep 3600 >/dev/null 2>&1 &
victim=$!
on_exit "kill $victim"
for ((i = 0; i < 50; i++)); do [ "$(cat "/proc/$victim/comm" 2>/dev/null)" = sleep ] && break; sleep 0.1; done
put "$recycled" "$victim" container "$sb1" shop "$pod1" "$uid1" old "/var/run/netns/$ns1" 0
touch -d '1 hour ago' "$run_root/overlay-containers/$recycled/userdata/pidfile"
jq '.initStartTime = "1"' "$graph_root/overlay-containers/$recycled/userdata/state.json" >"$tmp/st" &&
	mv "$tmp/st" "$graph_root/overlay-containers/$recycled/userdata/state.json"

# Containers whose config.json is broken: half-written (truncated), not
# JSON at all, JSON of the wrong shape, and missing (mid-creation).
bad_trunc=$(hexid) bad_bytes=$(hexid) bad_shape=$(hexid) bad_none=$(hexid)
for id in "$bad_trunc" "$bad_bytes" "$bad_shape" "$bad_none"; do
	mkdir -p "$run_root/overlay-containers/$id/userdata" "$graph_root/overlay-containers/$id/userdata"
	printf '%s' "$proc1" >"$run_root/overlay-containers/$id/userdata/pidfile"
	names+=("$id" "k8s_broken_$id")
done
head -c 700 "$run_root/overlay-containers/$app1/userdata/config.json" \
	>"$run_root/overlay-containers/$bad_trunc/userdata/config.json"
printf '\0\377{"annotations": \n\001' >"$run_root/overlay-containers/$bad_bytes/userdata/config.json"
jq -n --arg sb "$sb1" '{annotations: ["io.kubernetes.cri-o.ContainerType", "container"],
	linux: {namespaces: "network"}, "io.kubernetes.cri-o.SandboxID": $sb}' \
	>"$run_root/overlay-containers/$bad_shape/userdata/config.json"

# containers/storage's own records of them all (podman's provider reads
# these; CRI-O's containers must stay CRI-O's).
for ((i = 0; i < ${#names[@]}; i += 2)); do
	jq -n --arg id "${names[i]}" --arg name "${names[i + 1]}" --arg layer "$(hexid)" \
		--arg image "$(hexid)" --arg now "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" \
		'{id: $id, names: [$name], image: $image, layer: $layer,
		  metadata: ({"pod-name": $name, "pod-id": "", "image-name": "", "image-id": $image,
			name: $name, "created-at": 0, mountlabel: ""} | tojson),
		  created: $now, flags: {MountLabel: "", ProcessLabel: ""}}'
done | jq -s . >"$graph_root/overlay-containers/containers.json"

ino1=$(ino "/run/netns/$ns1")
ino2=$(ino "/run/netns/$ns2")
ino_host=$(ino /proc/self/ns/net)

# The layout itself, before any netjoin check.
ud1=$run_root/overlay-containers/$app1/userdata
require_eq "app's pidfile names a process in pod 1's netns" "$ino1" "$(ino "/proc/$(cat "$ud1/pidfile")/ns/net")"
require_eq "app's network namespace path" "/var/run/netns/$ns1" \
	"$(jq -r '.linux.namespaces[] | select(.type == "network") | .path' "$ud1/config.json")"
require_eq "app's pod annotations" "container $sb1 $pod1 shop $uid1 app" \
	"$(jq -r '.annotations | [."io.kubernetes.cri-o.ContainerType", ."io.kubernetes.cri-o.SandboxID",
		."io.kubernetes.pod.name", ."io.kubernetes.pod.namespace", ."io.kubernetes.pod.uid",
		."io.kubernetes.container.name"] | join(" ")' "$ud1/config.json")"
require "dropped-infra sandbox has no pidfile" test ! -e "$run_root/overlay-containers/$sb2/userdata/pidfile"
require_eq "the view shows the files at CRI-O's paths" "$(cat "$ud1/pidfile")" \
	"$(nj_view cat "/run/containers/storage/overlay-containers/$app1/userdata/pidfile")"
require "dead PID is gone" test ! -e "/proc/$dead_pid"
require "truncated config.json is not JSON" eval "! jq . '$run_root/overlay-containers/$bad_trunc/userdata/config.json' >/dev/null 2>&1"
require "containers.json is valid" jq -e 'length == 11' "$graph_root/overlay-containers/containers.json"

# --- a pod with its infra container ------------------------------------

t=pod:shop/$pod1
json_ifaces "$t: interfaces as ip -j addr" "$t" "$ns1"
check_eq "$t: .target" \
	"kind=pod runtime=crio id=$sb1 name=$pod1 source=disk netns=net:[$ino1] netns_inode=$ino1" \
	"$(jq_of "$t" '.target | "kind=\(.kind) runtime=\(.runtime) id=\(.id) name=\(.name) source=\(.source) netns=\(.netns) netns_inode=\(.netns_inode)"')"
check_eq "$t: .target.pod" "{\"name\":\"$pod1\",\"namespace\":\"shop\",\"uid\":\"$uid1\"}" \
	"$(jq_of "$t" '.target.pod | {name, namespace, uid} | tojson')"
path=$(jq_of "$t" .target.path)
if [ "$path" = "/var/run/netns/$ns1" ] || [ "$path" = "/run/netns/$ns1" ]; then ok "$t: .target.path is the pinned netns"; else
	not_ok "$t: .target.path is the pinned netns"
	printf '#   expected: /var/run/netns/%s (or /run/netns/%s)\n#   actual:   %s\n' "$ns1" "$ns1" "$path"
fi
check_eq "pod:shop/${pod1%?} (unique prefix): pod 1" "$ino1" "$(jq_of "pod:shop/${pod1%?}" .target.netns_inode)"
check_eq "$t ip -br addr runs the host's ip inside" "$(ip -n "$ns1" -br addr)" "$(nj "$t" ip -br addr)"
check_eq "-b $t mirrors ip -br addr" "$(ip -n "$ns1" -br addr)" "$(nj -b "$t")"
check_exit "-v $t" 0 nj -v "$t"
err_has "-v $t: names CRI-O" '[Cc][Rr][Ii]-?[Oo]'
err_has "-v $t: says on-disk state" 'on-disk state'

for t in "crio:$sb1" "crio:${sb1:0:12}"; do
	json_ifaces "$t (sandbox): interfaces as ip -j addr" "$t" "$ns1"
done
for t in "crio:$app1" "crio:${app1:0:12}" "$app1" "${app1:0:12}"; do
	json_ifaces "$t (app container): interfaces as ip -j addr" "$t" "$ns1"
done
t=crio:$app1
check_eq "$t: .target" "kind=container runtime=crio id=$app1 name=app source=disk netns_inode=$ino1" \
	"$(jq_of "$t" '.target | "kind=\(.kind) runtime=\(.runtime) id=\(.id) name=\(.name) source=\(.source) netns_inode=\(.netns_inode)"')"
check_eq "$t: .target.pod" "{\"name\":\"$pod1\",\"namespace\":\"shop\",\"uid\":\"$uid1\"}" \
	"$(jq_of "$t" '.target.pod | {name, namespace, uid} | tojson')"
check_eq "$t: command sees the pod's netns" "net:[$ino1]" "$(nj "$t" readlink /proc/self/ns/net)"
check_eq "app (bare container name, unique here): pod 1" "$ino1" "$(jq_of app .target.netns_inode)"

# --- a pod without an infra process (drop_infra_ctr) ----------------------

t=pod:shop/$pod2
json_ifaces "$t (no infra process): interfaces as ip -j addr" "$t" "$ns2"
check_eq "$t (no infra process): pinned netns" "kind=pod netns_inode=$ino2 name=$pod2" \
	"$(jq_of "$t" '.target | "kind=\(.kind) netns_inode=\(.netns_inode) name=\(.pod.name)"')"
check_eq "crio:$sb2 (no infra process): pinned netns" "$ino2" "$(jq_of "crio:$sb2" .target.netns_inode)"
check_exit "pod:shop/$pod4 (no infra process, netns removed): exit 6" 6 nj "pod:shop/$pod4"
err_line "pod:shop/$pod4: one netjoin: line"

# --- hostNetwork ---------------------------------------------------------

t=pod:kube-system/$pod3
check_eq "$t (hostNetwork): host's netns" "$ino_host" "$(jq_of "$t" .target.netns_inode)"
note=$(jq_of "$t" '.target.note // ""')
if grep -qi host <<<"$note"; then ok "$t (hostNetwork): .target.note mentions host"; else
	not_ok "$t (hostNetwork): .target.note mentions host"; printf '#   note: %s\n' "$note"
fi

# --- not running ---------------------------------------------------------

check_exit "crio:$dead (pidfile names a dead PID): exit 6" 6 nj "crio:$dead"
err_line "crio:$dead: one netjoin: line"
check_exit "$dead (bare, dead PID): exit 6" 6 nj "$dead"
check_exit "crio:$recycled (PID recycled): exit 6" 6 nj "crio:$recycled" readlink /proc/self/ns/net
check_eq "crio:$recycled (PID recycled): command never ran" "" "$nj_out"
err_line "crio:$recycled: one netjoin: line"
err_has "crio:$recycled: says the PID was reused" 'reused|another process'

# --- broken state does not break the rest --------------------------------

# Not found (3) or unreadable (1), said in one line naming it; never a crash.
for id in "$bad_trunc" "$bad_bytes" "$bad_shape" "$bad_none"; do
	nj_err=$(nj "crio:$id" 2>&1 >/dev/null); rc=$?
	if [ "$rc" = 1 ] || [ "$rc" = 3 ]; then ok "crio:$id (broken config.json): exit 1 or 3"; else
		not_ok "crio:$id (broken config.json): exit 1 or 3"; printf '#   exit %s; stderr: %s\n' "$rc" "$nj_err"
	fi
	err_line "crio:$id: one netjoin: line"
	err_has "crio:$id: names it" "${id:0:12}"
done
check_exit "pod:shop/nonexistent-$nj_id: exit 3" 3 nj "pod:shop/nonexistent-$nj_id"
err_line "pod:shop/nonexistent-$nj_id: one netjoin: line"
check_exit "pod:$pod1 (namespace defaults to default): exit 3" 3 nj "pod:$pod1"
# The same lookups as above, once more with every broken record in place
# and scanned: nothing of theirs leaks into the good answers.
check_eq "after broken records: pod:shop/$pod1" "$ino1" "$(jq_of "pod:shop/$pod1" .target.netns_inode)"
check_eq "after broken records: ${app1:0:12}" "$ino1" "$(jq_of "${app1:0:12}" .target.netns_inode)"
