# Sourced by scripts/*-up.sh and *-down.sh: starting, checking and
# stopping the private daemons of the integration tests (containerd,
# dockerd), one copy of each step for every engine. The caller sets `me`
# (its name, for messages) and, for the start functions, defines `fail`.
# shellcheck shell=bash

# alive PIDFILE: that process still runs.
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# running PID: a daemon whose parent (init) has not reaped it yet is a
# zombie, which kill -0 still finds: count it as gone.
running() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${st#Z}" = "$st" ]
}

# stop_pid PIDFILE SECONDS: CONT (it may be frozen), TERM, wait, then KILL;
# returns once it is gone.
stop_pid() {
	local pid i
	[ -s "$1" ] || return 0
	pid=$(cat "$1")
	kill -CONT "$pid" 2>/dev/null || true
	if kill -TERM "$pid" 2>/dev/null; then
		for ((i = 0; i < $2 * 10; i++)); do
			running "$pid" || break
			sleep 0.1
		done
		if running "$pid"; then
			# shellcheck disable=SC2154 # me: the caller's name
			echo "$me: pid $pid ignored TERM, killing" >&2
			kill -KILL "$pid" 2>/dev/null || true
			while running "$pid"; do sleep 0.1; done
		fi
	fi
	rm -f "$1"
}

# docker_ping SOCK: a Docker engine answers there.
docker_ping() {
	[ -S "$1" ] && curl -fsS --max-time 2 --unix-socket "$1" \
		http://docker/_ping 2>/dev/null | grep -qx OK
}

# ctrd_answers SOCK: a containerd answers there.
ctrd_answers() {
	[ -S "$1" ] && timeout 5 ctr --address "$1" version >/dev/null 2>&1
}

# bridge_up NAME CIDR ENVVAR: the bridge a dockerd is given with -b (dockerd
# makes only docker0 itself, and takes the subnet from the bridge's
# address), unless it exists; a subnet the host already routes elsewhere
# is refused, naming ENVVAR to choose another.
bridge_up() {
	ip link show "$1" >/dev/null 2>&1 && return 0
	if ip -4 route show match "${2%/*}" | grep -qv '^default'; then
		echo "$me: $2 overlaps a host route; set $3 to a free /24" >&2
		exit 1
	fi
	ip link add "$1" type bridge
	ip addr add "$2" dev "$1"
	ip link set "$1" up
}

# containerd_start RUN DATA [CRI_TOML]: a private containerd unless
# RUN/containerd.pid runs: root DATA/containerd, state RUN/containerd,
# socket RUN/containerd/containerd.sock; the CRI plugin disabled, or, given
# CRI_TOML (its configuration), enabled; waits until it answers (20 s at
# most).
containerd_start() {
	local run=$1 data=$2 cri=${3:-} sock=$1/containerd/containerd.sock
	[ -n "$cri" ] || cri='disabled_plugins = ["io.containerd.grpc.v1.cri"]'
	if ! alive "$run/containerd.pid"; then
		rm -f "$sock" "$sock.ttrpc"
		cat >"$run/containerd.toml" <<TOML
version = 2
root = "$data/containerd"
state = "$run/containerd"
$cri
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$data/containerd/opt"
TOML
		setsid containerd --config "$run/containerd.toml" \
			</dev/null >>"$run/containerd.log" 2>&1 &
		echo $! >"$run/containerd.pid"
	fi
	for _ in $(seq 1 40); do
		ctrd_answers "$sock" && return 0
		if ! alive "$run/containerd.pid"; then
			tail -n 20 "$run/containerd.log" >&2
			fail "containerd exited; last lines of its log are above"
		fi
		sleep 0.5
	done
	tail -n 20 "$run/containerd.log" >&2
	fail "no answer on $sock after 20 s"
}

# umount_under DIR: every mount at or below DIR, deepest first.
umount_under() {
	awk -v p="$1" '$2 == p || index($2, p "/") == 1 {print $2}' /proc/mounts |
		sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# containerd_reap SOCK STATE DATA: once the containerd of socket SOCK,
# state STATE and root DATA/containerd is stopped, what it could not
# delete: the containers of runc roots under STATE/runc, its shims
# (matched by its socket, never by name alone) and the sockets they leave
# in /run/containerd/s, named sha256(address/namespace/id), and the mounts
# under STATE and DATA/containerd (task rootfs, sandbox shm), deepest first.
containerd_reap() {
	local sock=$1 state=$2 data=$3 root id f cmd pid ns h
	for root in "$state"/runc/*/; do
		[ -d "$root" ] || continue
		for id in $(runc --root "$root" list -q 2>/dev/null); do
			runc --root "$root" delete -f "$id" >/dev/null 2>&1 || true
		done
	done
	for f in /proc/[0-9]*/cmdline; do
		cmd=$({ tr '\0' ' ' <"$f"; } 2>/dev/null) || continue
		case $cmd in *"-address $sock "*) ;; *) continue ;; esac
		pid=${f#/proc/}; pid=${pid%/cmdline}
		kill -KILL "$pid" 2>/dev/null || true
		id=${cmd#* -id }; id=${id%% *}
		ns=${cmd#* -namespace }; ns=${ns%% *}
		h=$(printf '%s' "$sock/$ns/$id" | sha256sum); h=${h%% *}
		rm -f "/run/containerd/s/$h"
	done
	umount_under "$state"
	umount_under "$data/containerd"
}

# netstore_reset DATA: forget the networks of the engine whose data root is
# DATA/docker, removing first the br-<id> bridges of those a crashed dockerd
# left behind (the IDs are in its bolt file; stale keys there are harmless).
# The store must not outlive a stop: a dockerd that starts over a store
# recording its default "bridge" network, with --default-address-pool set
# and without --live-restore, deletes that network and then the host's
# interface named docker0, whatever --bridge names.
netstore_reset() {
	local kv=$1/docker/network/files/local-kv.db key id
	[ -f "$kv" ] || return 0
	grep -aoE 'network/v1\.0/network/[0-9a-f]{64}' "$kv" | sort -u |
		while read -r key; do
			id=${key##*/}
			ip link del "br-${id:0:12}" 2>/dev/null || true
		done
	rm -f "$kv"
}

# dockerd_start RUN DATA BRIDGE POOL CTRD_SOCK [DOCKERD_ARG...]: a private
# dockerd unless RUN/docker.pid runs (own data and exec roots, pidfile,
# socket RUN/docker.sock, daemon.json; no iptables or ip_forward change),
# then wait until it answers (30 s at most) and keep its socket root-only.
dockerd_start() {
	local run=$1 data=$2 bridge=$3 pool=$4 ctrd=$5 sock=$1/docker.sock dpid=
	shift 5
	if ! alive "$run/docker.pid"; then
		rm -f "$run/docker.pid" "$sock"
		# Containers that outlived dockerd (--live-restore) are in the
		# store; without them it is only stale, and dangerous (above).
		[ -n "$(ls -A "$run/docker/runtime-runc/moby" 2>/dev/null)" ] ||
			netstore_reset "$data"
		# deprecated-key-path has no flag in 20.10, only this config key;
		# without it dockerd writes its trust key to /etc/docker/key.json.
		echo "{\"deprecated-key-path\": \"$data/docker/key.json\"}" >"$run/daemon.json"
		# --ip6tables is experimental in 20.10 but accepted; false is its
		# default.
		setsid /usr/sbin/dockerd \
			--config-file "$run/daemon.json" \
			--data-root "$data/docker" \
			--exec-root "$run/docker" \
			--pidfile "$run/docker.pid" \
			-H "unix://$sock" \
			--containerd "$ctrd" \
			--storage-driver vfs \
			--iptables=false --ip6tables=false --ip-forward=false \
			--userland-proxy=false \
			--bridge "$bridge" \
			--default-address-pool "base=$pool,size=24" \
			"$@" </dev/null >>"$run/dockerd.log" 2>&1 &
		dpid=$!
	fi
	# dockerd needs a few seconds (containerd, network controller)
	for _ in $(seq 1 60); do
		docker_ping "$sock" && break
		if [ -n "$dpid" ] && ! kill -0 "$dpid" 2>/dev/null; then
			tail -n 20 "$run/dockerd.log" >&2
			fail "dockerd exited; last lines of its log are above"
		fi
		sleep 0.5
	done
	if ! docker_ping "$sock"; then
		tail -n 20 "$run/dockerd.log" >&2
		fail "no answer on $sock after 30 s"
	fi
	# The socket is the engine's root access: keep it root-only.
	chmod 600 "$sock"
}

# purge_opt ARG: a down script's one option: prints 1 for --purge, 0 for
# none; anything else is a usage error ($me names the script).
purge_opt() {
	case $1 in
	--purge) echo 1 ;;
	"") echo 0 ;;
	*) echo "$me: unknown option $1 (only --purge)" >&2; return 2 ;;
	esac
}
