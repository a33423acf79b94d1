#!/usr/bin/env bash
# Stop the engine of scripts/docker-offline-up.sh and leave nothing behind:
# resume a frozen dockerd, remove its containers (live-restore keeps them
# running when dockerd is gone, so start it again for that when needed),
# stop dockerd and its containerd, and clean what a crash could leave.
# Safe to run when nothing is up.
#   scripts/docker-offline-down.sh          keep images
#   scripts/docker-offline-down.sh --purge  also remove /var/lib/netjoin-test-offline
set -u

run=/run/netjoin-test-offline
data=/var/lib/netjoin-test-offline
sock=$run/docker.sock
ctrd_sock=$run/containerd/containerd.sock
bridge=njoff0
docker=/usr/bin/docker
here=$(cd "$(dirname "$0")" && pwd)
me="docker-offline-down"
# shellcheck source-path=SCRIPTDIR source=daemon.sh
. "$here"/daemon.sh

purge=$(purge_opt "${1:-}") || exit 2

[ -s "$run/docker.pid" ] && kill -CONT "$(cat "$run/docker.pid")" 2>/dev/null

# Containers that outlived a stopped dockerd: start it again to remove them
# the ordinary way (its containerd still runs them).
if [ -d "$run" ] && ! docker_ping "$sock" && [ -n "$(ls -A "$run/docker/runtime-runc/moby" 2>/dev/null)" ]; then
	NJ_OFFLINE_DOWN=1 "$here"/docker-offline-up.sh >/dev/null 2>&1
fi
if docker_ping "$sock"; then
	export DOCKER_HOST=unix://$sock
	ids=$($docker ps -aq)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || timeout 60 $docker rm -f $ids >/dev/null
	timeout 30 $docker network prune -f >/dev/null
fi

stop_pid "$run/docker.pid" 30
stop_pid "$run/containerd.pid" 15

# What still runs: containers (runc's state under our exec root names
# them), then shims of our containerd (matched by its socket, never by
# name), and their sockets in /run/containerd/s, sha256(address/ns/id).
runc_root=$run/docker/runtime-runc/moby
if [ -d "$runc_root" ]; then
	for id in $(runc --root "$runc_root" list -q 2>/dev/null); do
		runc --root "$runc_root" delete -f "$id" >/dev/null 2>&1
	done
fi
for f in /proc/[0-9]*/cmdline; do
	cmd=$({ tr '\0' ' ' <"$f"; } 2>/dev/null) || continue
	case $cmd in *"-address $ctrd_sock "*) ;; *) continue ;; esac
	pid=${f#/proc/}; pid=${pid%/cmdline}
	kill -KILL "$pid" 2>/dev/null
	id=${cmd#* -id }; id=${id%% *}
	ns=${cmd#* -namespace }; ns=${ns%% *}
	h=$(printf '%s' "$ctrd_sock/$ns/$id" | sha256sum); h=${h%% *}
	rm -f "/run/containerd/s/$h"
done

ip link del "$bridge" 2>/dev/null
# the networks a crashed dockerd could not remove, and its network store
netstore_reset "$data"

umount_under "$run"
umount_under "$data"
if [ -f "$run/created" ]; then
	while read -r d; do rmdir "$d" 2>/dev/null; done <"$run/created"
fi
rm -rf "$run"
[ "$purge" = 0 ] || rm -rf "$data"
exit 0
