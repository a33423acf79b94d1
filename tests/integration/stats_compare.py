#!/usr/bin/env python3
"""Compare netjoin's --stats output with ip's, for every link.

Usage: stats_compare.py json NETJOIN.json IP.json
       stats_compare.py text NETJOIN.txt IP.txt

json: NETJOIN.json is `netjoin -j --stats` ({"interfaces": [...]}), IP.json
`ip -j -s link` (or both with -s twice). Links are matched by ifindex and
both sides must list the same ones; each link's "stats64" must be equal,
key for key, in ip's order, with the same nesting and values.

text: NETJOIN.txt is `netjoin --stats` (a header line, then each link's
line, its address lines, then its counters), IP.txt `ip -s link`. Each
link's counter lines must be ip's, byte for byte.

Prints each difference; exit 0 equal, 1 different, 2 bad input.
"""
import json
import re
import sys

LINK = re.compile(r"^(\d+): ")


def fail(msg):
    print(msg)
    return 1


def compare_json(ours_path, ip_path):
    with open(ours_path) as f:
        ours = json.load(f)["interfaces"]
    with open(ip_path) as f:
        ips = json.loads(f.read(), strict=False)
    mine = {i["ifindex"]: i for i in ours}
    theirs = {i["ifindex"]: i for i in ips}
    bad = 0
    if sorted(mine) != sorted(theirs):
        return fail(f"links differ: netjoin {sorted(mine)}, ip {sorted(theirs)}")
    for ix, ip in theirs.items():
        a, b = mine[ix].get("stats64"), ip.get("stats64")
        name = ip.get("ifname")
        if b is None:
            bad |= fail(f"{name}: ip has no stats64")
            continue
        # json.dumps keeps the order the objects were read in
        if a != b or json.dumps(a) != json.dumps(b):
            bad |= fail(f"{name}:\n  netjoin {json.dumps(a)}\n  ip      {json.dumps(b)}")
    return bad


def blocks(lines):
    """{ifindex: [lines]} for each block that starts with "N: "."""
    out, cur = {}, None
    for line in lines:
        m = LINK.match(line)
        if m:
            cur = out.setdefault(int(m.group(1)), [])
        elif cur is not None:
            cur.append(line)
    return out


def compare_text(ours_path, ip_path):
    with open(ours_path, encoding="utf-8", errors="surrogateescape") as f:
        ours = blocks(f.read().splitlines(keepends=True)[1:])
    with open(ip_path, encoding="utf-8", errors="surrogateescape") as f:
        ips = blocks(f.read().splitlines(keepends=True))
    bad = 0
    if sorted(ours) != sorted(ips):
        return fail(f"links differ: netjoin {sorted(ours)}, ip {sorted(ips)}")
    for ix, lines in ips.items():
        want = lines[1:]  # after the link/ line
        got = [l for l in ours[ix] if not re.match(r"^    inet6? ", l)]
        if got != want:
            bad |= fail(f"link {ix}:\n  netjoin {got!r}\n  ip      {want!r}")
    return bad


def main(argv):
    if len(argv) != 4 or argv[1] not in ("json", "text"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        if argv[1] == "json":
            return compare_json(argv[2], argv[3])
        return compare_text(argv[2], argv[3])
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"stats_compare: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
