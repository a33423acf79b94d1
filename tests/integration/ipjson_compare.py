#!/usr/bin/env python3
"""Compare netjoin's JSON interface listing with `ip -j addr` output.

Usage: ipjson_compare.py A.json B.json [--details]
       ipjson_compare.py --self-test

A is netjoin's `-j` output ({"target": {...}, "interfaces": [...]}) or a
bare list; B is the output of `ip -j addr` (with --details: `ip -j -d addr`).
Interfaces are matched by ifindex and both sides must list the same set.
Only the fields netjoin mirrors are compared (LINK_FIELDS, ADDR_FIELDS and
every boolean address flag), so ip's other fields are ignored. A field that
B has must be in A with the same value and type; a compared field that only
A has is a difference too. Exit status: 0 equal, 1 different, 2 bad input.

A is parsed strictly (control characters in strings must be escaped, as
JSON requires); B leniently, because ip prints them raw in interface names.
"""
import json
import os
import sys
import tempfile

LINK_FIELDS = (
    "ifindex", "ifname", "flags", "mtu", "qdisc", "operstate", "group",
    "txqlen", "link_type", "address", "broadcast", "link", "link_index",
    "link_netnsid", "master",
)
ADDR_FIELDS = (
    "family", "local", "address", "prefixlen", "broadcast", "scope", "label",
    "valid_life_time", "preferred_life_time",
)
# Every flag key iproute2 prints for an address; any other boolean key on
# either side is compared as well, so a flag added later is not missed.
ADDR_FLAGS = (
    "secondary", "temporary", "nodad", "optimistic", "dadfailed", "home",
    "deprecated", "tentative", "dynamic", "mngtmpaddr", "noprefixroute",
    "autojoin", "stable-privacy",
)
LIFETIMES = ("valid_life_time", "preferred_life_time")
FOREVER = 4294967295
# Remaining lifetimes of dynamic addresses tick between the two dumps.
LIFETIME_SLACK = 5

ABSENT = object()


def show(v):
    return "<absent>" if v is ABSENT else json.dumps(v, ensure_ascii=False)


def same(a, b):
    """Equal in value and JSON type (1 != true != 1.0 != "1")."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def same_lifetime(a, b):
    if same(a, b):
        return True
    if type(a) is not int or type(b) is not int:
        return False
    if FOREVER in (a, b):
        return False
    return abs(a - b) <= LIFETIME_SLACK


def compare_field(where, key, a, b, diffs, eq=same):
    va = a.get(key, ABSENT)
    vb = b.get(key, ABSENT)
    if va is ABSENT and vb is ABSENT:
        return
    if va is ABSENT or vb is ABSENT or not eq(va, vb):
        diffs.append("%s.%s: A=%s B=%s" % (where, key, show(va), show(vb)))


def flag_keys(a, b):
    keys = list(ADDR_FLAGS)
    for d in (a, b):
        for k, v in d.items():
            if isinstance(v, bool) and k not in keys:
                keys.append(k)
    return keys


def addr_name(ai):
    if not isinstance(ai, dict):
        return show(ai)
    s = str(ai.get("local", "?"))
    if "address" in ai:
        s += " peer " + str(ai["address"])
    return "%s/%s" % (s, ai.get("prefixlen", "?"))


def compare_addrs(name, a, b, diffs):
    la = a.get("addr_info", ABSENT)
    lb = b.get("addr_info", ABSENT)
    if la is ABSENT and lb is ABSENT:
        return
    if not isinstance(la, list) or not isinstance(lb, list):
        diffs.append("%s.addr_info: A=%s B=%s" % (name, show(la), show(lb)))
        return
    if len(la) != len(lb):
        diffs.append("%s.addr_info: A has %d addresses [%s], B has %d [%s]" % (
            name, len(la), ", ".join(addr_name(x) for x in la),
            len(lb), ", ".join(addr_name(x) for x in lb)))
        return
    for i, (x, y) in enumerate(zip(la, lb)):
        where = "%s.addr_info[%d]" % (name, i)
        if not isinstance(x, dict) or not isinstance(y, dict):
            diffs.append("%s: A=%s B=%s" % (where, show(x), show(y)))
            continue
        for key in ADDR_FIELDS:
            eq = same_lifetime if key in LIFETIMES else same
            compare_field(where, key, x, y, diffs, eq)
        for key in flag_keys(x, y):
            compare_field(where, key, x, y, diffs)


def compare_linkinfo(name, a, b, diffs):
    ka = a.get("linkinfo", ABSENT)
    kb = b.get("linkinfo", ABSENT)
    if ka is ABSENT and kb is ABSENT:
        return
    if not isinstance(ka, dict) or not isinstance(kb, dict):
        diffs.append("%s.linkinfo: A=%s B=%s" % (name, show(ka), show(kb)))
        return
    compare_field(name + ".linkinfo", "info_kind", ka, kb, diffs)


def compare_link(a, b, details, diffs):
    name = b.get("ifname", a.get("ifname", "?"))
    if not isinstance(name, str) or not name.isprintable():
        name = show(name)
    for key in LINK_FIELDS:
        compare_field(name, key, a, b, diffs)
    if details:
        compare_linkinfo(name, a, b, diffs)
    compare_addrs(name, a, b, diffs)


def by_ifindex(links, side, diffs):
    out = {}
    for i, link in enumerate(links):
        idx = link.get("ifindex") if isinstance(link, dict) else None
        if type(idx) is not int:
            diffs.append("%s: entry %d has no integer ifindex" % (side, i))
        elif idx in out:
            diffs.append("%s: ifindex %d listed twice" % (side, idx))
        else:
            out[idx] = link
    return out


def compare(a_doc, b_doc, details=False):
    """Return the list of differences between A (netjoin) and B (ip)."""
    diffs = []
    if isinstance(a_doc, dict):
        if not isinstance(a_doc.get("interfaces"), list):
            return ["A: object without an \"interfaces\" list"]
        a_links = a_doc["interfaces"]
    elif isinstance(a_doc, list):
        a_links = a_doc
    else:
        return ["A: neither an object nor a list"]
    if not isinstance(b_doc, list):
        return ["B: not a list"]
    la = by_ifindex(a_links, "A", diffs)
    lb = by_ifindex(b_doc, "B", diffs)
    for idx in sorted(set(la) | set(lb)):
        if idx not in la:
            diffs.append("%s: interface missing in A (ifindex %d)"
                         % (show(lb[idx].get("ifname", ABSENT)), idx))
        elif idx not in lb:
            diffs.append("%s: interface missing in B (ifindex %d)"
                         % (show(la[idx].get("ifname", ABSENT)), idx))
        else:
            compare_link(la[idx], lb[idx], details, diffs)
    return diffs


def load(path, strict):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", errors="surrogateescape")
    return json.loads(text, strict=strict)


def compare_files(a_path, b_path, details):
    try:
        a_doc = load(a_path, strict=True)
    except (OSError, ValueError) as e:
        print("A (%s): %s" % (a_path, e))
        return 2
    try:
        b_doc = load(b_path, strict=False)
    except (OSError, ValueError) as e:
        print("B (%s): %s" % (b_path, e))
        return 2
    diffs = compare(a_doc, b_doc, details)
    for d in diffs:
        print(d)
    return 1 if diffs else 0


# ---- self-test -------------------------------------------------------------

def _sample():
    return [
        {"ifindex": 1, "ifname": "lo", "flags": ["LOOPBACK", "UP", "LOWER_UP"],
         "mtu": 65536, "qdisc": "noqueue", "operstate": "UNKNOWN",
         "group": "default", "txqlen": 1000, "link_type": "loopback",
         "address": "00:00:00:00:00:00", "broadcast": "00:00:00:00:00:00",
         "addr_info": [
             {"family": "inet", "local": "127.0.0.1", "prefixlen": 8,
              "scope": "host", "label": "lo", "valid_life_time": FOREVER,
              "preferred_life_time": FOREVER}]},
        {"ifindex": 2, "link_index": 5, "ifname": "v0",
         "flags": ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"], "mtu": 1400,
         "qdisc": "noqueue", "operstate": "UP", "group": "default",
         "txqlen": 1000, "link_type": "ether", "address": "02:00:00:00:00:01",
         "broadcast": "ff:ff:ff:ff:ff:ff", "link_netnsid": 0,
         "linkinfo": {"info_kind": "veth"},
         "addr_info": [
             {"family": "inet", "local": "10.1.2.2", "prefixlen": 24,
              "broadcast": "10.1.2.255", "scope": "global", "label": "v0",
              "valid_life_time": FOREVER, "preferred_life_time": FOREVER},
             {"family": "inet", "local": "10.1.2.3", "prefixlen": 24,
              "scope": "global", "secondary": True, "label": "v0:1",
              "valid_life_time": FOREVER, "preferred_life_time": FOREVER},
             {"family": "inet6", "local": "fd00::3", "prefixlen": 64,
              "scope": "global", "nodad": True, "dynamic": True,
              "valid_life_time": 3597, "preferred_life_time": 1797}]},
        {"ifindex": 3, "ifname": "a\"b\\c\u0001", "flags": ["BROADCAST"],
         "mtu": 1500, "qdisc": "noop", "operstate": "DOWN", "group": "7",
         "txqlen": 500, "link_type": "ether", "master": "br0", "link": "pb",
         "address": "02:00:00:00:00:02", "broadcast": "ff:ff:ff:ff:ff:ff",
         "addr_info": []},
    ]


def _ip_extras(links):
    """What ip prints on top of what is compared: must be ignored."""
    for link in links:
        link["promiscuity"] = 0
        link["min_mtu"] = 68
        link.setdefault("linkinfo", {"info_kind": "dummy"})["info_data"] = {}
        for ai in link["addr_info"]:
            ai["metric"] = 5
    return links


def _case_equal():
    return _sample(), _ip_extras(_sample()), False


def _case_equal_wrapped_details():
    return ({"target": {"kind": "netns"}, "interfaces": _sample()},
            _sample(), True)


def _case_lifetime_tick():
    a = _sample()
    a[1]["addr_info"][2]["valid_life_time"] = 3595
    a[1]["addr_info"][2]["preferred_life_time"] = 1800
    return a, _sample(), False


def _case_linkinfo_ignored():
    a = _sample()
    del a[1]["linkinfo"]
    a[0]["linkinfo"] = {"info_kind": "x"}
    return a, _sample(), False


def _mutated(fn, details=False):
    a = _sample()
    fn(a)
    return lambda: (a, _sample(), details)


def _set(path, value):
    def fn(links):
        d = links
        for k in path[:-1]:
            d = d[k]
        if value is ABSENT:
            del d[path[-1]]
        else:
            d[path[-1]] = value
    return fn


SELF_TESTS_EQUAL = [
    ("equal, ip's extra fields ignored", _case_equal),
    ("wrapper object, --details", _case_equal_wrapped_details),
    ("lifetimes within slack", _case_lifetime_tick),
    ("linkinfo ignored without --details", _case_linkinfo_ignored),
]
SELF_TESTS_DIFF = [
    ("differing mtu", _mutated(_set([1, "mtu"], 1500)), "v0.mtu:"),
    ("mtu as string", _mutated(_set([1, "mtu"], "1400")), "v0.mtu:"),
    ("missing interface", _mutated(lambda a: a.pop(2)), "missing in A"),
    ("extra interface", _mutated(lambda a: a.append(
        dict(_sample()[0], ifindex=9))), "missing in B"),
    ("field only in A", _mutated(_set([0, "master"], "br0")), "lo.master:"),
    ("field missing in A", _mutated(_set([1, "link_netnsid"], ABSENT)),
     "v0.link_netnsid:"),
    ("flags order", _mutated(_set([0, "flags"], ["UP", "LOOPBACK", "LOWER_UP"])),
     "lo.flags:"),
    ("escaped name differs", _mutated(_set([2, "ifname"], "a\"b\\c")),
     ".ifname:"),
    ("address flag missing", _mutated(_set([1, "addr_info", 1, "secondary"],
                                           ABSENT)), "secondary"),
    ("address flag false", _mutated(_set([1, "addr_info", 0, "secondary"],
                                         False)), "secondary"),
    ("unknown bool flag", _mutated(_set([1, "addr_info", 0, "newflag"], True)),
     "newflag"),
    ("lifetime beyond slack", _mutated(_set(
        [1, "addr_info", 2, "valid_life_time"], 3580)), "valid_life_time"),
    ("finite vs forever", _mutated(_set(
        [0, "addr_info", 0, "valid_life_time"], FOREVER - 1)),
     "valid_life_time"),
    ("address order", _mutated(lambda a: a[1]["addr_info"].reverse()),
     "addr_info[0]"),
    ("address missing", _mutated(lambda a: a[1]["addr_info"].pop()),
     "A has 2 addresses"),
    ("linkinfo kind with --details", _mutated(
        _set([1, "linkinfo", "info_kind"], "vxlan"), True), "info_kind"),
    ("linkinfo only in A with --details", _mutated(
        _set([0, "linkinfo"], {"info_kind": "x"}), True), "lo.linkinfo"),
]


def _run_cli(a_doc, b_text, details):
    with tempfile.TemporaryDirectory() as d:
        pa, pb = os.path.join(d, "a.json"), os.path.join(d, "b.json")
        with open(pa, "w") as f:
            f.write(a_doc)
        with open(pb, "w") as f:
            f.write(b_text)
        saved = sys.stdout
        sys.stdout = open(os.devnull, "w")
        try:
            return compare_files(pa, pb, details)
        finally:
            sys.stdout.close()
            sys.stdout = saved


def self_test():
    failed = 0

    def result(ok, desc, detail=""):
        nonlocal failed
        print("%s - %s%s" % ("ok" if ok else "not ok", desc, detail))
        failed += not ok

    for desc, case in SELF_TESTS_EQUAL:
        a, b, details = case()
        diffs = compare(a, b, details)
        result(not diffs, desc, "" if not diffs else ": " + "; ".join(diffs))
    for desc, case, want in SELF_TESTS_DIFF:
        a, b, details = case()
        diffs = compare(a, b, details)
        ok = len(diffs) >= 1 and any(want in d for d in diffs)
        result(ok, desc, "" if ok else ": got %r" % diffs)
    # The file layer: ip's raw control characters are accepted in B but
    # the same bytes in A are invalid JSON.
    raw = json.dumps(_sample()).replace("\\u0001", "\x01")
    result(_run_cli(json.dumps(_sample()), raw, False) == 0,
           "files: raw control character accepted from ip")
    result(_run_cli(raw, raw, False) == 2,
           "files: raw control character rejected from netjoin")
    result(_run_cli("[", "[]", False) == 2, "files: invalid JSON is exit 2")
    result(_run_cli(json.dumps(_sample()), json.dumps(_sample()[:2]), False)
           == 1, "files: difference is exit 1")
    print("# self-test: %d failed" % failed)
    return 1 if failed else 0


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    opts = [a for a in argv if a.startswith("--")]
    if opts == ["--self-test"] and not args:
        return self_test()
    if len(args) != 2 or any(o != "--details" for o in opts):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    return compare_files(args[0], args[1], "--details" in opts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
