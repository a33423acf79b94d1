#!/usr/bin/env python3
"""make bench: netjoin side by side with what people type otherwise, in one
run, as ratios of median wall time (these machines are noisy: absolute
times don't carry), with peak RSS. Sets up and removes its own namespaces,
containers and runtime state. Writes bench/results.md.

Run as root through scripts/bench.sh, inside a private mount namespace
(section 4 binds a fake containerd state over /run/containerd)."""
import datetime, json, os, platform, shutil, statistics, subprocess, sys, tempfile, time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NJ = os.path.abspath(os.environ.get("NETJOIN", os.path.join(TOP, "build/netjoin")))
FLOOR = os.environ.get("FLOOR", os.path.join(TOP, "build/bench/floor"))
RUNS = int(os.environ.get("BENCH_RUNS", "11"))
# BENCH_ONLY=top, watch or capture: that section alone (making its own namespaces),
# its report in build/bench/results-SECTION.md, not bench/results.md
ONLY = os.environ.get("BENCH_ONLY", "")
# NETJOIN_BASE=PATH: section 8 also runs that build, in the same rounds
BASE = os.environ.get("NETJOIN_BASE", "")
INV_RUNS = 7  # the shell loop over 500 namespaces takes 0.6 s a run
DOCKER = "/usr/bin/docker"
ID = f"njb{os.getpid()}"
rows, notes, cleanups = [], [], []


def sh(*cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, **kw).stdout


def wall(cmd, env=None):
    """One run's wall seconds, the command started directly."""
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"failed: {' '.join(cmd)}")
    return dt


def peak_rss(cmd, env=None):
    """Peak RSS (KiB) of the command alone, from a separate run under GNU
    time: wait4 on a child forked from python reports python's high-water
    mark, and timing under time would charge its fork to the command."""
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env, check=True)
        return int(out.read().split()[-1])


def compare(section, cmds, goals=None, env=None, runs=RUNS):
    """cmds: [(label, argv)], netjoin first; run alternately (in rotated
    order) after a warm-up; record median time, max RSS, and netjoin's
    ratio to each."""
    for _, c in cmds:
        wall(c, env)
    t = {l: [] for l, _ in cmds}
    m = {l: [peak_rss(c, env)] for l, c in cmds}
    # Rotated each round, so that each command follows each other one as
    # often: a run right after `docker exec` or a loop of 500 `ip` finds
    # the caches cold and the daemon busy, and a fixed order would always
    # hand that to the same command.
    for k in range(runs):
        for l, c in cmds[k % len(cmds):] + cmds[:k % len(cmds)]:
            t[l].append(wall(c, env))
    base = statistics.median(t[cmds[0][0]])
    for i, (l, _) in enumerate(cmds):
        med = statistics.median(t[l])
        ratio = base / med if i else 1.0
        goal = (goals or {}).get(l)
        verdict = "" if goal is None else ("met" if ratio <= goal else "NOT met")
        rows.append((section, l, med, max(m[l]), ratio,
                     f"<= {goal}x: {verdict}" if goal else ""))
    return base


def batch(lines, ns=None):
    """ip -batch, in namespace ns if given (batch lines take no -n)."""
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write("\n".join(lines) + "\n")
    try:
        sh("ip", *(["-n", ns] if ns else []), "-batch", f.name)
    finally:
        os.unlink(f.name)


def settle():
    """Deleted namespaces are torn down by the kernel afterwards, in
    batches, each holding the rtnl lock every dump needs: wait until dumps
    have been quick several times in a row (one quick dump can fall
    between two batches)."""
    deadline = time.monotonic() + 60
    quick = 0
    while time.monotonic() < deadline and quick < 5:
        t0 = time.perf_counter()
        sh("ip", "-br", "link")
        quick = quick + 1 if time.perf_counter() - t0 < 0.005 else 0
        time.sleep(0.3)


def dump_namespace(links, addrs_per_link):
    ns = f"{ID}d{links}"
    sh("ip", "netns", "add", ns)
    cleanups.append(lambda: sh("ip", "netns", "del", ns, check=False))
    lines = ["link set lo up"]
    lines += [f"link add b{i} type bridge" for i in range(links)]
    for i in range(links):
        for j in range(addrs_per_link):
            lines.append(f"addr add 10.{i // 250}.{i % 250}.{j + 1}/32 dev b{i}")
    batch(lines, ns)
    return ns


def section_dump():
    for links, per, goal_b, goal_j in ((1000, 100, 0.15, 0.2), (200, 100, 0.5, 0.5)):
        ns = dump_namespace(links, per)
        name = f"1. dump {links} links / {links * per} addresses"
        compare(name, [("netjoin -b netns:X", [NJ, "-b", f"netns:{ns}"]),
                       ("ip -br addr", ["ip", "-n", ns, "-br", "addr"])],
                {"ip -br addr": goal_b})
        compare(name, [("netjoin -j netns:X", [NJ, "-j", f"netns:{ns}"]),
                       ("ip -j addr", ["ip", "-n", ns, "-j", "addr"])],
                {"ip -j addr": goal_j})
        if links == 1000:
            section_floor(ns)
        # gone before the next sections: -L would list it, and so would
        # the shell loop it is compared with
        sh("ip", "netns", "del", ns)
        settle()


def section_floor(ns):
    p = subprocess.Popen(["ip", "netns", "exec", ns, "sleep", "600"])
    time.sleep(0.3)
    try:
        pid = sh("ip", "netns", "pids", ns).split()[0]
        section = "5. floor (pidfd_open + setns + 2 dumps, 100,000 addresses)"
        compare(section, [("netjoin -b pid:N", [NJ, "-b", f"pid:{pid}"]),
                          ("floor (bench/floor.c)", [FLOOR, pid])])
        # the goal, said outright: netjoin's time over the floor's
        nj, fl = rows[-2], rows[-1]
        ratio = nj[2] / fl[2]
        rows.append((section, "-b / floor", nj[2], nj[3], ratio,
                     f"<= 2.5x: {'met' if ratio <= 2.5 else 'NOT met'}"))
    finally:
        p.kill()
        p.wait()


def section_container():
    up = subprocess.run([os.path.join(TOP, "scripts/docker-up.sh")],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    # stopped at the end whatever happens: a private engine left running
    # answers the next test run's lookups in place of the one it starts
    cleanups.append(lambda: subprocess.run([os.path.join(TOP, "scripts/docker-down.sh")],
                                           stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL))
    if up.returncode:
        notes.append("2. skipped: the private Docker engine did not start")
        return
    env = dict(os.environ, DOCKER_HOST=up.stdout.strip().split("=", 1)[1])
    subprocess.run([os.path.join(TOP, "scripts/mkimage.sh")], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    name = f"{ID}-web"
    subprocess.run([DOCKER, "run", "-d", "--name", name, "netjoin-test/busybox:latest",
                    "sleep", "600"], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    cleanups.append(lambda: subprocess.run([DOCKER, "rm", "-f", name], env=env,
                                           stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL))
    habit = f"nsenter -n -t $({DOCKER} inspect -f '{{{{.State.Pid}}}}' {name}) ip -br addr"
    compare("2. one container, end to end",
            [("netjoin NAME", [NJ, name]),
             ("nsenter -n -t $(docker inspect ...) ip -br addr", ["sh", "-c", habit]),
             ("docker exec NAME ip addr", [DOCKER, "exec", name, "ip", "addr"])],
            {"nsenter -n -t $(docker inspect ...) ip -br addr": 0.1}, env=env)


inventory_made = [0]


def inventory_namespaces(n):
    """Namespaces {ID}i0.. up to n, each with a veth from the host and an
    address (section 3 grows them; section 6 reuses them, or makes them
    when it runs alone)."""
    made = inventory_made[0]
    lines = []
    for i in range(made, n):
        ns = f"{ID}i{i}"
        lines += [f"netns add {ns}",
                  f"link add {ID[-6:]}v{i} type veth peer name eth0 netns {ns}"]
        cleanups.append(lambda ns=ns: sh("ip", "netns", "del", ns, check=False))
    if lines:
        batch(lines)
    for i in range(made, n):
        sh("ip", "-n", f"{ID}i{i}", "addr", "add",
           f"10.77.{i // 250}.{i % 250 + 1}/16", "dev", "eth0")
    inventory_made[0] = max(made, n)


def section_inventory():
    for n in (100, 250, 500):
        inventory_namespaces(n)
        loop = ("for ns in $(ip netns list | cut -d' ' -f1); do "
                "ip -n $ns -br addr; done")
        compare(f"3. node inventory, {n} namespaces",
                [("netjoin --list", [NJ, "--list"]),
                 ("lsns -t net", ["lsns", "-t", "net"]),
                 ("shell loop of ip -n NS -br addr", ["sh", "-c", loop])],
                {"shell loop of ip -n NS -br addr": 0.05}, runs=INV_RUNS)


TOP_INTERVAL = 0.001


def section_top():
    """One --top sample over 500 namespaces. --count 1 is two samples one
    interval apart and one set of rates; with an interval of 1 ms the
    second sample starts as soon as the first is done (the interval runs
    from the first's reading), so a run is two samples and a start-up.
    One sample is (wall - interval) / 2, compared with one -L (which also
    reads addresses, and writes them) and one shell loop of
    ip -n NS -s -j link: the counters of every namespace, as --top reads
    them."""
    inventory_namespaces(500)
    section = "6. --top, 500 namespaces"
    top = ["--top", "--count", "1", "--interval", str(TOP_INTERVAL)]
    loop = ("for ns in $(ip netns list | cut -d' ' -f1); do "
            "ip -n $ns -s -j link; done")
    compare(section, [("netjoin --top --count 1 --interval 0.001 (two samples)", [NJ] + top),
                      ("netjoin --list", [NJ, "--list"]),
                      ("shell loop of ip -n NS -s -j link", ["sh", "-c", loop])],
            runs=INV_RUNS)
    two, lst, shloop = rows[-3], rows[-2], rows[-1]
    one = (two[2] - TOP_INTERVAL) / 2
    for label, other, goal in (("one sample / -L", lst, 1.2),
                               ("one sample / shell loop", shloop, 0.05)):
        ratio = one / other[2]
        rows.append((section, label, one, two[3], ratio,
                     f"<= {goal}x: {'met' if ratio <= goal else 'NOT met'}"))
    notes.append("6. one --top sample = (wall time of --count 1 --interval 0.001, "
                 "two samples and one start-up, minus the 1 ms interval) / 2; "
                 "half a start-up (about 0.4 ms) is in it, a whole one in -L's. "
                 "-L and the loop read every namespace on the node, as --top does.")


def section_resolution(state):
    """Fake containerd state: N CRI app containers, resolve one by prefix."""
    sleeper = subprocess.Popen(["unshare", "-n", "sleep", "600"])
    cleanups.append(sleeper.kill)
    time.sleep(0.2)
    with open(os.path.join(TOP, "tests/fixtures/state/cri-container-config.json")) as f:
        config = f.read()
    tasks = os.path.join(state, "io.containerd.runtime.v2.task", "k8s.io")
    os.makedirs(tasks)
    made = 0
    for n in (100, 250, 500):
        for i in range(made, n):
            d = os.path.join(tasks, f"{i:08x}" + "ab" * 28)
            os.mkdir(d)
            with open(os.path.join(d, "config.json"), "w") as f:
                f.write(config.replace("/proc/123/ns/net", f"/proc/{sleeper.pid}/ns/net"))
            with open(os.path.join(d, "init.pid"), "w") as f:
                f.write(str(sleeper.pid))
        made = n
        env = dict(os.environ, DOCKER_HOST="unix:///nonexistent")
        prefix = f"{n - 1:08x}"
        compare(f"4. resolve 1 of {n} containerd containers by prefix",
                [(f"netjoin containerd:{prefix[:8]} true",
                  [NJ, f"containerd:{prefix}", "true"]),
                 ("netjoin host true (start-up alone)", [NJ, "host", "true"])],
                env=env)


def watch_latency(p, n, events, base, buf=b""):
    """For each of events addresses (10.base.x.y) added in one of the
    namespaces, the seconds to netjoin's line for it from starting `ip addr
    add` (its start-up and its wait for the rtnl lock in it), and from
    ip's end (the kernel sent the event before its answer to ip: a little
    less than the time from the kernel's sending)."""
    import select
    lat, after = [], []
    for k in range(events):
        ns, addr = f"{ID}w{(k * 37) % n}", f"10.{base}.{k // 200}.{k % 200 + 1}"
        t0 = time.perf_counter()
        subprocess.run(["ip", "-n", ns, "addr", "add", addr + "/32", "dev", "lo"],
                       check=True)
        t1 = time.perf_counter()
        want = f'"local":"{addr}"'.encode()
        while want not in buf:
            select.select([p.stdout], [], [], 2)
            buf += p.stdout.read() or b""
        t2 = time.perf_counter()
        lat.append(t2 - t0)
        after.append(t2 - t1)
        buf = buf[buf.index(want):]
    return lat, after


def ms(v):
    """median and worst of v (seconds), in ms"""
    return f"median {statistics.median(v) * 1000:.1f} ms, worst {max(v) * 1000:.1f} ms"


def watch_churn(stop, made):
    """Namespaces come and go while stop is not set: one added every
    0.15 s, each removed 0.45 s later, so that -L --watch rescans (inotify
    on /run/netns, then the quick rescans after it) all the time."""
    k = 0
    while not stop.is_set():
        ns = f"{ID}c{k}"
        made.append(ns)
        sh("ip", "netns", "add", ns)
        if k >= 3:
            sh("ip", "netns", "del", f"{ID}c{k - 3}", check=False)
        k += 1
        stop.wait(0.15)
    return k


def section_watch(n=500, events=100):
    """-L --watch over n namespaces: CPU while idle for 10 s, peak RSS, and
    the time from starting `ip addr add` in one of them to netjoin's line
    for it (so ip's own start-up, a millisecond or two, is in it): in
    quiet, and while namespaces come and go (each a rescan)."""
    import threading
    lines = []
    for i in range(n):
        ns = f"{ID}w{i}"
        lines.append(f"netns add {ns}")
        cleanups.append(lambda ns=ns: sh("ip", "netns", "del", ns, check=False))
    batch(lines)
    p = subprocess.Popen([NJ, "-j", "-L", "--watch"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    cleanups.append(p.kill)
    fd_dir = f"/proc/{p.pid}/fd"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # a socket in each: the scan is done
        socks = sum(os.readlink(os.path.join(fd_dir, f)).startswith("socket:")
                    for f in os.listdir(fd_dir))
        if socks >= n:
            break
        time.sleep(0.2)
    time.sleep(1)

    def cpu():
        f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    os.set_blocking(p.stdout.fileno(), False)
    while p.stdout.read():  # what came before
        pass
    c0 = cpu()
    time.sleep(10)
    idle = cpu() - c0
    # "idle" on a shared machine: other namespaces' events are written too
    others = (p.stdout.read() or b"").count(b"\n")
    lat, lat_after = watch_latency(p, n, events, 78)
    # the same while rescans run: namespaces added and removed meanwhile
    stop, made = threading.Event(), []
    cleanups.append(lambda: [sh("ip", "netns", "del", ns, check=False)
                             for ns in made])
    churner = threading.Thread(target=watch_churn, args=(stop, made))
    c0, t0 = cpu(), time.monotonic()
    churner.start()
    try:
        busy, busy_after = watch_latency(p, n, events, 79)
    finally:
        stop.set()
        churner.join()
    busy_cpu, busy_s = cpu() - c0, time.monotonic() - t0
    hwm = [l for l in open(f"/proc/{p.pid}/status") if l.startswith("VmHWM")]
    p.terminate()
    p.wait()
    notes.append(f"7. `netjoin -L --watch`, {n} namespaces: {idle:.3f} s CPU while "
                 f"idle for 10 s ({others} lines of other namespaces' events meanwhile); "
                 f"peak RSS {int(hwm[0].split()[1]) / 1024:.1f} MiB; "
                 f"from starting `ip addr add` to the printed line, {ms(lat)} "
                 f"over {events} events (goal: 100 ms; from ip's end, {ms(lat_after)}); "
                 f"while namespaces came and went ({len(made)} added and removed, "
                 f"one every 0.15 s, each a rescan), {ms(busy)} (from ip's end, "
                 f"{ms(busy_after)}), {busy_cpu:.2f} s CPU over those {busy_s:.1f} s")


def cpu_rss(pid):
    """CPU seconds (user + system) and peak RSS (KiB) of a running pid."""
    with open(f"/proc/{pid}/stat") as f:
        st = f.read().rsplit(")", 1)[1].split()
    cpu = (int(st[11]) + int(st[12])) / os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{pid}/status") as f:
        hwm = next(int(l.split()[1]) for l in f if l.startswith("VmHWM"))
    return cpu, hwm


def capture_counts(err):
    """tcpdump's and netjoin's closing lines: (captured, dropped) in all."""
    cap = drop = 0
    for line in err.splitlines():
        w = line.split()
        if len(w) >= 3 and w[1:3] == ["packets", "captured"] and w[0].isdigit():
            cap = int(w[0])
        if len(w) >= 5 and w[1:] == ["packets", "dropped", "by", "kernel"]:
            drop = int(w[0])
    return cap, drop


FLOOD = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.monotonic() + float(sys.argv[2]); n = 0; b = b"x" * 18
while time.monotonic() < end:
    for _ in range(256):
        s.sendto(b, (sys.argv[1], 9))
    n += 256
print(n)
"""


TCP_SINK = r"""
import socket
s = socket.socket(); s.bind(("0.0.0.0", 5001)); s.listen(8)
b = bytearray(1 << 20)
while True:
    c, _ = s.accept()
    while c.recv_into(b):
        pass
    c.close()
"""

TCP_BULK = r"""
import socket, sys, time
s = socket.create_connection((sys.argv[1], 5001))
end = time.monotonic() + float(sys.argv[2]); n = 0; b = b"x" * (1 << 20)
while time.monotonic() < end:
    s.sendall(b); n += len(b)
s.close()
print(n // 1448)
"""


def one_capture(cmd, flood, seconds):
    """Start cmd, flood (a list of argvs, run at once) for seconds; then
    its CPU, RSS and counts, and the packets sent."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    t0 = cpu_rss(p.pid)[0]
    senders = [subprocess.Popen(f + [str(seconds)], stdout=subprocess.PIPE, text=True)
               for f in flood]
    sent = sum(int(q.communicate()[0] or 0) for q in senders)
    time.sleep(0.5)
    cpu, rss = cpu_rss(p.pid)
    p.send_signal(2)
    err = p.communicate(timeout=30)[1]
    cap, drop = capture_counts(err)
    return cpu - t0, rss, cap, drop, sent


def many_capture(cmds, flood, seconds):
    """The same for several capture processes at once: summed."""
    ps = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
          for c in cmds]
    time.sleep(1.5)
    t0 = sum(cpu_rss(p.pid)[0] for p in ps)
    senders = [subprocess.Popen(f + [str(seconds)], stdout=subprocess.PIPE, text=True)
               for f in flood]
    sent = sum(int(q.communicate()[0] or 0) for q in senders)
    time.sleep(0.5)
    cpu = rss = cap = drop = 0
    for p in ps:
        c, r = cpu_rss(p.pid)
        cpu += c
        rss += r
        p.send_signal(2)
    for p in ps:
        k, d = capture_counts(p.communicate(timeout=30)[1])
        cap += k
        drop += d
    return cpu - t0, rss, cap, drop, sent


def section_capture():
    """--capture beside tcpdump on the same interface, under a flood of
    small UDP datagrams between two namespaces; then ten namespaces in
    one netjoin beside ten tcpdumps."""
    seconds = float(os.environ.get("BENCH_CAPTURE_SECONDS", "5"))
    rounds = int(os.environ.get("BENCH_CAPTURE_ROUNDS", "3"))
    x, y = f"{ID}cx", f"{ID}cy"
    for ns in (x, y):
        sh("ip", "netns", "add", ns)
        cleanups.append(lambda ns=ns: sh("ip", "netns", "del", ns, check=False))
    batch([f"link add x0 netns {x} type veth peer name y0 netns {y}"])
    for ns, dev, a in ((x, "x0", "10.250.0.1/24"), (y, "y0", "10.250.0.2/24")):
        sh("ip", "-n", ns, "addr", "add", a, "dev", dev)
        sh("ip", "-n", ns, "link", "set", dev, "up")
    # a socket that never reads: datagrams are dropped without an ICMP answer
    sink = subprocess.Popen(["ip", "netns", "exec", x, "python3", "-c",
                             "import socket,time; s=socket.socket(2,2); "
                             "s.bind(('0.0.0.0',9)); time.sleep(1e6)"])
    cleanups.append(sink.kill)
    flood = [["ip", "netns", "exec", y, "python3", "-c", FLOOD, "10.250.0.1"]]
    # TCP in 1500-byte frames (no GSO on the sender's end): the copy of
    # whole packets, where the datagrams above are mostly wake-ups
    sh("ip", "-n", y, "link", "set", "y0", "gso_max_size", "1500", "gso_max_segs", "1")
    tcp_sink = subprocess.Popen(["ip", "netns", "exec", x, "python3", "-c", TCP_SINK])
    cleanups.append(tcp_sink.kill)
    time.sleep(0.3)
    bulk = [["ip", "netns", "exec", y, "python3", "-c", TCP_BULK, "10.250.0.1"]]
    tools = [("netjoin --capture -w /dev/null netns:X",
              [NJ, "--capture", "-w", "/dev/null", f"netns:{x}"]),
             ("tcpdump -p -w /dev/null -i x0 (ip netns exec X)",
              ["ip", "netns", "exec", x, "tcpdump", "-p", "-n", "-w", "/dev/null", "-i", "x0"])]
    if BASE:  # another build in the same rounds: before/after pairs
        tools.append((f"{BASE} --capture -w /dev/null netns:X (base)",
                      [BASE, "--capture", "-w", "/dev/null", f"netns:{x}"]))
    for name, fl, unit in (("8. capture, UDP flood (60-byte frames)", flood, "datagrams"),
                           ("8b. capture, TCP bulk (1500-byte frames)", bulk, "segments")):
        res = {l: [] for l, _ in tools}
        for k in range(rounds):
            for l, c in tools[k % len(tools):] + tools[:k % len(tools)]:
                res[l].append(one_capture(c, fl, seconds))
                cpu, _, cap, drop, sent = res[l][-1]
                print(f"bench: {name} round {k}: {l}: {cpu:.2f} s CPU, "
                      f"{cap} captured, {drop} dropped, {sent} sent", file=sys.stderr)
        med = {l: [statistics.median(r[i] for r in v) for i in range(5)]
               for l, v in res.items()}
        nj, td = med[tools[0][0]], med[tools[1][0]]
        for l, _ in tools:
            cpu, rss, cap, drop, sent = med[l]
            rows.append((name, l, cpu, rss, cpu / td[0] if td[0] else 0.0,
                         f"{cap / seconds:,.0f} pkt/s captured, {drop:,.0f} dropped; "
                         f"{sent / seconds:,.0f} {unit}/s sent"))
        verdict = "met" if nj[3] <= td[3] and nj[0] <= 1.1 * td[0] else "NOT met"
        notes.append(f"{name}: medians of {rounds} alternating rounds of {seconds:g} s; "
                     f"the 'median' column is CPU seconds, the ratio netjoin's CPU over "
                     f"tcpdump's; goal (drops <= tcpdump's, CPU <= 1.1x): {verdict}")
    if os.environ.get("BENCH_CAPTURE_MANY", "1") != "0":
        section_capture_many(seconds)


def section_capture_many(seconds):
    hub = f"{ID}ch"
    sh("ip", "netns", "add", hub)
    cleanups.append(lambda: sh("ip", "netns", "del", hub, check=False))
    names, lines = [], []
    for i in range(10):
        ns = f"{ID}cn{i}"
        names.append(ns)
        sh("ip", "netns", "add", ns)
        cleanups.append(lambda ns=ns: sh("ip", "netns", "del", ns, check=False))
        lines.append(f"link add h{i} netns {hub} type veth peer name eth0 netns {ns}")
    batch(lines)
    for i, ns in enumerate(names):
        sh("ip", "-n", hub, "addr", "add", f"10.251.{i}.1/24", "dev", f"h{i}")
        sh("ip", "-n", hub, "link", "set", f"h{i}", "up")
        sh("ip", "-n", ns, "addr", "add", f"10.251.{i}.2/24", "dev", "eth0")
        sh("ip", "-n", ns, "link", "set", "eth0", "up")
    # traffic to every namespace, from the hub: two senders, five each
    many = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
d = [(a, 9) for a in sys.argv[1].split(",")]
end = time.monotonic() + float(sys.argv[2]); n = 0; b = b"x" * 18
while time.monotonic() < end:
    for a in d:
        for _ in range(32):
            s.sendto(b, a)
        n += 32
    time.sleep(0.001)
print(n)
"""
    flood = [["ip", "netns", "exec", hub, "python3", "-c", many,
              ",".join(f"10.251.{i}.2" for i in h)] for h in (range(0, 5), range(5, 10))]
    nj = many_capture([[NJ, "--capture", "-w", "/dev/null"] + [f"netns:{n}" for n in names]],
                      flood, seconds)
    td = many_capture([["ip", "netns", "exec", n, "tcpdump", "-p", "-n", "-w", "/dev/null",
                        "-i", "eth0"] for n in names], flood, seconds)
    for l, (cpu, rss, cap, drop, sent) in (("netjoin --capture (10 targets, 1 process)", nj),
                                           ("tcpdump x 10 processes", td)):
        rows.append(("9. capture, ten namespaces", l, cpu, rss,
                     cpu / td[0] if td[0] else 0.0,
                     f"{cap:,} captured, {drop:,} dropped, {sent:,} sent"))


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = int(open("/proc/meminfo").readline().split()[1]) // 1024
    ipv = sh("ip", "-V").strip()
    return (f"{os.cpu_count()} CPUs ({model}), {mem} MiB, Linux {platform.release()}, "
            f"{ipv}; {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; "
            f"{RUNS} alternating runs after a warm-up ({INV_RUNS} for node inventory), medians")


def report(path=os.path.join(TOP, "bench/results.md")):
    out = ["# netjoin benchmarks", "", f"Machine: {machine()}.", "",
           "Ratio = netjoin's median wall time / this command's (below 1: netjoin is faster).",
           "", "| benchmark | command | median | peak RSS | ratio | goal |",
           "|---|---|---|---|---|---|"]
    for s, l, med, rss, ratio, goal in rows:
        if s.startswith(("8", "9.")):  # CPU seconds, not wall time
            out.append(f"| {s} | `{l}` | {med:.2f} s CPU | {rss / 1024:.1f} MiB | "
                       f"{ratio:.3f} | {goal} |")
            continue
        out.append(f"| {s} | `{l}` | {med * 1000:.1f} ms | {rss / 1024:.1f} MiB | "
                   f"{ratio:.3f} | {goal} |")
    out += [""] + [f"- {n}" for n in notes]
    text = "\n".join(out) + "\n"
    print(text)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    state = tempfile.mkdtemp(prefix="njbench")
    cleanups.append(lambda: shutil.rmtree(state, ignore_errors=True))
    try:
        if ONLY:
            # one section by hand: its report beside the full one
            {"top": section_top, "watch": section_watch,
             "capture": section_capture}[ONLY]()
            report(os.path.join(TOP, f"build/bench/results-{ONLY}.md"))
            return
        section_dump()
        section_container()
        section_inventory()
        section_top()
        # a private mount namespace (scripts/bench.sh) keeps this bind ours
        if not os.path.isdir("/run/containerd"):
            os.makedirs("/run/containerd")
            cleanups.append(lambda: os.rmdir("/run/containerd"))
        sh("mount", "--bind", state, "/run/containerd")
        cleanups.append(lambda: sh("umount", "/run/containerd", check=False))
        section_resolution(state)
        settle()
        section_watch()
        section_capture()
        report()
    finally:
        for c in reversed(cleanups):
            try:
                c()
            except Exception:
                pass


if __name__ == "__main__":
    main()
