#!/usr/bin/env python3
"""The benchmark harness of issue 9 (see BENCHMARKS.md). Prints every figure as a ratio
to the bare reference server (bench/reference) measured in the same run, or as a growth
factor, for SQLite and (with --postgres) PostgreSQL.

    cargo build --release
    cargo build --release --manifest-path bench/reference/Cargo.toml
    python3 bench/run.py [--postgres postgres://postgres@127.0.0.1:5432/postgres]
                         [--gis 100000] [--seconds 10] [--connections 64] [--rounds 2]
                         [--sections import,export,verify,reads,search] [--trademarks 1000000]
                         [--terroir PATH] [--reference PATH]

The terroir binary is looked for in $CARGO_TARGET_DIR/release (else target/release).
`--sections` runs only some parts: import (always run: it makes the data), export (seeds
the recognitions, then the CLI CSV export), verify, reads (the reference, reads, the
login storm; needs wrk and the reference; it first reads every GI once, which builds and
stores its views, and reports how long that took) and search (p95 and its growth, of the
search and of the conflict check; with `--trademarks N`, N generated marks are then
loaded with `terroir trademarks import` and the conflict check timed again).

Needs `wrk` (Debian/Ubuntu: `apt-get install wrk`) and, for PostgreSQL, `psql`.
Throughput runs are interleaved (reference, terroir, reference, ...) and the median of
`--rounds` is taken, so that other load on the machine hits both sides alike.
"""
import argparse, json, os, re, shutil, signal, statistics, subprocess, sys, tempfile, threading, time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# Release builds, in the target directory cargo uses (CARGO_TARGET_DIR when set).
BIN = os.path.join(os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"), "release", "terroir")
REF = os.path.join(HERE, "reference", "target", "release", "terroir-bench-reference")
LUA = os.path.join(HERE, "random_id.lua")
sys.path.insert(0, HERE)
import generate  # noqa: E402

ADMIN_PASSWORD = "bench-admin-password"
SECTIONS = ["import", "export", "verify", "reads", "search"]
POOL = 10
# Requests behind each p95: 40 let two slow ones on a busy machine set it.
SAMPLES = 200


def measured(args, env):
    """Runs the terroir binary with `args`: (seconds, peak RSS MiB of that child, stdout)."""
    code = (
        "import resource,subprocess,sys,time,json;"
        "t=time.perf_counter();p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "e=time.perf_counter()-t;"
        "print(json.dumps({'rc':p.returncode,'s':e,'rss':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,"
        "'out':p.stdout,'err':p.stderr}))"
    )
    out = subprocess.run([sys.executable, "-c", code, BIN, *args], env=env, capture_output=True, text=True)
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        sys.exit(f"{args} failed: {result['err'][-2000:]}")
    return result["s"], result["rss"], result["out"]


def sql(url, statements):
    if url.startswith("postgres"):
        subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", ";\n".join(statements)], check=True)
    else:
        import sqlite3
        con = sqlite3.connect(url)
        for s in statements:
            con.execute(s)
        con.commit()
        con.close()


def wait_up(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except Exception:
            time.sleep(0.2)
    sys.exit(f"{url} did not come up")


def wrk(base, path, max_id, seconds, connections):
    """(requests/s, p99 ms, non-2xx count) of one wrk run."""
    env = dict(os.environ, BENCH_PATH=path, BENCH_MAX_ID=str(max_id))
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", LUA, base],
                         env=env, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, float(p99.group(1)) * scale, int(bad.group(1)) if bad else 0


def every_id(base, path, max_id, connections):
    """One GET of `path` for each id in 1..max_id, over `connections` kept-alive
    connections at once: (seconds, requests/s)."""
    import http.client
    host, port = base.replace("http://", "").split(":")

    def walk(first):
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        for id_ in range(first, max_id + 1, connections):
            conn.request("GET", path.replace("{id}", str(id_)))
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                sys.exit(f"GET {path} for {id_}: {response.status}")
        conn.close()

    start = time.perf_counter()
    walkers = [threading.Thread(target=walk, args=(first,)) for first in range(1, connections + 1)]
    for t in walkers:
        t.start()
    for t in walkers:
        t.join()
    seconds = time.perf_counter() - start
    return seconds, max_id / seconds


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed_gets(base, paths, repeat):
    """Sequential GETs over keep-alive: the latency of each, ms."""
    import http.client
    host, port = base.replace("http://", "").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    times = []
    for _ in range(repeat):
        for path in paths:
            start = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                sys.exit(f"GET {path}: {response.status}")
            times.append((time.perf_counter() - start) * 1000)
    conn.close()
    return times


def free_port():
    """A port nothing listens on now (another harness run may be going on beside)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, args, env, url):
        self.process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_up(url)
        if self.process.poll() is not None:
            sys.exit(f"{args[0]} exited ({self.process.returncode}): is its port taken?")

    def rss_mib(self, field="VmHWM"):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def login_storm(base, stop, counts):
    """One client logging in again and again until `stop` is set."""
    body = json.dumps({"username": "admin", "password": ADMIN_PASSWORD}).encode()
    while not stop.is_set():
        request = urllib.request.Request(base + "/api/v1/auth/login", data=body,
                                         headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                counts[response.status] = counts.get(response.status, 0) + 1
        except urllib.error.HTTPError as e:
            counts[e.code] = counts.get(e.code, 0) + 1


def database(backend, pg_admin, work, name):
    if backend == "sqlite":
        return os.path.join(work, f"{name}.db")
    dbname = f"terroir_bench_{name}_{os.getpid()}"
    subprocess.run(["psql", pg_admin, "-q", "-c", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"], check=True)
    subprocess.run(["psql", pg_admin, "-q", "-c", f"CREATE DATABASE {dbname}"], check=True)
    base = pg_admin.rsplit("/", 1)[0]
    return f"{base}/{dbname}"


def drop(url, pg_admin):
    if url.startswith("postgres"):
        dbname = url.rsplit("/", 1)[1]
        subprocess.run(["psql", pg_admin, "-q", "-c", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"], check=False)


def env_for(url, work):
    return dict(os.environ, TERROIR_DATABASE_URL=url, TERROIR_DATA_DIR=os.path.join(work, "data"),
                TERROIR_ADMIN_PASSWORD=ADMIN_PASSWORD, TERROIR_DB_POOL_SIZE=str(POOL),
                TERROIR_LOG_FORMAT="text", RUST_LOG="error")


SEARCHES = {"rare term": "quokkaberg", "Chinese": "龙井", "pinyin": "long jing", "no match": "zzyzxq",
            "common term": "ten", "one character": "q"}


def search_path(q, limit):
    return f"/api/v1/gis?limit={limit}&q=" + urllib.parse.quote(q)


def answer_sizes(base):
    """How many GIs the first page of 50 holds, for each search."""
    sizes = {}
    for kind, q in SEARCHES.items():
        with urllib.request.urlopen(base + search_path(q, 50), timeout=30) as response:
            sizes[kind] = len(json.load(response)["items"])
    return sizes


def search_p95(base, sizes=None):
    """p95 (ms) of each search's first page of 50 and of the conflict checks; with
    `sizes`, also of each search's first page cut to that many GIs (`kind, same answer`)."""
    out = {}
    for kind, q in SEARCHES.items():
        pages = {kind: 50}
        if sizes is not None:
            pages[f"{kind}, same answer"] = max(1, sizes[kind])
        for label, limit in pages.items():
            path = search_path(q, limit)
            timed_gets(base, [path], 3)  # warm-up
            out[label] = percentile(timed_gets(base, [path], SAMPLES), 95)
    out.update(conflicts_p95(base))
    return out


def conflicts_p95(base):
    """The conflict check's p95 (issue 13: < 20 ms at 100,000 GIs, < 50 ms with 1,000,000
    trademarks), ms. The Latin name is made of the generator's syllables, so many GIs
    share its trigrams: the index's hardest case."""
    out = {}
    for kind, name in {"conflicts, Chinese": "龙井茶", "conflicts, pinyin": "Longjing cha",
                       "conflicts, Thai": "กาแฟดอยตุง", "conflicts, Latin": "Martenvo Lica"}.items():
        path = "/api/v1/conflicts?name=" + urllib.parse.quote(name)
        timed_gets(base, [path], 3)
        out[kind] = percentile(timed_gets(base, [path], SAMPLES), 95)
    return out


def load_trademarks(backend, env, args, work, report, base):
    """`terroir trademarks import` of --trademarks generated marks into office TH (made by
    the import), then the conflict check's p95 with them loaded."""
    marks = os.path.join(work, "trademarks.csv")
    generate.trademarks(marks, args.trademarks)
    s, rss, out = measured(["trademarks", "import", "TH", marks], env)
    report(backend, f"trademarks import, {args.trademarks:,} marks", f"{s:.1f} s, peak {rss:.0f} MiB",
           f"{os.path.getsize(marks) / 2**20:.0f} MiB file; " + out.strip().splitlines()[0][:80])
    os.remove(marks)
    for kind, ms in conflicts_p95(base).items():
        report(backend, f"{kind}, {args.trademarks:,} trademarks", f"{ms:.1f} ms p95", f"at {args.gis:,} GIs")


def bench_backend(backend, pg_admin, args, register, small_register, work, report):
    url = database(backend, pg_admin, work, "big")
    env = env_for(url, work)
    big = None
    # The small register first: its answers tell how many GIs each search's page holds.
    small = search_small(backend, pg_admin, small_register, work) if "search" in args.sections else None
    try:
        s, rss, out = measured(["import", register], env)
        report(backend, f"import {args.gis:,} GIs", f"{s:.1f} s, peak {rss:.0f} MiB", out.strip().splitlines()[-1][:80])
        if args.sections & {"export", "reads"}:
            seed_recognitions(backend, url, report)
        if "export" in args.sections:
            export_csv(backend, env, work, report)
        if "verify" in args.sections:
            s, rss, out = measured(["audit", "verify"], env)
            report(backend, "audit verify", f"{s:.2f} s", out.strip().splitlines()[-1][:80] if out.strip() else "")
        if args.sections & {"reads", "search"}:
            big = serve_and_measure(backend, url, env, args, report, small and small[1])
    finally:
        drop(url, pg_admin)
    if small and big:
        report_growth(backend, args, small[0], big, report)


def seed_recognitions(backend, url, report):
    start = time.perf_counter()
    # PostgreSQL plans the reads with statistics: without them (autovacuum lags behind a
    # million rows on a busy machine) a later run once spent 40 minutes building the views.
    # Only the tables the seeding wrote: `gi_read_views`, analysed while still empty,
    # got generic plans that scan it whole (a seq scan is cheapest on an empty table),
    # kept by every connection as the first reads filled it (40-60 ms a lookup).
    analyse = ["ANALYZE programmes, programme_parties, recognitions, events, gis"] if backend == "postgres" else []
    sql(url, generate.RECOGNITIONS_SQL + analyse)
    report(backend, "seed recognitions (SQL)", f"{time.perf_counter() - start:.1f} s", "")


def export_csv(backend, env, work, report):
    target = os.path.join(work, "export.csv")
    s, rss, out = measured(["export", "--format", "csv", "--as-of", "2026-01-01", "-o", target], env)
    rows = sum(1 for _ in open(target, "rb")) - 1
    report(backend, f"CLI export csv, {rows:,} rows", f"{s:.1f} s, peak {rss:.0f} MiB",
           f"{os.path.getsize(target) / 2**20:.0f} MiB file")
    os.remove(target)


def serve_and_measure(backend, url, env, args, report, sizes):
    """Reads against the reference and the login storm (section reads); search p95 at full size (search)."""
    port, ref_port = free_port(), free_port()
    base, ref_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{ref_port}"
    server = Server([BIN, "serve", "--bind", f"127.0.0.1:{port}"], env, base + "/healthz")
    reference = None
    big = None
    try:
        if "reads" in args.sections:
            reference = Server([REF, url, str(ref_port), str(POOL)], env, ref_base + "/gis/1")
            measure_reads(backend, base, ref_base, server, args, report)
        if "search" in args.sections:
            big = search_p95(base, sizes)
            if args.trademarks:
                load_trademarks(backend, env, args, os.path.dirname(env["TERROIR_DATA_DIR"]), report, base)
    finally:
        server.stop()
        if reference:
            reference.stop()
    return big


def measure_reads(backend, base, ref_base, server, args, report):
    # The first read of each GI builds its views (kept in memory and stored in the
    # database); the throughput runs below measure the register once every GI was read.
    for label, path in [("GET /api/v1/gis/{id}", "/api/v1/gis/{id}"),
                        ("GET /api/v1/gis/{id}/protection", "/api/v1/gis/{id}/protection")]:
        seconds, rps = every_id(base, path, args.gis, 16)
        report(backend, f"first read of every GI, {label}", f"{seconds:.1f} s",
               f"{rps:,.0f} req/s while building and storing the views")
    time.sleep(2)
    runs = {"ref": [], "gi": [], "protection": [], "list": []}
    paths = {"ref": (ref_base, "/gis/{id}"), "gi": (base, "/api/v1/gis/{id}"),
             "protection": (base, "/api/v1/gis/{id}/protection"),
             "list": (base, "/api/v1/gis?limit=50")}
    for _ in range(args.rounds):
        for key, (b, path) in paths.items():
            max_id = args.gis if key != "list" else max(1, args.gis - 50)
            runs[key].append(wrk(b, path, max_id, args.seconds, args.connections))
    ref_rps = statistics.median(r[0] for r in runs["ref"])
    report(backend, f"reference GET /gis/{{id}}, {args.connections} conns",
           f"{ref_rps:,.0f} req/s", f"p99 {statistics.median(r[1] for r in runs['ref']):.1f} ms")
    for key, label in [("gi", "GET /api/v1/gis/{id}"), ("protection", "GET /api/v1/gis/{id}/protection"),
                       ("list", "GET /api/v1/gis?limit=50")]:
        rps = statistics.median(r[0] for r in runs[key])
        bad = sum(r[2] for r in runs[key])
        report(backend, label, f"{rps / ref_rps:.2f}× reference",
               f"{rps:,.0f} req/s, p99 {statistics.median(r[1] for r in runs[key]):.1f} ms"
               + (f", {bad} non-2xx" if bad else ""))
    # Reads while 32 clients log in, idle and storm alternately, `--rounds` times: one
    # p99 of a few seconds moves with whatever else the machine does.
    idle, busy, counts = [], [], {}
    rss_before = server.rss_mib("VmRSS")
    for _ in range(args.rounds):
        idle.append(wrk(base, "/api/v1/gis/{id}", args.gis, args.seconds, 8)[1])
        stop = threading.Event()
        storm = [threading.Thread(target=login_storm, args=(base, stop, counts)) for _ in range(32)]
        for t in storm:
            t.start()
        time.sleep(1)
        busy.append(wrk(base, "/api/v1/gis/{id}", args.gis, args.seconds, 8)[1])
        stop.set()
        for t in storm:
            t.join()
    idle_p99, busy_p99 = statistics.median(idle), statistics.median(busy)
    report(backend, "read p99 during a 32-client login storm",
           f"{busy_p99 / idle_p99:.1f}× idle",
           f"median of {args.rounds}: idle {idle_p99:.1f} ms, storm {busy_p99:.1f} ms; logins {counts}; "
           f"server RSS {rss_before:.0f} → peak {server.rss_mib():.0f} MiB")


def search_small(backend, pg_admin, small_register, work):
    """Search p95 at 3,715 GIs (the same generator), and how many GIs each first page holds."""
    url = database(backend, pg_admin, work, "small")
    env = env_for(url, work)
    try:
        measured(["import", small_register], env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = Server([BIN, "serve", "--bind", f"127.0.0.1:{port}"], env, base + "/healthz")
        try:
            return search_p95(base), answer_sizes(base)
        finally:
            server.stop()
    finally:
        drop(url, pg_admin)


def report_growth(backend, args, small, big, report):
    """Each p95 at the full size against the small register's. A search whose matches grow
    with the register (the generator's Han and pinyin names are random, so "龙井" matches 30
    times more GIs at 100,000) fills more of its page there; "same answer" cuts the big
    register's page to the small one's answer size, which is what the index's growth is."""
    for kind in big:
        base_kind = kind.removesuffix(", same answer")
        report(backend, f"search p95, {kind}", f"{big[kind]:.1f} ms at {args.gis:,}",
               f"{small[base_kind]:.1f} ms at 3,715: growth {big[kind] / small[base_kind]:.1f}×")


def main():
    global BIN, REF
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to create scratch databases on")
    parser.add_argument("--gis", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--trademarks", type=int, default=0,
                        help="with search: then load this many generated trademarks and time the conflict check again")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"comma-separated, of {','.join(SECTIONS)} (default: all)")
    parser.add_argument("--terroir", default=BIN, help="the terroir binary (default: the release build)")
    parser.add_argument("--reference", default=REF, help="the reference binary (default: its release build)")
    args = parser.parse_args()
    args.sections = set(filter(None, args.sections.split(",")))
    if not args.sections <= set(SECTIONS):
        sys.exit(f"--sections: {', '.join(sorted(args.sections - set(SECTIONS)))} unknown (know {', '.join(SECTIONS)})")
    BIN, REF = args.terroir, args.reference
    for needed in [BIN] + ([REF] if "reads" in args.sections else []):
        if not os.path.exists(needed):
            sys.exit(f"{needed} is missing: build it first (see --help)")
    if "reads" in args.sections and not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    work = tempfile.mkdtemp(prefix="terroir-bench-")
    register = os.path.join(work, "register.jsonl")
    small_register = os.path.join(work, "register-small.jsonl")
    generate.register(register, args.gis)
    if "search" in args.sections:
        generate.register(small_register, 3715)
    print(f"| backend | what | figure | detail |\n|---|---|---|---|", flush=True)

    def report(*row):
        print("| " + " | ".join(row) + " |", flush=True)

    backends = ["sqlite"] + (["postgres"] if args.postgres else [])
    if args.only:
        backends = [args.only]
    try:
        for backend in backends:
            bench_backend(backend, args.postgres, args, register, small_register, work, report)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
