#!/usr/bin/env python3
"""Compare netjoin's JSON routes or neighbours with what ip printed.

Usage: routejson_compare.py routes|neighbors A.json B.json [B2.json...]
       routejson_compare.py --self-test

A is netjoin's -j output ({"target": ..., "routes": [...], ...}) or a bare
list; B, B2... are `ip -j route show ...` / `ip -j neigh ...` outputs,
concatenated in that order (`ip route show table N` is IPv4 only, so a
table is `ip -4` then `ip -6`; netjoin's neighbours are `ip neigh` then
`ip neigh show proxy`).

Routes are compared in order, every field of every entry: the same keys,
the same values of the same JSON types ("expires" may tick by a few
seconds between the two dumps). Neighbours are matched by (dst, dev,
proxy), then compared the same way, and their order must agree too.
Exit status: 0 equal, 1 different, 2 bad input.
"""
import json
import os
import sys
import tempfile

# Remaining lifetimes tick between the two dumps.
EXPIRES_SLACK = 5
ABSENT = object()


def show(v):
    return "<absent>" if v is ABSENT else json.dumps(v, ensure_ascii=False)


def same(a, b, key=None):
    """Equal in value and JSON type (1 != true != 1.0 != "1")."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], k) for k in a)
    if key == "expires" and type(a) is int:
        return abs(a - b) <= EXPIRES_SLACK
    return a == b


def entry_name(e):
    if not isinstance(e, dict):
        return show(e)
    s = str(e.get("dst", "?"))
    for k in ("type", "dev", "table"):
        if k in e:
            s += " %s=%s" % (k, e[k])
    return s


def compare_entry(where, a, b, diffs):
    if not isinstance(a, dict) or not isinstance(b, dict):
        diffs.append("%s: A=%s B=%s" % (where, show(a), show(b)))
        return
    for k in list(b) + [k for k in a if k not in b]:
        va, vb = a.get(k, ABSENT), b.get(k, ABSENT)
        if va is ABSENT or vb is ABSENT or not same(va, vb, k):
            diffs.append("%s.%s: A=%s B=%s" % (where, k, show(va), show(vb)))
    if list(a) != list(b) and a.keys() == b.keys():
        diffs.append("%s: key order A=%s B=%s" % (where, list(a), list(b)))


def compare_routes(la, lb, diffs):
    if len(la) != len(lb):
        diffs.append("A has %d routes, B has %d" % (len(la), len(lb)))
        na = [entry_name(x) for x in la]
        nb = [entry_name(x) for x in lb]
        for n in na:
            if n not in nb:
                diffs.append("  only in A: %s" % n)
        for n in nb:
            if n not in na:
                diffs.append("  only in B: %s" % n)
        return
    for i, (x, y) in enumerate(zip(la, lb)):
        compare_entry("[%d] %s" % (i, entry_name(y)), x, y, diffs)


def neigh_key(e):
    if not isinstance(e, dict):
        return (show(e),)
    return (e.get("dst"), e.get("dev"), "proxy" in e)


def compare_neighbors(la, lb, diffs):
    ka = [neigh_key(x) for x in la]
    kb = [neigh_key(x) for x in lb]
    for side, keys in (("A", ka), ("B", kb)):
        dup = {k for k in keys if keys.count(k) > 1}
        for k in sorted(dup, key=str):
            diffs.append("%s: %s listed twice" % (side, k))
    ma, mb = dict(zip(ka, la)), dict(zip(kb, lb))
    for k in kb:
        if k not in ma:
            diffs.append("%s: missing in A" % (k,))
    for k in ka:
        if k not in mb:
            diffs.append("%s: missing in B" % (k,))
    for k in kb:
        if k in ma:
            compare_entry(str(k), ma[k], mb[k], diffs)
    if set(ka) == set(kb) and ka != kb:
        diffs.append("order differs: A=%s B=%s" % (ka, kb))


def compare(what, a_doc, b_docs):
    """Return the list of differences between A (netjoin) and B (ip)."""
    if isinstance(a_doc, dict):
        if not isinstance(a_doc.get(what), list):
            return ["A: object without a %s list" % json.dumps(what)]
        la = a_doc[what]
    elif isinstance(a_doc, list):
        la = a_doc
    else:
        return ["A: neither an object nor a list"]
    lb = []
    for i, b in enumerate(b_docs):
        if not isinstance(b, list):
            return ["B%d: not a list" % (i + 1)]
        lb += b
    diffs = []
    if what == "routes":
        compare_routes(la, lb, diffs)
    else:
        compare_neighbors(la, lb, diffs)
    return diffs


def load(path, strict):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", errors="surrogateescape")
    return json.loads(text, strict=strict)


def compare_files(what, a_path, b_paths):
    try:
        a_doc = load(a_path, strict=True)
    except (OSError, ValueError) as e:
        print("A (%s): %s" % (a_path, e))
        return 2
    b_docs = []
    for p in b_paths:
        try:
            b_docs.append(load(p, strict=False))
        except (OSError, ValueError) as e:
            print("B (%s): %s" % (p, e))
            return 2
    diffs = compare(what, a_doc, b_docs)
    for d in diffs:
        print(d)
    return 1 if diffs else 0


# ---- self-test -------------------------------------------------------------

def _routes():
    return [
        {"dst": "default", "gateway": "10.0.0.1", "dev": "eth0",
         "flags": []},
        {"dst": "10.0.0.0/24", "dev": "eth0", "protocol": "kernel",
         "scope": "link", "prefsrc": "10.0.0.5", "flags": ["linkdown"]},
        {"dst": "10.9.0.0/16", "flags": [], "nexthops": [
            {"gateway": "10.0.0.2", "dev": "eth0", "weight": 1,
             "flags": []}]},
        {"dst": "2001:db8::/48", "gateway": "2001:db8::1", "dev": "eth0",
         "metric": 1024, "flags": [], "expires": 597, "pref": "medium"},
    ]


def _neighs():
    return [
        {"dst": "10.0.0.1", "dev": "eth0", "lladdr": "02:00:00:00:00:01",
         "state": ["REACHABLE"]},
        {"dst": "fe80::1", "dev": "eth0", "lladdr": "02:00:00:00:00:01",
         "router": None, "state": ["STALE"]},
        {"dst": "10.0.0.9", "dev": "eth0", "proxy": None},
    ]


def _mut(base, fn):
    a = base()
    fn(a)
    return a


SELF_TESTS = [
    # (description, what, A, [B...], expected substring or None)
    ("routes equal", "routes", _routes(), [_routes()], None),
    ("routes in a wrapper, B split in two", "routes",
     {"target": {}, "routes": _routes()}, [_routes()[:2], _routes()[2:]],
     None),
    ("expires within slack", "routes",
     _mut(_routes, lambda a: a[3].update(expires=594)), [_routes()], None),
    ("expires beyond slack", "routes",
     _mut(_routes, lambda a: a[3].update(expires=500)), [_routes()],
     "expires"),
    ("metric as string", "routes",
     _mut(_routes, lambda a: a[3].update(metric="1024")), [_routes()],
     "metric"),
    ("field only in A", "routes",
     _mut(_routes, lambda a: a[0].update(table="main")), [_routes()],
     "table"),
    ("field missing in A", "routes",
     _mut(_routes, lambda a: a[1].pop("prefsrc")), [_routes()], "prefsrc"),
    ("flags order", "routes",
     _mut(_routes, lambda a: a[1].update(flags=[])), [_routes()], "flags"),
    ("nexthop weight", "routes",
     _mut(_routes, lambda a: a[2]["nexthops"][0].update(weight=2)),
     [_routes()], "nexthops"),
    ("route missing", "routes", _routes()[:3], [_routes()], "only in B"),
    ("route order", "routes", list(reversed(_routes())), [_routes()],
     "[0]"),
    ("key order", "routes",
     _mut(_routes, lambda a: a.__setitem__(0, {
         "gateway": "10.0.0.1", "dst": "default", "dev": "eth0",
         "flags": []})), [_routes()], "key order"),
    ("no routes key", "routes", {"target": {}}, [_routes()], "without"),
    ("neighbours equal", "neighbors", _neighs(), [_neighs()[:2],
                                                   _neighs()[2:]], None),
    ("neighbour state", "neighbors",
     _mut(_neighs, lambda a: a[0].update(state=["STALE"])), [_neighs()],
     "state"),
    ("router flag missing", "neighbors",
     _mut(_neighs, lambda a: a[1].pop("router")), [_neighs()], "router"),
    ("proxy entry missing", "neighbors", _neighs()[:2], [_neighs()],
     "missing in A"),
    ("neighbour order", "neighbors", list(reversed(_neighs())),
     [_neighs()], "order"),
]


def _run_cli(what, a_text, b_texts):
    with tempfile.TemporaryDirectory() as d:
        pa = os.path.join(d, "a.json")
        with open(pa, "w") as f:
            f.write(a_text)
        pbs = []
        for i, t in enumerate(b_texts):
            pbs.append(os.path.join(d, "b%d.json" % i))
            with open(pbs[-1], "w") as f:
                f.write(t)
        saved = sys.stdout
        sys.stdout = open(os.devnull, "w")
        try:
            return compare_files(what, pa, pbs)
        finally:
            sys.stdout.close()
            sys.stdout = saved


def self_test():
    failed = 0
    for desc, what, a, bs, want in SELF_TESTS:
        diffs = compare(what, a, bs)
        ok = not diffs if want is None else any(want in d for d in diffs)
        print("%s - %s%s" % ("ok" if ok else "not ok", desc,
                             "" if ok else ": %r" % diffs))
        failed += not ok
    raw = json.dumps(_neighs()).replace("eth0", "eth\x01")
    for desc, ok in (
            ("files: raw control character accepted from ip",
             _run_cli("neighbors", json.dumps(json.loads(raw, strict=False)),
                      [raw]) == 0),
            ("files: invalid JSON is exit 2",
             _run_cli("routes", "[", ["[]"]) == 2),
            ("files: difference is exit 1",
             _run_cli("routes", json.dumps(_routes()),
                      [json.dumps(_routes()[:1])]) == 1)):
        print("%s - %s" % ("ok" if ok else "not ok", desc))
        failed += not ok
    print("# self-test: %d failed" % failed)
    return 1 if failed else 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if len(argv) < 3 or argv[0] not in ("routes", "neighbors"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    return compare_files(argv[0], argv[1], argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
