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
me="docker-up"
# shellcheck source-path=SCRIPTDIR source=daemon.sh
. "$here"/daemon.sh
say() { echo "$me: $*" >&2; }
# A half-started engine is worse than none: take it all down on failure.
fail() { say "$@"; "$here"/docker-down.sh >&2 || true; exit 1; }

if docker_ping "$sock"; then
	echo "DOCKER_HOST=unix://$sock"
	exit 0
fi

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }
"$here"/deps.sh --it >&2

mkdir -p "$run" "$data"
chmod 700 "$run" "$data"
bridge_up "$bridge" "$bip" NJ_DOCKER_BIP

# Paths outside our roots that dockerd hardcodes: remember those that do
# not exist yet, so that docker-down removes them (if empty).
if [ ! -f "$run/docker.created" ]; then
	for d in /run/docker/plugins /run/docker; do
		[ -e "$d" ] || echo "$d"
	done >"$run/docker.created"
fi

"$here"/containerd-up.sh >/dev/null || fail "cannot start the private containerd"
dockerd_start "$run" "$data" "$bridge" "$pool" "$ctrd_sock"
DOCKER_HOST=unix://$sock $docker version --format 'docker-up: engine {{.Server.Version}}' >&2
echo "DOCKER_HOST=unix://$sock"
