#!/usr/bin/env bash
# The debug command sees the target's world: --sysfs (a fresh sysfs of the
# target's namespace on /sys, in a private mount namespace), --dns (the
# target's resolv.conf and hosts over /etc's: Docker's ResolvConfPath and
# HostsPath, podman's userdata files, a pod's CRI sandbox resolv.conf and
# kubelet etc-hosts, a process's /proc/PID/root/etc, ip netns exec's
# /etc/netns/NAME), -S/--shell under a pseudo-terminal, -u/--user,
# NETJOIN_TARGET and NETJOIN_NETNS, and the privilege checks made before
# anything is joined or run (setuid/setgid/file-capability copies refused,
# CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_NET_RAW for capture tools).
#
# Oracles: ip(8) and nsenter in the target's namespace, ip netns exec for
# /etc/netns, the runtimes' own inspect output, the kernel's view of the
# process (/proc/self/status, /proc/self/mountinfo) printed by the command
# netjoin runs. Containers run on the private engines of scripts/*-up.sh;
# podman's and containerd's state is read through nj_view. Each engine's
# section is skipped on its own when its engine cannot be started.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 148

need_root
need ip
need jq
need nsenter
need unshare
need setpriv
need script
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"
export LC_ALL=C

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
# nobody runs copies of the binary from here (setuid tests)
chmod 755 "$tmp"
on_exit "rm -rf $tmp"

A=$nj_id-a # lo, v0 (a veth whose peer is in B), br0
B=$nj_id-b # holds v0's peer; no /etc/netns entry

diag() { sed -n '1,30s/^/#   /p'; }

# line LIST...: the words of LIST sorted, on one line (set comparisons).
line() { tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'; }

# Interface names: in netns NS, in process PID's netns, in the host's.
names_netns() { ip -n "$1" -j link | jq -r '.[].ifname' | line; }
names_pid() { nsenter -n -t "$1" ip -j link | jq -r '.[].ifname' | line; }
names_host() { ip -j link | jq -r '.[].ifname' | line; }

# nj_out_of ARGS...: run ARGS (netjoin), its stdout through, its stderr
# and exit status kept in $tmp/last.err and last.rc (shown by explain;
# files, as it runs in command substitutions).
nj_out_of() {
	"$@" 2>"$tmp/last.err"
	echo $? >"$tmp/last.rc"
}
explain() { printf '#   netjoin exit %s; stderr:\n' "$(cat "$tmp/last.rc")"; diag <"$tmp/last.err"; }

# eq DESC EXPECTED ACTUAL: check_eq, and on failure what netjoin said.
eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else
		not_ok "$1"
		printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"
		explain
	fi
}

err_grep=(-E) # err_has (lib.sh): extended regular expressions

as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# without CAP: root with that capability gone from every set after exec
# (root's exec grants inheritable | bounding, so both are cleared).
without() { local cap=$1; shift; setpriv --inh-caps=-all --bounding-set=-"$cap" "$@"; }

# The host's mounts as (mountpoint, fstype) lines, a multiset: a mount
# stacked on /sys shows as a second "/sys sysfs" line.
mount_keys() {
	awk '{ for (i = 7; $i != "-"; i++); print $5, $(i + 1) }' /proc/self/mountinfo | sort
}
# The host's /sys: mount ID and device (a new sysfs has new ones).
sys_mount() { awk '$5 == "/sys" { print $1, $3 }' /proc/self/mountinfo; }
# The device of the sysfs on /sys in the calling process's mount namespace.
sys_dev_cmd='awk '\''$5 == "/sys" { d = $3 } END { print d }'\'' /proc/self/mountinfo'

# Other tests may add or remove host interfaces while we look: compare
# the host's /sys/class/net with ip link's names until two readings agree.
host_net_stable() {
	local i a b c
	for ((i = 0; i < 10; i++)); do
		a=$(names_host); b=$(ls /sys/class/net | line); c=$(names_host)
		[ "$a" = "$c" ] && { echo "$a|$b"; return; }
		sleep 0.2
	done
	echo "$a|$b"
}

# --- usage errors (nothing is resolved or joined) -----------------------

check_exit "--sysfs without COMMAND or -S: exit 2" 2 "$NETJOIN" --sysfs "netns:$A"
err_has "--sysfs without COMMAND: a netjoin: line naming --sysfs" '^netjoin: .*--sysfs'
err_has "--sysfs without COMMAND: try --help" "^Try 'netjoin --help'"
check_exit "--dns without COMMAND or -S: exit 2" 2 "$NETJOIN" --dns "netns:$A"
check_exit "--user without COMMAND or -S: exit 2" 2 "$NETJOIN" --user nobody "netns:$A"
check_exit "-S with a COMMAND: exit 2" 2 "$NETJOIN" -S "netns:$A" true
err_has "-S with a COMMAND: says to give no COMMAND" 'COMMAND'
check_exit "--shell with a COMMAND after --: exit 2" 2 "$NETJOIN" --shell "netns:$A" -- true
check_exit "-u without an argument: exit 2" 2 "$NETJOIN" -u
check_exit "-S -j: exit 2" 2 "$NETJOIN" -S -j "netns:$A"

# --- namespaces -----------------------------------------------------------

mk_netns "$A" || { not_ok "create namespace $A"; exit 1; }
mk_netns "$B" || { not_ok "create namespace $B"; exit 1; }
if ! { ip -n "$A" link add v0 type veth peer name v0p netns "$B" &&
	ip -n "$A" link add br0 type bridge &&
	ip -n "$A" link set v0 up && ip -n "$B" link set v0p up &&
	ip -n "$A" addr add 10.217.1.1/24 dev v0; }; then
	not_ok "set up namespace $A"; exit 1
fi
ino_a=$(stat -L -c %i "/run/netns/$A")
ino_b=$(stat -L -c %i "/run/netns/$B")
ino_host=$(stat -L -c %i /proc/self/ns/net)
names_a=$(names_netns "$A")
require_eq "$A holds lo, v0 and br0" "br0 lo v0" "$names_a"

# --- --sysfs: a namespace ---------------------------------------------------

mounts_before=$(mount_keys)
sys_before=$(sys_mount)
sys_ino_before=$(stat -c %d:%i /sys/class/net)
resolv_before=$(md5sum </etc/resolv.conf)
hosts_before=$(md5sum </etc/hosts)

out=$(nj_out_of "$NETJOIN" --sysfs "netns:$A" ls /sys/class/net | line)
eq "--sysfs netns:$A: /sys/class/net is exactly its interfaces" "$names_a" "$out"
eq "--sysfs netns:$A: says nothing on stderr" "" "$(cat "$tmp/last.err")"
out=$(nj_out_of "$NETJOIN" --sysfs "netns:$A" sh -c 'cat /sys/class/net/v0/ifindex')
eq "--sysfs netns:$A: /sys/class/net/v0/ifindex is v0's" "$(ip -n "$A" -j link show v0 | jq '.[0].ifindex')" "$out"
out=$(nj_out_of "$NETJOIN" --sysfs "netns:$A" sh -c "$sys_dev_cmd")
if [ -n "$out" ] && [ "$out" != "${sys_before#* }" ]; then ok "--sysfs: /sys inside is another sysfs than the host's"; else
	not_ok "--sysfs: /sys inside is another sysfs than the host's"
	printf '#   host /sys: %s; inside: %s\n' "$sys_before" "$out"; explain
fi
out=$(nj_out_of "$NETJOIN" --sysfs "netns:$A" readlink /proc/self/ns/mnt)
if [ -n "$out" ] && [ "$out" != "$(readlink /proc/self/ns/mnt)" ]; then ok "--sysfs: the command runs in its own mount namespace"; else
	not_ok "--sysfs: the command runs in its own mount namespace"; printf '#   host %s, inside %s\n' "$(readlink /proc/self/ns/mnt)" "$out"; explain
fi
out=$(nj_out_of "$NETJOIN" --sysfs "netns:$B" ls /sys/class/net | line)
eq "--sysfs netns:$B: /sys/class/net is exactly its interfaces" "$(names_netns "$B")" "$out"
for ((i = 0; i < 5; i++)); do
	out=$(nj_out_of "$NETJOIN" --sysfs host ls /sys/class/net | line)
	IFS='|' read -r hn _ <<<"$(host_net_stable)"
	[ "$out" = "$hn" ] && break
done
eq "--sysfs host: the host's interfaces" "$hn" "$out"

# Without --sysfs the host's /sys shows through (the known surprise).
for ((i = 0; i < 5; i++)); do
	out=$(nj_out_of "$NETJOIN" "netns:$A" ls /sys/class/net | line)
	IFS='|' read -r hn hs <<<"$(host_net_stable)"
	[ "$out" = "$hs" ] && break
done
eq "without --sysfs: /sys/class/net inside is the host's" "$hs" "$out"
out=$(nj_out_of "$NETJOIN" "netns:$A" readlink /proc/self/ns/mnt)
eq "without --sysfs or --dns: the host's mount namespace" "$(readlink /proc/self/ns/mnt)" "$out"

# --- --dns: netns:NAME and /etc/netns/NAME (ip netns exec's convention) ----

if [ -d /etc/netns ]; then on_exit "rm -rf /etc/netns/$A"; else on_exit "rm -rf /etc/netns"; fi
mkdir -p "/etc/netns/$A"
printf 'nameserver 192.0.2.56\nsearch nj-%s.test\n' "$nj_id" >"/etc/netns/$A/resolv.conf"
printf '127.0.0.1 localhost\n192.0.2.86 nj-netns-host\n' >"/etc/netns/$A/hosts"

out=$(nj_out_of "$NETJOIN" --dns "netns:$A" cat /etc/resolv.conf)
eq "--dns netns:$A: /etc/resolv.conf is /etc/netns/$A/resolv.conf" "$(cat "/etc/netns/$A/resolv.conf")" "$out"
eq "--dns netns:$A: resolv.conf as ip netns exec shows it" \
	"$(ip netns exec "$A" cat /etc/resolv.conf)" "$out"
out=$(nj_out_of "$NETJOIN" --dns "netns:$A" getent -s files hosts nj-netns-host | tr -s ' \t' ' ')
eq "--dns netns:$A: /etc/hosts is /etc/netns/$A/hosts (getent)" "192.0.2.86 nj-netns-host" "$out"
out=$(nj_out_of "$NETJOIN" --dns "netns:$A" readlink /proc/self/ns/net)
eq "--dns netns:$A: still in $A's network namespace" "net:[$ino_a]" "$out"
out=$(nj_out_of "$NETJOIN" --dns "netns:$A" sh -c "$sys_dev_cmd")
eq "--dns without --sysfs: /sys inside is the host's sysfs" "${sys_before#* }" "$out"
for ((i = 0; i < 5; i++)); do
	out=$(nj_out_of "$NETJOIN" --dns "netns:$A" ls /sys/class/net | line)
	IFS='|' read -r hn hs <<<"$(host_net_stable)"
	[ "$out" = "$hs" ] && break
done
eq "--dns without --sysfs: /sys/class/net is the host's" "$hs" "$out"
out=$(nj_out_of "$NETJOIN" --dns --sysfs "netns:$A" sh -c 'ls /sys/class/net; cat /etc/resolv.conf' | line)
eq "--dns --sysfs netns:$A: both" "$(printf '%s\n%s\n' "$names_a" "$(cat "/etc/netns/$A/resolv.conf")" | line)" "$out"
out=$(nj_out_of "$NETJOIN" "netns:$A" cat /etc/resolv.conf)
eq "without --dns: the host's /etc/resolv.conf" "$(cat /etc/resolv.conf)" "$out"

# A process's own files: /proc/PID/root/etc, seen through its mount
# namespace (here a bind mount only that namespace has).
printf 'nameserver 192.0.2.57\n' >"$tmp/pid-resolv.conf"
printf '127.0.0.1 localhost\n192.0.2.87 nj-pid-host\n' >"$tmp/pid-hosts"
ip netns exec "$B" unshare -m --propagation private sh -c '
	mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/hosts && exec sleep 600' \
	sh "$tmp/pid-resolv.conf" "$tmp/pid-hosts" >/dev/null 2>&1 &
pid_b=$!
on_exit "kill $pid_b"
for ((i = 0; i < 50; i++)); do
	[ "$(readlink "/proc/$pid_b/exe" 2>/dev/null)" = "$(readlink -f "$(command -v sleep)")" ] && break
	sleep 0.1
done
out=$(nj_out_of "$NETJOIN" --dns "pid:$pid_b" cat /etc/resolv.conf)
eq "--dns pid:N: /etc/resolv.conf is the process's own" "nameserver 192.0.2.57" "$out"
out=$(nj_out_of "$NETJOIN" --dns "pid:$pid_b" getent -s files hosts nj-pid-host | tr -s ' \t' ' ')
eq "--dns pid:N: /etc/hosts is the process's own" "192.0.2.87 nj-pid-host" "$out"
out=$(nj_out_of "$NETJOIN" --dns "pid:$pid_b" readlink /proc/self/ns/net)
eq "--dns pid:N: in the process's network namespace" "net:[$ino_b]" "$out"

# Nothing reached the host: its /etc files, /sys and mounts.
check_eq "host's /etc/resolv.conf unchanged" "$resolv_before" "$(md5sum </etc/resolv.conf)"
check_eq "host's /etc/hosts unchanged" "$hosts_before" "$(md5sum </etc/hosts)"
check_eq "host's /sys is the same mount (ID, device)" "$sys_before" "$(sys_mount)"
check_eq "host's /sys/class/net is the same directory" "$sys_ino_before" "$(stat -c %d:%i /sys/class/net)"
IFS='|' read -r hn hs <<<"$(host_net_stable)"
check_eq "host's /sys/class/net lists the host's interfaces" "$hn" "$hs"
# Other tests may mount and unmount elsewhere meanwhile (nsfs, overlays
# under /run and /var/lib): only /, /proc, /sys and /etc must not change.
comm -3 <(printf '%s\n' "$mounts_before") <(mount_keys) | sed 's/^\t/+ /; /^+ /!s/^/- /' >"$tmp/mounts.diff"
awk '$2 == "/" || $2 ~ "^/(sys|proc|etc)(/|$)"' "$tmp/mounts.diff" >"$tmp/mounts.bad"
if [ ! -s "$tmp/mounts.bad" ]; then ok "host's mounts on /, /proc, /sys, /etc unchanged (mountpoint, fstype)"; else
	not_ok "host's mounts on /, /proc, /sys, /etc unchanged (mountpoint, fstype)"; diag <"$tmp/mounts.bad"
fi

# The same in a view whose mounts are all shared, as on a systemd host:
# there a mount namespace that is not made a slave sends its mounts (and
# the unmount of /sys) back. Nothing else mounts in this view, so its
# mountinfo must be identical, line for line.
unshare -m --propagation shared sh -c '
	d=$1; shift
	cat /proc/self/mountinfo >"$d/view.before"; md5sum </etc/resolv.conf >"$d/view.resolv.before"
	"$@" >"$d/view.out" 2>"$d/view.err"; echo $? >"$d/view.rc"
	cat /proc/self/mountinfo >"$d/view.after"; md5sum </etc/resolv.conf >"$d/view.resolv.after"
	ls /sys/class/net >"$d/view.net"' \
	sh "$tmp" "$NETJOIN" --sysfs --dns "netns:$A" sh -c 'ls /sys/class/net; cat /etc/resolv.conf'
check_eq "shared-propagation view: the command ran (exit 0)" 0 "$(cat "$tmp/view.rc")"
if grep -q ' shared:' "$tmp/view.before"; then ok "shared-propagation view: its mounts are shared"; else
	not_ok "shared-propagation view: its mounts are shared"; diag <"$tmp/view.before"
fi
if diff "$tmp/view.before" "$tmp/view.after" >"$tmp/view.diff"; then
	ok "shared-propagation view: --sysfs --dns left its mountinfo identical"
else
	not_ok "shared-propagation view: --sysfs --dns left its mountinfo identical"; diag <"$tmp/view.diff"
fi
check_eq "shared-propagation view: its /etc/resolv.conf unchanged" "$(cat "$tmp/view.resolv.before")" "$(cat "$tmp/view.resolv.after")"
if ! grep -qx v0 "$tmp/view.net" && grep -qx lo "$tmp/view.net"; then ok "shared-propagation view: its /sys/class/net is still the host's"; else
	not_ok "shared-propagation view: its /sys/class/net is still the host's"; diag <"$tmp/view.net"
fi

# --- --user -----------------------------------------------------------------

nogroup_gid=$(id -g nobody)
out=$(nj_out_of "$NETJOIN" --user nobody "netns:$A" id -u)
eq "--user nobody: id -u" 65534 "$out"
out=$(nj_out_of "$NETJOIN" --user nobody "netns:$A" id -g)
eq "--user nobody: id -g is nobody's group" "$nogroup_gid" "$out"
out=$(nj_out_of "$NETJOIN" --user nobody "netns:$A" id -G | line)
eq "--user nobody: its groups, no others" "$(id -G nobody | line)" "$out"
# Supplementary groups of the caller (adm, disk) are not kept.
out=$(nj_out_of setpriv --groups 4,6 "$NETJOIN" --user nobody "netns:$A" id -G | line)
eq "--user nobody, called with groups 4,6: only nobody's groups" "$(id -G nobody | line)" "$out"
out=$(nj_out_of "$NETJOIN" --user nobody "netns:$A" sh -c 'grep -E "^(CapInh|CapPrm|CapEff|CapAmb):" /proc/self/status' | tr -s ' \t' ' ')
eq "--user nobody: CapInh, CapPrm, CapEff, CapAmb all zero" \
	"$(printf 'CapInh: 0000000000000000\nCapPrm: 0000000000000000\nCapEff: 0000000000000000\nCapAmb: 0000000000000000')" "$out"
out=$(nj_out_of "$NETJOIN" --user nobody "netns:$A" sh -c 'grep ^Uid: /proc/self/status; grep ^Gid: /proc/self/status' | tr -s ' \t' ' ')
eq "--user nobody: real, effective, saved and fs IDs all nobody's" \
	"$(printf 'Uid: 65534 65534 65534 65534\nGid: %s %s %s %s' "$nogroup_gid" "$nogroup_gid" "$nogroup_gid" "$nogroup_gid")" "$out"
out=$(nj_out_of "$NETJOIN" --user nobody "netns:$A" readlink /proc/self/ns/net)
eq "--user nobody: still in $A's network namespace" "net:[$ino_a]" "$out"
out=$(nj_out_of "$NETJOIN" --user nobody:root "netns:$A" sh -c 'id -u; id -g; id -G')
eq "--user nobody:root: uid 65534, gid 0, only group 0" "$(printf '65534\n0\n0')" "$out"
out=$(nj_out_of "$NETJOIN" --user 65534:0 "netns:$A" sh -c 'id -u; id -g')
eq "--user 65534:0 (numbers): uid 65534, gid 0" "$(printf '65534\n0')" "$out"
num=12345
while getent passwd "$num" >/dev/null || getent group "$num" >/dev/null; do num=$((num + 1)); done
out=$(nj_out_of "$NETJOIN" --user "$num" "netns:$A" sh -c 'id -u; id -g; id -G; grep ^CapEff: /proc/self/status' | tr -s ' \t' ' ')
eq "--user $num (no passwd entry): uid, gid and groups $num, no capabilities" \
	"$(printf '%s\n%s\n%s\nCapEff: 0000000000000000' "$num" "$num" "$num")" "$out"
out=$(nj_out_of "$NETJOIN" --user nobody --sysfs --dns "netns:$A" sh -c 'id -u; ls /sys/class/net; cat /etc/resolv.conf' | line)
eq "--user nobody --sysfs --dns: all three" \
	"$(printf '65534\n%s\n%s\n' "$names_a" "$(cat "/etc/netns/$A/resolv.conf")" | line)" "$out"
bad_user=nj-no-such-user-$nj_id
check_exit "--user $bad_user: exit 2" 2 "$NETJOIN" --user "$bad_user" "netns:$A" true
err_has "--user $bad_user: the message names the user" "$bad_user"
err_line "--user $bad_user: one netjoin: line"
check_exit "--user nobody:nj-no-such-group: exit 2" 2 "$NETJOIN" --user "nobody:nj-no-such-group-$nj_id" "netns:$A" true
err_has "--user nobody:nj-no-such-group: the message names the group" "nj-no-such-group-$nj_id"

# --- the command's environment -----------------------------------------------

env_of() { nj_out_of "$NETJOIN" "$@" sh -c 'printf "%s %s\n" "$NETJOIN_TARGET" "$NETJOIN_NETNS"'; }
out=$(env_of "netns:$A")
eq "netns:$A: NETJOIN_TARGET, NETJOIN_NETNS" "netns:$A net:[$ino_a]" "$out"
out=$(env_of "/run/netns/$A")
eq "/run/netns/$A (a path): NETJOIN_TARGET as typed" "/run/netns/$A net:[$ino_a]" "$out"
out=$(env_of "netns:/run/netns/$B")
eq "netns:/run/netns/$B: NETJOIN_TARGET as typed" "netns:/run/netns/$B net:[$ino_b]" "$out"
out=$(env_of "pid:$pid_b")
eq "pid:$pid_b: NETJOIN_TARGET, NETJOIN_NETNS" "pid:$pid_b net:[$ino_b]" "$out"
out=$(env_of "$pid_b")
eq "$pid_b (a bare PID): NETJOIN_TARGET as typed" "$pid_b net:[$ino_b]" "$out"
out=$(env_of host)
eq "host: NETJOIN_NETNS is the host's" "host net:[$ino_host]" "$out"
out=$(NETJOIN_TARGET=bogus NETJOIN_NETNS=bogus env_of "netns:$A")
eq "netns:$A: NETJOIN_TARGET/NETJOIN_NETNS from the caller are replaced" "netns:$A net:[$ino_a]" "$out"
out=$(env_of --user nobody "netns:$A")
eq "--user nobody: NETJOIN_TARGET, NETJOIN_NETNS" "netns:$A net:[$ino_a]" "$out"
out=$(env_of --sysfs --dns "netns:$A")
eq "--sysfs --dns: NETJOIN_TARGET, NETJOIN_NETNS" "netns:$A net:[$ino_a]" "$out"
out=$(nj_out_of "$NETJOIN" "netns:$A" readlink /proc/self/ns/net)
eq "netns:$A: NETJOIN_NETNS names the namespace the command is in" "net:[$ino_a]" "$out"

# --- privileges ---------------------------------------------------------------

# A process of nobody's in $B.
ip netns exec "$B" setpriv --reuid=65534 --regid=65534 --clear-groups sleep 600 >/dev/null 2>&1 &
pid_nobody=$!
on_exit "kill $pid_nobody"
for ((i = 0; i < 50; i++)); do
	[ "$(stat -c %u "/proc/$pid_nobody" 2>/dev/null)" = 65534 ] &&
		[ "$(readlink "/proc/$pid_nobody/exe")" = "$(readlink -f "$(command -v sleep)")" ] && break
	sleep 0.1
done

# A copy of the binary nobody can run, on a filesystem without nosuid.
mkdir "$tmp/bin" && chmod 755 "$tmp/bin"
cp "$NETJOIN" "$tmp/bin/netjoin" && chmod 755 "$tmp/bin/netjoin"

check_exit "as nobody: exit 5" 5 as_nobody "$tmp/bin/netjoin" "netns:$A" true
err_has "as nobody: names CAP_SYS_ADMIN" 'CAP_SYS_ADMIN'
err_line "as nobody: one netjoin: line"
check_exit "as nobody, pid:N of nobody's own process: exit 5" 5 as_nobody "$tmp/bin/netjoin" "pid:$pid_nobody" true
err_has "as nobody, pid:N: names CAP_SYS_ADMIN" 'CAP_SYS_ADMIN'
check_exit "root without CAP_SYS_ADMIN: exit 5" 5 without sys_admin "$NETJOIN" "netns:$A" true
err_has "root without CAP_SYS_ADMIN: names CAP_SYS_ADMIN" 'CAP_SYS_ADMIN'
check_exit "root without CAP_SYS_ADMIN, with --sysfs: exit 5" 5 without sys_admin "$NETJOIN" --sysfs "netns:$A" true
err_has "root without CAP_SYS_ADMIN, with --sysfs: names CAP_SYS_ADMIN" 'CAP_SYS_ADMIN'
out=$(without sys_admin grep ^CapEff: /proc/self/status | awk '{print $2}')
if [ -n "$out" ] && (( (16#$out >> 21 & 1) == 0 )); then ok "setpriv control: CAP_SYS_ADMIN really dropped"; else
	not_ok "setpriv control: CAP_SYS_ADMIN really dropped"; echo "#   CapEff: $out"
fi

# Another user's process: CAP_SYS_PTRACE.
check_exit "root without CAP_SYS_PTRACE, pid:N of nobody: exit 5" 5 \
	without sys_ptrace "$NETJOIN" "pid:$pid_nobody" true
err_has "root without CAP_SYS_PTRACE: names CAP_SYS_PTRACE" 'CAP_SYS_PTRACE'
err_line "root without CAP_SYS_PTRACE: one netjoin: line"
out=$(nj_out_of without sys_ptrace "$NETJOIN" "netns:$B" readlink /proc/self/ns/net)
eq "root without CAP_SYS_PTRACE, netns:NAME (no process): joins" "net:[$ino_b]" "$out"
# The kernel (commoncap) asks CAP_SYS_PTRACE also for a process of the
# same uid that holds capabilities the caller lacks; one that holds no
# more than the caller is joined without it.
check_exit "root without CAP_SYS_PTRACE, pid:N of a root process with it: exit 5" 5 \
	without sys_ptrace "$NETJOIN" "pid:$pid_b" true
err_has "root without CAP_SYS_PTRACE, pid:N of a root process with it: names CAP_SYS_PTRACE" 'CAP_SYS_PTRACE'
ip netns exec "$B" setpriv --inh-caps=-all --bounding-set=-sys_ptrace sleep 600 >/dev/null 2>&1 &
pid_np=$!
on_exit "kill $pid_np"
for ((i = 0; i < 50; i++)); do
	[ "$(readlink "/proc/$pid_np/exe" 2>/dev/null)" = "$(readlink -f "$(command -v sleep)")" ] && break
	sleep 0.1
done
out=$(nj_out_of without sys_ptrace "$NETJOIN" "pid:$pid_np" readlink /proc/self/ns/net)
eq "root without CAP_SYS_PTRACE, pid:N of a root process without it either: joins" "net:[$ino_b]" "$out"
out=$(nj_out_of "$NETJOIN" "pid:$pid_nobody" readlink /proc/self/ns/net)
eq "root, pid:N of nobody: joins" "net:[$ino_b]" "$out"

# setuid, setgid, file capabilities: refused before anything else.
suid_control=$(cp /usr/bin/id "$tmp/bin/id" && chmod 4755 "$tmp/bin/id" && as_nobody "$tmp/bin/id" -u)
if [ "$suid_control" != 0 ]; then
	missing "setuid copies: setuid does not take effect in $tmp (id -u of a setuid id: $suid_control)"
else
	chmod 4755 "$tmp/bin/netjoin"
	check_exit "setuid-root copy run by nobody: exit 5" 5 as_nobody "$tmp/bin/netjoin" "netns:$A" true
	err_has "setuid-root copy: says setuid" 'setuid'
	err_line "setuid-root copy: one netjoin: line"
	check_exit "setuid-root copy run by nobody, listing: exit 5" 5 as_nobody "$tmp/bin/netjoin" "netns:$A"
	check_exit "setuid-root copy run by nobody, -L: exit 5" 5 as_nobody "$tmp/bin/netjoin" -L
	chmod 2755 "$tmp/bin/netjoin"
	check_exit "setgid-root copy run by nobody: exit 5" 5 as_nobody "$tmp/bin/netjoin" "netns:$A" true
	err_has "setgid-root copy: says setgid" 'setgid'
	chmod 0755 "$tmp/bin/netjoin"
	if command -v setcap >/dev/null 2>&1; then
		if setcap cap_sys_admin+ep "$tmp/bin/netjoin" 2>"$tmp/setcap.err"; then
			check_exit "copy with file capability cap_sys_admin+ep, run by nobody: exit 5" 5 \
				as_nobody "$tmp/bin/netjoin" "netns:$A" true
			err_has "file-capability copy: says file capabilities" 'file capabilit'
			setcap -r "$tmp/bin/netjoin"
		else
			missing "setcap cap_sys_admin+ep on $tmp: $(cat "$tmp/setcap.err")"
		fi
	else
		missing "setcap (libcap2-bin) not installed"
	fi
fi
check_exit "the plain copy, as root: runs" 0 "$tmp/bin/netjoin" "netns:$A" true

# Capture tools need CAP_NET_RAW: said before joining, not by the tool.
if command -v tcpdump >/dev/null 2>&1 && [ -z "$(getcap "$(command -v tcpdump)" 2>/dev/null)" ]; then
	check_exit "--user nobody tcpdump: exit 5" 5 timeout 20 "$NETJOIN" --user nobody "netns:$A" tcpdump -c1 -n -i lo
	err_has "--user nobody tcpdump: names CAP_NET_RAW" 'CAP_NET_RAW'
	err_line "--user nobody tcpdump: one netjoin: line"
	check_exit "--user nobody /usr/bin/tcpdump (a path): exit 5" 5 \
		timeout 20 "$NETJOIN" --user nobody "netns:$A" "$(command -v tcpdump)" -c1 -n -i lo
	check_exit "root without CAP_NET_RAW, tcpdump: exit 5" 5 \
		without net_raw timeout 20 "$NETJOIN" "netns:$A" tcpdump -c1 -n -i lo
	err_has "root without CAP_NET_RAW, tcpdump: names CAP_NET_RAW" 'CAP_NET_RAW'

	# As root it runs: one packet sent to 127.0.0.1 inside $A, on a port
	# of our own, is what it captures.
	port=$((20000 + RANDOM % 20000))
	timeout 30 "$NETJOIN" "netns:$A" tcpdump -c1 -n -l -i lo udp port "$port" >"$tmp/td.out" 2>"$tmp/td.err" &
	td=$!
	for ((i = 0; i < 100; i++)); do grep -q 'listening on' "$tmp/td.err" && break; sleep 0.1; done
	for ((i = 0; i < 50; i++)); do
		kill -0 "$td" 2>/dev/null || break
		ip netns exec "$A" bash -c "echo nj >/dev/udp/127.0.0.1/$port" 2>/dev/null
		sleep 0.1
	done
	wait "$td"; td_rc=$?
	if [ "$td_rc" = 0 ] && grep -q "127\.0\.0\.1\.[0-9]* > 127\.0\.0\.1\.$port: UDP" "$tmp/td.out"; then
		ok "root: tcpdump -c1 -i lo inside $A captures the packet sent there"
	else
		not_ok "root: tcpdump -c1 -i lo inside $A captures the packet sent there"
		echo "#   exit $td_rc"; diag <"$tmp/td.out"; diag <"$tmp/td.err"
	fi
else
	missing "tcpdump (without file capabilities) not installed: scripts/deps.sh --it"
fi

# --- -S/--shell under a pseudo-terminal ------------------------------------

# session SHELL INPUT ARGS...: `netjoin -S ARGS` in script(1)'s pty with
# SHELL (- to unset it), INPUT typed; the terminal's output, without
# escape sequences and CRs, in $tmp/sh.out; script's status returned.
session() {
	local sh=$1 input=$2 cmd rc; shift 2
	printf -v cmd '%q ' "$NETJOIN" -S "$@"
	if [ "$sh" = - ]; then
		printf '%s' "$input" | env -u SHELL TERM=dumb timeout 30 script -qec "$cmd" /dev/null >"$tmp/sh.raw" 2>&1
	else
		printf '%s' "$input" | SHELL=$sh TERM=dumb timeout 30 script -qec "$cmd" /dev/null >"$tmp/sh.raw" 2>&1
	fi
	rc=$?
	sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g' "$tmp/sh.raw" >"$tmp/sh.out"
	return "$rc"
}
# The interfaces of `ip -br addr` lines in $tmp/sh.out (after any prompt).
br_names() {
	sed 's/^.*\] [$#] //' "$tmp/sh.out" |
		awk '$2 ~ /^(UNKNOWN|UP|DOWN|LOWERLAYERDOWN|DORMANT|NOTPRESENT|TESTING)$/ { sub(/@.*/, "", $1); print $1 }' | line
}

for sh in /bin/bash /bin/sh -; do
	label=SHELL=$sh; [ "$sh" = - ] && label="SHELL unset"
	[ "$sh" = - ] || [ -x "$sh" ] || { missing "$sh not installed"; continue; }
	session "$sh" $'ip -br addr\necho "nj-env $NETJOIN_TARGET $NETJOIN_NETNS"\nexit 7\n' "netns:$A"
	rc=$?
	eq "-S ($label): exits with the shell's status" 7 "$rc"
	if grep -qF "[netjoin netns:$A]" "$tmp/sh.out"; then ok "-S ($label): the prompt shows [netjoin netns:$A]"; else
		not_ok "-S ($label): the prompt shows [netjoin netns:$A]"; diag <"$tmp/sh.out"
	fi
	out=$(br_names)
	if [ "$out" = "$names_a" ]; then ok "-S ($label): ip -br addr shows $A's interfaces, not the host's"; else
		not_ok "-S ($label): ip -br addr shows $A's interfaces, not the host's"
		printf '#   expected: %s\n#   actual:   %s\n' "$names_a" "$out"; diag <"$tmp/sh.out"
	fi
	if grep -q "nj-env netns:$A net:\[$ino_a\]" "$tmp/sh.out"; then ok "-S ($label): NETJOIN_TARGET, NETJOIN_NETNS"; else
		not_ok "-S ($label): NETJOIN_TARGET, NETJOIN_NETNS"; diag <"$tmp/sh.out"
	fi
done
if ip link show eth0 >/dev/null 2>&1; then
	if grep -qw eth0 "$tmp/sh.out"; then not_ok "-S: the host's eth0 is not shown"; diag <"$tmp/sh.out"; else
		ok "-S: the host's eth0 is not shown"
	fi
else
	missing "an eth0 on the host, to show -S hides it"
fi
session /bin/sh $'id -u\nls /sys/class/net | tr "\\n" " "; echo\nexit\n' --user nobody --sysfs "netns:$A"
rc=$?
eq "-S --user nobody --sysfs: exit 0" 0 "$rc"
if grep -q '^65534$' "$tmp/sh.out" || grep -q '\] [$#] 65534$' "$tmp/sh.out"; then ok "-S --user nobody: the shell runs as nobody"; else
	not_ok "-S --user nobody: the shell runs as nobody"; diag <"$tmp/sh.out"
fi
if grep -q "$(tr ' ' '\n' <<<"$names_a" | sort | tr '\n' ' ' | sed 's/ $//')" "$tmp/sh.out"; then
	ok "-S --sysfs: /sys/class/net is $A's"
else
	not_ok "-S --sysfs: /sys/class/net is $A's"; diag <"$tmp/sh.out"
fi

# --- Docker ---------------------------------------------------------------------

docker_section() {
	local docker=/usr/bin/docker image=netjoin-test/busybox:latest sock=/run/netjoin-test/docker.sock
	local up name=$nj_id-dk pid id ino out rpath hpath
	{ [ -x "$docker" ] && [ -x /usr/sbin/dockerd ]; } || { missing "Docker: docker.io not installed"; return; }
	if ! curl -fsS --max-time 2 --unix-socket "$sock" http://docker/_ping >/dev/null 2>&1; then
		on_exit "$top/scripts/docker-down.sh"
	fi
	if ! up=$("$top"/scripts/docker-up.sh 2>"$tmp/up.err"); then
		diag <"$tmp/up.err"; missing "Docker: cannot start the private dockerd"; return
	fi
	# every docker command, cleanups too, names the private engine
	docker="env ${up?} $docker"
	local DOCKER_HOST=${up#DOCKER_HOST=}
	export DOCKER_HOST
	"$top"/scripts/mkimage.sh >/dev/null 2>"$tmp/up.err" ||
		{ diag <"$tmp/up.err"; missing "Docker: cannot build $image"; return; }
	on_exit "$docker rm -f $name"
	if ! $docker run -d --name "$name" --dns 192.0.2.53 --add-host nj-test-host:192.0.2.80 \
		"$image" sleep 3600 >/dev/null 2>"$tmp/run.err"; then
		diag <"$tmp/run.err"; missing "Docker: cannot run a container"; return
	fi
	pid=$($docker inspect -f '{{.State.Pid}}' "$name")
	id=$($docker inspect -f '{{.Id}}' "$name")
	rpath=$($docker inspect -f '{{.ResolvConfPath}}' "$name")
	hpath=$($docker inspect -f '{{.HostsPath}}' "$name")
	ino=$(stat -L -c %i "/proc/$pid/ns/net")

	out=$(nj_out_of "$NETJOIN" --dns "$name" cat /etc/resolv.conf)
	if grep -qx 'nameserver 192.0.2.53' <<<"$out"; then ok "Docker --dns $name: resolv.conf has nameserver 192.0.2.53"; else
		not_ok "Docker --dns $name: resolv.conf has nameserver 192.0.2.53"; printf '%s\n' "$out" | diag; explain
	fi
	eq "Docker --dns $name: /etc/resolv.conf is ResolvConfPath" "$(cat "$rpath")" "$out"
	out=$(nj_out_of "$NETJOIN" --dns "$name" getent -s files hosts nj-test-host | tr -s ' \t' ' ')
	eq "Docker --dns $name: getent hosts nj-test-host (--add-host)" "192.0.2.80 nj-test-host" "$out"
	out=$(nj_out_of "$NETJOIN" --dns "docker:$name" cat /etc/hosts)
	eq "Docker --dns docker:$name: /etc/hosts is HostsPath" "$(cat "$hpath")" "$out"
	out=$(nj_out_of "$NETJOIN" --dns "${id:0:12}" readlink /proc/self/ns/net)
	eq "Docker --dns ${id:0:12}: in the container's namespace" "net:[$ino]" "$out"
	out=$(nj_out_of "$NETJOIN" --dns "$name" sh -c "$sys_dev_cmd")
	eq "Docker --dns without --sysfs: /sys is the host's sysfs" "${sys_before#* }" "$out"
	out=$(nj_out_of "$NETJOIN" "$name" cat /etc/resolv.conf)
	eq "Docker without --dns: the host's resolv.conf" "$(cat /etc/resolv.conf)" "$out"

	out=$(nj_out_of "$NETJOIN" --sysfs "$name" ls /sys/class/net | line)
	eq "Docker --sysfs $name: /sys/class/net is exactly its interfaces" "$(names_pid "$pid")" "$out"
	out=$(nj_out_of "$NETJOIN" --sysfs "$name" cat /sys/class/net/eth0/address)
	eq "Docker --sysfs $name: eth0's MAC is the container's" \
		"$(nsenter -n -t "$pid" ip -j link show eth0 | jq -r '.[0].address')" "$out"

	out=$(env_of "$name")
	eq "Docker $name: NETJOIN_TARGET, NETJOIN_NETNS" "$name net:[$ino]" "$out"
	out=$(env_of "docker:${id:0:10}")
	eq "Docker docker:${id:0:10}: NETJOIN_TARGET as typed (the prefix)" "docker:${id:0:10} net:[$ino]" "$out"
	out=$(env_of --user nobody --dns "$name")
	eq "Docker --user nobody --dns $name: NETJOIN_TARGET, NETJOIN_NETNS" "$name net:[$ino]" "$out"

	check_eq "after Docker: host's /etc/resolv.conf unchanged" "$resolv_before" "$(md5sum </etc/resolv.conf)"
	check_eq "after Docker: host's /sys is the same mount" "$sys_before" "$(sys_mount)"
}

# --- podman ------------------------------------------------------------------

podman_section() {
	local pm=$top/scripts/podman-private.sh name=$nj_id-pm image=localhost/netjoin-test/busybox:latest
	local graph=/var/lib/netjoin-test/containers runroot=/run/netjoin-test/containers
	local d pid id ino out
	command -v podman >/dev/null 2>&1 || { missing "podman not installed"; return; }
	for d in /var/lib/containers /run/containers; do
		[ -e "$d" ] || on_exit "rmdir $d/storage $d"
	done
	if [ -f /run/netjoin-test/podman/containers.conf ]; then
		on_exit "$pm rm -f -t 0 $name"
	else
		on_exit "$top/scripts/podman-down.sh"
	fi
	if ! "$top"/scripts/podman-up.sh >/dev/null 2>"$tmp/up.err"; then
		diag <"$tmp/up.err"; missing "podman: cannot set up the private store"; return
	fi
	if ! $pm run -d --name "$name" --dns 192.0.2.54 --add-host nj-test-host:192.0.2.81 \
		"$image" sleep 3600 >/dev/null 2>"$tmp/run.err"; then
		diag <"$tmp/run.err"; missing "podman: cannot run a container"; return
	fi
	pid=$($pm inspect -f '{{.State.Pid}}' "$name")
	id=$($pm inspect -f '{{.Id}}' "$name")
	ino=$(stat -L -c %i "/proc/$pid/ns/net")
	nj_view_binds=("$graph" /var/lib/containers/storage "$runroot" /run/containers/storage)

	out=$(DOCKER_HOST=unix:///nonexistent.sock nj_out_of nj_view "$NETJOIN" --dns "podman:$name" cat /etc/resolv.conf)
	if grep -qx 'nameserver 192.0.2.54' <<<"$out"; then ok "podman --dns podman:$name: resolv.conf has nameserver 192.0.2.54"; else
		not_ok "podman --dns podman:$name: resolv.conf has nameserver 192.0.2.54"; printf '%s\n' "$out" | diag; explain
	fi
	eq "podman --dns: /etc/resolv.conf is userdata/resolv.conf" \
		"$(cat "$runroot/overlay-containers/$id/userdata/resolv.conf")" "$out"
	out=$(DOCKER_HOST=unix:///nonexistent.sock nj_out_of nj_view "$NETJOIN" --dns "podman:$name" \
		getent -s files hosts nj-test-host | tr -s ' \t' ' ')
	eq "podman --dns: getent hosts nj-test-host (--add-host)" "192.0.2.81 nj-test-host" "$out"
	out=$(DOCKER_HOST=unix:///nonexistent.sock nj_out_of nj_view "$NETJOIN" --dns --sysfs "$name" \
		sh -c 'readlink /proc/self/ns/net; ls /sys/class/net' | line)
	eq "podman --dns --sysfs $name: its namespace and interfaces" \
		"$(printf 'net:[%s] %s' "$ino" "$(names_pid "$pid")" | line)" "$out"
	out=$(DOCKER_HOST=unix:///nonexistent.sock env_of_view "podman:$name")
	eq "podman podman:$name: NETJOIN_TARGET, NETJOIN_NETNS" "podman:$name net:[$ino]" "$out"
	check_eq "after podman: host's /etc/resolv.conf unchanged" "$resolv_before" "$(md5sum </etc/resolv.conf)"
}
env_of_view() { nj_out_of nj_view "$NETJOIN" "$@" sh -c 'printf "%s %s\n" "$NETJOIN_TARGET" "$NETJOIN_NETNS"'; }

# --- a Kubernetes pod on containerd ----------------------------------------------

pod_section() {
	local state=/run/netjoin-test/containerd sock=/run/netjoin-test/containerd/containerd.sock
	local rootfs=$tmp/rootfs cri=/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes
	local pod=dbg-$nj_id uid ns sb app ino out d hide=()
	for d in ctr containerd containerd-shim-runc-v2 runc; do
		command -v "$d" >/dev/null 2>&1 || { missing "pod: $d not installed"; return; }
	done
	if ! { [ -S "$sock" ] && timeout 5 ctr --address "$sock" version >/dev/null 2>&1; }; then
		on_exit "$top/scripts/containerd-down.sh"
	fi
	if ! "$top"/scripts/containerd-up.sh >/dev/null 2>"$tmp/up.err"; then
		diag <"$tmp/up.err"; missing "pod: cannot start the private containerd"; return
	fi
	if ! { "$top"/scripts/mkimage.sh --tar "$tmp/rootfs.tar" >/dev/null 2>&1 &&
		mkdir "$rootfs" && tar -C "$rootfs" -xf "$tmp/rootfs.tar"; }; then
		missing "pod: cannot build the busybox rootfs"; return
	fi
	ctr_() { timeout 60 ctr --address "$sock" "$@"; }
	# (cleanups run after this function returned: no locals in them)
	local ctrx="timeout 60 ctr --address $sock"
	# A pod as containerd's CRI plugin makes one: a pinned netns cni-<uuid>
	# with a veth, a sandbox task in it, an app task joined to the sandbox.
	ns=cni-$(cat /proc/sys/kernel/random/uuid)
	uid=$(cat /proc/sys/kernel/random/uuid)
	sb=a$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n' | cut -c2-)
	app=b$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n' | cut -c2-)
	mk_netns "$ns" || { missing "pod: cannot make its namespace"; return; }
	if ! { ip -n "$ns" link add eth0 type veth peer name "${nj_id}p" netns "$B" &&
		ip -n "$ns" addr add 10.217.9.2/24 dev eth0 && ip -n "$ns" link set eth0 up; }; then
		missing "pod: cannot give its namespace an eth0"; return
	fi
	pod_task() {
		local id=$1; shift
		on_exit "$ctrx -n k8s.io tasks delete -f $id; $ctrx -n k8s.io containers delete $id; $ctrx namespaces remove k8s.io; rmdir $state/io.containerd.runtime.v2.task/k8s.io $state/runc/k8s.io"
		ctr_ -n k8s.io run -d --null-io --cgroup "" --runc-root "$state/runc" "$@" \
			--annotation "io.kubernetes.cri.sandbox-id=$sb" \
			--annotation "io.kubernetes.cri.sandbox-name=$pod" \
			--annotation io.kubernetes.cri.sandbox-namespace=shop \
			--annotation "io.kubernetes.cri.sandbox-uid=$uid" \
			--rootfs "$rootfs" "$id" /bin/sleep 3600 >"$tmp/run.err" 2>&1 || { diag <"$tmp/run.err"; return 1; }
	}
	pod_task "$sb" --with-ns "network:/var/run/netns/$ns" \
		--label io.cri-containerd.kind=sandbox \
		--annotation io.kubernetes.cri.container-type=sandbox ||
		{ missing "pod: cannot run the sandbox with ctr"; return; }
	pod_task "$app" --with-ns "network:/proc/$(cat "$state/io.containerd.runtime.v2.task/k8s.io/$sb/init.pid")/ns/net" \
		--label io.cri-containerd.kind=container \
		--annotation io.kubernetes.cri.container-type=container \
		--annotation io.kubernetes.cri.container-name=app ||
		{ missing "pod: cannot run the app container with ctr"; return; }
	ino=$(stat -L -c %i "/run/netns/$ns")

	# What the CRI plugin writes for the sandbox (resolv.conf from the pod's
	# dnsConfig, hosts a copy of the node's) and the kubelet's etc-hosts,
	# which it mounts into every container of the pod. Only the view sees
	# them at their real paths.
	mkdir -p "$tmp/cri/$sb" "$tmp/kubelet/$uid" "$tmp/empty"
	printf 'search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 192.0.2.55\noptions ndots:5\n' \
		>"$tmp/cri/$sb/resolv.conf"
	cp /etc/hosts "$tmp/cri/$sb/hosts"
	printf '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n10.217.9.2\t%s\n192.0.2.82\tnj-pod-host\n' "$pod" \
		>"$tmp/kubelet/$uid/etc-hosts"
	for d in /var/lib/docker /run/docker /run/containers /var/lib/containers /run/runc /run/crun; do
		[ -d "$d" ] && hide+=("$tmp/empty" "$d")
	done
	nj_view_binds=("$state" /run/containerd "$tmp/cri" "$cri" "$tmp/kubelet" /var/lib/kubelet/pods "${hide[@]}")
	# no Docker to ask here: pods are found on disk
	local DOCKER_HOST=unix://$tmp/no-docker.sock
	export DOCKER_HOST

	out=$(nj_out_of nj_view "$NETJOIN" --dns "pod:shop/$pod" cat /etc/resolv.conf)
	eq "pod --dns pod:shop/$pod: resolv.conf is the CRI sandbox's" "$(cat "$tmp/cri/$sb/resolv.conf")" "$out"
	out=$(nj_out_of nj_view "$NETJOIN" --dns "pod:shop/$pod" getent -s files hosts nj-pod-host | tr -s ' \t' ' ')
	eq "pod --dns pod:shop/$pod: /etc/hosts is the kubelet's etc-hosts" "192.0.2.82 nj-pod-host" "$out"
	out=$(nj_out_of nj_view "$NETJOIN" --dns "containerd:k8s.io/$app" sh -c 'cat /etc/resolv.conf /etc/hosts')
	eq "pod --dns containerd:k8s.io/<app>: the pod's resolv.conf and etc-hosts" \
		"$(cat "$tmp/cri/$sb/resolv.conf" "$tmp/kubelet/$uid/etc-hosts")" "$out"
	out=$(nj_out_of nj_view "$NETJOIN" --sysfs "pod:shop/$pod" ls /sys/class/net | line)
	eq "pod --sysfs pod:shop/$pod: /sys/class/net is exactly its interfaces" "$(names_netns "$ns")" "$out"
	out=$(env_of_view --dns "pod:shop/$pod")
	eq "pod pod:shop/$pod: NETJOIN_TARGET, NETJOIN_NETNS" "pod:shop/$pod net:[$ino]" "$out"
	check_eq "after pods: host's /etc/resolv.conf unchanged" "$resolv_before" "$(md5sum </etc/resolv.conf)"
	check_eq "after pods: host's /etc/hosts unchanged" "$hosts_before" "$(md5sum </etc/hosts)"
}

docker_section
podman_section
pod_section

# Everything at the end, once more: nothing of ours reached the host.
check_eq "at the end: host's /sys is the same mount (ID, device)" "$sys_before" "$(sys_mount)"
check_eq "at the end: host's /etc/resolv.conf unchanged" "$resolv_before" "$(md5sum </etc/resolv.conf)"
comm -3 <(printf '%s\n' "$mounts_before") <(mount_keys) | sed 's/^\t/+ /; /^+ /!s/^/- /' >"$tmp/mounts.diff"
awk '$2 == "/" || $2 ~ "^/(sys|proc|etc)(/|$)"' "$tmp/mounts.diff" >"$tmp/mounts.bad"
if [ ! -s "$tmp/mounts.bad" ]; then ok "at the end: host's mounts on /, /proc, /sys, /etc unchanged"; else
	not_ok "at the end: host's mounts on /, /proc, /sys, /etc unchanged"; diag <"$tmp/mounts.bad"
fi
