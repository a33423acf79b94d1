#!/usr/bin/env bash
# What a test run must leave as it found it, one sorted line per object:
# the host network namespace's links, addresses and routes (every table),
# the entries of /run/netns, and the containers and networks of the
# machine's own Docker (default socket), containerd (default socket) and
# rootful podman (default storage), each only when it was in use at the
# first snapshot.
#   scripts/hoststate.sh snapshot [BEFORE] > FILE
#       BEFORE: an earlier snapshot; its engines are the ones asked again,
#       so an engine that stopped answering shows as a change.
#   scripts/hoststate.sh diff BEFORE AFTER
#       prints what changed ("-" gone, "+" new); exit 1 if anything did.
# NJ_HOSTSTATE_ENGINES=0 leaves the engines out: for a snapshot taken in
# namespaces of a test's own, where the machine's /run is not the real one
# (podman, finding no /run/libpod there, would "refresh" its store: reset
# every real container of it to "created").
# Only fields that a run cannot change by itself are left out: counters,
# link and neighbour states, lifetimes, MAC addresses of bridges (they
# follow their ports), IPv6 privacy addresses (they rotate).
set -u

docker_sock=/var/run/docker.sock
ctrd_sock=/run/containerd/containerd.sock
podman_db=/var/lib/containers/storage/libpod/bolt_state.db

links() {
	ip -d -j link show | jq -r '.[] | "link \(.ifindex) \(.ifname)" +
		" type=\(.linkinfo.info_kind // .link_type)" +
		" master=\(.master // "-") link=\(.link // .link_index // "-")"'
}

addrs() {
	ip -j addr show | jq -r '.[] | .ifname as $d | .addr_info[] |
		select((.temporary // false) | not) |
		"addr \($d) \(.family) \(.local)/\(.prefixlen) peer=\(.address // "-")" +
		" scope=\(.scope) label=\(.label // "-")"'
}

routes() {
	local fam
	for fam in -4 -6; do
		ip "$fam" -d -j route show table all | jq -r --arg f "$fam" '.[] |
			"route\($f) table=\(.table // "main") \(.type // "unicast") \(.dst)" +
			" via=\(.gateway // "-") dev=\(.dev // "-") proto=\(.protocol // "-")" +
			" scope=\(.scope // "-") metric=\(.metric // "-") src=\(.prefsrc // "-")" +
			" nexthops=\([.nexthops[]? | "\(.gateway // "-")@\(.dev // "-")"] | join(","))"'
	done
}

netns() {
	local n
	[ -d /run/netns ] || return 0
	for n in /run/netns/*; do
		[ -e "$n" ] && echo "netns ${n##*/}"
	done
}

docker_up() {
	[ -S "$docker_sock" ] && curl -fsS --max-time 5 --unix-socket "$docker_sock" \
		http://docker/_ping 2>/dev/null | grep -qx OK
}
docker_state() {
	local api="curl -fsS --max-time 10 --unix-socket $docker_sock http://docker"
	$api/containers/json?all=1 | jq -r '.[] |
		"docker container \(.Id) \(.Names | join(",")) \(.State)"' ||
		echo "docker: no answer"
	$api/networks | jq -r '.[] | "docker network \(.Id) \(.Name) \(.Driver)"' ||
		echo "docker: no answer"
}

ctrd_up() {
	[ -S "$ctrd_sock" ] && timeout 5 ctr -a "$ctrd_sock" version >/dev/null 2>&1
}
ctrd_state() {
	local ns
	for ns in $(timeout 10 ctr -a "$ctrd_sock" namespaces ls -q) ""; do
		[ -n "$ns" ] || continue
		echo "containerd namespace $ns"
		timeout 10 ctr -a "$ctrd_sock" -n "$ns" containers ls -q |
			sed "s/^/containerd container $ns /"
		# TASK PID STATUS
		timeout 10 ctr -a "$ctrd_sock" -n "$ns" tasks ls | tail -n +2 |
			awk -v ns="$ns" '{print "containerd task", ns, $1, $2, $3}'
	done
	timeout 5 ctr -a "$ctrd_sock" version >/dev/null 2>&1 || echo "containerd: no answer"
}

# podman has no daemon: "in use" is a rootful default store that exists
# (asking podman when it does not would create one).
podman_up() { command -v podman >/dev/null && [ -f "$podman_db" ]; }
podman_state() {
	timeout 30 podman ps -a --format '{{.ID}} {{.Names}} {{.State}}' |
		sed 's/^/podman container /' || echo "podman: no answer"
	timeout 30 podman network ls --format '{{.ID}} {{.Name}} {{.Driver}}' |
		sed 's/^/podman network /' || echo "podman: no answer"
}

snapshot() {
	local engines e
	if [ -n "${1:-}" ]; then
		engines=$(sed -n 's/^engines://p' "$1")
	else
		engines=
		[ "${NJ_HOSTSTATE_ENGINES:-1}" = 0 ] ||
			for e in docker ctrd podman; do
				"${e}_up" && engines="$engines $e"
			done
	fi
	echo "engines:$engines"
	{
		links
		addrs
		routes
		netns
		for e in $engines; do "${e}_state"; done
	} | LC_ALL=C sort
}

case "${1:-}" in
snapshot) snapshot "${2:-}" ;;
diff)
	[ $# -eq 3 ] || { echo "usage: hoststate.sh diff BEFORE AFTER" >&2; exit 2; }
	out=$(LC_ALL=C diff "$2" "$3" | sed -n 's/^< /- /p; s/^> /+ /p')
	[ -z "$out" ] && exit 0
	echo "$out"
	exit 1
	;;
*)
	echo "usage: hoststate.sh snapshot [BEFORE] | diff BEFORE AFTER" >&2
	exit 2
	;;
esac
