#!/usr/bin/env bash
# Hostile input ("Hardening"): malformed targets and option combinations,
# table-driven. Each row is
#
#     row EXIT ERE ARG...
#
# (with note=TEXT before it to say what an opaque ARG is)
# and runs `netjoin ARG...` under `timeout 10`, in a view where no
# runtime's state of this machine is visible and DOCKER_HOST names a socket
# that is not there. An ARG "@M" stands for a marker COMMAND, `touch
# $tmp/ran-N`. The row passes when netjoin
#   - ends (timeout 10 does not fire) and is not killed by a signal,
#   - exits EXIT,
#   - for EXIT != 0: prints nothing on stdout, and on stderr exactly one
#     line, "netjoin: ..." matching ERE, plus, for usage errors (2) only,
#     "Try 'netjoin --help' for more information.",
#   - runs the marker command if and only if EXIT is 0 (it joined nothing
#     and ran nothing when it failed).
# Rows whose EXIT is 0 are controls: they show the marker mechanism works.
# shellcheck source-path=SCRIPTDIR source=lib.sh
# shellcheck disable=SC2016 # the dock rows are jq programs: $id is jq's
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 253
need_root
need timeout
need unshare
need jq
need mkfifo
need python3
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
chmod 755 "$tmp"
on_exit "rm -rf $tmp"
diag() { sed -n '1,20s/^/#   /p'; }

# ---- the world the rows see ----------------------------------------------

# Relative paths are resolved from $cwd: ../../etc/passwd there is
# $tmp/etc/passwd, a plain file of ours.
cwd=$tmp/d1/d2
mkdir -p "$cwd" "$tmp/etc" "$tmp/dir" "$tmp/empty"
echo 'root:x:0:0:root:/root:/bin/sh' >"$tmp/etc/passwd"
mkfifo "$tmp/fifo"
ln -s "$tmp/loop" "$tmp/loop"
ln -s "$tmp/nonexistent" "$tmp/dangling"
ln -s /proc/self/ns/mnt "$tmp/mntlink"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tmp/sock"

# Hidden: every runtime's state on this machine. /run/netns stays.
hide_binds=()
for d in /var/lib/docker /run/docker /run/containerd /run/containers /var/lib/containers /run/runc /run/crun; do
	[ -d "$d" ] && hide_binds+=("$tmp/empty" "$d")
done
nj_view_binds=("${hide_binds[@]}")

# A hostile --host-root: /run/netns entries that are no namespaces, and
# Docker and containerd state that is malformed or points at the wrong
# things.
hr=$tmp/hr
mkdir -p "$hr/run/netns/dir" "$hr/var/lib/docker/containers" \
	"$hr/run/containerd/io.containerd.runtime.v2.task/hostile"
mkfifo "$hr/run/netns/fifo"
: >"$hr/run/netns/file" # what a failed `ip netns add` leaves
# Absolute links mean the host root's /dev/zero, /proc/...: resolved
# inside it (where there are none), never out into our own.
ln -s /dev/zero "$hr/run/netns/zero"
ln -s /proc/self/ns/mnt "$hr/run/netns/mnt"
ln -s "/proc/$$/ns/pid" "$hr/run/netns/pidns"
echo 'root:x:0:0:root:/root:/bin/sh' >"$hr/run/netns/passwd"

hexid() { printf '%s' "$1" | sha256sum | cut -c1-64; }
# dock NAME CONFIG_JSON_OR_SPECIAL: a Docker container NAME (its ID is
# hexid NAME) whose config.v2.json is CONFIG (jq program over $id), or a
# FIFO, /dev/zero, a 5 MB file or 100000 nested arrays.
dock() {
	local id c
	id=$(hexid "$1")
	c=$hr/var/lib/docker/containers/$id
	mkdir -p "$c"
	echo '{"NetworkMode": "bridge"}' >"$c/hostconfig.json"
	case $2 in
	@fifo) mkfifo "$c/config.v2.json" ;;
	@zero) ln -s /dev/zero "$c/config.v2.json" ;;
	@big) truncate -s 5M "$c/config.v2.json" ;;
	@deep) python3 -c 'print("[" * 100000 + "]" * 100000)' >"$c/config.v2.json" ;;
	*) jq -n --arg id "$id" "$2" >"$c/config.v2.json" ;;
	esac
}
# The PID records name a sleeper of ours, in a namespace of its own.
unshare -n sleep 300 >/dev/null 2>&1 &
sleeper=$!
on_exit "kill $sleeper"
run="{ID: \$id, Name: \"/x\", State: {Running: true, Pid: $sleeper}}"
dock fifo @fifo
dock zero @zero
dock big @big
dock deep @deep
# A SandboxKey (read under the host root, as the other paths) that is no
# network namespace, and no PID to fall back on: nothing to join.
nopid="{ID: \$id, Name: \"/x\", State: {Running: true, Pid: 0}}"
dock mntkey "$nopid | .NetworkSettings.SandboxKey = \"/run/netns/mnt\""
dock passwdkey "$nopid | .NetworkSettings.SandboxKey = \"/run/netns/passwd\""
dock fifokey "$nopid | .NetworkSettings.SandboxKey = \"/run/netns/fifo\""
dock negpid '{ID: $id, Name: "/x", State: {Running: true, Pid: -5}}'
dock hugepid '{ID: $id, Name: "/x", State: {Running: true, Pid: 99999999999}}'
dock strpid '{ID: $id, Name: "/x", State: {Running: true, Pid: "1; rm -rf /"}}'
dock nopid '{ID: $id, Name: "/x", State: {Running: true}}'
dock wrongid "$run | .ID = \"0000\""
dock nlname '{ID: $id, Name: "/we\nb", State: {Running: false, Pid: 0}}'
dock escname '{ID: $id, Name: "/\u001b]0;pwned\u0007x", State: {Running: false, Pid: 0}}'
# containerd tasks whose init.pid is not a PID
task() {
	local d
	d=$hr/run/containerd/io.containerd.runtime.v2.task/hostile/$(hexid "$1")
	mkdir -p "$d"
	echo '{"linux": {"namespaces": [{"type": "network"}]}}' >"$d/config.json"
	case $2 in
	@fifo) mkfifo "$d/init.pid" ;;
	*) printf '%s' "$2" >"$d/init.pid" ;;
	esac
}
task neg -1
task zero 0
task huge 99999999999999999999
task junk '1 2'
task fifo @fifo

# ---- the runner ------------------------------------------------------------

n=0
show_args() {
	local a out=''
	for a; do
		if [ ${#a} -gt 48 ]; then
			out+="$(printf '%q' "${a:0:24}")…(${#a} bytes) "
		else
			out+="$(printf '%q' "$a") "
		fi
	done
	printf '%s' "${out% }"
}

row() {
	local want=$1 re=$2 rc args=() a why=() marker lines first second
	shift 2
	n=$((n + 1))
	marker=$tmp/ran-$n
	local has_marker=0
	for a; do
		if [ "$a" = @M ]; then args+=(touch "$marker"); has_marker=1; else args+=("$a"); fi
	done
	(cd "$cwd" && DOCKER_HOST=unix://$tmp/no-docker.sock nj_view timeout 10 "$NETJOIN" "${args[@]}") \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" = 124 ]; then why+=("hung: timeout 10 fired")
	elif [ "$rc" -ge 128 ]; then why+=("killed by signal $((rc - 128))")
	elif [ "$rc" != "$want" ]; then why+=("exit $rc, expected $want")
	fi
	if [ "$want" != 0 ]; then
		[ -s "$tmp/out" ] && why+=("stdout not empty")
		lines=$(tr -cd '\n' <"$tmp/err" | wc -c)
		first=$(head -n 1 "$tmp/err")
		second=$(sed -n 2p "$tmp/err")
		if [ -n "$(tail -c 1 "$tmp/err")" ]; then
			why+=("stderr does not end with a newline")
		elif [ "$lines" = 2 ] && [ "$want" = 2 ] &&
			[ "$second" = "Try 'netjoin --help' for more information." ]; then
			:
		elif [ "$lines" != 1 ]; then
			why+=("stderr has $lines lines, not one netjoin: line")
		fi
		[[ $first == "netjoin: "* ]] || why+=("stderr does not start with 'netjoin: '")
		grep -qE -- "$re" <<<"$first" || why+=("message does not match /$re/")
		[ "$has_marker" = 1 ] && [ -e "$marker" ] && why+=("THE COMMAND RAN")
	else
		[ "$has_marker" = 1 ] && [ ! -e "$marker" ] && why+=("control: the command did not run")
	fi
	local desc
	desc="hostile $n: $(show_args "$@")${note:+ ($note)} -> exit $want"
	if [ ${#why[@]} = 0 ]; then
		ok "$desc"
	else
		not_ok "$desc"
		printf '#   %s\n' "${why[@]}"
		printf '#   stderr (cat -v):\n'
		cut -c1-300 "$tmp/err" | cat -v | diag
		[ -s "$tmp/out" ] && { printf '#   stdout:\n'; head -c 300 "$tmp/out" | diag; }
	fi
}

huge=$(head -c 100000 /dev/zero | tr '\0' a)
huge_digits=$(head -c 100000 /dev/zero | tr '\0' 9)
long300=$(head -c 300 /dev/zero | tr '\0' a)
deep_path=$(for ((i = 0; i < 1900; i++)); do printf '/a'; done)
long_prefix=$(head -c 2000 /dev/zero | tr '\0' x)

# ---- controls: the marker runs when netjoin joins ----------------------------

controls=()
control() { row 0 '' "$@"; controls+=("ran-$n"); }
control host @M
control /proc/self/ns/net @M
control -- host @M

# ---- empty and missing ----------------------------------------------------------

row 2 'empty target' ''
row 2 'empty target' '' @M
row 2 'no TARGET'
row 2 'no TARGET' -j
row 2 'no TARGET' --
row 2 'no TARGET' -v -d

# ---- huge arguments (100 KB) and long ones -----------------------------------

row 2 'too long' "$huge"
row 2 'too long' "$huge" @M
row 2 'too long' "pid:$huge_digits"
row 2 'too long' "netns:$huge"
row 2 'too long' "docker:$huge"
row 2 'too long' "pod:${huge:0:50000}/${huge:0:50000}"
row 2 'too long' "/$huge"
row 2 'too long' "$huge:x"
row 2 'invalid target' "$long300"
row 2 'invalid container' "docker:$long300" @M
row 2 'invalid network namespace name' "netns:$long300"
row 2 'invalid PID' "pid:$(head -c 300 /dev/zero | tr '\0' 1)"
row 3 'cannot open|No such file' "$deep_path" @M
row 2 'unknown target type' "$long_prefix:y"
row 2 'host-root' --host-root "/$huge" host
row 2 'find' --find "$huge"
row 2 'table' --table "$huge_digits" host
row 2 'user' --user "$huge" host @M
row 2 'unknown option' "--$huge"

# ---- ../ in names ---------------------------------------------------------------

row 1 'not a namespace file' netns:../../etc/passwd
row 1 'not a namespace file' netns:../../etc/passwd @M
row 1 'not a namespace file' netns:/run/netns/../../etc/passwd @M
row 2 'invalid network namespace name' netns:..
row 2 'invalid network namespace name' netns:.
row 3 'no such network namespace' netns:...
row 2 'invalid container' docker:../x
row 2 'invalid container' docker:../x @M
row 2 'invalid container' docker:..
row 2 'invalid container' docker:/../x
row 2 'invalid pod' pod:a/../b
row 2 'invalid pod' pod:a/../b @M
row 2 'invalid pod' pod:../b
row 2 'invalid pod' pod:a/..
row 2 'invalid pod' pod:/b
row 2 'invalid pod' pod:a//b
row 2 'invalid container' containerd:../x
row 2 'invalid container' containerd:a/../b
row 2 'invalid container' containerd:k8s.io/../../x
row 2 'invalid container' crio:../x
row 2 'invalid container' podman:../../etc
row 3 'cannot open|No such file' ../nonexistent
row 1 'not a namespace file' ../../etc/passwd @M
row 1 'not a namespace file' ./
row 2 'invalid target' ..
row 2 'invalid target' .
row 1 'not a namespace file' /proc/self/root/etc/passwd

# ---- binary junk, control characters ------------------------------------------

row 2 'invalid target' $'\x01\x02\x03'
row 2 'invalid target' $'\xff\xfe\xfd' @M
row 2 'invalid target' $'\x80\x81'
row 2 'invalid target' $'\xc3\x28'
row 2 'invalid target' $'\xed\xa0\x80'
row 2 'invalid target' $'\xf4\x90\x80\x80'
row 2 'invalid target' $'\x7f'
row 2 'invalid target' $'\x01host'
row 2 'invalid target' $'host\x7f'
row 2 'invalid target' $'\xef\xbb\xbfhost'
row 2 'invalid target' $'\x08\x08\x08'
row 2 'invalid target' $'web\r'
row 2 'invalid target' $'\e[31mred\e[0m'
row 2 'invalid container' docker:$'\xff'
row 2 'invalid pod' pod:$'\x01/\x02'
row 3 'no such network namespace' netns:$'\xff\xfe'
row 2 'invalid target' $'a\nb'
row 2 'invalid target' $'host\n' @M
row 2 'invalid container' docker:$'a\nb'
row 2 'invalid PID' pid:$'1\n'
row 3 'no such network namespace' netns:$'a\nb'
row 3 'cannot open|No such file' $'/nonexistent\nfile'

# ---- files that are not network namespaces -----------------------------------

row 1 'not a namespace file' /etc/passwd
row 1 'not a namespace file' /etc/passwd @M
row 1 'not a namespace file' /dev/null @M
row 1 'not a namespace file' /dev/zero @M
row 1 'not a namespace file' /dev/full
row 1 'not a namespace file' /proc/version
row 1 'not a namespace file' /proc/self/stat
row 1 'mount namespace' /proc/self/ns/mnt @M
row 1 'pid namespace' /proc/self/ns/pid @M
row 1 'uts namespace' /proc/self/ns/uts
row 1 'ipc namespace' /proc/self/ns/ipc
row 1 'user namespace' /proc/self/ns/user @M
row 1 'cgroup namespace' /proc/self/ns/cgroup
row 1 'time namespace' /proc/self/ns/time
row 1 'pid namespace' /proc/self/ns/pid_for_children
row 1 'time namespace' /proc/self/ns/time_for_children
row 1 'mount namespace' "/proc/$$/ns/mnt"
row 1 'mount namespace' netns:/proc/self/ns/mnt @M
row 1 'mount namespace' "$tmp/mntlink" @M
row 1 'not a namespace file' /
row 1 'not a namespace file' /tmp
row 1 'not a namespace file' /proc/self/ns
row 1 'not a namespace file' "$tmp/dir" @M
row 1 'not a namespace file' "$tmp/fifo"
row 1 'not a namespace file' "$tmp/fifo" @M
row 1 'not a namespace file' "netns:$tmp/fifo"
row 1 'cannot open' "$tmp/sock" @M
row 1 'cannot open' "$tmp/loop"
row 3 'cannot open|No such file' "$tmp/dangling" @M

# ---- PIDs -----------------------------------------------------------------------

row 2 'invalid PID' pid:-1
row 2 'invalid PID' pid:-1 @M
row 2 'invalid PID' pid:0 @M
row 2 'invalid PID' pid:4294967297
row 2 'invalid PID' pid:4294967297 @M
row 2 'invalid PID' pid:99999999999999999999
row 2 'invalid PID' pid:
row 2 'invalid PID' pid:+1
row 2 'invalid PID' 'pid: 1'
row 2 'invalid PID' pid:1x
row 2 'invalid PID' pid:0x10
row 2 'invalid PID' pid:1.0
row 2 'invalid PID' pid:4194305
row 2 'invalid PID' pid:-0
row 2 'invalid PID' pid:1:2
row 3 'no such process' pid:4194304 @M
row 3 'no such process' pid:4194303
row 3 'no such process' 4194304 @M
row 2 'unknown option' -1
row 3 'no such target' 0 @M
row 3 'no such target' 4294967297
row 3 'no such target' 99999999999999999999 @M

# ---- prefixes, unicode, whitespace -----------------------------------------

row 2 'unknown target type' foo:bar
row 2 'unknown target type' foo:bar @M
row 2 'unknown target type' PID:1
row 2 'unknown target type' Docker:web
row 2 'unknown target type' :x
row 2 'unknown target type' host:
row 2 'unknown target type' http://127.0.0.1/
row 2 'unknown target type' unix:///var/run/docker.sock
row 2 'unknown target type' cri-o:x
row 2 'unknown target type' k8s:x
row 2 'invalid container' docker:
row 2 'invalid container' docker:web:x
row 2 'invalid pod' pod:
row 2 'invalid pod' pod::x
row 2 'netns: needs' netns:
row 3 'no such network namespace' netns:a:b
row 2 'invalid target' wéb
row 2 'invalid container' docker:wéb @M
row 2 'invalid pod' pod:ns/ñame
row 2 'invalid target' ｈｏｓｔ
row 2 'invalid target' $'host\u200b'
row 2 'invalid target' $'\u202ehost'
row 2 'invalid target' '🐳'
row 3 'no such network namespace' netns:é
row 2 'invalid target' ' host'
row 2 'invalid target' 'host ' @M
row 2 'invalid target' $'\thost'
row 2 'invalid target' ' '
row 2 'invalid container' 'docker: web'
row 2 'invalid pod' 'pod: a'
row 3 'no such network namespace' 'netns: x'

# ---- option combinations ----------------------------------------------------

row 2 'cannot be combined' -j -b host
row 2 'cannot be combined' -b -j host @M
row 2 'cannot be combined' --json --brief host
row 2 'table' --table 0 host
row 2 'table' --table abc host
row 2 'table' --table -1 host
row 2 'table' --table '' host
row 2 'table' --table 4294967296 host
row 2 'table' --table 1x host
row 2 'table' --table ' 5' host
row 2 'needs an argument' --table
row 2 'takes no TARGET' --find 10.0.0.1 host
row 2 'takes no TARGET' -L host
row 2 'takes no TARGET' -L host @M
row 2 'cannot be combined' -L --find 10.0.0.1
row 2 'needs an argument' --find
row 2 'needs an argument' -u
row 2 'needs an argument' --host-root
row 2 'not an IP' --find notanaddr
row 2 'not an IP' --find ''
row 2 'not an IP' --find 10.0.0.0/33
row 2 'not an IP' --find 999.1.1.1
row 2 'not an IP' --find ::/129
row 2 'not an IP' --find 00:11:22:33:44
row 2 'not an IP' --find 10.0.0.1/
row 2 'not an IP' --find 10.0.0.1/-1
row 2 'brief' -b -L
row 2 'brief' -b --find 10.0.0.1
row 2 'shell' -S host @M
row 2 'shell' -S host -- @M
row 2 'apply to a COMMAND' --sysfs host
row 2 'apply to a COMMAND' --dns host
row 2 'apply to a COMMAND' --user root host
row 2 'apply to a COMMAND' -u root host
row 2 'user' --user '' host @M
row 2 'no such user' --user "nosuchuser-$nj_id" host @M
row 2 'no such user' --user 4294967295 host @M
row 2 'no such user' --user -1 host @M
row 2 'no such group' --user "root:nosuchgroup-$nj_id" host @M
row 2 'listing options' -j host @M
row 2 'listing options' -r host @M
row 2 'listing options' -n host @M
row 2 'listing options' -s host @M
row 2 'listing options' -a host @M
row 2 'listing options' -d host @M
row 2 'listing options' --listening host @M
row 2 'listing options' --table main host @M
row 2 'listing options' -b host @M
row 2 'listing options' -S -j host
row 2 'brief' -b -r host
row 2 'brief' -b -a host
row 2 'brief' -b -n host
row 2 'brief' -b -s host
row 2 'unknown option' -x host
row 2 'unknown option' --bogus host @M
row 2 "'--json'" --json=1 host
row 2 'unknown option|ambiguous' --l host
row 2 'host-root' --host-root '' host
row 2 'host-root' --host-root "/nonexistent-$nj_id" host @M
row 2 'host-root' --host-root /etc/passwd host
row 2 'host-root.*not a directory' --host-root /bin/true host @M

# ---- COMMANDs that cannot run -----------------------------------------------

row 127 'not found|No such file' host ''
row 127 'not found|No such file' host -- --
row 127 'not found|No such file' host "nosuchcmd-$nj_id"
row 126 'Permission denied|cannot' host /etc/passwd
row 126 'Permission denied|cannot|directory' host /tmp
row 126 'Permission denied|cannot' host "$tmp/fifo"

# ---- hostile state under --host-root ----------------------------------------

row 1 'not a namespace file' --host-root "$hr" netns:fifo @M
row 1 'not a namespace file' --host-root "$hr" netns:file @M
row 1 'not a namespace file' --host-root "$hr" netns:dir
row 3 "no such network namespace: zero .*hr/dev/zero\\)" --host-root "$hr" netns:zero
row 3 "no such network namespace: mnt .*hr/proc/self/ns/mnt\\)" --host-root "$hr" netns:mnt @M
row 3 "no such network namespace: pidns .*hr/proc/$$/ns/pid\\)" --host-root "$hr" netns:pidns
d() { printf 'docker:%s' "$(hexid "$1")"; }
c() { printf 'containerd:hostile/%s' "$(hexid "$1")"; }
note='config.v2.json a FIFO' row 3 'no such' --host-root "$hr" "$(d fifo)"
note='config.v2.json -> /dev/zero' row 3 'no such' --host-root "$hr" "$(d zero)" @M
note='config.v2.json of 5 MB' row 3 'no such' --host-root "$hr" "$(d big)"
note='config.v2.json nested 100000 deep' row 3 'no such' --host-root "$hr" "$(d deep)"
note='SandboxKey a link to /proc/self/ns/mnt, in the root' row 3 'hr/proc/self/ns/mnt' --host-root "$hr" "$(d mntkey)" @M
note='SandboxKey a plain file' row 1 'not a namespace file' --host-root "$hr" "$(d passwdkey)" @M
note='SandboxKey a FIFO' row 1 'not a namespace file' --host-root "$hr" "$(d fifokey)" @M
note='Pid -5' row 3 'no such' --host-root "$hr" "$(d negpid)" @M
note='Pid 99999999999' row 3 'no such' --host-root "$hr" "$(d hugepid)"
note='Pid a string' row 3 'no such' --host-root "$hr" "$(d strpid)" @M
note='running, no Pid' row 6 'no process|not running|gone' --host-root "$hr" "$(d nopid)" @M
note='ID not its directory' row 3 'no such' --host-root "$hr" "$(d wrongid)" @M
note='name with a newline' row 6 'not running' --host-root "$hr" "$(d nlname)" @M
note='name with an escape sequence' row 6 'not running' --host-root "$hr" "$(d escname)"
note='init.pid -1' row 6 'not running' --host-root "$hr" "$(c neg)" @M
note='init.pid 0' row 6 'not running' --host-root "$hr" "$(c zero)"
note='init.pid 99999999999999999999' row 6 'not running' --host-root "$hr" "$(c huge)" @M
note='init.pid "1 2"' row 6 'not running' --host-root "$hr" "$(c junk)"
note='init.pid a FIFO' row 6 'not running' --host-root "$hr" "$(c fifo)" @M

echo "# $n rows"
check "at least 100 rows" test "$n" -ge 100
ran=''
for f in "$tmp"/ran-*; do
	[ -e "$f" ] || continue
	f=${f##*/}
	printf '%s\n' "${controls[@]}" | grep -qxF "$f" || ran+="$f "
done
check_eq "no marker command ran but the controls'" "" "$ran"
exit 0
