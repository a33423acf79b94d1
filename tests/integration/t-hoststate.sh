#!/usr/bin/env bash
# scripts/hoststate.sh, the host-state guard of scripts/check.sh, sees
# every kind of change it is meant to: links, addresses, routes in any
# table, /run/netns entries, and nothing when all is put back. It is run
# in a network and mount namespace of its own (a private /run/netns), so
# the changes are made to nothing but that.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 12
hs=$top/scripts/hoststate.sh

need_root
need jq
need unshare

tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

cat >"$tmp/inner.sh" <<'INNER'
set -u
hs=$1 d=$2
mount -t tmpfs nj-hoststate /run || exit 1
mkdir /run/netns
ip link set lo up
ip link add hs0 type bridge
# no link-local address when a port brings it carrier later
ip link set hs0 addrgenmode none
ip link set hs0 up
"$hs" snapshot >"$d/s0"
ip addr add 198.51.100.7/24 dev hs0
ip route add 203.0.113.0/24 via 198.51.100.1 table 4242
ip link add hs1 type veth peer name hs2
ip link set hs1 master hs0
touch /run/netns/hsx
"$hs" snapshot "$d/s0" >"$d/s1"
"$hs" diff "$d/s0" "$d/s1" >"$d/d1"; echo $? >"$d/rc1"
ip link del hs1
ip route del 203.0.113.0/24 table 4242
ip addr del 198.51.100.7/24 dev hs0
rm /run/netns/hsx
"$hs" snapshot "$d/s0" >"$d/s2"
"$hs" diff "$d/s0" "$d/s2" >"$d/d2"; echo $? >"$d/rc2"
INNER
# Never the engines there: the machine's podman, finding no /run/libpod
# under the tmpfs, would reset its own containers to "created".
NJ_HOSTSTATE_ENGINES=0 unshare -n -m --propagation private bash "$tmp/inner.sh" "$hs" "$tmp" 2>"$tmp/err"
check_eq "the namespaces ran to the end" 0 "$?"
sed 's/^/#   /' "$tmp/err"

check "a snapshot names the links" grep -q '^link [0-9]* hs0 type=bridge master=- ' "$tmp/s0"
check "a snapshot names the routes" grep -q '^route-4 table=local local 127.0.0.1 ' "$tmp/s0"
check_eq "a snapshot in the test's namespaces asks no engine" "engines:" "$(head -n 1 "$tmp/s0")"
check_eq "changes are a difference (exit 1)" 1 "$(cat "$tmp/rc1")"
d1=$(cat "$tmp/d1")
has() { grep -qE "$1" <<<"$d1"; }
check "a new address is named" has '^\+ addr hs0 inet 198\.51\.100\.7/24 '
check "a route in another table is named" has '^\+ route-4 table=4242 unicast 203\.0\.113\.0/24 via=198\.51\.100\.1 '
check "new links and their master are named" has '^\+ link [0-9]+ hs1 type=veth master=hs0 '
check "a new /run/netns entry is named" has '^\+ netns hsx$'
check "links the change made nothing to are not named" \
	sh -c "! grep -q ' lo ' '$tmp/d1'"
check_eq "all put back: no difference (exit 0)" 0 "$(cat "$tmp/rc2")"
check_eq "all put back: nothing printed" "" "$(cat "$tmp/d2")"
