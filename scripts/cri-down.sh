#!/usr/bin/env bash
# Stop the private CRI containerd of scripts/cri-up.sh and leave nothing of
# it behind: its pods are removed through the CRI (RemovePodSandbox: CNI
# DEL, the pinned namespace unmounted and deleted), then whatever a dead
# engine could not remove: its tasks, shims, mounts, the pins it recorded
# for its own sandboxes (never another's), libcni cache entries of its
# network, its bridge. Safe to run when nothing is up.
#   scripts/cri-down.sh           keep its content store (the image)
#   scripts/cri-down.sh --purge   also remove /var/lib/netjoin-test-cri
set -eu

run=/run/netjoin-test-cri
data=/var/lib/netjoin-test-cri
state=$run/containerd
sock=$state/containerd.sock
here=$(cd "$(dirname "$0")" && pwd)
cri=$here/../tests/integration/cri/cri.py
me="cri-down"
# shellcheck source-path=SCRIPTDIR source=daemon.sh
. "$here"/daemon.sh

purge=$(purge_opt "${1:-}") || exit 2

ctr_() { timeout 20 ctr --address "$sock" -n k8s.io "$@"; }
# "ID PIN" of each of our sandboxes, in case the CRI cannot remove them:
# from the CRI's sandbox metadata in containerd while it answers, and from
# the specs of the sandbox tasks' bundles in our state dir.
pins=$run/pins
: >>"$pins" 2>/dev/null || pins=/dev/null
for f in "$state"/io.containerd.runtime.v2.task/k8s.io/*/config.json; do
	[ -f "$f" ] || continue
	id=${f%/config.json}; id=${id##*/}
	jq -r --arg id "$id" '.linux.namespaces[]? | select(.type == "network") |
		.path // empty | "\($id) \(.)"' "$f" 2>/dev/null >>"$pins" || true
done
if [ -S "$sock" ] && ctrd_answers "$sock"; then
	for id in $(ctr_ containers ls -q 'labels."io.cri-containerd.kind"==sandbox' 2>/dev/null); do
		ctr_ containers info "$id" 2>/dev/null | jq -r --arg id "$id" \
			'.Extensions["io.cri-containerd.sandbox.metadata"].value | @base64d | fromjson |
			 .Metadata.NetNSPath // empty | "\($id) \(.)"' >>"$pins" 2>/dev/null || true
	done
	if /usr/bin/python3 -c 'import grpc, grpc_tools' 2>/dev/null; then
		for id in $(/usr/bin/python3 "$cri" "$sock" pods 2>/dev/null | cut -d' ' -f1); do
			/usr/bin/python3 "$cri" "$sock" stopp "$id" >&2 || true
			/usr/bin/python3 "$cri" "$sock" rmp "$id" >&2 || true
		done
	fi
	for id in $(ctr_ tasks ls -q); do
		ctr_ tasks delete -f "$id" >/dev/null 2>&1 || true
	done
fi

stop_pid "$run/containerd.pid" 15

containerd_reap "$sock" "$state" "$data"

# What the CRI did not get to remove, only for the sandboxes recorded above:
# their pins, and libcni's cache entries (CNI DEL removes them).
if [ -f "$pins" ]; then
	sort -u "$pins" | while read -r id p; do
		rm -f "/var/lib/cni/results/netjoin-cri-$id-eth0" "/var/lib/cni/results/cni-loopback-$id-lo"
		case $p in /var/run/netns/cni-*) ;; *) continue ;; esac
		[ -e "$p" ] || continue
		umount "$p" 2>/dev/null || true
		rm -f "$p"
	done
fi
if [ -f "$run/bridge.ours" ]; then
	ip link del njcri0 2>/dev/null || true
fi
if [ -f "$run/created" ]; then
	while read -r d; do
		case $d in /run/containerd* | /var/lib/cni*) rmdir "$d" 2>/dev/null || true ;; esac
	done <"$run/created"
fi
rm -rf "$state" "$data/ipam"
rm -rf "$run"
[ "$purge" = 0 ] || rm -rf "$data"
