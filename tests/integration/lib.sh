# Shared helpers for netjoin's integration tests. Source it from a t-*.sh.
#
# Each test file is a bash script that calls `check`/`check_eq` for every
# assertion and `skip_all`/`need` for missing components. It must clean up
# everything it creates through `on_exit` (run also on failure/interrupt).
#
# Environment:
#   NETJOIN              the binary under test (default: build/netjoin)
#   NETJOIN_REQUIRE_ALL  when 1, a missing component fails instead of skipping
#   NJ_RESULTS           file the summary counters are appended to (run.sh)
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NETJOIN=${NETJOIN:-$top/build/netjoin}
case "$NETJOIN" in /*) ;; *) NETJOIN=$top/$NETJOIN ;; esac
nj_name=$(basename "$0" .sh)
nj_pass=0 nj_fail=0 nj_skip=0
nj_cleanups=()
# A short unique suffix so parallel or leftover runs never collide.
nj_id=$(printf 'nj%s%04x' "$$" "$RANDOM" | cut -c1-10)

on_exit() { nj_cleanups+=("$*"); }

_nj_finish() {
	local i
	for ((i = ${#nj_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${nj_cleanups[i]}" >/dev/null 2>&1 || true
	done
	echo "# $nj_name: $nj_pass passed, $nj_fail failed, $nj_skip skipped"
	[ -n "${NJ_RESULTS:-}" ] && echo "$nj_pass $nj_fail $nj_skip" >>"$NJ_RESULTS"
	# a file run on its own exits nonzero when a check failed
	[ "$nj_fail" -eq 0 ] || exit 1
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

# A missing component: skip, or fail under NETJOIN_REQUIRE_ALL=1.
missing() {
	if [ "${NETJOIN_REQUIRE_ALL:-0}" = 1 ]; then
		not_ok "required component missing: $*"
	else
		nj_skip=$((nj_skip + 1)); echo "ok - # SKIP $*"
	fi
}
skip_all() { missing "$*"; exit 0; }
need_root() { [ "$(id -u)" = 0 ] || skip_all "$nj_name needs root"; }
need() { command -v "$1" >/dev/null 2>&1 || skip_all "$nj_name needs $1"; }

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
	unshare -m --propagation private sh -c '
		while [ "$1" != -- ]; do
			# record every directory mkdir -p makes, parents too
			[ -d "$2" ] || mkdir -pv "$2" |
				sed -n "s/^mkdir: created directory .\(.*\).$/\1/p" >>"$NJ_VIEW_MADE"
			mount --bind "$1" "$2" || exit 125
			shift 2
		done
		shift
		exec "$@"' nj_view "${nj_view_binds[@]}" -- "$@"
}
# Directories nj_view had to create on the real filesystem: removed at exit.
NJ_VIEW_MADE=$(mktemp)
export NJ_VIEW_MADE
on_exit 'sort -ru "$NJ_VIEW_MADE" | xargs -r rmdir 2>/dev/null; rm -f "$NJ_VIEW_MADE"'
