#!/usr/bin/env bash
# sanitized: no
# timeout: 900
# kubectl netjoin --nodes across a cluster of 100 (and of 20) nodes made
# by the stub kubectl (stub-kubectl): nodes run --parallel N at a time, so
# the wall time is about ceil(100/N) node delays, not 100; the output is
# merged in node order whatever order the nodes end in; a failing node is
# named with its reason and the others still listed; --find ADDR and
# --top --count N merged across nodes; progress only on a terminal; and
# every temporary file, debug pod and child gone afterwards, also after
# SIGTERM and SIGINT. Needs neither root, nor a cluster, nor netjoin.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 79
need python3

plugin=$top/scripts/kubectl-netjoin
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
py=$(command -v /usr/bin/python3 python3 | head -n 1)
mkdir "$tmp/bin" "$tmp/t"
printf '#!/bin/sh\nexec %s %s "$@"\n' "$py" "$top/tests/integration/stub-kubectl" >"$tmp/bin/kubectl"
chmod +x "$tmp/bin/kubectl"
# Only the stub is reachable: never a real cluster. The plugin's temporary
# directory is made in $tmp/t, which must be empty after every run.
unset KUBECTL KUBECTL_NETJOIN_IMAGE KUBECTL_NETJOIN_TIMEOUT "${!STUB_@}"
export PATH="$tmp/bin:$PATH" KUBECONFIG=/nonexistent TMPDIR=$tmp/t
export STUB_LOG=$tmp/calls STUB_STATE=$tmp/state

fresh() {
	rm -rf "$STUB_STATE"
	mkdir "$STUB_STATE"
	: >"$STUB_LOG"
}
pods_left() { find "$STUB_STATE" -name 'pod.*' -printf '%f\n' | sort; }
tmp_left() { find "$TMPDIR" -mindepth 1 -maxdepth 1 -printf '%f\n'; }
kn() { "$plugin" "$@"; }
# The NODE column of a table, as one line.
node_col() { awk '$1 != "NODE" { print $1 }' | paste -sd' '; }
seq_nodes() { seq "$1" "$2" | sed 's/^/n-/' | paste -sd' '; }

# cluster DIR N: fixtures for nodes n-1 ... n-N, listed in that order
# (not the order of sort: n-10 comes after n-9). Each node's netjoin -L
# has a header and one row naming it; --top -j one sample whose two
# namespaces' rates depend on the node, with strings holding JSON's own
# characters and nested objects holding larger rates than their own.
cluster() {
	"$py" - "$@" <<'EOF'
import json, os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d)
names = ["n-%d" % i for i in range(1, n + 1)]
def rate_str(v):
    if v == 0:
        return "0"
    if v < 9.95:
        return "%.1f" % v
    u = -1
    while v >= 999.5 and u < 3:
        v /= 1000
        u += 1
    if u < 0:
        return "%.0f" % v
    return ("%.2f%s" if v < 9.995 else "%.1f%s" if v < 99.95 else "%.0f%s") % (v, "kMGTP"[u])
def w(name, text):
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
w("nodes.json", json.dumps({"kind": "List", "items": [
    {"kind": "Node", "metadata": {"name": m, "labels": {}}} for m in names]}))
head = "NETNS              TARGET   IFS  OWNERS  ADDRESSES\n"
for i, m in enumerate(names, 1):
    w("netjoin-L.%s.txt" % m,
      head + "net:[%d]   host     2    systemd(1)  192.0.2.%d/24\n" % (4026531000 + i, i % 250))
    w("netjoin-L-j.%s.json" % m, json.dumps(
        {"namespaces": [{"netns": "net:[%d]" % (4026531000 + i), "target": "host"}]}) + "\n")
    ns = [{"target": "pod:shop/web-%d" % i, "netns": "net:[%d]" % (4026532000 + i),
           "owners": [{"name": 'we"b {%d}, [x]' % i, "id": 'a\\\\b\\"'}],
           "rx_bytes_per_s": (i * 37) % 101 * 1000, "tx_bytes_per_s": 5.5,
           "interfaces": [{"ifname": "eth0", "rx_bytes_per_s": 9e9}],
           "rx_packets_per_s": 1, "errors_per_s": 0, "drops_per_s": 0},
          {"target": "host", "netns": "net:[%d]" % (4026531000 + i), "owners": [],
           "rx_bytes_per_s": 0, "tx_bytes_per_s": 7, "new": True}]
    w("netjoin-top-j.%s.json" % m, json.dumps(
        {"time": "2026-12-01T10:00:%02dZ" % (i % 60), "interval": 1, "namespaces": ns},
        separators=(",", ":") if i % 2 else (", ", ": ")) + "\n")
    # netjoin --top's text: rates as its rate_str writes them; n-3 has a
    # target longer than the column, n-5 a new namespace (no rates)
    rows = [("pod:shop/web-%d" % i, [(i * 37) % 101 * 1000, 5.5, 1, 0, 0, 0],
             "containerd pod shop/web-%d" % i),
            ("host", [0, 7, 0, 0.5, 0, 0], "systemd(1) +%d" % i)]
    if i == 3:
        rows.append(("/run/netns/" + "x" * 50, [250000, 0, 2, 0, 0, 0], "-"))
    if i == 5:
        rows.append(("netns:fresh", None, "-"))
    tw = min(48, max(6, *(len(r[0]) for r in rows)))
    t = "2026-12-01T10:00:%02d.000Z  rates over 1.00 s  %d namespaces\n" % (i % 60, len(rows))
    t += "%-*s  RX B/s  TX B/s  RX p/s  TX p/s   ERR/s  DROP/s  OWNERS\n" % (tw, "TARGET")
    for tg, v, own in rows:
        cols = [rate_str(x) for x in v] if v else ["new"] + ["-"] * 5
        t += "%-*s%s  %s\n" % (tw, tg, "".join(" %7s" % c for c in cols), own)
    w("netjoin-top.%s.txt" % m, t)
EOF
}
require "the 100-node cluster's fixtures" cluster "$tmp/c100" 100
require "the 20-node cluster's fixtures" cluster "$tmp/c20" 20
# --find: 10.244.57.9 is on node n-57 of the 100, 10.244.7.9 on n-7 of the 20
hit57='net:[4026532057]   pod:shop/web-57                eth0             10.244.57.9/24  containerd pod shop/web-57'
echo "$hit57" >"$tmp/c100/netjoin-find.n-57.txt"
echo '{"matches":[{"netns":"net:[4026532057]","target":"pod:shop/web-57","ifindex":2,"ifname":"eth0","match":"10.244.57.9/24"}]}' \
	>"$tmp/c100/netjoin-find-j.n-57.json"
echo 'net:[4026532007]   pod:shop/web-7                 eth0             10.244.7.9/24  containerd pod shop/web-7' \
	>"$tmp/c20/netjoin-find.n-7.txt"
big() { STUB_FIXTURES=$tmp/c100 "$@"; }
small() { STUB_FIXTURES=$tmp/c20 "$@"; }
# env_each VAR VALUE-OF-NODE-K-EXPR N: STUB_VAR_n_K=... for K in 1..N
delays() { # N SECONDS-FOR-NODE-K (awk expression of k)
	awk -v n="$1" "BEGIN { for (k = 1; k <= n; k++) printf \"STUB_DELAY_n_%d=%s\\n\", k, $2 }"
}

# --- usage --------------------------------------------------------------
fresh
check_exit "--parallel 0: exit 2" 2 kn --nodes -L --parallel 0
check_exit "--parallel abc: exit 2" 2 kn --nodes -L --parallel=abc
check_exit "--nodes --top without --count: exit 2" 2 kn --nodes --top
check "... says --count is needed" grep -q -- "--top needs --count" <<<"$nj_err"
check_exit "--nodes -L --find ADDR: one at a time, exit 2" 2 kn --nodes -L --find 10.0.0.1
check_exit "--find without --nodes: exit 2" 2 kn --find 10.0.0.1
check_exit "--count without --top: exit 2" 2 kn --nodes -L --count 1
check_eq "usage errors call no kubectl" "" "$(cat "$STUB_LOG")"
help=$(kn --help)
for opt in --parallel --find --top --count --interval; do
	check "--help mentions $opt" grep -q -- "$opt" <<<"$help"
done

# --- parallel: about ceil(100/N) delays ---------------------------------
# Each node's kubectl logs takes 3 s: one node after another, that is
# 300 s (computed, not run). --parallel 10 must take at least
# ceil(100/10) = 10 delays, 30 s (no more than 10 nodes at once), and well
# under 40% of 300 s. The delay is that long because a node costs the
# stub's five Python starts and the plugin's forks, up to 0.75 s of CPU on
# a loaded 2-core machine: with a short delay that cost, not the
# parallelism, would set the time.
fresh
t0=$(date +%s.%N)
big env STUB_DELAY=3 "$plugin" --nodes -L --parallel 10 >"$tmp/out" 2>"$tmp/err"
rc=$?
t1=$(date +%s.%N)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
echo "# 100 nodes of 3 s: one after another 300 s (computed), --parallel 10: ${wall} s"
check_eq "100 nodes, --parallel 10: exit 0" 0 "$rc"
check "... wall time ${wall}s < 120 s, 40% of 300 s one after another" \
	awk -v t="$wall" 'BEGIN { exit !(t < 120) }'
check "... wall time ${wall}s >= 30 s: no more than 10 nodes at once" \
	awk -v t="$wall" 'BEGIN { exit !(t >= 29.5) }'
check_eq "... every node's row, in node order" "$(seq_nodes 1 100)" "$(node_col <"$tmp/out")"
check_eq "... one header" 1 "$(grep -c '^NODE ' "$tmp/out")"
check_eq "... nothing on stderr" "" "$(cat "$tmp/err")"
check_eq "... 100 debug pods made, 100 deleted, none left" "100 100 " \
	"$(grep -c '^debug ' "$STUB_LOG") $(wc -l <"$STUB_STATE/deleted") $(pods_left)"
check_eq "... no temporary file left" "" "$(tmp_left)"

# --- node order, whatever order the nodes end in ------------------------
# node n-K answers after (21-K)/10 s: n-1 last of the first ten
fresh
mapfile -t rev < <(delays 20 '(21 - k) / 10')
small env "${rev[@]}" "$plugin" --nodes -L >"$tmp/out" 2>"$tmp/err"
check_eq "delays reversed, default --parallel: exit 0" 0 "$?"
check_eq "... rows still in node order" "$(seq_nodes 1 20)" "$(node_col <"$tmp/out")"
fresh
mapfile -t rev < <(delays 20 '(21 - k) / 20')
small env "${rev[@]}" "$plugin" --nodes -j -L --parallel 5 >"$tmp/out" 2>"$tmp/err"
check_eq "-j, delays reversed: exit 0" 0 "$?"
check_eq "... one JSON array, in node order, each node's namespaces" "ok" \
	"$("$py" -c '
import json, sys
d = json.load(open(sys.argv[1]))
fx = lambda n: json.load(open(sys.argv[2] + "/netjoin-L-j." + n + ".json"))
ok = [e["node"] for e in d] == ["n-%d" % k for k in range(1, 21)] and \
    all(list(e) == ["node", "namespaces"] and e["namespaces"] == fx(e["node"])["namespaces"] for e in d)
print("ok" if ok else d)' "$tmp/out" "$tmp/c20")"

# --- a failing node: named with its reason, the others listed -----------
fail_env=(STUB_EXIT_n_5=1 "STUB_STDERR_n_5=netjoin: cannot read /host/proc: No such file or directory"
	STUB_DEBUG_FAIL_n_12=early STUB_DELAY_n_1=0.5)
fresh
small env "${fail_env[@]}" "$plugin" --nodes -L >"$tmp/out" 2>"$tmp/err"
check_eq "n-5's netjoin fails, n-12's debug pod: exit 1" 1 "$?"
check_eq "... the 18 others listed, in node order" "$(seq_nodes 1 20 | sed 's/ n-5 / /; s/ n-12 / /')" \
	"$(node_col <"$tmp/out")"
check "... n-5's netjoin message, with the node" \
	grep -qx "kubectl-netjoin: node n-5: netjoin: cannot read /host/proc: No such file or directory" "$tmp/err"
check "... n-5's reason" grep -qx "kubectl-netjoin: node n-5: netjoin exited 1" "$tmp/err"
check "... n-12's reason, and kubectl's" \
	sh -c "grep -qx 'kubectl-netjoin: node n-12: kubectl debug failed' '$tmp/err' &&
		grep -q '^kubectl-netjoin: node n-12: Error from server (Forbidden)' '$tmp/err'"
check "... n-5 named before n-12 (node order), the summary last" \
	sh -c "grep -n 'node n-5: netjoin exited\|node n-12: kubectl debug failed\|2 of 20 nodes failed: n-5 n-12\$' '$tmp/err' |
		cut -d: -f1 | paste -sd' ' | awk '{ exit !(NF == 3 && \$1 < \$2 && \$2 < \$3) }' &&
		tail -n 1 '$tmp/err' | grep -qx 'kubectl-netjoin: 2 of 20 nodes failed: n-5 n-12'"
check_eq "... no debug pod left, no temporary file" "" "$(pods_left)$(tmp_left)"
fresh
small env "${fail_env[@]}" "$plugin" --nodes -jL >"$tmp/out" 2>"$tmp/err"
check_eq "-j, the same failures: exit 1" 1 "$?"
check_eq "... 20 entries in node order, n-5 and n-12 with their error" "ok" \
	"$("$py" -c '
import json, sys
d = json.load(open(sys.argv[1]))
ok = [e["node"] for e in d] == ["n-%d" % k for k in range(1, 21)] and \
    d[4] == {"node": "n-5", "namespaces": [], "error": "netjoin exited 1"} and \
    d[11] == {"node": "n-12", "namespaces": [], "error": "kubectl debug failed"} and \
    all(e["namespaces"] for i, e in enumerate(d) if i not in (4, 11))
print("ok" if ok else d)' "$tmp/out")"

# --- --find ADDR --------------------------------------------------------
fresh
check_exit "--find, on n-57 of 100: exit 0" 0 big kn --nodes --find 10.244.57.9 --parallel 20
check_eq "... that one hit, the node in front" "n-57  $hit57" "$nj_out"
check_eq "... nothing on stderr (no 'not found' of the 99 others)" "" "$nj_err"
check "... netjoin --host-root /host --find ADDR on every node" \
	test "$(grep -c -- '-- netjoin --host-root /host --find 10.244.57.9$' "$STUB_LOG")" = 100
cp "$tmp/c100/netjoin-find-j.n-57.json" "$tmp/c20/netjoin-find-j.n-17.json"
fresh
check_exit "--find -j, on n-17 of 20: exit 0" 0 small kn --nodes --find 10.244.57.9 -j
check_eq "... one array of {node, matches}, every node in order, n-17's match" "ok" \
	"$("$py" -c '
import json, sys
d = json.loads(sys.stdin.read())
ok = [e["node"] for e in d] == ["n-%d" % k for k in range(1, 21)] and \
    all(list(e) == ["node", "matches"] for e in d) and \
    [e["node"] for e in d if e["matches"]] == ["n-17"] and \
    d[16]["matches"][0]["match"] == "10.244.57.9/24"
print("ok" if ok else d)' <<<"$nj_out")"
fresh
check_exit "--find, held nowhere: exit 3, netjoin's not found" 3 small kn --nodes --find 10.9.9.9
check_eq "... one line says so" "kubectl-netjoin: 10.9.9.9: in no network namespace on any node" "$nj_err"
check_eq "... nothing on stdout" "" "$nj_out"
fresh
small env STUB_DEBUG_FAIL_n_3=early "$plugin" --nodes --find 10.9.9.9 >"$tmp/out" 2>"$tmp/err"
check_eq "--find, held nowhere, a node failed: exit 1" 1 "$?"
fresh
small env STUB_DEBUG_FAIL_n_3=early "$plugin" --nodes --find 10.244.7.9 >"$tmp/out" 2>"$tmp/err"
check_eq "--find, found on n-7, n-3 failed: exit 1" 1 "$?"
check "... the hit is listed" grep -q "^n-7  net:\[4026532007\]" "$tmp/out"
check "... n-3's failure is named" grep -qx "kubectl-netjoin: node n-3: kubectl debug failed" "$tmp/err"

# --- --top --count N ----------------------------------------------------
fresh
check_exit "--top --count 1 --interval 0.5 -j: exit 0" 0 small kn --nodes --top --count 1 --interval 0.5 -j
check "... netjoin --top --count 1 --interval 0.5 -j on every node" \
	test "$(grep -c -- '-- netjoin --host-root /host --top --count 1 --interval 0.5 -j$' "$STUB_LOG")" = 20
top_check() { # PYTHON-EXPRESSION over s (the samples) and fx (the nodes' samples)
	"$py" -c '
import json, sys
s = [json.loads(l) for l in sys.stdin.read().splitlines()]
fx = {"n-%d" % k: [json.loads(l) for l in open(sys.argv[2] + "/netjoin-top-j.n-%d.json" % k)]
      for k in range(1, int(sys.argv[3]) + 1)}
rate = lambda n: n.get("rx_bytes_per_s", 0) + n.get("tx_bytes_per_s", 0)
sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" "$2" "${3:-20}"
}
check_eq "... one line" 1 "$(wc -l <<<"$nj_out")"
check "... one JSON object: time, interval, namespaces" \
	top_check 'len(s) == 1 and list(s[0]) == ["time", "interval", "namespaces"]' "$tmp/c20" <<<"$nj_out"
check "... the first node's time and interval" \
	top_check 's[0]["time"] == fx["n-1"][0]["time"] and s[0]["interval"] == 1' "$tmp/c20" <<<"$nj_out"
check "... every node's namespaces, unchanged, with \"node\" put first" \
	top_check 'sorted((n["node"], json.dumps({k: v for k, v in n.items() if k != "node"}, sort_keys=True)) for n in s[0]["namespaces"]) == sorted((m, json.dumps(n, sort_keys=True)) for m in fx for n in fx[m][0]["namespaces"]) and all(list(n)[0] == "node" for n in s[0]["namespaces"])' \
	"$tmp/c20" <<<"$nj_out"
check "... sorted by rx+tx bytes/s, busiest first (nested rates not counted)" \
	top_check '[rate(n) for n in s[0]["namespaces"]] == sorted((rate(n) for n in s[0]["namespaces"]), reverse=True)' \
	"$tmp/c20" <<<"$nj_out"
check "... equal rates in node order" \
	top_check '[n["node"] for n in s[0]["namespaces"] if rate(n) == 7] == ["n-%d" % k for k in range(1, 21)]' \
	"$tmp/c20" <<<"$nj_out"
# two samples a node; n-4 prints a truncated line, n-9 fails
cp -r "$tmp/c20" "$tmp/c20b"
for k in $(seq 1 20); do
	f=$tmp/c20b/netjoin-top-j.n-$k.json
	sed 's/"time": *"2026-12-01T10:00:/"time":"2026-12-01T10:01:/' "$f" >"$f.2"
	cat "$f.2" >>"$f"
	rm "$f.2"
done
head -c 120 "$tmp/c20/netjoin-top-j.n-4.json" >"$tmp/c20b/netjoin-top-j.n-4.json"
fresh
STUB_FIXTURES=$tmp/c20b STUB_EXIT_n_9=1 check_exit "--top --count 2 -j, n-4 truncated, n-9 fails: exit 1" 1 \
	kn --nodes --top --count 2 -j
check "... two samples, each with the 18 others' namespaces" \
	top_check 'len(s) == 2 and all(sorted({n["node"] for n in x["namespaces"]}, key=lambda m: int(m[2:])) == ["n-%d" % k for k in range(1, 21) if k not in (4, 9)] and len(x["namespaces"]) == 36 for x in s) and s[1]["time"] == "2026-12-01T10:01:01Z"' \
	"$tmp/c20" <<<"$nj_out"
check "... and \"errors\": n-4's and n-9's" \
	top_check '[e["node"] for e in s[0]["errors"]] == ["n-4", "n-9"] and s[0]["errors"][1] == {"node": "n-9", "error": "netjoin exited 1"}' \
	"$tmp/c20" <<<"$nj_out"
check "... n-4's bad line is named on stderr" \
	grep -q "^kubectl-netjoin: node n-4: netjoin --top -j printed a line that is not a JSON object" <<<"$nj_err"
fresh
check_exit "--top --count 1, text: exit 0" 0 small kn --nodes --top --count 1
check "... netjoin --top --count 1 on every node" \
	test "$(grep -c -- '-- netjoin --host-root /host --top --count 1$' "$STUB_LOG")" = 20
# text_top DIR N: the merged table expected of nodes 1..N's fixtures:
# the first node's time line, every row sorted by rx+tx bytes/s (then in
# node order), NODE in front
text_top() {
	"$py" - "$@" <<'EOF'
import sys
d, n = sys.argv[1], int(sys.argv[2])
def val(s):
    m = {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}.get(s[-1:], 1)
    try:
        return float(s[:-1] if m > 1 else s) * m
    except ValueError:
        return 0.0
rows = []
for k in range(1, n + 1):
    lines = open("%s/netjoin-top.n-%d.txt" % (d, k)).read().splitlines()
    if k == 1:
        when = lines[0].rsplit("  ", 1)[0]
    tw = lines[1].index("  RX B/s")
    for l in lines[2:]:
        t = l[:tw].rstrip() if l[tw:tw + 1] == " " else l.split(" ")[0]
        c = l[len(t):].split()
        rows.append((-(val(c[0]) + val(c[1])), len(rows), "n-%d" % k, t, c[:6],
                     " ".join(c[6:])))
rows.sort()
w = min(48, max(6, *(len(r[3]) for r in rows)))
print("%s  %d namespaces" % (when, len(rows)))
print("%-4s %-*s  RX B/s  TX B/s  RX p/s  TX p/s   ERR/s  DROP/s  OWNERS" % ("NODE", w, "TARGET"))
for r in rows:
    print("%-4s %-*s%s  %s" % (r[2], w, r[3], "".join(" %7s" % x for x in r[4]), r[5]))
EOF
}
check_eq "... one table: the first node's time, every node's rows, NODE in front, busiest first" \
	"$(text_top "$tmp/c20" 20)" "$nj_out"
echo "$nj_out" >"$tmp/top.txt"
check "... the long target and the new namespace kept whole" \
	sh -c "grep -q '^n-3  /run/netns/x\{50\}  *250k ' '$tmp/top.txt' &&
		grep -q '^n-5  netns:fresh  *new       -' '$tmp/top.txt'"

# --- progress: on stderr, only when it is a terminal --------------------
fresh
check_exit "stderr not a terminal: exit 0" 0 small kn --nodes -L
check "... no progress on stderr" test -z "$nj_err"
if command -v script >/dev/null; then
	fresh
	STUB_FIXTURES=$tmp/c20 script -qec "$(printf '%q ' "$plugin" --nodes -L --parallel 4) >$tmp/out" /dev/null \
		</dev/null >"$tmp/tty" 2>&1
	check_eq "stderr a terminal: exit 0" 0 "$?"
	check "... progress counts the nodes up to 20/20, redrawn with \\r" \
		sh -c "tr '\r' '\n' <'$tmp/tty' | grep -qx '1/20 nodes done' && tr '\r' '\n' <'$tmp/tty' | grep -qx '20/20 nodes done'"
	check "... cleared at the end" \
		"$py" -c 'import re, sys; sys.exit(not re.search(r"20/20 nodes done\r {16}\r$", open(sys.argv[1], newline="").read()))' "$tmp/tty"
	check_eq "... stdout is the table alone" "$(seq_nodes 1 20)" "$(node_col <"$tmp/out")"
else
	for _ in 1 2 3 4; do missing "script (util-linux) for a pseudo-terminal"; done
fi

# --- SIGTERM, SIGINT: children stopped, debug pods deleted, nothing left --
stub_pids_gone() {
	local p
	[ -s "$STUB_STATE/pids" ] || return 1
	while read -r p; do
		! kill -0 "$p" 2>/dev/null || return 1
	done <"$STUB_STATE/pids"
}
for s in TERM:143 INT:130; do
	fresh
	# a background job of a script ignores SIGINT; env gives it back
	STUB_FIXTURES=$tmp/c20 STUB_DELAY=60 env --default-signal=INT,TERM \
		"$plugin" --nodes -L --parallel 6 >"$tmp/out" 2>"$tmp/err" &
	bg=$!
	for ((i = 0; i < 150; i++)); do
		[ "$(grep -c '^logs ' "$STUB_LOG")" -lt 6 ] || break
		sleep 0.1
	done
	sleep 0.5
	check_eq "SIG${s%:*} mid-run: 6 nodes at once, no more (--parallel 6)" 6 "$(grep -c '^debug ' "$STUB_LOG")"
	kill -"${s%:*}" "$bg"
	wait "$bg"
	check_eq "... exit ${s#*:}" "${s#*:}" "$?"
	check "... the blocked kubectl logs are gone" stub_pids_gone
	check_eq "... the 6 debug pods deleted, none left" "6 " \
		"$(wc -l <"$STUB_STATE/deleted") $(pods_left)"
	check_eq "... no temporary file left" "" "$(tmp_left)"
done
