#!/usr/bin/env bash
# Stop the private containerd started by scripts/containerd-up.sh: delete its
# tasks (killing their processes) in every namespace, stop containerd and
# its shims, wait for all to exit and leave nothing behind in /run.
# Safe to run when nothing is up. Refuses while the private dockerd runs
# on it: scripts/docker-down.sh stops both.
#   scripts/containerd-down.sh           keep its content store
#   scripts/containerd-down.sh --purge   also remove /var/lib/netjoin-test/containerd
set -eu

run=/run/netjoin-test
data=/var/lib/netjoin-test
state=$run/containerd
sock=$state/containerd.sock
here=$(cd "$(dirname "$0")" && pwd)
me="containerd-down"
# shellcheck source-path=SCRIPTDIR source=daemon.sh
. "$here"/daemon.sh

purge=$(purge_opt "${1:-}") || exit 2

if alive "$run/docker.pid"; then
	echo "containerd-down: the private dockerd still runs on it; use scripts/docker-down.sh" >&2
	exit 1
fi

# Deleting the tasks through containerd stops their processes and shims
# cleanly. Containers of the "moby" namespace belong to dockerd's store and
# are left to it; those of other namespaces (ctr-made) go with their
# namespace.
ctr_() { timeout 20 ctr --address "$sock" "$@"; }
if [ -S "$sock" ] && ctr_ version >/dev/null 2>&1; then
	for ns in $(ctr_ namespaces ls -q); do
		for id in $(ctr_ -n "$ns" tasks ls -q); do
			ctr_ -n "$ns" tasks delete -f "$id" >/dev/null 2>&1 || true
		done
		[ "$ns" = moby ] && continue
		for id in $(ctr_ -n "$ns" containers ls -q); do
			ctr_ -n "$ns" containers delete "$id" >/dev/null 2>&1 || true
		done
		ctr_ namespaces rm "$ns" >/dev/null 2>&1 || true
	done
fi

stop_pid "$run/containerd.pid" 15

# What a dead containerd could not delete (ctr-made tasks keep their runc
# state under $state/runc, as --runc-root says): see containerd_reap.
containerd_reap "$sock" "$state" "$data"
# "created" is the list of an older docker-up.sh, which started containerd.
for f in "$run/containerd.created" "$run/created"; do
	[ -f "$f" ] || continue
	while read -r d; do
		case $d in /run/containerd | /run/containerd/*) rmdir "$d" 2>/dev/null || true ;; esac
	done <"$f"
done
rm -rf "$state"
rm -f "$run"/containerd.toml "$run"/containerd.log "$run"/containerd.created
rmdir "$run" 2>/dev/null || true
if [ "$purge" = 1 ]; then
	rm -rf "$data/containerd"
	rmdir "$data" 2>/dev/null || true
fi
