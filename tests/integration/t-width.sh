#!/usr/bin/env bash
# timeout: 300
# -L and --find on a terminal: each row fits its width, a long address
# list cut to what fits and closed by "… +N more" with N the exact count
# left out; piped, to a file, or with -j, every address, as with no
# terminal at all.
#
# One namespace of ours holds 2,000 IPv4 addresses on a veth. netjoin runs
# under a pseudo-terminal whose size is set before it starts (python3's
# pty, TIOCSWINSZ). The oracles: ip(8)'s list of the namespace's
# addresses, and the row netjoin writes with no terminal. Other
# namespaces on the node are only held to the width, not to contents.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 25
need_root
for c in ip python3 jq; do need "$c"; done
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
on_exit "rm -rf $tmp"
N=2000

# ptyrun COLS CMD...: CMD with a terminal of COLS columns (0: a terminal
# that does not know its width) as stdin and stdout; its stdout as
# written (no CR added), its exit status.
cat >"$tmp/pty.py" <<'PY'
import fcntl, os, struct, sys, termios
cols = int(sys.argv[1])
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
attrs = termios.tcgetattr(slave)
attrs[1] &= ~termios.OPOST
termios.tcsetattr(slave, termios.TCSANOW, attrs)
pid = os.fork()
if pid == 0:
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    os.dup2(slave, 0)
    os.dup2(slave, 1)
    os.close(master)
    os.close(slave)
    os.execvp(sys.argv[2], sys.argv[2:])
os.close(slave)
out = bytearray()
while True:
    try:
        b = os.read(master, 65536)
    except OSError:  # EIO: the last holder of the terminal closed it
        break
    if not b:
        break
    out += b
_, st = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(st))
PY
# python3 would pass on LC_CTYPE=C.UTF-8 of its own under LANG=C (PEP 538)
ptyrun() { PYTHONCOERCECLOCALE=0 python3 "$tmp/pty.py" "$@"; }

# fits COLS < OUTPUT: every line takes at most COLS columns ("…" is one),
# or lists no address at all, its fields alone being wider (a row of
# another namespace with long owners: it wraps, its addresses counted).
fits() {
	python3 -c '
import re, sys
w = int(sys.argv[1])
bad = 0
for line in sys.stdin.buffer.read().decode("utf-8").split("\n"):
    if len(line) <= w:
        continue
    head = re.split(r" (?:\u2026|\.\.\.) \+[0-9]+ more$", line)
    if len(head) == 2 and not any(re.match(r"[0-9a-f.:]+/[0-9]+$", t)
                                  for t in head[0].split()[3:]):
        continue
    print("#   %d columns: %s" % (len(line), line[:160]))
    bad = 1
sys.exit(bad)
' "$1"
}

# A prefix no namespace on the node uses: --find must match ours only.
node_addrs >"$tmp/node"
net=
for p in 198.18.0 198.19.0 198.18.64 198.19.64; do
	if net_free "$p.0/21" <"$tmp/node"; then net=$p; break; fi
done
require "a free /21 among 198.18.0.0/15" test -n "$net"
pfx=${net%.*}
third=${net##*.}

ns=${nj_id}-w
mk_netns "$ns"
ip -n "$ns" link add vw0 type veth peer name vw1
# left down: no IPv6 link-local address joins the list while we compare
for ((i = 0; i < N; i++)); do
	echo "addr add $pfx.$((third + i / 250)).$((i % 250 + 1))/32 dev vw0"
done >"$tmp/batch"
require "ip -batch adds $N addresses" ip -n "$ns" -batch "$tmp/batch"
ip -n "$ns" -o addr show | awk '$2 != "lo" {print $4}' >"$tmp/want"
require_eq "ip lists $N addresses on vw0" "$N" "$(wc -l <"$tmp/want")"
ino=$(stat -L -c %i "/run/netns/$ns")

row() { grep "^net:\[$ino\] "; } # our namespace's row
# same_files DESC WANT GOT: the two files are the same; on a difference,
# where it starts, not 30 kB of addresses
same_files() {
	if cmp -s "$2" "$3"; then ok "$1"; else
		not_ok "$1"
		echo "#   $(cmp "$2" "$3" 2>&1 | head -1)"
		echo "#   got: $(cut -c1-200 "$3" | head -2)"
	fi
}
# same DESC FILE: FILE holds exactly our whole row
same() { same_files "$1" "$tmp/want.row" "$2"; }

# --- no terminal: the whole row, as -L has always written it ----------

"$NETJOIN" -L >"$tmp/file"
want=$(printf '%-18s %-30s %-4s %-40s' "net:[$ino]" "netns:$ns" 3 -)
# shellcheck disable=SC2046 # one word an address
want="$want$(printf ' %s' $(cat "$tmp/want"))"
echo "$want" >"$tmp/want.row"
row <"$tmp/file" >"$tmp/file.row"
same "to a file: our row whole, every address in ip's order" "$tmp/file.row"
check "to a file: no marker anywhere" \
	sh -c "! grep -q -E ' (…|\.\.\.) \+[0-9]+ more\$' '$tmp/file'"

# piped, from a session whose stdin is a terminal and COLUMNS is set: the
# same row
COLUMNS=80 ptyrun 80 sh -c "'$NETJOIN' -L | cat" | row >"$tmp/piped"
same "piped under a terminal (COLUMNS=80): the same whole row" "$tmp/piped"

# -j: complete, and the same with a terminal
"$NETJOIN" -j -L >"$tmp/file.json"
sel='.namespaces[] | select(.netns_inode == '"$ino"')'
check_eq "-j to a file: $N addresses on vw0" "$N" \
	"$(jq "[$sel | .interfaces[] | select(.ifname == \"vw0\") | .addresses[]] | length" "$tmp/file.json")"
ptyrun 80 "$NETJOIN" -j -L >"$tmp/tty.json"
jq -c "$sel" "$tmp/file.json" >"$tmp/file.ns.json"
jq -c "$sel" "$tmp/tty.json" >"$tmp/tty.ns.json"
same_files "-j on a terminal of 80 columns: our namespace as with none" \
	"$tmp/file.ns.json" "$tmp/tty.ns.json"

# --- a terminal: rows fitted, the count exact ---------------------------

# tight COLS ROW MARK: ROW is the whole row's prefix, then " MARK +K
# more" with shown + K = N, it fits COLS, and one more address would not
# have: the cut is where it must be.
tight() {
	python3 -c '
import sys
w, row, mark, whole = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
head, sep, tail = row.rpartition(" " + mark + " +")
if not sep or not tail.endswith(" more"):
    sys.exit("#   no marker: " + row[-80:])
left = int(tail[:-5])
fields = whole[:95]
addrs = whole[95:].split()
shown = head[95:].split()
if not head.startswith(fields) or shown != addrs[:len(shown)]:
    sys.exit("#   not a prefix of the whole row")
if len(shown) + left != len(addrs):
    sys.exit("#   %d shown + %d more != %d" % (len(shown), left, len(addrs)))
if len(row) > w:
    sys.exit("#   %d columns > %d" % (len(row), w))
nxt = len(head) + 1 + len(addrs[len(shown)])
if left > 1:
    nxt += len(" %s +%d more" % (mark, left - 1))
if nxt <= w:
    sys.exit("#   one more address fitted: %d <= %d" % (nxt, w))
' "$1" "$2" "$3" "$want"
}

for cols in 120 173; do
	LANG=C.UTF-8 LC_ALL='' LC_CTYPE='' ptyrun "$cols" "$NETJOIN" -L >"$tmp/tty$cols"
	check "$cols columns: every line fits" fits "$cols" <"$tmp/tty$cols"
	check "$cols columns: our row cut to what fits, '… +N more' exact" \
		tight "$cols" "$(row <"$tmp/tty$cols")" "…"
done

# narrower than the fields and the marker: fields whole, every address
# counted (the row wraps)
LANG=C.UTF-8 LC_ALL='' ptyrun 100 "$NETJOIN" -L >"$tmp/tty100"
check_eq "100 columns: the fields whole, then '… +$N more'" \
	"${want:0:95} … +$N more" "$(row <"$tmp/tty100")"

# not a UTF-8 locale: "..."
LANG=C LC_ALL='' LC_CTYPE='' ptyrun 120 "$NETJOIN" -L >"$tmp/ascii"
check "LANG=C: '... +N more', exact" tight 120 "$(row <"$tmp/ascii")" "..."
check "LANG=C: no byte beyond ASCII in our row" \
	sh -c "! grep '^net:\[$ino\] ' '$tmp/ascii' | LC_ALL=C grep -q -P '[^\x00-\x7f]'"
LC_ALL=C.UTF-8 LANG=C ptyrun 120 "$NETJOIN" -L >"$tmp/lcall"
check "LC_ALL over LANG: '…'" tight 120 "$(row <"$tmp/lcall")" "…"

# a terminal that does not know its width: COLUMNS, else no limit
LANG=C.UTF-8 LC_ALL='' COLUMNS=140 ptyrun 0 "$NETJOIN" -L >"$tmp/cols140"
check "0 columns, COLUMNS=140: fitted to 140" \
	tight 140 "$(row <"$tmp/cols140")" "…"
(unset COLUMNS; ptyrun 0 "$NETJOIN" -L) | row >"$tmp/nocols"
same "0 columns, no COLUMNS: the whole row" "$tmp/nocols"
COLUMNS=junk ptyrun 0 "$NETJOIN" -L | row >"$tmp/junk"
same "0 columns, COLUMNS=junk: the whole row" "$tmp/junk"
# the terminal's own width wins over COLUMNS
LANG=C.UTF-8 LC_ALL='' COLUMNS=300 ptyrun 120 "$NETJOIN" -L >"$tmp/both"
check "120 columns, COLUMNS=300: fitted to 120" \
	tight 120 "$(row <"$tmp/both")" "…"
check_exit "-L on a terminal exits 0" 0 ptyrun 120 "$NETJOIN" -L

# --- --find: one row a match, never cut --------------------------------

q=$pfx.$third.0/21
"$NETJOIN" --find "$q" >"$tmp/find.file"
check_eq "--find to a file: $N rows, ours" "$N" \
	"$(grep -c "^net:\[$ino\] *netns:$ns  *vw0 " "$tmp/find.file")"
sort "$tmp/want" >"$tmp/want.sorted"
awk '{print $4}' "$tmp/find.file" | sort >"$tmp/find.sorted"
same_files "--find to a file: every address, once" "$tmp/want.sorted" \
	"$tmp/find.sorted"
LANG=C.UTF-8 LC_ALL='' ptyrun 120 "$NETJOIN" --find "$q" >"$tmp/find.tty"
check "--find, 120 columns: every line fits" fits 120 <"$tmp/find.tty"
same_files "--find on a terminal: the same rows as to a file" \
	"$tmp/find.file" "$tmp/find.tty"
COLUMNS=80 ptyrun 80 sh -c "'$NETJOIN' --find '$q' | cat" >"$tmp/find.piped"
same_files "--find piped under a terminal: the same rows" \
	"$tmp/find.file" "$tmp/find.piped"
ptyrun 80 "$NETJOIN" -j --find "$q" >"$tmp/find.json"
check_eq "-j --find on a terminal: $N matches" "$N" \
	"$(jq '.matches | length' "$tmp/find.json")"
"$NETJOIN" -j --find "$q" >"$tmp/find.file.json"
same_files "-j --find on a terminal: as to a file" "$tmp/find.file.json" \
	"$tmp/find.json"
