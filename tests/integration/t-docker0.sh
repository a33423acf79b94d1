#!/usr/bin/env bash
# The private test engine never deletes an interface named docker0. moby
# deletes it when dockerd starts over a data root that records its default
# "bridge" network, with --default-address-pool and without --live-restore
# (whatever --bridge names); scripts/daemon.sh forgets the network store so
# that no start is such a start. This runs the engine's real up, down, up
# cycle (scripts/docker-up.sh, docker-down.sh) in namespaces of its own: a
# network namespace with a bridge named docker0 in it, a private /run and
# /var/lib, and a PID namespace, so that every daemon dies with it and
# neither the machine's engines nor the other tests' ever see it. (The
# machine's own docker0 is never touched here: the host-state guard of
# scripts/check.sh watches it.) NJ_DOCKER0_SCRIPTS runs other scripts: the
# old ones fail here.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 8
scripts=${NJ_DOCKER0_SCRIPTS:-$top/scripts}

need_root
{ [ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ]; } || skip_all "docker.io not installed"
need containerd
need unshare

tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
# In the namespaces: a bridge named docker0 with addresses, then the cycle; it
# prints "docker0 before/after: INDEX ADDRESSES" and each step's status.
cat >"$tmp/inner.sh" <<'INNER'
set -u
scripts=$1
# /var/lib, not /var/lib/netjoin-test: docker-down.sh unmounts whatever is
# mounted at its data root, and the machine's would show through. dpkg's
# database stays (deps.sh reads it).
mount -t tmpfs -o mode=755 nj-docker0-run /run || exit 1
mkdir /run/dpkg && mount --bind /var/lib/dpkg /run/dpkg || exit 1
mount -t tmpfs -o mode=755 nj-docker0-lib /var/lib || exit 1
mkdir /var/lib/dpkg && mount --move /run/dpkg /var/lib/dpkg || exit 1
mount -t sysfs nj-docker0-sys /sys || exit 1
# Never run the cycle on the machine's engine state.
private() {
	[ "$(stat -f -c %T /var/lib)" = tmpfs ] && [ "$(stat -f -c %T /run)" = tmpfs ] ||
		{ echo "state: not private"; exit 1; }
}
ip link set lo up
ip link add docker0 type bridge
ip addr add 192.0.2.1/24 dev docker0
ip addr add 2001:db8:d0c::1/64 dev docker0 nodad
ip link set docker0 up
state() {
	printf "%s " "$(cat /sys/class/net/docker0/ifindex 2>/dev/null || echo none)"
	ip -o addr show dev docker0 2>/dev/null | awk '{print $4}' | sort | tr '\n' ' '
	echo
}
# settle IPv6 (the link-local address appears on up)
for _ in $(seq 50); do
	[ -z "$(ip -6 addr show dev docker0 tentative)" ] && break
	sleep 0.1
done
echo "docker0 before: $(state)"
private
"$scripts"/docker-up.sh >/dev/null 2>>/run/log; echo "up1: $?"
private
"$scripts"/docker-down.sh >/dev/null 2>>/run/log; echo "down: $?"
# what the first start recorded: the stale "bridge" of the bug, unless
# the store is forgotten
private
"$scripts"/docker-up.sh >/dev/null 2>>/run/log; echo "up2: $?"
echo "docker0 after: $(state)"
private
"$scripts"/docker-down.sh >/dev/null 2>>/run/log; echo "down2: $?"
echo "njtest0 after down: $(ip -o link show njtest0 2>/dev/null | wc -l)"
sed 's/^/log: /' /run/log
INNER

timeout 300 unshare -m -n -p -f --mount-proc --propagation private \
	bash "$tmp/inner.sh" "$scripts" >"$tmp/out" 2>&1
rc=$?
grep '^log: ' "$tmp/out" | tail -n 20 | sed 's/^/#   /'
val() { sed -n "s/^$1: //p" "$tmp/out"; }

check_eq "the namespaces ran to the end" 0 "$rc"
before=$(val "docker0 before")
check "the bridge docker0 was made (index and addresses)" \
	test "$(echo "$before" | wc -w)" -ge 3
check_eq "first docker-up.sh started the engine" 0 "$(val up1)"
check_eq "docker-down.sh stopped it" 0 "$(val down)"
check_eq "second docker-up.sh, over the same data root, started it" 0 "$(val up2)"
check_eq "docker0 is still there, same index and addresses" "$before" "$(val "docker0 after")"
check_eq "docker-down.sh stopped it again" 0 "$(val down2)"
check_eq "docker-down.sh removed the engine's own bridge" 0 "$(val "njtest0 after down")"
