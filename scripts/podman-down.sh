#!/usr/bin/env bash
# Undo scripts/podman-up.sh: remove every container of the private podman
# store, its bridge, mounts, netns files and runtime state, and the paths
# outside our roots that podman-up saw missing. Safe to run when nothing is
# up, and after a crashed test.
#   scripts/podman-down.sh           keep the image (next podman-up is fast)
#   scripts/podman-down.sh --purge   also remove /var/lib/netjoin-test/containers
set -u

run=/run/netjoin-test
conf=$run/podman
graph=/var/lib/netjoin-test/containers
runroot=$run/containers
bridge=njpod0
here=$(cd "$(dirname "$0")" && pwd)
me="podman-down"
# shellcheck source-path=SCRIPTDIR source=daemon.sh
. "$here"/daemon.sh

purge=$(purge_opt "${1:-}") || exit 2

# Our containers' IDs, from the store itself (podman may be what is broken).
ids=()
if [ -f "$graph/overlay-containers/containers.json" ]; then
	mapfile -t ids < <(jq -r '.[].id' "$graph/overlay-containers/containers.json" 2>/dev/null)
fi

# podman 4.3's rm -a removes in parallel and refuses a container whose
# dependents (--network container:X) are still there: repeat until empty.
if [ -f "$conf/containers.conf" ]; then
	for _ in 1 2 3 4 5; do
		[ -z "$("$here"/podman-private.sh ps -aq 2>/dev/null)" ] && break
		timeout 60 "$here"/podman-private.sh rm -af -t 0 >/dev/null 2>&1
	done
fi

# What podman could not remove: containers (runc's state names them), then
# their conmons (matched by our runroot in their arguments, never by name).
for id in "${ids[@]}"; do
	[ -d "/run/runc/$id" ] && runc --root /run/runc delete -f "$id" >/dev/null 2>&1
done
for f in /proc/[0-9]*/cmdline; do
	cmd=$({ tr '\0' ' ' <"$f"; } 2>/dev/null) || continue
	case $cmd in *conmon*" -p $runroot/"*) ;; *) continue ;; esac
	pid=${f#/proc/}; pid=${pid%/cmdline}
	kill -KILL "$pid" 2>/dev/null || true
done
# Their network namespaces, as their config.json recorded them.
for id in "${ids[@]}"; do
	cfg=$graph/overlay-containers/$id/userdata/config.json
	[ -f "$cfg" ] || continue
	ns=$(jq -r '.linux.namespaces[]? | select(.type == "network") | .path // empty' "$cfg" 2>/dev/null)
	case $ns in /run/netns/netns-* | /var/run/netns/netns-*)
		umount "$ns" 2>/dev/null
		rm -f "$ns" ;;
	esac
done

umount_under "$runroot"
umount_under "$graph"

ip link del "$bridge" 2>/dev/null

# Paths outside our roots: remove those podman-up saw missing, if empty.
# /run/netns is a bind mount of itself once a netns is made in it.
if [ -f "$conf/created" ]; then
	while read -r d; do
		[ "$d" = /run/netns ] && [ -z "$(ls -A "$d" 2>/dev/null)" ] &&
			umount "$d" 2>/dev/null
		rmdir "$d" 2>/dev/null
	done <"$conf/created"
fi
rm -rf "$runroot" "$conf"
rmdir "$run" 2>/dev/null
[ "$purge" = 0 ] || { rm -rf "$graph"; rmdir /var/lib/netjoin-test 2>/dev/null; }
exit 0
