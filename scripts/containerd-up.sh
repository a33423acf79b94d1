#!/usr/bin/env bash
# Start the private containerd of netjoin's integration tests and print
#   CONTAINERD_ADDRESS=/run/netjoin-test/containerd/containerd.sock
# on stdout. Idempotent: when it already answers, only prints. The private
# dockerd of scripts/docker-up.sh runs on it, and t-containerd.sh drives it
# with ctr. Stop it with scripts/containerd-down.sh (docker-down.sh does).
#
# Everything is private so a user's own containerd is never touched: own
# root, state, socket and config, and the CRI plugin disabled (the tests lay
# pods out with ctr, as the CRI plugin would). Two paths stay hardcoded in
# containerd 1.6: its shims' sockets in /run/containerd/s, and ctr's FIFO
# dir /run/containerd/fifo (tests pass --null-io, so none is made). Tasks
# started with `ctr run --runc-root /run/netjoin-test/containerd/runc` keep
# runc's state under the private state dir, at the same relative place
# (runc/<namespace>/<id>) as the default /run/containerd/runc.
set -eu

run=/run/netjoin-test
data=/var/lib/netjoin-test
state=$run/containerd
sock=$state/containerd.sock

here=$(cd "$(dirname "$0")" && pwd)
me="containerd-up"
# shellcheck source-path=SCRIPTDIR source=daemon.sh
. "$here"/daemon.sh
say() { echo "$me: $*" >&2; }
# A half-started containerd is worse than none: take it down on failure.
fail() { say "$@"; "$here"/containerd-down.sh >&2 || true; exit 1; }

if alive "$run/containerd.pid" && ctrd_answers "$sock"; then
	echo "CONTAINERD_ADDRESS=$sock"
	exit 0
fi

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }
"$here"/deps.sh --it >&2

mkdir -p "$run" "$data"
chmod 700 "$run" "$data"

# Paths outside our roots that the shims hardcode: remember those that do
# not exist yet, so that containerd-down removes them (if empty).
if [ ! -f "$run/containerd.created" ]; then
	for d in /run/containerd/s /run/containerd/fifo /run/containerd; do
		[ -e "$d" ] || echo "$d"
	done >"$run/containerd.created"
fi

containerd_start "$run" "$data"
echo "CONTAINERD_ADDRESS=$sock"
