#!/usr/bin/env bash
# netjoin against rootful podman containers, found from podman's state on
# disk (podman has no daemon to ask). The containers run on the private
# store of scripts/podman-up.sh; netjoin sees it at podman's default paths
# through nj_view. The oracle for every listing is the host's `ip` run by
# nsenter in the container's netns.
#
# What rootful podman 4.3 (Debian 12, overlay driver, runc, CNI) writes, as
# netjoin reads it (defaults; our store has the same layout under
# /var/lib/netjoin-test/containers and /run/netjoin-test/containers):
#
#   /var/lib/containers/storage/                      graphroot
#     overlay-containers/containers.json              [{"id", "names": [NAME],
#                                                       "image", "layer",
#                                                       "metadata", "created"}]
#                                                     every container, running
#                                                     or not; the directory is
#                                                     <driver>-containers
#     overlay-containers/<id>/userdata/config.json    the OCI spec (also the
#                                                     bundle: conmon -b), written
#                                                     at first start, so a never
#                                                     started container has none.
#                                                     linux.namespaces network:
#                                                       default network (CNI or
#                                                       netavark): {"type":
#                                                       "network", "path":
#                                                       "/run/netns/netns-<uuid>"}
#                                                       --network none: {"type":
#                                                       "network"}, no path
#                                                       --network host: no
#                                                       network entry at all
#                                                       --network container:X:
#                                                       "path": "/proc/<X's pid>/
#                                                       ns/net"
#                                                     annotations: podman's carry
#                                                     "io.container.manager":
#                                                     "libpod", and ALSO
#                                                     io.kubernetes.cri-o.Created
#                                                     and .TTY (so "no
#                                                     io.kubernetes annotation"
#                                                     does not tell podman from
#                                                     CRI-O; io.container.manager
#                                                     does).
#     overlay-containers/<id>/userdata/ctr.log        k8s-file log
#     libpod/bolt_state.db                            podman's own state (bolt):
#                                                     the only record of
#                                                     running/exited
#   /run/containers/storage/                          runroot
#     overlay-containers/<id>/userdata/pidfile        container init's PID
#                                                     (host PID ns), decimal, no
#                                                     newline; LEFT IN PLACE with
#                                                     the stale PID when the
#                                                     container stops
#     overlay-containers/<id>/userdata/conmon.pid     its conmon (the init's
#                                                     parent); also left stale
#     .../userdata/{hostname,hosts,resolv.conf,.containerenv,oci-log}
#                                                     NO config.json here
#                                                     (CRI-O writes one in both)
#   /run/runc/<id>/state.json                         runc's state while the
#                                                     container exists in runc:
#                                                     init_process_pid,
#                                                     init_process_start;
#                                                     removed when it stops
#   /run/crun/<id>/status                             the same with crun (the
#                                                     default runtime when
#                                                     installed; crun 1.8 fails
#                                                     on cgroup v1+v2 hybrid
#                                                     hosts, so we use runc)
#   /run/netns/netns-<uuid>                           the nsfs bind mount,
#                                                     removed when the container
#                                                     stops (config.json keeps
#                                                     naming it)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 49
here=$top/tests/integration
pm=$top/scripts/podman-private.sh
image=localhost/netjoin-test/busybox:latest
graph=/var/lib/netjoin-test/containers
runroot=/run/netjoin-test/containers

need_root
command -v podman >/dev/null 2>&1 || skip_all "podman not installed"
need nsenter
need curl
need jq
need python3
need setpriv
need unshare
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

# nj_view's mkdir -p makes /var/lib/containers and /run/containers too but
# records only .../storage: remove the parents we caused (if empty). This
# runs before lib.sh's own cleanup (on_exit is last in, first out).
for d in /var/lib/containers /run/containers; do
	[ -e "$d" ] || on_exit "rmdir $d/storage $d"
done

# Tear the store down at the end only if this test is the one that set it up;
# otherwise remove only our own containers.
if [ -f /run/netjoin-test/podman/containers.conf ]; then
	on_exit "$pm ps -aq --filter name=^$nj_id- | xargs -r $pm rm -f -i --depend -t 0"
else
	on_exit "$top/scripts/podman-down.sh"
fi
if ! "$top"/scripts/podman-up.sh 2>"$tmp/up.err"; then
	sed 's/^/#   /' "$tmp/up.err"
	skip_all "cannot set up the private podman store"
fi

# netjoin sees our store at podman's default paths, and no Docker.
nj_view_bind "$graph" /var/lib/containers/storage
nj_view_bind "$runroot" /run/containers/storage
nj() { DOCKER_HOST=unix:///nonexistent.sock nj_view "$NETJOIN" "$@"; }

# --- helpers -----------------------------------------------------------

jqe() { jq -e "$@" >/dev/null; }

pid_of() { $pm inspect -f '{{.State.Pid}}' "$1"; }
id_of() { $pm inspect -f '{{.Id}}' "$1"; }
ino_of() { stat -L -c %i "/proc/$1/ns/net"; }

# run NAME ARGS...: a detached container from our image.
run() {
	local name=$1; shift
	$pm run -d --name "$name" "$@" >/dev/null 2>"$tmp/run.err" ||
		{ sed 's/^/#   /' "$tmp/run.err"; return 1; }
}

# IPv6 DAD and link state settle in the first second; compare only after.
settle() { nj_settle nsenter -n -t "$1" ip; }

# json_ifaces DESC TARGET PID: `netjoin -j TARGET`.interfaces equals
# `ip -j addr` in PID's netns, on the fields ipjson_compare.py checks.
json_ifaces() { ip_json_same "$1" nj -j "$2" -- nsenter -n -t "$3" ip -j addr; }

# The .target object of `netjoin -j TARGET`, one "key=value" per field.
target_of() {
	nj -j "$1" 2>/dev/null | jq -r '.target |
		"kind=\(.kind) runtime=\(.runtime) id=\(.id) name=\(.name) pid=\(.pid) netns=\(.netns) netns_inode=\(.netns_inode) source=\(.source)"'
}
target_want() {
	local pid
	pid=$(pid_of "$1")
	echo "kind=container runtime=podman id=$(id_of "$1") name=$1 pid=$pid netns=net:[$(ino_of "$pid")] netns_inode=$(ino_of "$pid") source=disk"
}


err_grep=(-i) # err_has (lib.sh): any case

# --- containers --------------------------------------------------------

web=$nj_id-web       # default network (CNI bridge njpod0), serves /www
none=$nj_id-none     # --network none
hnet=$nj_id-hnet     # --network host (name avoids the word the check greps)
share=$nj_id-share   # --network container:$web
created=$nj_id-new   # created, never started
exited=$nj_id-exited # started, then stopped
exnone=$nj_id-exnone # --network none, started, then stopped
port=18081

run "$web" "$image" httpd -f -p "$port" -h /www || skip_all "cannot run podman containers"
run "$none" --network none "$image" sleep 3600
run "$hnet" --network host "$image" sleep 3600
run "$share" --network "container:$web" "$image" sleep 3600
$pm create --name "$created" "$image" sleep 3600 >/dev/null
run "$exited" "$image" sleep 3600 && $pm stop -t 0 "$exited" >/dev/null
run "$exnone" --network none "$image" sleep 3600 && $pm stop -t 0 "$exnone" >/dev/null

for c in "$web" "$none"; do settle "$(pid_of "$c")"; done
web_id=$(id_of "$web")
web_pid=$(pid_of "$web")
web_ino=$(ino_of "$web_pid")

# --- the layout described above (setup, not netjoin) -----------------

ud=overlay-containers/$web_id/userdata
# shellcheck disable=SC2016 # jq's variables
require "containers.json names $web" \
	jqe --arg id "$web_id" --arg n "$web" \
	'.[] | select(.id == $id) | .names | index($n)' "$graph/overlay-containers/containers.json"
web_ns=$(jq -r '.linux.namespaces[] | select(.type == "network") | .path' "$graph/$ud/config.json")
require "config.json (graphroot) names netns $web_ns" \
	test "${web_ns#/run/netns/netns-}" != "$web_ns" -a "$(stat -L -c %i "$web_ns")" = "$web_ino"
require "no config.json in the runroot" test ! -e "$runroot/$ud/config.json"
require_eq "runroot pidfile is the init's PID" "$web_pid" "$(cat "$runroot/$ud/pidfile")"
require_eq "conmon.pid is the init's parent" "$(cat "$runroot/$ud/conmon.pid")" \
	"$(ps -o ppid= -p "$web_pid" | tr -d ' ')"
require_eq "/run/runc/<id>/state.json has the init's PID" "$web_pid" \
	"$(jq -r .init_process_pid "/run/runc/$web_id/state.json")"
require_eq "config.json says io.container.manager=libpod" libpod \
	"$(jq -r '.annotations["io.container.manager"]' "$graph/$ud/config.json")"
require_eq "--network none has a network entry without a path" '[{"type":"network"}]' \
	"$(jq -c '[.linux.namespaces[] | select(.type == "network")]' \
		"$graph/overlay-containers/$(id_of "$none")/userdata/config.json")"
require_eq "--network host has no network entry" '[]' \
	"$(jq -c '[.linux.namespaces[] | select(.type == "network")]' \
		"$graph/overlay-containers/$(id_of "$hnet")/userdata/config.json")"
require_eq "--network container:web's path is /proc/<web's pid>/ns/net" \
	"/proc/$web_pid/ns/net" \
	"$(jq -r '.linux.namespaces[] | select(.type == "network") | .path' \
		"$graph/overlay-containers/$(id_of "$share")/userdata/config.json")"
ex_id=$(id_of "$exited")
require "a stopped container keeps its pidfile" test -s "$runroot/overlay-containers/$ex_id/userdata/pidfile"
require "a stopped container has no runc state" test ! -e "/run/runc/$ex_id"
require "a never started container has no config.json" \
	test ! -e "$graph/overlay-containers/$(id_of "$created")/userdata/config.json"

# --- listing: every way to name a container ----------------------------

# A bare all-digit prefix would be a PID (1 run in 300): qualify it then.
short=${web_id:0:12}
[[ $short == *[a-f]* ]] || short=podman:$short
for t in "podman:$web" "$web" "$web_id" "$short" "podman:${web_id:0:12}"; do
	json_ifaces "-j $t: interfaces as ip -j addr" "$t" "$web_pid"
	check_eq "-j $t: .target" "$(target_want "$web")" "$(target_of "$t")"
done
check_eq "-j $web: joined the nsfs file podman recorded" "joined=nsfs path=$web_ns" \
	"$(nj -j "$web" 2>/dev/null | jq -r '.target | "joined=\(.joined) path=\(.path)"')"

want=$(nsenter -n -t "$web_pid" ip -br addr)
check_eq "$web ip -br addr runs the host's ip inside" "$want" "$(nj "$web" ip -br addr)"
check_eq "-b $web mirrors ip -br addr" "$want" "$(nj -b "$web")"
check_eq "command sees the container's netns" "net:[$web_ino]" \
	"$(nj "$web" readlink /proc/self/ns/net)"

check_exit "text listing of $web" 0 nj "$web"
head1=$(printf '%s\n' "$nj_out" | head -n 1)
for w in podman "$web" "net:\[$web_ino\]"; do
	if grep -qi -- "$w" <<<"$head1"; then ok "text header names ${w//\\/}"; else
		not_ok "text header names ${w//\\/}"; printf '#   first line: %s\n' "$head1"
	fi
done

check_exit "-v $web" 0 nj -v "$web"
err_has "-v: says podman answered" podman
err_has "-v: says on-disk state" 'on-disk' 'disk'

# --- network modes -----------------------------------------------------

none_pid=$(pid_of "$none")
check_eq "--network none: only lo" "lo" \
	"$(nj -j "$none" | jq -r '[.interfaces[].ifname] | join(",")')"
json_ifaces "--network none: interfaces as ip -j addr" "$none" "$none_pid"
check_eq "--network none: .target" "$(target_want "$none")" "$(target_of "$none")"

host_ino=$(stat -L -c %i /proc/self/ns/net)
check_eq "--network host: host's netns" "net:[$host_ino]" \
	"$(nj -j "$hnet" | jq -r .target.netns)"
json_ifaces "--network host: interfaces as host's ip -j addr" "$hnet" "$$"
check_exit "--network host: .target.note" 0 nj -j "$hnet"
note=$(printf '%s\n' "$nj_out" | jq -r '.target.note // empty' 2>/dev/null)
if grep -qi host <<<"${note//$hnet/}"; then ok "--network host: note mentions host"; else
	not_ok "--network host: note mentions host"; printf '#   note: %s\n' "$note"
fi

check_eq "--network container:web: web's netns" "net:[$web_ino]" \
	"$(nj -j "$share" | jq -r .target.netns)"
check_eq "--network container:web: reaches web's httpd on 127.0.0.1" "netjoin-test" \
	"$(nj "$share" curl -sS --max-time 5 "http://127.0.0.1:$port/" 2>&1)"

# --- not running, not found, ambiguous ---------------------------------

check_exit "never started container: exit 6" 6 nj "$created"
err_line "never started container: one netjoin: line"
check_exit "stopped container: exit 6" 6 nj "podman:$exited"
err_line "stopped container: one netjoin: line"
check_exit "stopped container by ID: exit 6" 6 nj "$ex_id"

# podman leaves a stopped container's pidfile with the old PID; once that
# PID is reused, only the start time (after the pidfile was written), runc's
# missing state or a dead conmon tell it is stale. Simulate the reuse: a
# live process in another netns, started after the pidfile was written,
# whose PID the pidfile names (its mtime kept).
exn_pidfile=$runroot/overlay-containers/$(id_of "$exnone")/userdata/pidfile
mtime=$(stat -c %Y "$exn_pidfile")
while [ "$(date +%s)" -le $((mtime + 2)) ]; do sleep 0.2; done
unshare -n sleep 600 &
decoy=$!
on_exit "kill $decoy"
touch -r "$exn_pidfile" "$tmp/mtime"
printf '%s' "$decoy" >"$exn_pidfile"
touch -r "$tmp/mtime" "$exn_pidfile"
check_exit "stopped, stale pidfile names a live process: exit 6" 6 nj "$exnone"
err_line "stale pidfile: one netjoin: line"

check_exit "unknown name: exit 3" 3 nj "$nj_id-nosuch"
err_line "unknown name: one netjoin: line"
check_exit "unknown podman:name: exit 3" 3 nj "podman:$nj_id-nosuch"
err_line "unknown podman:name: one netjoin: line"

# Without the view: the machine's own (empty or missing) podman store.
check_exit "podman:$web outside the private view: exit 3" 3 \
	env DOCKER_HOST=unix:///nonexistent.sock "$NETJOIN" "podman:$web"

# Ambiguous prefix: containers until two IDs share a first hex letter (a
# letter: a bare number is a PID). Stopped containers are candidates too;
# $share is left out: it shares $web's netns, and matches in one netns
# are one answer.
declare -A by_digit=()
amb=
note_id() {
	local id d
	id=$(id_of "$1"); d=${id:0:1}
	case $d in [a-f]) ;; *) return ;; esac
	if [ -n "${by_digit[$d]:-}" ]; then amb="$d ${by_digit[$d]} $1"; fi
	by_digit[$d]=$1
}
for c in "$web" "$none" "$hnet" "$created" "$exited" "$exnone"; do
	[ -n "$amb" ] || note_id "$c"
done
i=0
while [ -z "$amb" ] && [ "$i" -lt 60 ]; do # 7 letter IDs surely collide
	c=$nj_id-amb$i; i=$((i + 1))
	run "$c" --network none "$image" sleep 3600 || break
	note_id "$c"
done
if [ -n "$amb" ]; then
	read -r d c1 c2 <<<"$amb"
	check_exit "ambiguous prefix podman:$d: exit 4" 4 nj "podman:$d"
	err_line "ambiguous prefix: starts with a netjoin: line" multi
	for c in "$c1" "$c2"; do
		id=$(id_of "$c")
		err_has "ambiguous prefix: lists podman:${id:0:12} ($c)" "podman:${id:0:12}"
	done
	check_exit "ambiguous prefix $d: exit 4" 4 nj "$d"
else
	not_ok "could not make two container IDs share a first letter"
fi

# --- privilege ---------------------------------------------------------

# The store is root-only (0700), and setns needs CAP_SYS_ADMIN.
nj_bin=$NETJOIN
if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$nj_bin"; then
	chmod 755 "$tmp" && cp "$NETJOIN" "$tmp/netjoin" && nj_bin=$tmp/netjoin
fi
nj_nobody() {
	DOCKER_HOST=unix:///nonexistent.sock nj_view \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$nj_bin" "$@"
}
check_exit "non-root: exit 5" 5 nj_nobody "podman:$web"
err_line "non-root: one netjoin: line"
