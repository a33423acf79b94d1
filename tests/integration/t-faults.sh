#!/usr/bin/env bash
# Faults ("Hardening"): what netjoin meets when the world misbehaves.
#
# (1) A Docker socket that misbehaves (fake_docker.py: hang, garbage, huge,
#     midclose, slowloris, pinghang, html404). `docker:web` and bare
#     `web` must end within a few seconds with bounded memory: with no Docker state on
#     disk, exit 1 and one line naming the socket; with Docker's state on
#     disk (config.v2.json whose SandboxKey is a namespace made here), the
#     on-disk fallback answers (exit 0, .target.source "disk").
# (2) Netlink dumps interrupted by changes (NLM_F_DUMP_INTR) are redone:
#     netjoin -j netns:D, 200 times, while links and addresses come and go
#     in D, always exits 0 with a consistent snapshot.
# (3) stdout closed early is no error (EPIPE); a full or closed stdout is
#     (exit 1, one write-error line).
# Only loopback unix sockets and namespaces made here are talked to.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 143
need_root
need ip
need jq
need python3
need unshare
need timeout
need cc
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

here=$top/tests/integration
fake=$here/fake_docker.py
tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
chmod 755 "$tmp"
on_exit "rm -rf $tmp"
diag() { sed -n '1,40s/^/#   /p'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Max RSS of netjoin, in KiB, written to $tmp/rss: GNU time, else python.
if [ -x /usr/bin/time ]; then
	rss_wrap=(/usr/bin/time -o "$tmp/rss" -f %M)
else
	cat >"$tmp/rss.py" <<'EOF'
import resource, subprocess, sys
r = subprocess.run(sys.argv[2:])
open(sys.argv[1], "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(r.returncode if r.returncode >= 0 else 128 - r.returncode)
EOF
	rss_wrap=(python3 "$tmp/rss.py" "$tmp/rss")
fi

# ---- (1) a misbehaving Docker socket ------------------------------------

W=$nj_id-w # the container's namespace
mk_netns "$W" || { not_ok "create namespace $W"; exit 1; }
if ! { ip -n "$W" link add eth0 type bridge && ip -n "$W" addr add 10.222.0.2/24 dev eth0 &&
	ip -n "$W" link set eth0 up; }; then
	not_ok "set up $W"; exit 1
fi
w_ino=$(stat -L -c %i "/run/netns/$W")
ip netns exec "$W" sleep 300 >/dev/null 2>&1 &
w_pid=$!
on_exit "kill $w_pid"

# Docker's state on disk, as dockerd (live-restore) leaves it: one running
# container "web" in $W. Bound over /var/lib/docker in the "state" view;
# the "nostate" view has an empty directory there.
web_id=$(printf 'web-%s' "$nj_id" | sha256sum | cut -c1-64)
cdir=$tmp/docker-lib/containers/$web_id
mkdir -p "$cdir" "$tmp/empty"
jq -n --arg id "$web_id" --argjson pid "$w_pid" --arg key "/run/netns/$W" '{
	ID: $id, Name: "/web", State: {Running: true, Pid: $pid},
	NetworkSettings: {SandboxKey: $key}}' >"$cdir/config.v2.json"
echo '{"NetworkMode": "bridge"}' >"$cdir/hostconfig.json"

# Every runtime's state on this machine is hidden: only ours is seen.
hide_binds=()
for d in /run/docker /run/containerd /run/containers /var/lib/containers /run/runc /run/crun; do
	[ -d "$d" ] && hide_binds+=("$tmp/empty" "$d")
done

# nj_run VIEW ARGS...: netjoin ARGS under `timeout 15`, DOCKER_HOST=$nj_host,
# in VIEW (state or nostate); sets $nj_rc, $nj_out, $nj_err, $nj_ms and
# $nj_rss (KiB).
nj_run() {
	local view=$1 t0 lib=$tmp/empty; shift
	[ "$view" = state ] && lib=$tmp/docker-lib
	local nj_view_binds=("$lib" /var/lib/docker "${hide_binds[@]}")
	rm -f "$tmp/rss"
	t0=$(now_ms)
	nj_out=$(DOCKER_HOST=$nj_host nj_view timeout 15 "${rss_wrap[@]}" "$NETJOIN" "$@" 2>"$tmp/err")
	nj_rc=$?
	nj_ms=$(($(now_ms) - t0))
	nj_err=$(cat "$tmp/err")
	nj_rss=$(tail -n 1 "$tmp/rss" 2>/dev/null)
	[[ $nj_rss =~ ^[0-9]+$ ]] || nj_rss=999999999
}

# The view itself, with no socket at all: the on-disk state answers.
nj_host=unix://$tmp/no-such.sock
nj_run state -j docker:web
require_eq "no daemon, on-disk web: exit 0" 0 "$nj_rc"
require_eq "no daemon, on-disk web: W's namespace from disk" "$w_ino disk" \
	"$(jq -r '"\(.target.netns_inode) \(.target.source)"' <<<"$nj_out" 2>/dev/null)"
nj_run nostate docker:web
require_eq "no daemon, no state: not found (exit 3)" 3 "$nj_rc"

# start_fake MODE: fake_docker.py on $tmp/MODE.sock, bounded (60 s, 12
# connections); its log is $tmp/MODE.log.
start_fake() {
	local s=$tmp/$1.sock i
	python3 "$fake" "$s" "$1" --seconds 60 --conns 12 --log "$tmp/$1.log" \
		>"$tmp/$1.fake.out" 2>&1 &
	on_exit "kill $!"
	for ((i = 0; i < 50; i++)); do [ -S "$s" ] && return 0; sleep 0.1; done
	diag <"$tmp/$1.fake.out"
	return 1
}
conns() { local c; c=$(grep -c ' accepted$' "$tmp/$1.log" 2>/dev/null); echo "${c:-0}"; }

# timely DESC: the last nj_run ended within 7 s (3 s for the API's one
# request, plus slack) and timeout 15 did not fire,
# under 64 MiB.
timely() {
	if [ "$nj_rc" != 124 ] && [ "$nj_ms" -le 7000 ]; then
		ok "$1: ends in $nj_ms ms (exit $nj_rc)"
	else
		not_ok "$1: ends within 7 s"
		printf '#   exit %s after %s ms%s; stderr: %s\n' "$nj_rc" "$nj_ms" \
			"$([ "$nj_rc" = 124 ] && echo ' (timeout 15 fired)')" "$nj_err"
	fi
	if [ "$nj_rss" -lt 65536 ]; then ok "$1: max RSS $nj_rss KiB < 64 MiB"; else
		not_ok "$1: max RSS < 64 MiB"; printf '#   max RSS %s KiB\n' "$nj_rss"
	fi
}

for mode in hang garbage huge midclose slowloris pinghang html404; do
	if ! start_fake "$mode"; then not_ok "fake docker ($mode) up"; continue; fi
	sock=$tmp/$mode.sock
	nj_host=unix://$sock
	for t in docker:web web; do
		d="$mode, no state on disk: $t"
		before=$(conns "$mode")
		nj_run nostate "$t"
		timely "$d"
		if [ "$nj_rc" = 1 ] && [ -z "$nj_out" ] &&
			[ "$(printf '%s\n' "$nj_err" | wc -l)" = 1 ] &&
			[[ $nj_err == "netjoin: "* ]] && grep -qF "$sock" <<<"$nj_err"; then
			ok "$d: exit 1, one line naming the socket: ${nj_err#netjoin: }"
		else
			not_ok "$d: exit 1, one netjoin: line naming the socket"
			printf '#   exit %s; stdout: %s\n#   stderr: %s\n' "$nj_rc" "${nj_out:0:200}" "$nj_err"
		fi
		check "$d: netjoin talked to the socket" test "$(conns "$mode")" -gt "$before"

		d="$mode, Docker's state on disk: -j $t"
		nj_run state -j "$t"
		timely "$d"
		got=$(jq -r '"exit=0 source=\(.target.source) netns_inode=\(.target.netns_inode) runtime=\(.target.runtime) id=\(.target.id)"' \
			<<<"$nj_out" 2>/dev/null)
		[ "$nj_rc" = 0 ] || got="exit=$nj_rc stderr: $nj_err"
		check_eq "$d: answered from disk" \
			"exit=0 source=disk netns_inode=$w_ino runtime=docker id=$web_id" "$got"
	done
	# the server's own account, for the record
	grep -v ' accepted$' "$tmp/$mode.log" 2>/dev/null |
		sed 's/^conn=[0-9]* path=\([^ ]*\) sent=\([0-9]*\) end=\(.*\)$/\1: sent \2, \3/' |
		sort | uniq -c | sed "s/^ */# $mode server: /"
done

# The huge body was cut off by netjoin, not read to its end.
sent=$(sed -n 's/.*path=[^ ]* sent=\([0-9]*\).*/\1/p' "$tmp/huge.log" 2>/dev/null | sort -n | tail -n 1)
check "huge: netjoin stopped reading long before 100 MB (${sent:-?} bytes sent)" \
	test "${sent:-100000000}" -lt 50000000

# ---- (2) netlink dumps interrupted by changes ---------------------------

# D: fixed bridges f0..f9 (down, addresses that never change: f0 has 6000,
# an address dump of dozens of messages) and g0; two churners make and
# delete c0..c3 with addresses 10.218.L.N, and add and remove 10.220.0.N
# on g0. A dump that spans a change comes with NLM_F_DUMP_INTR (in about
# one run in ten here); netjoin must then dump again.
D=$nj_id-d
mk_netns "$D" || { not_ok "create namespace $D"; exit 1; }
{
	for ((i = 0; i < 10; i++)); do echo "link add f$i type bridge"; done
	echo "link add g0 type bridge"
	for ((i = 0; i < 6000; i++)); do echo "addr add 10.219.$((i / 250)).$((i % 250 + 1))/32 dev f0"; done
	for ((i = 0; i < 200; i++)); do printf 'addr add fd00:6e6a:219::%x/128 dev f0 nodad\n' $((i + 1)); done
	for ((i = 1; i < 10; i++)); do
		for ((j = 1; j <= 20; j++)); do echo "addr add 10.219.$((i + 100)).$j/32 dev f$i"; done
	done
} >"$tmp/d.batch"
check "D: set up" ip -n "$D" -batch "$tmp/d.batch"
ip -n "$D" -j addr | jq -c '[.[] | select(.ifname | test("^(f[0-9]|lo)$"))
	| {(.ifname): [.addr_info[].local] | sort}] | add' >"$tmp/fixed.json"
{
	for L in 0 1 2 3; do
		echo "link add c$L type bridge"
		for ((j = 1; j <= 10; j++)); do echo "addr add 10.218.$L.$j/32 dev c$L"; done
		echo "link set c$L up"
		echo "addr add 10.220.0.$((L + 1))/32 dev g0"
	done
	for L in 0 1 2 3; do
		echo "link del c$L"
		echo "addr del 10.220.0.$((L + 1))/32 dev g0"
	done
} >"$tmp/churn.batch"
touch "$tmp/churn.go"
churners=()
for _ in 1 2; do
	(
		end=$((SECONDS + 120))
		while [ -e "$tmp/churn.go" ] && [ $SECONDS -lt $end ]; do
			ip -n "$D" -force -batch "$tmp/churn.batch" >/dev/null 2>&1
		done
	) &
	churners+=($!)
	on_exit "rm -f $tmp/churn.go; wait $!"
done

# 200 runs, each checked as it ends: whatever the churn does to a dump,
# the snapshot is consistent.
cat >"$tmp/dumps.py" <<'EOF'
import json, os, re, subprocess, sys
netjoin, ns, fixed, runs = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3])), int(sys.argv[4])

def problems(rc, out, err):
    why = []
    if rc != 0:
        why.append("exit %s" % rc)
    if err:
        why.append("stderr: %r" % err[:200])
    try:
        ifs = json.loads(out)["interfaces"]
        assert isinstance(ifs, list)
    except Exception as e:
        return why + ["not JSON with an interfaces array (%s)" % str(e)[:80]]
    idx = [i.get("ifindex") for i in ifs]
    names = [i.get("ifname") for i in ifs]
    if len(idx) != len(set(idx)) or None in idx:
        why.append("duplicate or missing ifindex: %s" % sorted({x for x in idx if idx.count(x) > 1}))
    if len(names) != len(set(names)):
        why.append("duplicate ifname: %s" % sorted({x for x in names if names.count(x) > 1}))
    by = {i.get("ifname"): i for i in ifs}
    for name, addrs in fixed.items():
        got = sorted(a.get("local") for a in by.get(name, {}).get("addr_info", []))
        if name not in by:
            why.append("%s missing" % name)
        elif got != addrs:
            why.append("%s: %d addresses, expected %d" % (name, len(got), len(addrs)))
    if "g0" not in by:
        why.append("g0 missing")
    for i in ifs:
        for a in i.get("addr_info", []):
            local = a.get("local", "")
            m = re.match(r"10\.218\.(\d)\.", local)
            if (m and i.get("ifname") != "c" + m.group(1)) or \
               (local.startswith("10.220.") and i.get("ifname") != "g0"):
                why.append("%s under %s" % (local, i.get("ifname")))
    return why

bad = eintr = 0
for n in range(runs):
    try:
        p = subprocess.run([netjoin, "-j", "netns:" + ns], capture_output=True, timeout=10)
        rc, out, err = p.returncode, p.stdout, p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        rc, out, err = "timeout", b"", ""
    if "Interrupted system call" in err:
        eintr += 1
    why = problems(rc, out, err)
    if why:
        bad += 1
        if bad <= 10:
            print("run %d: %s" % (n, "; ".join(why)))

print("summary: runs=%d bad=%d eintr=%d" % (runs, bad, eintr))
EOF
t0=$(now_ms)
python3 "$tmp/dumps.py" "$NETJOIN" "$D" "$tmp/fixed.json" 200 >"$tmp/dumps.out" 2>&1
dump_ms=$(($(now_ms) - t0))
rm -f "$tmp/churn.go"
wait "${churners[@]}"
summary=$(sed -n 's/^summary: //p' "$tmp/dumps.out")
val() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$summary"; }
echo "# dumps while churning ($dump_ms ms): $summary"
check_eq "interrupted dumps: 200 runs, each exit 0 with a consistent snapshot" "bad=0" "bad=$(val bad)"
grep -v '^summary: ' "$tmp/dumps.out" | diag
# Whether the churn interrupted a dump above is chance. That an
# interrupted dump is redone is not: a shim marks the first link (then
# address) dump's first buffer NLM_F_DUMP_INTR, as the kernel does, and
# counts the requests sent. Q holds D's fixed bridges, and no churn.
require "dump-interrupting shim builds" cc -shared -fPIC -o "$tmp/dumpintr.so" \
	"$top/tests/tools/dumpintr.c" -ldl
Q=$nj_id-q
mk_netns "$Q"
require "Q: set up" ip -n "$Q" -batch "$tmp/d.batch"
"$NETJOIN" -j "netns:$Q" >"$tmp/q.json"
for kind in link:16:18:22 addr:20:22:18; do
	IFS=: read -r what type again once <<<"$kind"
	: >"$tmp/dumpintr.log"
	check_exit "interrupted $what dump: exit 0, nothing on stderr" 0 \
		env LD_PRELOAD="$tmp/dumpintr.so" NJ_DUMPINTR_TYPE="$type" NJ_DUMPINTR_LOG="$tmp/dumpintr.log" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$NETJOIN" -j "netns:$Q"
	check_eq "interrupted $what dump: the same listing as an uninterrupted run" \
		"$(cat "$tmp/q.json")" "$nj_out$nj_err"
	check_eq "interrupted $what dump: marked once, redone once, the other dump asked once" \
		"marked=1 again=2 once=1" \
		"marked=$(grep -c '^marked' "$tmp/dumpintr.log") again=$(grep -c "^req $again\$" "$tmp/dumpintr.log") once=$(grep -c "^req $once\$" "$tmp/dumpintr.log")"
done

# ---- (3) stdout closed early, full or closed ----------------------------

# BIG: far more output than a pipe holds (64 KiB), in every format asked
# for below but --find's.
BIG=$nj_id-big
S=$nj_id-s
if ! { mk_netns "$BIG" && mk_netns "$S"; }; then not_ok "create namespaces"; exit 1; fi
{
	for ((i = 0; i < 40; i++)); do echo "link add br$i type bridge"; done
	for ((i = 0; i < 3000; i++)); do echo "addr add 10.221.$((i / 250)).$((i % 250 + 1))/16 dev br0"; done
	for ((i = 0; i < 1000; i++)); do printf 'addr add fd00:6e6a:221::%x/64 dev br1 nodad\n' $((i + 1)); done
} >"$tmp/big.batch"
check "BIG: set up" ip -n "$BIG" -batch "$tmp/big.batch"

# shellcheck disable=SC2086 # $args: several words, on purpose
for args in "-j netns:$BIG" "netns:$BIG" "-d netns:$BIG" "-a netns:$BIG" "-j -a netns:$BIG" "-j -L" "--find 10.221.0.1"; do
	name=${args//$BIG/BIG}
	if [ "${args#--find}" = "$args" ]; then
		size=$(timeout 15 "$NETJOIN" $args 2>/dev/null | wc -c)
		check "'netjoin $name': $size bytes, more than a pipe holds" test "$size" -gt 65536
	fi
	timeout 15 "$NETJOIN" $args 2>"$tmp/pipe.err" | head -c1 >/dev/null
	st=${PIPESTATUS[0]}
	check_eq "'netjoin $name | head -c1': exit 0" 0 "$st"
	check "'netjoin $name | head -c1': nothing on stderr" test ! -s "$tmp/pipe.err"
	[ -s "$tmp/pipe.err" ] && diag <"$tmp/pipe.err"
done

nm() { local a=${1//$BIG/BIG}; printf '%s' "${a//$S/S}"; }
# write_error DESC REDIR ARGS...: exit 1 and one write-error line.
write_error() {
	local desc=$1 redir=$2 rc; shift 2
	case $redir in
	full) timeout 15 "$NETJOIN" "$@" >/dev/full 2>"$tmp/w.err" ;;
	closed) timeout 15 "$NETJOIN" "$@" >&- 2>"$tmp/w.err" ;;
	esac
	rc=$?
	if [ "$rc" = 1 ] && [ "$(wc -l <"$tmp/w.err")" = 1 ] &&
		grep -qE '^netjoin: .*write error' "$tmp/w.err"; then
		ok "$desc: exit 1, one line: $(cat "$tmp/w.err")"
	else
		not_ok "$desc: exit 1 with one write-error line"
		printf '#   exit %s; stderr:\n' "$rc"; diag <"$tmp/w.err"
	fi
}
# shellcheck disable=SC2086 # $args: several words, on purpose
for args in "netns:$S" "-j netns:$S" "-b netns:$S" "-j netns:$BIG" "netns:$BIG" "-a netns:$S" "-L" "--find 10.221.0.1" "-V" "--help"; do
	write_error "'netjoin $(nm "$args") >/dev/full'" full $args
done
# shellcheck disable=SC2086 # $args: several words, on purpose
for args in "netns:$S" "-j netns:$BIG" "-L"; do
	write_error "'netjoin $(nm "$args") >&-' (stdout closed)" closed $args
done
# With a COMMAND, its stdout is its own business: netjoin adds nothing.
timeout 15 "$NETJOIN" "netns:$S" true >/dev/full 2>"$tmp/w.err"
check_eq "'netjoin netns:S true >/dev/full': the command's exit 0" 0 $?
check "'netjoin netns:S true >/dev/full': nothing on stderr" test ! -s "$tmp/w.err"
exit 0
