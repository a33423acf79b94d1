#!/usr/bin/env bash
# Start a private Docker engine for netjoin's integration tests and print
#   DOCKER_HOST=unix:///run/netjoin-test/docker.sock
# on stdout. Idempotent: when that engine already answers, only prints.
# Stop it with scripts/docker-down.sh.
#
# Everything is private so a user's own Docker is never touched:
#  - its own containerd (own root/state/socket), from containerd-up.sh.
#    dockerd 20.10 would reuse a system containerd at
#    /run/containerd/containerd.sock when one runs, and both engines would
#    then share the "moby" containerd namespace.
#  - its own data root, exec root, trust key, pidfile, socket and daemon.json
#    (a user's /etc/docker/daemon.json may set options that clash with ours).
#  - its own default bridge, njtest0, on its own subnet: sharing docker0 with
#    another dockerd makes both hand out the same container addresses.
#  - no iptables, no ip_forward change: tests need no NAT or forwarding.
set -eu

run=/run/netjoin-test
data=/var/lib/netjoin-test
sock=$run/docker.sock
ctrd_sock=$run/containerd/containerd.sock
bridge=njtest0
bip=${NJ_DOCKER_BIP:-10.213.213.1/24}
pool=${NJ_DOCKER_POOL:-10.214.0.0/16}
docker=/usr/bin/docker # /usr/local/bin/docker may be a newer, other CLI

here=$(cd "$(dirname "$0")" && pwd)
say() { echo "docker-up: $*" >&2; }
# A half-started engine is worse than none: take it all down on failure.
fail() { say "$@"; "$here"/docker-down.sh >&2 || true; exit 1; }

ping_ok() {
	[ -S "$sock" ] && curl -fsS --max-time 2 --unix-socket "$sock" \
		http://docker/_ping 2>/dev/null | grep -qx OK
}

# Reads a pidfile and succeeds when that process is still alive.
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if ping_ok; then
	echo "DOCKER_HOST=unix://$sock"
	exit 0
fi

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }
"$here"/deps.sh --it >&2

mkdir -p "$run" "$data"
chmod 700 "$run" "$data"

if ! ip link show "$bridge" >/dev/null 2>&1; then
	# Refuse a subnet that the host already routes somewhere.
	net=${bip%/*}
	if ip -4 route show match "$net" | grep -qv '^default'; then
		say "$bip overlaps a host route; set NJ_DOCKER_BIP to a free /24"
		exit 1
	fi
	# dockerd creates only docker0 by itself: a bridge named by -b must exist,
	# and takes its subnet from the bridge's address (-b excludes --bip).
	ip link add "$bridge" type bridge
	ip addr add "$bip" dev "$bridge"
	ip link set "$bridge" up
fi

# Paths outside our roots that dockerd hardcodes: remember those that do
# not exist yet, so that docker-down removes them (if empty).
if [ ! -f "$run/docker.created" ]; then
	for d in /run/docker/plugins /run/docker; do
		[ -e "$d" ] || echo "$d"
	done >"$run/docker.created"
fi

"$here"/containerd-up.sh >/dev/null || fail "cannot start the private containerd"

if ! alive "$run/docker.pid"; then
	rm -f "$run/docker.pid" "$sock"
	# deprecated-key-path has no flag in 20.10, only this config key; without
	# it dockerd writes its trust key to /etc/docker/key.json.
	echo "{\"deprecated-key-path\": \"$data/docker/key.json\"}" >"$run/daemon.json"
	# --ip6tables is experimental in 20.10 but accepted; false is its default.
	setsid /usr/sbin/dockerd \
		--config-file "$run/daemon.json" \
		--data-root "$data/docker" \
		--exec-root "$run/docker" \
		--pidfile "$run/docker.pid" \
		-H "unix://$sock" \
		--containerd "$ctrd_sock" \
		--storage-driver vfs \
		--iptables=false --ip6tables=false --ip-forward=false \
		--userland-proxy=false \
		--bridge "$bridge" \
		--default-address-pool "base=$pool,size=24" \
		</dev/null >>"$run/dockerd.log" 2>&1 &
	dpid=$!
fi

# dockerd needs a few seconds (containerd, network controller); bound it.
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
# The socket is the engine's root access: keep it root-only.
chmod 600 "$sock"
DOCKER_HOST=unix://$sock $docker version --format 'docker-up: engine {{.Server.Version}}' >&2
echo "DOCKER_HOST=unix://$sock"
