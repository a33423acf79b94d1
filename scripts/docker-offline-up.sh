#!/usr/bin/env bash
# Start the private Docker engine of t-docker-offline.sh and print
#   DOCKER_HOST=unix:///run/netjoin-test-offline/docker.sock
# on stdout. Idempotent: starts only what is not running (the test stops
# and restarts dockerd alone). Stop all with scripts/docker-offline-down.sh.
#
# A second engine, apart from docker-up.sh's, because this one runs with
# --live-restore (its containers outlive dockerd, which the test stops and
# freezes) and because docker-down.sh must not take it down mid-test:
#  - its own containerd, root, state and socket; dockerd only connects to
#    it, so stopping dockerd leaves containerd and the shims running.
#  - its own data root, exec root, pidfile, socket, daemon.json, bridge
#    njoff0 on its own subnet; no iptables, no ip_forward change.
# Everything lives under /run/netjoin-test-offline and
# /var/lib/netjoin-test-offline, not under /run/netjoin-test, which
# docker-down.sh removes whole.
set -eu

run=/run/netjoin-test-offline
data=/var/lib/netjoin-test-offline
sock=$run/docker.sock
ctrd_sock=$run/containerd/containerd.sock
bridge=njoff0
bip=${NJ_OFFLINE_BIP:-10.217.217.1/24}
pool=${NJ_OFFLINE_POOL:-10.218.0.0/16}

here=$(cd "$(dirname "$0")" && pwd)
say() { echo "docker-offline-up: $*" >&2; }
# A half-started engine is worse than none, except when docker-offline-down
# is the caller (it goes on cleaning by itself).
fail() {
	say "$@"
	[ -n "${NJ_OFFLINE_DOWN:-}" ] || "$here"/docker-offline-down.sh >&2 || true
	exit 1
}

ping_ok() {
	[ -S "$sock" ] && curl -fsS --max-time 2 --unix-socket "$sock" \
		http://docker/_ping 2>/dev/null | grep -qx OK
}
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
ctrd_ok() {
	[ -S "$ctrd_sock" ] && timeout 5 ctr --address "$ctrd_sock" version >/dev/null 2>&1
}

if ping_ok; then
	echo "DOCKER_HOST=unix://$sock"
	exit 0
fi

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }
"$here"/deps.sh --it >&2

mkdir -p "$run" "$data"
chmod 700 "$run" "$data"

if ! ip link show "$bridge" >/dev/null 2>&1; then
	if ip -4 route show match "${bip%/*}" | grep -qv '^default'; then
		say "$bip overlaps a host route; set NJ_OFFLINE_BIP to a free /24"
		exit 1
	fi
	ip link add "$bridge" type bridge
	ip addr add "$bip" dev "$bridge"
	ip link set "$bridge" up
fi

# Paths outside our roots that shims and dockerd hardcode: remember those
# that do not exist yet, so that docker-offline-down removes them (if empty).
if [ ! -f "$run/created" ]; then
	for d in /run/containerd/s /run/containerd/fifo /run/containerd \
		/run/docker/plugins /run/docker; do
		[ -e "$d" ] || echo "$d"
	done >"$run/created"
fi

if ! alive "$run/containerd.pid"; then
	rm -f "$ctrd_sock" "$ctrd_sock.ttrpc"
	cat >"$run/containerd.toml" <<EOF
version = 2
root = "$data/containerd"
state = "$run/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ctrd_sock"
[ttrpc]
  address = "$ctrd_sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$data/containerd/opt"
EOF
	setsid containerd --config "$run/containerd.toml" \
		</dev/null >>"$run/containerd.log" 2>&1 &
	echo $! >"$run/containerd.pid"
	for _ in $(seq 1 40); do ctrd_ok && break; sleep 0.25; done
	ctrd_ok || { tail -n 20 "$run/containerd.log" >&2; fail "containerd does not answer"; }
fi

if ! alive "$run/docker.pid"; then
	rm -f "$run/docker.pid" "$sock"
	echo "{\"deprecated-key-path\": \"$data/docker/key.json\"}" >"$run/daemon.json"
	setsid /usr/sbin/dockerd \
		--config-file "$run/daemon.json" \
		--data-root "$data/docker" \
		--exec-root "$run/docker" \
		--pidfile "$run/docker.pid" \
		-H "unix://$sock" \
		--containerd "$ctrd_sock" \
		--live-restore \
		--storage-driver vfs \
		--iptables=false --ip6tables=false --ip-forward=false \
		--userland-proxy=false \
		--bridge "$bridge" \
		--default-address-pool "base=$pool,size=24" \
		</dev/null >>"$run/dockerd.log" 2>&1 &
	dpid=$!
fi

for _ in $(seq 1 60); do
	ping_ok && break
	if [ -n "${dpid:-}" ] && ! kill -0 "$dpid" 2>/dev/null; then
		tail -n 20 "$run/dockerd.log" >&2
		fail "dockerd exited; last lines of its log are above"
	fi
	sleep 0.5
done
if ! ping_ok; then
	tail -n 20 "$run/dockerd.log" >&2
	fail "no answer on $sock after 30 s"
fi
chmod 600 "$sock"
DOCKER_HOST=unix://$sock "$here"/mkimage.sh >&2 || fail "cannot import the test image"
echo "DOCKER_HOST=unix://$sock"
