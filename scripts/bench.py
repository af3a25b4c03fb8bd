#!/usr/bin/env python3
"""Benchmarks for BENCHMARKS.md, on SQLite and on PostgreSQL.

1. `terroir import` of the EU register snapshot (3,715 GIs), then a second run.
2. ~100,000 recognitions seeded with SQL (the EU GIs x every other office under one
   programme, each with a submit and a protect event), then `terroir export` as csv,
   json and xlsx: wall time and peak memory (max RSS) of the process.
3. The same CSV export over HTTP from a running server: time, bytes, and the server's
   peak memory before and after.

Usage: cargo build --release && python3 scripts/bench.py [--postgres URL]
(URL of a server database to create scratch databases from, e.g.
postgres://postgres@127.0.0.1:5432/postgres). Nothing here runs in CI.
"""
import argparse, os, resource, shutil, subprocess, sys, tempfile, time, urllib.request, json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "terroir")
EU = os.path.join(ROOT, "..", "shared", "data", "eu-gi-register-2020.json")

SEED = [
    "INSERT INTO programmes (code, title, decision_period_days, tacit_protection, requires_origin_registration, version, created_at, updated_at) "
    "VALUES ('BENCH', 'Benchmark programme', 365, false, false, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    "INSERT INTO programme_parties (programme_id, office_id) SELECT p.id, o.id FROM programmes p, offices o WHERE p.code = 'BENCH'",
    "INSERT INTO recognitions (programme_id, gi_id, origin_office_id, partner_office_id, status, list_label, submitted_on, "
    "decision_deadline, decided_on, protected_from, version, created_at, updated_at) "
    "SELECT p.id, g.id, g.origin_office_id, o.id, 'protected', 'bench', '2025-01-10', '2026-01-10', '2025-06-01', '2025-06-01', 1, "
    "'2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM programmes p, gis g, offices o "
    "WHERE p.code = 'BENCH' AND o.id <> g.origin_office_id AND o.id % 2 = 0",
    "INSERT INTO events (entity_type, entity_id, gi_id, event_type, from_status, to_status, effective_on, recorded_at, actor, details) "
    "SELECT 'recognition', r.id, r.gi_id, 'submit', NULL, 'submitted', '2025-01-10', '2026-01-01 00:00:00', 'bench', "
    "'{\"recognition\":{\"status\":\"submitted\",\"submitted_on\":\"2025-01-10\",\"decision_deadline\":\"2026-01-10\"}}' "
    "FROM recognitions r WHERE r.list_label = 'bench'",
    "INSERT INTO events (entity_type, entity_id, gi_id, event_type, from_status, to_status, effective_on, recorded_at, actor, details) "
    "SELECT 'recognition', r.id, r.gi_id, 'protect', 'published', 'protected', '2025-06-01', '2026-01-01 00:00:00', 'bench', "
    "'{\"recognition\":{\"status\":\"protected\",\"submitted_on\":\"2025-01-10\",\"decision_deadline\":\"2026-01-10\","
    "\"decided_on\":\"2025-06-01\",\"protected_from\":\"2025-06-01\"}}' "
    "FROM recognitions r WHERE r.list_label = 'bench'",
]


def measured(args, env):
    """Runs `args` under a fresh Python so that the RSS maximum is this child's alone."""
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
        sys.exit(f"{args} failed: {result['err']}")
    return result["s"], result["rss"], result["out"]


def sql(url, statements):
    if url.startswith("postgres"):
        for s in statements:
            subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", s], check=True)
    else:
        import sqlite3
        con = sqlite3.connect(url)
        for s in statements:
            con.execute(s)
        con.commit()
        con.close()


def server_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench(backend, url, work):
    env = dict(os.environ, TERROIR_DATABASE_URL=url, TERROIR_DATA_DIR=os.path.join(work, "data"),
               TERROIR_ADMIN_PASSWORD="bench-admin-password", TERROIR_LOG_FORMAT="text", RUST_LOG="warn")
    rows = []
    s, rss, out = measured(["import", EU], env)
    rows.append((backend, "import EU register (3,715 GIs)", f"{s:.2f} s", f"{rss:.0f} MiB", out.strip().split(";")[0]))
    s, rss, out = measured(["import", EU], env)
    rows.append((backend, "import again (idempotent)", f"{s:.2f} s", f"{rss:.0f} MiB", out.strip().split(";")[0]))
    start = time.perf_counter()
    sql(url, SEED)
    rows.append((backend, "seed recognitions with SQL", f"{time.perf_counter() - start:.1f} s", "", ""))
    for fmt in ["csv", "json", "xlsx"]:
        target = os.path.join(work, f"export.{fmt}")
        s, rss, out = measured(["export", "--format", fmt, "--as-of", "2026-01-01", "-o", target], env)
        size = os.path.getsize(target) / (1024 * 1024)
        count = out.split(":")[1].split(" rows")[0].strip()
        rows.append((backend, f"export {fmt}, {count} rows", f"{s:.2f} s", f"{rss:.0f} MiB", f"{size:.1f} MiB file"))
    # Over HTTP.
    port = 18000 + os.getpid() % 1000
    server = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz")
                break
            except Exception:
                time.sleep(0.1)
        login = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/auth/login", method="POST",
                                       data=json.dumps({"username": "admin", "password": "bench-admin-password"}).encode(),
                                       headers={"content-type": "application/json"})
        token = json.load(urllib.request.urlopen(login))["access_token"]
        idle = server_rss_mib(server.pid)
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/exports/recognitions?format=csv&as_of=2026-01-01",
                                     headers={"authorization": f"Bearer {token}"})
        start = time.perf_counter()
        first = None
        total = 0
        with urllib.request.urlopen(req) as response:
            while True:
                chunk = response.read(1 << 16)
                if first is None:
                    first = time.perf_counter() - start
                if not chunk:
                    break
                total += len(chunk)
        elapsed = time.perf_counter() - start
        rows.append((backend, "HTTP export csv", f"{elapsed:.2f} s (first byte {first * 1000:.0f} ms)",
                     f"server peak {server_rss_mib(server.pid):.0f} MiB (idle {idle:.0f})", f"{total / (1024 * 1024):.1f} MiB sent"))
    finally:
        server.terminate()
        server.wait()
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres")
    args = parser.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    results = []
    work = tempfile.mkdtemp(prefix="terroir-bench-")
    try:
        results += bench("SQLite", os.path.join(work, "bench.db"), work)
        if args.postgres:
            base = args.postgres.rsplit("/", 1)[0]
            subprocess.run(["psql", args.postgres, "-qc", "DROP DATABASE IF EXISTS terroir_bench WITH (FORCE)"], check=True)
            subprocess.run(["psql", args.postgres, "-qc", "CREATE DATABASE terroir_bench"], check=True)
            pg_work = os.path.join(work, "pg")
            os.makedirs(pg_work)
            results += bench("PostgreSQL", f"{base}/terroir_bench", pg_work)
            subprocess.run(["psql", args.postgres, "-qc", "DROP DATABASE IF EXISTS terroir_bench WITH (FORCE)"], check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| backend | what | time | memory | notes |")
    print("|---|---|---|---|---|")
    for row in results:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
