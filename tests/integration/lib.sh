# Shared helpers for netjoin's integration tests. Source it from a t-*.sh.
#
# Each test file is a bash script that declares, near its top, how many
# checks it runs (`plan N`, as a TAP plan), then calls `check`/`check_eq`/
# `check_exit` for every assertion, `missing` for a check it cannot run
# (a skip; under NETJOIN_REQUIRE_ALL=1 a failure), `skip_all`/`need` when
# the whole file cannot run, and `require` for a precondition of its own
# setup (not a check: when it does not hold the file stops, failed). It
# must clean up everything it creates through `on_exit` (run also on
# failure/interrupt). A file that exits non-zero, or ran a different number
# of checks than its plan (it died halfway, or a stray `exit` ended it),
# has failed: its summary says so and run.sh counts it.
#
# Markers in a file's first 30 lines, read by run.sh:
#   # timeout: SECONDS   its time limit (default 600)
#   # sanitized: no      it does not run $NETJOIN: the SANITIZE=1 pass
#                        leaves it out (not a skip)
#
# Environment:
#   NETJOIN              the binary under test (default: build/netjoin)
#   NETJOIN_REQUIRE_ALL  when 1, a missing component fails instead of skipping
#   NJ_RESULTS           file the summary counters are appended to (run.sh):
#                        "PASSED FAILED SKIPPED PLANNED WHOLE" (WHOLE: 1 when
#                        the file ran, 0 when it skipped all)
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NETJOIN=${NETJOIN:-$top/build/netjoin}
case "$NETJOIN" in /*) ;; *) NETJOIN=$top/$NETJOIN ;; esac
nj_name=$(basename "$0" .sh)
nj_pass=0 nj_fail=0 nj_skip=0 nj_plan='' nj_whole=1
nj_cleanups=()
# A short unique suffix so parallel or leftover runs never collide.
nj_id=$(printf 'nj%s%04x' "$$" "$RANDOM" | cut -c1-10)

on_exit() { nj_cleanups+=("$*"); }

# plan N: the file runs N checks (passed, failed or skipped).
plan() { nj_plan=$1; echo "1..$1"; }

_nj_finish() {
	local rc=$? i ran
	for ((i = ${#nj_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${nj_cleanups[i]}" >/dev/null 2>&1 || true
	done
	ran=$((nj_pass + nj_fail + nj_skip))
	if [ "$nj_whole" = 1 ]; then
		if [ -z "$nj_plan" ]; then
			not_ok "no plan: the file never declared its number of checks"
		elif [ "$ran" -ne "$nj_plan" ]; then
			not_ok "plan: $nj_plan checks declared, $ran ran (exit status $rc)"
		elif [ "$rc" -ne 0 ] && [ "$nj_fail" -eq 0 ]; then
			not_ok "the file exited with status $rc"
		fi
	fi
	echo "# $nj_name: $nj_pass passed, $nj_fail failed, $nj_skip skipped"
	[ -n "${NJ_RESULTS:-}" ] &&
		echo "$nj_pass $nj_fail $nj_skip ${nj_plan:--} $nj_whole" >>"$NJ_RESULTS"
	[ "$nj_fail" -eq 0 ] || exit 1
	exit 0
}
trap _nj_finish EXIT
trap 'exit 130' INT TERM

ok() { nj_pass=$((nj_pass + 1)); echo "ok - $*"; }
not_ok() { nj_fail=$((nj_fail + 1)); echo "not ok - $*"; }

# check DESC CMD...: passes when CMD exits 0.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else
		not_ok "$1"
		printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"
	fi
}

# check_exit DESC CODE CMD...: CMD must exit with CODE; its stderr is kept
# in $nj_err and stdout in $nj_out for further checks.
check_exit() {
	local desc=$1 want=$2 rc; shift 2
	nj_out=$("$@" 2>"/tmp/$nj_id.err"); rc=$?
	nj_err=$(cat "/tmp/$nj_id.err"); rm -f "/tmp/$nj_id.err"
	if [ "$rc" -eq "$want" ]; then ok "$desc"; else
		not_ok "$desc"
		printf '#   expected exit %s, got %s; stderr: %s\n' "$want" "$rc" "$nj_err"
	fi
}

# ip_json_same DESC NJ-CMD... -- ORACLE...: the interfaces NJ-CMD prints
# (netjoin -j) are those ORACLE's `ip -j addr` prints, on the fields
# ipjson_compare.py checks; the two outputs stay in $tmp/nj.json and
# $tmp/ip.json.
ip_json_same() {
	local desc=$1 a=() rc
	shift
	while [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	if ! "${a[@]}" >"$tmp/nj.json" 2>"$tmp/nj.err"; then
		not_ok "$desc"; sed 's/^/#   /' "$tmp/nj.err"; return
	fi
	"$@" >"$tmp/ip.json"
	python3 "$top/tests/integration/ipjson_compare.py" "$tmp/nj.json" "$tmp/ip.json" >"$tmp/diff" 2>&1; rc=$?
	if [ "$rc" = 0 ]; then ok "$desc"; else not_ok "$desc"; sed 's/^/#   /' "$tmp/diff"; fi
}

# err_line DESC [MAX]: the last check_exit's stderr starts with a
# "netjoin: " line and has MAX lines at most (1 unless given; "multi":
# any, as an ambiguous target's candidate list).
err_line() {
	local first n
	first=$(printf '%s\n' "$nj_err" | head -n 1)
	n=$(printf '%s\n' "$nj_err" | wc -l)
	if [[ $first == "netjoin: "* ]] && { [ "${2:-}" = multi ] || [ "$n" -le "${2:-1}" ]; }; then
		ok "$1"
	else
		not_ok "$1"; printf '#   stderr: %s\n' "$nj_err"
	fi
}

# err_has DESC PATTERN...: the last check_exit's stderr ($nj_err) has a
# line matching one of the PATTERNs, as grep takes them with the options
# in err_grep (a file sets its own: (-E), (-i), (-F)...; none by default).
err_grep=()
err_has() {
	local desc=$1 args=() p; shift
	for p; do args+=(-e "$p"); done
	if grep -q "${err_grep[@]}" "${args[@]}" <<<"$nj_err"; then ok "$desc"; else
		not_ok "$desc"; printf '#   stderr: %s\n' "$nj_err"
	fi
}

# A missing component: skip, or fail under NETJOIN_REQUIRE_ALL=1. Each call
# stands for one check of the plan.
missing() {
	if [ "${NETJOIN_REQUIRE_ALL:-0}" = 1 ]; then
		not_ok "required component missing: $*"
	else
		nj_skip=$((nj_skip + 1)); echo "ok - # SKIP $*"
	fi
}
# setup_missing DESC: a step of the setup that could not be done, so that
# the file checks less than it could: a skip (a failure under REQUIRE_ALL)
# that stands for no check of the plan.
setup_missing() { missing "setup without: $*"; nj_plan=$((${nj_plan:-0} + 1)); }
# The whole file cannot run: one skip (a failure under REQUIRE_ALL), and
# the plan is not held against it.
skip_all() { missing "$*"; nj_whole=0; exit 0; }
need_root() { [ "$(id -u)" = 0 ] || skip_all "$nj_name needs root"; }
need() { command -v "$1" >/dev/null 2>&1 || skip_all "$nj_name needs $1"; }

# require DESC CMD...: a precondition of the test's own making (its layout,
# a tool agreeing with itself), not a check of netjoin: nothing when CMD
# succeeds; otherwise the file stops here, failed.
require() {
	local desc=$1; shift
	"$@" && return 0
	not_ok "precondition failed: $desc"
	exit 1
}
# require_eq DESC EXPECTED ACTUAL: the same, for two values.
require_eq() {
	[ "$2" == "$3" ] && return 0
	printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"
	not_ok "precondition failed: $1"
	exit 1
}

# nj_settle IP...: wait (10 s at most) until IPv6 DAD is over in the
# namespace that the ip(8) command IP selects ("ip -n NAME", "nsenter -n
# -t PID ip"), so that no address changes under a comparison.
nj_settle() {
	local i
	for ((i = 0; i < 50; i++)); do
		[ -z "$("$@" -6 addr show tentative)" ] && return 0
		sleep 0.2
	done
}

# Make a network namespace that is removed on exit; prints nothing.
mk_netns() {
	ip netns add "$1" && on_exit "ip netns del $1"
	ip -n "$1" link set lo up
}

# The runtimes' default state paths as netjoin reads them, mapped onto the
# test engines' private state: nj_view_bind SRC DST adds a bind mount, and
# nj_view CMD... runs CMD in a private mount namespace with all of them, so
# tests never need (or touch) the machine's own /run/containerd, Docker
# data root or containers/storage.
nj_view_binds=()
nj_view_bind() { nj_view_binds+=("$1" "$2"); }
nj_view() {
	local nj_view_argv
	nj_view_cmd private
	"${nj_view_argv[@]}" "$@"
}
# nj_view_cmd PROPAGATION: sets nj_view_argv to the command that runs the
# words after it as nj_view does, but in a mount namespace of PROPAGATION
# (unshare --propagation). For a caller that must exec the view: live.sh's
# live_exec (slave), whose PID has to be netjoin's own.
nj_view_cmd() {
	nj_view_argv=(unshare -m --propagation "$1" sh -c '
		while [ "$1" != -- ]; do
			# record every directory mkdir -p makes, parents too
			[ -d "$2" ] || mkdir -pv "$2" |
				sed -n "s/^mkdir: created directory .\(.*\).$/\1/p" >>"$NJ_VIEW_MADE"
			mount --bind "$1" "$2" || exit 125
			shift 2
		done
		shift
		exec "$@"' nj_view "${nj_view_binds[@]}" --)
}
# Directories nj_view had to create on the real filesystem: removed at exit.
NJ_VIEW_MADE=$(mktemp)
export NJ_VIEW_MADE
on_exit 'sort -ru "$NJ_VIEW_MADE" | xargs -r rmdir 2>/dev/null; rm -f "$NJ_VIEW_MADE"'

# node_addrs: every address and MAC in every network namespace on the node
# (those of processes and those pinned in /run/netns), one per line, as
# "ADDR/LEN" and "link/ether MAC". Tests pick their addresses among those
# that are free, since the node may be busy with namespaces of its own.
node_addrs() {
	local f ino seen=" "
	for f in /proc/[0-9]*/ns/net /run/netns/*; do
		ino=$(stat -L -c %i "$f" 2>/dev/null) || continue
		case $seen in *" $ino "*) continue ;; esac
		seen="$seen$ino "
		nsenter --net="$f" ip -o addr show 2>/dev/null | awk '{print $4}'
		nsenter --net="$f" ip -o link show 2>/dev/null |
			grep -o 'link/ether [0-9a-f:]*'
	done | sort -u
}

# net_free CIDR... < node_addrs output: no address of the node lies in
# any of the prefixes (IPv4 or IPv6).
net_free() {
	python3 -c '
import ipaddress, sys
nets = [ipaddress.ip_network(a, strict=False) for a in sys.argv[1:]]
for line in sys.stdin:
    w = line.split()
    if not w or w[0] == "link/ether":
        continue
    ip = ipaddress.ip_interface(w[0]).ip
    if any(ip.version == n.version and ip in n for n in nets):
        sys.exit(1)
' "$@"
}
