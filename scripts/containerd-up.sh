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
say() { echo "containerd-up: $*" >&2; }
# A half-started containerd is worse than none: take it down on failure.
fail() { say "$@"; "$here"/containerd-down.sh >&2 || true; exit 1; }

# Reads a pidfile and succeeds when that process is still alive.
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
answers() {
	[ -S "$sock" ] && timeout 5 ctr --address "$sock" version >/dev/null 2>&1
}

if alive "$run/containerd.pid" && answers; then
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

if ! alive "$run/containerd.pid"; then
	rm -f "$sock" "$sock.ttrpc"
	cat >"$run/containerd.toml" <<EOF
version = 2
root = "$data/containerd"
state = "$state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
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
EOF
	setsid containerd --config "$run/containerd.toml" \
		</dev/null >>"$run/containerd.log" 2>&1 &
	echo $! >"$run/containerd.pid"
fi

# containerd answers within a second or two; bound it.
for _ in $(seq 1 40); do
	answers && break
	if ! alive "$run/containerd.pid"; then
		tail -n 20 "$run/containerd.log" >&2
		fail "containerd exited; last lines of its log are above"
	fi
	sleep 0.5
done
if ! answers; then
	tail -n 20 "$run/containerd.log" >&2
	fail "no answer on $sock after 20 s"
fi
echo "CONTAINERD_ADDRESS=$sock"
