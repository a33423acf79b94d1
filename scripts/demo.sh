#!/usr/bin/env bash
# make demo: a throwaway namespace with a veth pair and IPv4/IPv6
# addresses, netjoin's listing of it, a command run inside, then cleanup.
set -eu
bin=${1:-build/netjoin}
[ "$(id -u)" = 0 ] || { echo "demo: run as root (it creates a namespace)" >&2; exit 1; }

ns=njdemo$$
peer=njd$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; ip link del "$peer" 2>/dev/null || true; }
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link set lo up
ip link add "$peer" type veth peer name eth0 netns "$ns"
ip link set "$peer" up
ip -n "$ns" link set eth0 up
ip -n "$ns" addr add 198.51.100.2/24 dev eth0
ip -n "$ns" addr add 2001:db8:5::2/64 dev eth0 nodad

run() { echo "\$ $*"; "$@"; echo; }
run "$bin" "netns:$ns"
run "$bin" -b "netns:$ns"
run "$bin" "netns:$ns" ip route
run "$bin" -j "netns:$ns"
