#!/usr/bin/env bash
# tests/fixtures/events.nl: the notifications of a namespace while a veth
# pair comes up, gets an address, a route and a neighbour, and all of it
# goes away again (what --watch reads), and ip -ts monitor's text of the
# same changes (events-ip-monitor.txt, for reading, not compared). Root.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
ns=njrecev
cc -O2 -Wall -Wextra -o /tmp/nlrecord "$top/tests/tools/nlrecord.c" \
	$(pkg-config --cflags --libs libmnl)
ip netns add $ns
trap 'ip netns del $ns' EXIT
ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1
ip netns exec $ns /tmp/nlrecord events 2 "$top/tests/fixtures/events.nl" &
rec=$!
ip -n $ns -ts monitor link address route neigh \
	>"$top/tests/fixtures/events-ip-monitor.txt" &
mon=$!
sleep 0.5
ip -n $ns link add d0 address 02:00:00:00:00:21 type veth peer name d1 \
	address 02:00:00:00:00:22
ip -n $ns link set d0 up
ip -n $ns addr add 10.9.0.1/24 dev d0
ip -n $ns route add 10.10.0.0/16 via 10.9.0.2 dev d0 onlink
ip -n $ns neigh add 10.9.0.5 lladdr 02:00:00:00:00:05 dev d0
ip -n $ns addr del 10.9.0.1/24 dev d0
ip -n $ns link del d0
wait $rec
kill -TERM $mon # a background job ignores SIGINT
wait $mon || true
