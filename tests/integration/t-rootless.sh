#!/usr/bin/env bash
# timeout: 600
# netjoin against rootless podman: two test users of our making, each with
# subordinate ID ranges and slirp4netns, each running a container of the
# same name. As its user, netjoin joins the container's user namespace,
# then its network namespace (nsenter -U --preserve-credentials -n); as
# root, it finds every user's containers and joins the network namespace
# only.
#
# What rootless podman 4.3 keeps, as netjoin reads it (vfs driver: no
# fuse-overlayfs here):
#   ~/.local/share/containers/storage/vfs-containers/containers.json
#   ~/.local/share/containers/storage/vfs-containers/<id>/userdata/config.json
#       linux.namespaces network path $XDG_RUNTIME_DIR/netns/netns-<uuid>:
#       a bind mount in podman's own mount namespace only (on the host
#       the empty file), so the container is joined through its PID
#   $XDG_RUNTIME_DIR/containers/vfs-containers/<id>/userdata/pidfile
#   $XDG_RUNTIME_DIR/runc/<id>/state.json        the start time
#
# Rootless Docker: the second user runs docker.io's dockerd-rootless.sh
# (rootlesskit with slirp4netns; dockerd with the vfs driver, no
# iptables, its data root in the user's home and its exec root and
# socket in /run/user/<uid>). Its containers' processes are in
# rootlesskit's user namespace, each in a network namespace of its own;
# the SandboxKey files are bind mounts in rootlesskit's mount namespace
# only, so netjoin joins through the process. A socket that lies, in the
# first user's runtime dir, is refused by root.
#
# Machine changes, all put back on exit: the users (and their lines in
# /etc/passwd, group, shadow, gshadow, subuid, subgid: the files are
# restored byte for byte), /run/user/<uid>, and /dev/net/tun's mode
# (slirp4netns opens it as the user; it is 0600 on these machines).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 104
here=$top/tests/integration
image=localhost/netjoin-test/busybox:latest
cache=/var/cache/netjoin-tests

need_root
command -v podman >/dev/null 2>&1 || skip_all "podman not installed"
need newuidmap
need newgidmap
need slirp4netns
need runuser
need nsenter
need jq
need python3
need useradd
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d)
chmod 755 "$tmp"
on_exit "rm -rf $tmp"

# --- the machine's files, put back exactly -----------------------------

for f in passwd group shadow gshadow subuid subgid; do
	for g in "/etc/$f" "/etc/$f-"; do
		if [ -e "$g" ]; then
			cp -p "$g" "$tmp/${g##*/}.saved"
			on_exit "cat $tmp/${g##*/}.saved >$g && touch -r $tmp/${g##*/}.saved $g"
		else
			on_exit "rm -f $g"
		fi
	done
done
[ -d /run/user ] || on_exit "rmdir /run/user"
tun_mode=$(stat -c %a /dev/net/tun)
on_exit "chmod $tun_mode /dev/net/tun"

# --- two users, each with rootless podman ------------------------------

u1=${nj_id}a
u2=${nj_id}b
# the first free ID past every range in use: ours do not overlap them
sub=$(cat /etc/subuid /etc/subgid 2>/dev/null |
	awk -F: 'BEGIN { m = 1000000 } $3 { e = $2 + $3; if (e > m) m = e } END { print m }')

mkuser() {
	local u=$1 start=$2 uid
	useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$u" || return 1
	uid=$(id -u "$u")
	# its processes (containers, conmon, podman's pause) by their IDs,
	# then the user; its runtime dir is ours to remove
	on_exit "rm -rf /run/user/$uid"
	on_exit "userdel -r -f $u"
	on_exit "ps -o pid= -u $uid | xargs -r kill -9; sleep 0.5"
	usermod --add-subuids "$start-$((start + 65535))" \
		--add-subgids "$start-$((start + 65535))" "$u" || return 1
	mkdir -p /run/user
	install -d -m 700 -o "$u" -g "$(id -g "$u")" "/run/user/$uid"
}
mkuser "$u1" "$sub" || skip_all "cannot make test user $u1"
mkuser "$u2" "$((sub + 65536))" || skip_all "cannot make test user $u2"
uid1=$(id -u "$u1") gid1=$(id -g "$u1")
uid2=$(id -u "$u2")
chmod 0666 /dev/net/tun

# as USER CMD...: CMD as the user, in its own session's environment
as() {
	local u=$1 uid
	shift
	uid=$(id -u "$u")
	(cd / && runuser -u "$u" -- env XDG_RUNTIME_DIR="/run/user/$uid" \
		HOME="$(getent passwd "$u" | cut -d: -f6)" "$@")
}
pm() { local u=$1; shift; as "$u" podman "$@"; }

# The rootfs of the test image, kept between runs.
rootfs=$cache/busybox-rootfs.tar
if [ ! -s "$rootfs" ]; then
	mkdir -p "$cache"
	"$top"/scripts/mkimage.sh --tar "$tmp/rootfs.tar" &&
		mv "$tmp/rootfs.tar" "$rootfs" || skip_all "cannot make the image rootfs"
fi
cp "$rootfs" "$tmp/rootfs.tar"
chmod 644 "$tmp/rootfs.tar"

# The binary, where the users can run it.
cp "$NETJOIN" "$tmp/netjoin"
chmod 755 "$tmp/netjoin"
nj_bin=$tmp/netjoin

rl=rl-$nj_id   # both users' container
only=$nj_id-1  # u1's only
for u in "$u1" "$u2"; do
	pm "$u" import --quiet --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' \
		"$tmp/rootfs.tar" "$image" >/dev/null 2>"$tmp/import.err" ||
		{ sed 's/^/#   /' "$tmp/import.err"; skip_all "rootless podman cannot import an image"; }
	pm "$u" run -d --name "$rl" --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		"$image" sleep 3600 >/dev/null 2>"$tmp/run.err" ||
		{ sed 's/^/#   /' "$tmp/run.err"; skip_all "rootless podman cannot run a container"; }
done
pm "$u1" run -d --name "$only" --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
	"$image" sleep 3600 >/dev/null || skip_all "rootless podman cannot run a container"

pid_of() { pm "$1" inspect -f '{{.State.Pid}}' "$2"; }
id_of() { pm "$1" inspect -f '{{.Id}}' "$2"; }
ino_of() { stat -L -c %i "/proc/$1/ns/net"; }
pid1=$(pid_of "$u1" "$rl") pid2=$(pid_of "$u2" "$rl")
id1=$(id_of "$u1" "$rl") id2=$(id_of "$u2" "$rl")
ino1=$(ino_of "$pid1") ino2=$(ino_of "$pid2")
# the oracle: the user's own nsenter
uns() { local u=$1 pid=$2; shift 2; as "$u" nsenter -U --preserve-credentials -n -t "$pid" "$@"; }
nj_settle uns "$u1" "$pid1" ip
nj_settle uns "$u2" "$pid2" ip

require "rootless: $rl of $u1 is in a user namespace of its own" \
	test "$(stat -L -c %i "/proc/$pid1/ns/user")" != "$(stat -L -c %i /proc/self/ns/user)"
require "rootless: the two containers have their own network namespaces" \
	test "$ino1" != "$ino2"

err_grep=(-i) # err_has (lib.sh): any case
err_lacks() {
	if grep -qi -e "$2" <<<"$nj_err"; then
		not_ok "$1"; printf '#   stderr: %s\n' "$nj_err"
	else ok "$1"; fi
}
# nj USER ARGS...: netjoin as USER ("root": as root), and no Docker
nj() {
	local u=$1; shift
	if [ "$u" = root ]; then
		DOCKER_HOST=unix:///nonexistent.sock "$nj_bin" "$@"
	else
		as "$u" "$nj_bin" "$@"
	fi
}

# --- as the user -------------------------------------------------------

for t in "$rl" "podman:$rl" "${id1:0:12}" "podman:$u1/$rl"; do
	ip_json_same "$u1: -j $t: interfaces as the user's nsenter -U -n ip -j addr" \
		nj "$u1" -j "$t" -- uns "$u1" "$pid1" ip -j addr
done
check_eq "$u1: -j $rl: .target" "podman $rl $id1 $u1 $pid1 $ino1" \
	"$(nj "$u1" -j "$rl" | jq -r '.target | "\(.runtime) \(.name) \(.id) \(.user) \(.pid) \(.netns_inode)"')"
check_eq "$u1: a command sees the container's netns" "net:[$ino1]" \
	"$(nj "$u1" "$rl" readlink /proc/self/ns/net)"
check_eq "$u1: ip -br addr inside, as the user's nsenter sees it" \
	"$(uns "$u1" "$pid1" ip -br addr)" "$(nj "$u1" "$rl" ip -br addr)"
check_eq "$u1: id -u -g -G inside, as nsenter --preserve-credentials" \
	"$(uns "$u1" "$pid1" sh -c 'id -u; id -g; id -G')" \
	"$(nj "$u1" "$rl" sh -c 'id -u; id -g; id -G')"
# the credentials as the host sees them: a file the command makes
install -d -m 700 -o "$u1" "$tmp/u1"
nj "$u1" "$rl" touch "$tmp/u1/made" >/dev/null 2>&1
check_eq "$u1: the command keeps the user's uid and gid" "$uid1:$gid1" \
	"$(stat -c %u:%g "$tmp/u1/made" 2>/dev/null)"
check_exit "$u1: the command's exit status is its own" 7 nj "$u1" "$rl" sh -c 'exit 7'

# a capture tool has the user namespace's CAP_NET_RAW there
if command -v tcpdump >/dev/null; then
	check_exit "$u1: tcpdump runs in the container's network" 0 nj "$u1" "$rl" sh -c \
		'tcpdump -Z root -n -i lo -c 1 >/dev/null & sleep 1
		python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b\"x\", (\"127.0.0.1\", 9))"
		wait $!'
else
	missing "tcpdump not installed"
fi

want=$(uns "$u1" "$pid1" ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' ')
check_eq "$u1: --sysfs: /sys/class/net is the container's" "$want" \
	"$(nj "$u1" --sysfs "$rl" ls /sys/class/net 2>&1 | sort | tr '\n' ' ')"
resolv=/run/user/$uid1/containers/vfs-containers/$id1/userdata/resolv.conf
check_eq "$u1: --dns: /etc/resolv.conf is the container's" "$(cat "$resolv")" \
	"$(nj "$u1" --dns "$rl" cat /etc/resolv.conf 2>&1)"

# -L and --find as the user: their containers' namespaces, read through
# a socket a child makes inside
check_eq "$u1: -L -j: $rl's namespace, owner and interfaces" \
	"$rl $u1 $(uns "$u1" "$pid1" ip -j addr | jq -c '[.[].ifname]')" \
	"$(nj "$u1" -L -j | jq -r --argjson i "$ino1" '.namespaces[] | select(.netns_inode == $i) |
		"\(.owners[0].name) \(.owners[0].user) \([.interfaces[].ifname] | tojson)"' 2>/dev/null)"
addr1=$(uns "$u1" "$pid1" ip -4 -o addr show scope global | awk '{print $4}' | head -n 1)
check_exit "$u1: --find ${addr1%/*}" 0 nj "$u1" --find "${addr1%/*}"
check "$u1: --find: names $rl" grep -q "podman $rl (user $u1)" <<<"$nj_out"

# --- errors for a user -------------------------------------------------

check_exit "$u1: no such name: exit 3" 3 nj "$u1" "$nj_id-nosuch"
err_has "$u1: no such name: says of yours" "of yours"
err_lacks "$u1: no such name: no word of Docker" docker
check_exit "$u1: docker:NAME without a Docker: exit 3" 3 as "$u1" "$nj_bin" "docker:$rl"
err_has "$u1: docker:NAME: says what of Docker is missing" "docker"
check_exit "$u2: $u1's container by PID: exit 5" 5 nj "$u2" "pid:$pid1"
err_has "$u2: $u1's container by PID: another user's" "another user, $u1"
check_exit "$u2: $u1's $only by name: exit 5" 5 nj "$u2" "$only"
err_has "$u2: $u1's $only by name: another user's" "belongs to another user, $u1"
check_exit "$u2: podman:$only of $u1: exit 5" 5 nj "$u2" "podman:$only"

# --- as root -----------------------------------------------------------

ip_json_same "root: -j podman:$u1/$rl: interfaces as nsenter -n ip -j addr" \
	nj root -j "podman:$u1/$rl" -- nsenter -n -t "$pid1" ip -j addr
check_eq "root: -j podman:$u2/$rl: .target names the user" "$rl $id2 $u2 $ino2" \
	"$(nj root -j "podman:$u2/$rl" | jq -r '.target | "\(.name) \(.id) \(.user) \(.netns_inode)"')"
check_eq "root: $only resolves, labelled with its user" "(user $u1)" \
	"$(nj root "$only" | head -n 1 | grep -o "(user $u1)")"
check_eq "root: joins only the network namespace" \
	"$(readlink /proc/self/ns/user) net:[$ino1]" \
	"$(nj root "podman:$u1/$rl" sh -c 'echo $(readlink /proc/self/ns/user) $(readlink /proc/self/ns/net)')"
check_exit "root: $rl of two users: exit 4" 4 nj root "$rl"
for pair in "$u1 $id1 $ino1" "$u2 $id2 $ino2"; do
	read -r u id ino <<<"$pair"
	err_has "root: ambiguous: lists podman:$u/${id:0:12}" "podman:$u/${id:0:12}"
	check_eq "root: podman:$u/${id:0:12} resolves to $u's" "$ino" \
		"$(nj root -j "podman:$u/${id:0:12}" | jq -r .target.netns_inode)"
done

check_exit "root: -L" 0 nj root -L
row=$(grep "net:\[$ino1\]" <<<"$nj_out")
if grep -q "podman:$u1/${id1:0:12}" <<<"$row" && grep -q "(user $u1)" <<<"$row"; then
	ok "root: -L: $u1's container, with its target and user"
else not_ok "root: -L: $u1's container, with its target and user"; printf '#   row: %s\n' "$row"; fi
check_eq "root: -L -j: the owner's user" "$u1 podman:$u1/${id1:0:12}" \
	"$(nj root -L -j | jq -r --argjson i "$ino1" '.. | objects | select(.netns_inode? == $i) | .owners[0] | "\(.user) \(.target)"' 2>/dev/null | head -n 1)"
addr=$(uns "$u1" "$pid1" ip -4 -o addr show scope global | awk '{print $4}' | head -n 1)
# slirp4netns gives every container the same address: both users' show
check_exit "root: --find ${addr%/*}" 0 nj root --find "${addr%/*}"
check_eq "root: --find: both users' containers, with their users" "(user $u1) (user $u2)" \
	"$(grep -o "(user $nj_id[ab])" <<<"$nj_out" | sort -u | tr '\n' ' ' | sed 's/ $//')"

check_eq "root: --complete offers podman:USER/NAME for each user" \
	"podman:$u1/$rl podman:$u2/$rl" \
	"$(nj root --complete | grep -x "podman:$nj_id[ab]/$rl" | sort | tr '\n' ' ' | sed 's/ $//')"

# --- a user's rootless Docker socket --------------------------------------

# What answers there is no Docker (a web server's 404 page), so the
# message names the socket netjoin asked: the user's own, not root's.
sock=/run/user/$uid1/docker.sock
python3 "$here/fake_docker.py" "$sock" html404 --seconds 30 --conns 4 &
fake=$!
on_exit "kill $fake; rm -f $sock"
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
chmod 666 "$sock" 2>/dev/null
check_exit "$u1: docker:NAME asks \$XDG_RUNTIME_DIR/docker.sock: fails" 1 nj "$u1" "docker:$rl"
err_has "$u1: docker:NAME: names $sock" "$sock"
# a socket the user may not open: said for docker:NAME only
chmod 600 "$sock"
check_exit "$u1: docker:NAME, socket not readable: exit 5" 5 nj "$u1" "docker:$rl"
err_has "$u1: docker:NAME, socket not readable: says so" "$sock: Permission denied"
check_exit "$u1: a bare name, socket not readable: exit 3" 3 nj "$u1" "$nj_id-nosuch"
err_lacks "$u1: a bare name, socket not readable: no word of Docker" docker

# --- --user, joined as the user ----------------------------------------

# Through the user's own user namespace netjoin can become no one: --user
# naming the user runs the command as them without the namespace's
# capabilities; naming anyone else is refused before anything runs.
mtu='ip link set lo mtu 65536 2>/dev/null && echo may || echo may not'
check_eq "$u1: without --user, the command may change the container's links" \
	"may" "$(nj "$u1" "$rl" sh -c "$mtu")"
check_eq "$u1: --user $u1: no capabilities, may not" "$(printf '0000000000000000\nmay not')" \
	"$(nj "$u1" --user "$u1" "$rl" sh -c "grep CapEff /proc/self/status | cut -f2; $mtu")"
nj "$u1" --user "$u1" "$rl" touch "$tmp/u1/as-self" >/dev/null 2>&1
check_eq "$u1: --user $u1: the command keeps the user's uid and gid" "$uid1:$gid1" \
	"$(stat -c %u:%g "$tmp/u1/as-self" 2>/dev/null)"
check_eq "$u1: --user $u1: its environment names the user" "/home/$u1 $u1" \
	"$(as "$u1" env USER=nobody "$nj_bin" --user "$u1" "$rl" sh -c 'echo $HOME $USER')"
check_eq "$u1: --user $u1 --sysfs --dns: the container's /sys/class/net and resolv.conf" \
	"$want$(cat "$resolv")" \
	"$(nj "$u1" --user "$u1" --sysfs --dns "$rl" sh -c 'ls /sys/class/net | sort | tr "\n" " "; cat /etc/resolv.conf' 2>&1)"
for who in "$u2" root "$u1:root"; do
	check_exit "$u1: --user $who: refused, exit 5" 5 nj "$u1" --user "$who" "$rl" \
		touch "$tmp/u1/as-other"
done
err_has "$u1: --user $u1:root: says it can name only the user" "runs as you ($u1, uid $uid1"
check "$u1: --user of another: nothing ran" test ! -e "$tmp/u1/as-other"
# root joins the network namespace only: --user is anyone, as everywhere
check_eq "root: --user $u2 in podman:$u1/$rl" "$uid2 net:[$ino1]" \
	"$(nj root --user "$u2" "podman:$u1/$rl" sh -c 'echo $(id -u) $(readlink /proc/self/ns/net)')"
check_eq "root: --user nobody in podman:$u1/$rl" "$(id -u nobody)" \
	"$(nj root --user nobody "podman:$u1/$rl" id -u)"

# --- rootless Docker (rootlesskit) -------------------------------------

# u2 runs dockerd-rootless: rootlesskit makes a user, mount and network
# namespace of its own (slirp4netns) and dockerd runs in them, with its
# data root and exec root in u2's home and runtime dir. Its container
# $dk, and one named $rl too (u2's podman has one).
dk=$nj_id-d
home2=$(getent passwd "$u2" | cut -d: -f6)
dsock=/run/user/$uid2/docker.sock
dk_up() {
	command -v rootlesskit >/dev/null || { echo "no rootlesskit" >"$tmp/dockerd.log"; return 1; }
	# the script execs rootlesskit: the PID written is rootlesskit's
	kitpid=/run/user/$uid2/rootlesskit.pid
	as "$u2" env PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c 'echo $$ >"$0"; exec "$@"' \
		"$kitpid" /usr/share/docker.io/contrib/dockerd-rootless.sh \
		--iptables=false --storage-driver=vfs --data-root "$home2/.local/share/docker" \
		--exec-root "/run/user/$uid2/docker" --host "unix://$dsock" \
		>"$tmp/dockerd.log" 2>&1 &
	for _ in $(seq 50); do [ -s "$kitpid" ] && break; sleep 0.1; done
	dpid=$(cat "$kitpid" 2>/dev/null) || return 1
	# stopped as dockerd would be (it stops its containers); what is
	# left goes with the user
	on_exit "kill $dpid; for _ in \$(seq 150); do kill -0 $dpid || break; sleep 0.1; done"
	# its containers first: sleep, their PID 1, ignores SIGTERM
	on_exit "dk_cli rm -f $dk $rl"
	for _ in $(seq 120); do
		dk_cli info >/dev/null 2>&1 && return 0
		kill -0 "$dpid" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}
dk_cli() { as "$u2" docker -H "unix://$dsock" "$@"; }
dk_run() {
	dk_cli import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' \
		"$tmp/rootfs.tar" netjoin-test/busybox:latest >/dev/null &&
	for n in "$dk" "$rl"; do
		dk_cli run -d --name "$n" --ulimit nofile=1024:1024 \
			--ulimit nproc=1024:1024 netjoin-test/busybox:latest sleep 3600 ||
			return 1
	done >/dev/null
}
if [ -e /usr/share/docker.io/contrib/dockerd-rootless.sh ] && dk_up && dk_run 2>"$tmp/dkrun.err"; then
	docker_ok=1
else
	docker_ok=0
	sed 's/^/#   /' "$tmp/dockerd.log" "$tmp/dkrun.err" 2>/dev/null | tail -n 20
fi


# A daemon that lies: it lists one container, and says its process is one
# of another's (u2's Docker container, or root's). Root must not take a
# user's word for whose namespace that is: not to join it, nor to label it.
# liar USER SOCKET PID: run as USER, its PID in SOCKET.pid.
cat >"$tmp/liar.py" <<'PY'
import json, os, signal, socket, sys, time
path, pid = sys.argv[1], int(sys.argv[2])
rec = json.dumps({"Id": "f" * 64, "Name": "/liar", "State": {"Running": True,
    "Pid": pid, "Status": "running",
    "StartedAt": time.strftime("%Y-%m-%dT%H:%M:%S.000000000Z", time.gmtime())},
    "HostConfig": {"NetworkMode": "default"}, "NetworkSettings": {"SandboxKey": ""}})
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(8)
s.settimeout(60)
with open(path + ".pid", "w") as f:
    f.write("%d\n" % os.getpid())
def answer(c):
    req = c.recv(65536).split(b" ")
    if len(req) < 2:
        return  # connected and gone, as netjoin asking whose it is
    listed = [{"Id": "f" * 64, "Names": ["/liar"], "State": "running"}]
    body = (json.dumps(listed) if req[1].startswith(b"/containers/json") else rec).encode()
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
try:
    while True:
        c, _ = s.accept()
        c.settimeout(2)
        try:
            answer(c)
        except OSError:
            pass
        c.close()
except (OSError, SystemExit):
    pass
finally:
    os.unlink(path)
    os.unlink(path + ".pid")
PY
chmod 644 "$tmp/liar.py"
liar() {
	local who=$1 sock=$2
	shift 2
	rm -f "$sock.pid"
	if [ "$who" = root ]; then
		python3 "$tmp/liar.py" "$sock" "$@" &
	else
		as "$who" python3 "$tmp/liar.py" "$sock" "$@" &
	fi
	on_exit "kill \$(cat $sock.pid); rm -f $sock $sock.pid"
	for _ in $(seq 50); do [ -s "$sock.pid" ] && break; sleep 0.1; done
}
liar_stop() {
	local sock=$1 p
	p=$(cat "$sock.pid" 2>/dev/null) && kill "$p"
	for _ in $(seq 50); do [ -e "$sock" ] || break; sleep 0.1; done
	rm -f "$sock" "$sock.pid"
}

dk_checks() {
	local dpid2 dino did kino daddr
	dpid2=$(dk_cli inspect -f '{{.State.Pid}}' "$dk")
	did=$(dk_cli inspect -f '{{.Id}}' "$rl")
	dino=$(ino_of "$dpid2")
	# rootlesskit's own namespace: the one dockerd runs in
	kino=$(ino_of "$(pgrep -u "$uid2" -x dockerd | head -n 1)")
	nj_settle uns "$u2" "$dpid2" ip
	require "rootless Docker: $dk has a network namespace of its own, not rootlesskit's" \
		test -n "$dino" -a -n "$kino" -a "$dino" != "$kino"

	ip_json_same "$u2: -j $dk: interfaces as the user's nsenter -U -n ip -j addr" \
		nj "$u2" -j "$dk" -- uns "$u2" "$dpid2" ip -j addr
	check_eq "$u2: docker:$dk: the container's namespace, not rootlesskit's ($kino)" \
		"docker $dk $u2 $dino" \
		"$(nj "$u2" -j "docker:$dk" | jq -r '.target | "\(.runtime) \(.name) \(.user) \(.netns_inode)"')"
	check_eq "$u2: id -u -g -G inside, as nsenter --preserve-credentials" \
		"$(uns "$u2" "$dpid2" sh -c 'id -u; id -g; id -G')" \
		"$(nj "$u2" "$dk" sh -c 'id -u; id -g; id -G')"
	install -d -m 700 -o "$u2" "$tmp/u2"
	nj "$u2" "$dk" touch "$tmp/u2/made" >/dev/null 2>&1
	check_eq "$u2: a command in $dk keeps the user's uid and gid" \
		"$uid2:$(id -g "$u2")" "$(stat -c %u:%g "$tmp/u2/made" 2>/dev/null)"
	check_eq "$u2: --user $u2 in $dk: no capabilities, may not" "$(printf '0000000000000000\nmay not')" \
		"$(nj "$u2" --user "$u2" "$dk" sh -c "grep CapEff /proc/self/status | cut -f2; $mtu")"
	check_exit "$u2: --user $u1 in $dk: exit 5" 5 nj "$u2" --user "$u1" "$dk" true
	check_eq "$u2: -L -j: $dk's namespace, owner and interfaces" \
		"$dk $u2 $(uns "$u2" "$dpid2" ip -j addr | jq -c '[.[].ifname]')" \
		"$(nj "$u2" -L -j | jq -r --argjson i "$dino" '.namespaces[] | select(.netns_inode == $i) |
			"\(.owners[0].name) \(.owners[0].user) \([.interfaces[].ifname] | tojson)"' 2>/dev/null)"
	daddr=$(uns "$u2" "$dpid2" ip -4 -o addr show scope global | awk '{print $4}' | head -n 1)
	check_exit "$u2: --find ${daddr%/*}" 0 nj "$u2" --find "${daddr%/*}"
	check "$u2: --find: names docker $dk" grep -q "docker $dk (user $u2)" <<<"$nj_out"
	check_exit "$u1: pid:N of $u2's Docker container: exit 5" 5 nj "$u1" "pid:$dpid2"
	err_has "$u1: pid:N of $u2's Docker container: says whose" "another user, $u2"
	# $u2's Docker container to $u1: named by its shim's argv, by ID only
	local dkid
	dkid=$(dk_cli inspect -f '{{.Id}}' "$dk")
	check_exit "$u1: $u2's Docker container by ID prefix: exit 5" 5 nj "$u1" "${dkid:0:12}"
	err_has "$u1: by ID prefix: whose it is" "docker container ${dkid:0:12} belongs to another user, $u2"
	check_exit "$u1: docker:ID of $u2's: exit 5" 5 nj "$u1" "docker:$dkid"
	err_has "$u1: docker:ID: whose it is" "belongs to another user, $u2"
	check_exit "$u1: $u2's Docker container by name: exit 3 (its name is not to be seen)" 3 \
		nj "$u1" "$dk"
	err_has "$u1: by name: none of yours" "of yours"
	check_exit "$u2: $rl, of $u2's podman and Docker both: exit 4" 4 nj "$u2" "$rl"
	err_has "$u2: ambiguous: lists docker:$u2/${did:0:12}" "docker:$u2/${did:0:12}"

	ip_json_same "root: -j docker:$u2/$dk: interfaces as nsenter -n ip -j addr" \
		nj root -j "docker:$u2/$dk" -- nsenter -n -t "$dpid2" ip -j addr
	check_eq "root: $dk found, labelled with its user" "(user $u2)" \
		"$(nj root "$dk" | head -n 1 | grep -o "(user $u2)")"
	check_eq "root: $dk: only its network namespace joined" \
		"$(readlink /proc/self/ns/user) net:[$dino]" \
		"$(nj root "$dk" sh -c 'echo $(readlink /proc/self/ns/user) $(readlink /proc/self/ns/net)')"
	check_eq "root: --user $u1 in docker:$u2/$dk" "$uid1 net:[$dino]" \
		"$(nj root --user "$u1" "docker:$u2/$dk" sh -c 'echo $(id -u) $(readlink /proc/self/ns/net)')"
	check_exit "root: $rl of two users and two runtimes: exit 4" 4 nj root "$rl"
	err_has "root: ambiguous: lists docker:$u2/${did:0:12}" "docker:$u2/${did:0:12}"
	err_has "root: ambiguous: and podman:$u1/${id1:0:12}" "podman:$u1/${id1:0:12}"
	check_eq "root: docker:$u2/${did:0:12} resolves to it" "$(ino_of "$(dk_cli inspect -f '{{.State.Pid}}' "$rl")")" \
		"$(nj root -j "docker:$u2/${did:0:12}" | jq -r .target.netns_inode)"
	check_exit "root: -L" 0 nj root -L
	check "root: -L: $dk with its target and user" \
		grep -q "net:\[$dino\].*docker:$u2/.*(user $u2)" <<<"$nj_out"
	check "root: --complete offers docker:$u2/$dk" \
		grep -qx "docker:$u2/$dk" <<<"$(nj root --complete)"

	# a hung daemon (stopped): its state on disk, in u2's home, says
	local dd
	dd=$(pgrep -u "$uid2" -x dockerd | head -n 1)
	kill -STOP "$dd"
	on_exit "kill -CONT $dd"
	check_eq "$u2: $dk, its daemon hung: from its state on disk" "disk $u2 $dino" \
		"$(nj "$u2" -j "$dk" | jq -r '.target | "\(.source) \(.user) \(.netns_inode)"')"
	check_eq "root: docker:$u2/$dk, its daemon hung: from its state on disk" "disk $u2 $dino" \
		"$(nj root -j "docker:$u2/$dk" | jq -r '.target | "\(.source) \(.user) \(.netns_inode)"')"
	# what a user's daemon is asked, seen in the requests netjoin writes
	# (root's own daemon is DOCKER_HOST=unix:///nonexistent.sock here):
	# one that $u2's state on disk does not hold is not put to it
	nj_asks() {
		strace -f -qq -e trace=write,sendto,sendmsg -s 48 -o "$tmp/asks" \
			env DOCKER_HOST=unix:///nonexistent.sock "$nj_bin" "$@" >/dev/null 2>&1
		grep -c '"GET /' "$tmp/asks"
	}
	check_eq "root: $only ($u1's podman), $u2's daemon hung: it is not asked" 0 \
		"$(nj_asks "$only" true)"
	check_eq "root: -L, $u2's daemon hung: it is not asked" 0 "$(nj_asks -L)"
	check "root: $dk, its daemon hung: it is asked (then its disk read)" \
		test "$(nj_asks "$dk" true)" -ge 1
	kill -CONT "$dd"

	# in u1's runtime dir, a socket root made and listens on: not u1's
	# daemon, even when chown'd to u1
	liar root "$lsock" "$dpid2"
	check_exit "root: a socket in $u1's runtime dir that is not $u1's is not asked" 3 \
		nj root "docker:$u1/liar"
	chown "$u1" "$lsock"
	check_exit "root: nor when $u1 owns it but root listens on it" 3 \
		nj root "docker:$u1/liar"
	liar_stop "$lsock"
	# u1's own: asked, and its word not taken
	liar "$u1" "$lsock" "$dpid2"
	check_exit "root: $u1's daemon names $u2's container: refused, exit 5" 5 \
		nj root "docker:$u1/liar" true
	err_has "root: the lie: says whose namespace it is" "owned by uid $uid2"
	check_eq "root: -L -j: $u2's namespace is not labelled by $u1's daemon" "$dk" \
		"$(nj root -L -j | jq -r --argjson i "$dino" '.namespaces[] | select(.netns_inode == $i) |
			[.owners[].name] | join(",")')"
	check_exit "root: --find ${daddr%/*}, with $u1's daemon lying" 0 nj root --find "${daddr%/*}"
	check "root: --find: names $dk, not the lie" \
		sh -c 'grep -q "docker $1 (user $2)" && ! grep -q liar' sh "$dk" "$u2" <<<"$nj_out"
	liar_stop "$lsock"
	liar "$u1" "$lsock" "$$"
	check_eq "root: -L -j: the host's namespace is not labelled by $u1's daemon" "true " \
		"$(nj root -L -j | jq -r '.namespaces[] | select(.host) | "\(.host) \([.owners[]?.name] | join(","))"')"
	liar_stop "$lsock"
}
lsock=/run/user/$uid1/docker.sock
kill "$fake" 2>/dev/null; wait "$fake" 2>/dev/null; rm -f "$lsock"
if [ "$docker_ok" = 1 ]; then
	dk_checks
else
	for _ in $(seq 43); do missing "rootless Docker did not start for $u2"; done
fi

# --- setuid stays refused ----------------------------------------------

cp "$NETJOIN" "$tmp/netjoin-suid"
chmod 4755 "$tmp/netjoin-suid"
check_exit "$u1: a setuid netjoin refuses: exit 5" 5 as "$u1" "$tmp/netjoin-suid" "$rl"
err_has "$u1: setuid: says so" "setuid"
