#!/usr/bin/env bash
# Stop the private Docker engine started by scripts/docker-up.sh: remove its
# containers and networks, stop dockerd and its containerd (containerd-down.sh),
# wait for both to exit and leave nothing behind in /run. Safe to run when
# nothing is up.
#   scripts/docker-down.sh           keep images (next docker-up is fast)
#   scripts/docker-down.sh --purge   also remove /var/lib/netjoin-test
set -eu

run=/run/netjoin-test
data=/var/lib/netjoin-test
sock=$run/docker.sock
bridge=njtest0
docker=/usr/bin/docker
here=$(cd "$(dirname "$0")" && pwd)
me="docker-down"
# shellcheck source-path=SCRIPTDIR source=daemon.sh
. "$here"/daemon.sh

purge=$(purge_opt "${1:-}") || exit 2

# Removing containers and networks first stops their shims and removes the
# veths and br-* bridges, which would outlive the daemon otherwise.
if [ -S "$sock" ] && curl -fsS --max-time 2 --unix-socket "$sock" \
	http://docker/_ping >/dev/null 2>&1; then
	export DOCKER_HOST=unix://$sock
	ids=$($docker ps -aq)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || $docker rm -f $ids >/dev/null
	$docker network prune -f >/dev/null
fi

stop_pid "$run/docker.pid" 30

# Containers a crashed dockerd left running (killing their shim would not
# stop them): our engine's runc state directory names exactly those.
runc_root=$run/docker/runtime-runc/moby
if [ -d "$runc_root" ]; then
	for id in $(runc --root "$runc_root" list -q 2>/dev/null); do
		runc --root "$runc_root" delete -f "$id" >/dev/null 2>&1 || true
	done
fi
# Then containerd, its shims and their sockets in /run/containerd/s.
"$here"/containerd-down.sh || echo "docker-down: containerd-down.sh failed, going on" >&2

ip link del "$bridge" 2>/dev/null || true
# the networks a crashed dockerd could not remove, and its network store
netstore_reset "$data"

umount_under "$run"
umount_under "$data"
# "created" is the list of an older docker-up.sh, with containerd's paths
# (containerd-down has removed those).
for f in "$run/docker.created" "$run/created"; do
	[ -f "$f" ] || continue
	while read -r d; do rmdir "$d" 2>/dev/null || true; done <"$f"
done
rm -rf "$run"
[ "$purge" = 0 ] || rm -rf "$data"
