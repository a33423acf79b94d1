#!/usr/bin/env bash
# A new user on a bare Debian 12 (mmdebstrap --variant=minbase: apt, no
# compiler, no make), with a `git archive` of HEAD in /root/netjoin: the
# README's quick-start set-up, then a plain `make` that must stop naming
# what is missing and `make deps`, then `make deps`, then `make demo`.
# timeout: 1200
# sanitized: no
#
# The root runs in a mount and PID namespace of its own (a chroot into a
# mount of it, as / is one: `ip -n` remounts it; its /proc, the host's
# /dev), in the host's network namespace, as a user's
# would: apt reaches the mirror with the host's resolv.conf, and what the
# demo makes (a namespace, a veth pair) is made in the host's kernel, so
# the test checks that it is gone afterwards. Nothing of it outlives the
# test but the minbase tarball, kept in $NJ_BARE_CACHE
# (/var/cache/netjoin-tests/bare) for the next run and made again when a
# week old; NJ_DEBIAN_MIRROR as for scripts/mkbase.sh. It downloads about
# 100 MB (minbase, then the build dependencies).
. "$(dirname "$0")/lib.sh"
plan 15
need_root
need mmdebstrap
need git
need unshare
need chroot

mirror=${NJ_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${NJ_BARE_CACHE:-/var/cache/netjoin-tests/bare}
tarball=$cache/bookworm-minbase.tar
work=$(mktemp -d /var/tmp/nj-bare.XXXXXX)
root=$work/root
# the root's mounts live and die with its mount namespace: none can be
# under $work here, so no removal crosses into the host's /dev
on_exit "rm -rf --one-file-system '$work'"
t0=$SECONDS
elapsed() { echo "# $1 after $((SECONDS - t0)) s"; }

# The tarball: made once a week, under a lock (runs may be concurrent),
# into a temporary name, so that a failed run leaves none half-written.
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
want="$mirror bookworm minbase"
if [ ! -s "$tarball" ] || [ "$(cat "$tarball.src" 2>/dev/null)" != "$want" ] ||
	[ -n "$(find "$tarball" -mtime +7)" ]; then
	echo "# making $tarball (mmdebstrap --variant=minbase, about 2 min)"
	mmdebstrap --quiet --variant=minbase bookworm "$cache/part.tar" \
		"deb $mirror bookworm main" \
		"deb $mirror bookworm-updates main" \
		"deb $mirror-security bookworm-security main" >"$work/mmdebstrap.log" 2>&1 ||
		{ tail -n 20 "$work/mmdebstrap.log" | sed 's/^/#   /'; rm -f "$cache/part.tar"; }
	require "mmdebstrap made a minbase root" test -s "$cache/part.tar"
	mv "$cache/part.tar" "$tarball"
	echo "$want" >"$tarball.src"
	elapsed "minbase made"
fi
flock -u 9
exec 9>&-

mkdir "$root"
require "the minbase tarball unpacks" tar -xf "$tarball" -C "$root"
require "the root has no make" test ! -e "$root/usr/bin/make"
require "the root has no compiler" test ! -e "$root/usr/bin/cc" -a ! -e "$root/usr/bin/gcc"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/root/netjoin"
require "git archive of HEAD" sh -c \
	"git -C '$top' archive HEAD | tar -x -C '$root/root/netjoin'"
echo "# the tree: HEAD $(git -C "$top" rev-parse --short HEAD)"

# in_root LOG SCRIPT: SCRIPT run by bash in /root/netjoin of the root, as
# root with a login's plain environment; its output in $work/LOG.
in_root() {
	local log=$work/$1 rc
	unshare --mount --pid --fork --kill-child --propagation private \
		sh -c 'r=$1
			mount --bind "$r" "$r" &&
			mount -t proc proc "$r/proc" &&
			mount --rbind /dev "$r/dev" &&
			mount -t sysfs sysfs "$r/sys" &&
			mount -t tmpfs tmpfs "$r/run" || exit 125
			exec chroot "$r" env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
				PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
				bash -c "cd /root/netjoin && $2"' in_root "$root" "$2" \
		</dev/null >"$log" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] || { echo "# $1: exit $rc, last lines:"; tail -n 15 "$log" | sed 's/^/#   /'; }
	return "$rc"
}

# The README's set-up: the commands of its quick start before `make demo`.
readme=$root/root/netjoin/README.md
quick=$(awk '/^## /{q = ($0 == "## Quick start")} q && /^    [^ ]/' "$readme" |
	sed 's/^    //; s/[[:space:]]*#.*$//')
setup=$(sed '/^make demo$/,$d' <<<"$quick")
require "the README's quick start has make demo and make check" \
	grep -qx 'make check' <<<"$(sed -n '/^make demo$/,$p' <<<"$quick")"
require "the README's quick start has set-up steps before make demo" test -n "$setup"
echo "# set-up from the README:"; sed 's/^/#   /' <<<"$setup"

check "the README's set-up steps run on a bare root" in_root setup.log "$setup"
check "... and give it make" test -x "$root/usr/bin/make"
elapsed "set-up done"

in_root make.log make
check "a plain make without the build dependencies fails" test $? -ne 0
msg=$(cat "$work/make.log")
check "its message names libmnl" grep -qw libmnl <<<"$msg"
check "its message names the compiler and the other libraries" \
	grep -q "cc .*pkg-config.*libnl-route-3.0.*jansson" <<<"$msg"
check "its message says make deps" grep -q 'Run `make deps`' <<<"$msg"
check "... and nothing was compiled" \
	test -z "$(find "$root/root/netjoin" -name '*.o' -o -name netjoin -type f)"

check "make deps installs them" in_root deps.log 'make deps'
check "... a compiler, and libraries pkg-config finds" in_root pc.log \
	'command -v cc && pkg-config --exists libmnl libnl-3.0 libnl-route-3.0 jansson cmocka'
elapsed "make deps done"

# what the demo makes (a veth in the host's namespace, a namespace) is
# named for its PID; gone afterwards
check "make demo runs" in_root demo.log 'make demo'
elapsed "make demo done"
demo=$(cat "$work/demo.log")
name=$(sed -n 's/^\$ build\/netjoin netns:\(njdemo[0-9]*\)$/\1/p' <<<"$demo")
check "the demo lists its namespace's eth0 and addresses" python3 -c '
import re, sys
text = sys.stdin.read()
assert re.search(r"^\$ build/netjoin netns:njdemo\d+\n", text, re.M), "no listing"
listing = text[text.index("$ build/netjoin netns:"):].split("\n$ ")[0]
assert re.search(r"^2: eth0@if\d+ +UP .*peer njd\d+ in host", listing, re.M), "eth0"
assert "    inet  198.51.100.2/24\n" in listing and "    inet6 2001:db8:5::2/64\n" in listing
' <<<"$demo"
check "the demo runs ip route inside it" \
	grep -qE '^198\.51\.100\.0/24 dev eth0 proto kernel scope link src 198\.51\.100\.2' <<<"$demo"
ino=$(python3 -c '
import json, sys
name = sys.argv[1]
line = [l for l in sys.stdin.read().splitlines() if l.startswith("{")][-1]
j = json.loads(line)
assert j["target"]["kind"] == "netns" and j["target"]["name"] == name
eth0 = [i for i in j["interfaces"] if i["ifname"] == "eth0"][0]
addrs = {(a["local"], a["prefixlen"]) for a in eth0["addr_info"]}
assert {("198.51.100.2", 24), ("2001:db8:5::2", 64)} <= addrs, addrs
print(j["target"]["netns_inode"])
' "$name" <<<"$demo")
check "the demo's JSON names its namespace and eth0's addresses" test -n "$ino"

# Nothing left: the veth in the host's namespace, and the namespace itself,
# which nothing may hold (a process, an open fd, a bind mount anywhere).
holders() {
	local f
	for f in /proc/[0-9]*/ns/net /proc/[0-9]*/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = "net:[$1]" ] && echo "$f"
	done
	grep -l "net:\[$1\]" /proc/[0-9]*/mountinfo 2>/dev/null
}
check "the demo's veth is gone from the host" \
	test -n "$name" -a -z "$(ip -o link show "njd${name#njdemo}" 2>/dev/null)"
check "the demo's namespace is gone (nothing holds net:[$ino])" \
	test -n "$ino" -a -z "$(holders "$ino")"
elapsed "done"
