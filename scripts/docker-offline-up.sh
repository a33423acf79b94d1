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
me="docker-offline-up"
# shellcheck source-path=SCRIPTDIR source=daemon.sh
. "$here"/daemon.sh
say() { echo "$me: $*" >&2; }
# A half-started engine is worse than none, except when docker-offline-down
# is the caller (it goes on cleaning by itself).
fail() {
	say "$@"
	[ -n "${NJ_OFFLINE_DOWN:-}" ] || "$here"/docker-offline-down.sh >&2 || true
	exit 1
}

if docker_ping "$sock"; then
	echo "DOCKER_HOST=unix://$sock"
	exit 0
fi

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }
"$here"/deps.sh --it >&2

mkdir -p "$run" "$data"
chmod 700 "$run" "$data"
bridge_up "$bridge" "$bip" NJ_OFFLINE_BIP

# Paths outside our roots that shims and dockerd hardcode: remember those
# that do not exist yet, so that docker-offline-down removes them (if empty).
if [ ! -f "$run/created" ]; then
	for d in /run/containerd/s /run/containerd/fifo /run/containerd \
		/run/docker/plugins /run/docker; do
		[ -e "$d" ] || echo "$d"
	done >"$run/created"
fi

# its own containerd, which outlives dockerd: the test stops dockerd alone
containerd_start "$run" "$data"
dockerd_start "$run" "$data" "$bridge" "$pool" "$ctrd_sock" --live-restore
DOCKER_HOST=unix://$sock "$here"/mkimage.sh >&2 || fail "cannot import the test image"
echo "DOCKER_HOST=unix://$sock"
