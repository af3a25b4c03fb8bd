#!/usr/bin/env python3
"""Web pages (issue 14): how long `terroir serve` takes to answer the public page of a GI
protected in 20 territories, and how much it weighs (targets: under 50 ms, under 100 KB).

    cargo build --release
    python3 bench/pages.py [--postgres postgres://postgres@127.0.0.1:5432/postgres]
                           [--requests 300] [--terroir PATH]

Serves the CN-TH demonstration (`serve --demo`), adds twenty partner offices through the
API and a programme in which each protects 龙井茶 (SQL, with the submit and protect
events the territory table is rebuilt from, and a limitation each: the seeding of
tests/api/web_page_weight.rs), then times sequential GETs of `/gis/{id}` over one
keep-alive connection in English, Chinese and Thai, with `/healthz` beside it for what
the connection and the server's frame cost without a page. Latency measured at the
client on the same machine is an upper bound of the server-side render time.
"""
import argparse, json, os, shutil, sys, tempfile, urllib.parse, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run  # noqa: E402

DEMO_PASSWORD = "bench-demo-password"
PARTNERS = ["FR", "IT", "ES", "PT", "GR", "DE", "VN", "IN", "MX", "PE", "JP", "KR", "MY", "ID",
            "PH", "SG", "AU", "NZ", "CL", "AR"]
LIMITATION = "Only with the indication of the origin in the national language, on teas of the declared harvest year"


def seed_sql(gi):
    return [
        "INSERT INTO programmes (code, title, decision_period_days, tacit_protection, requires_origin_registration, version, created_at, updated_at) "
        "VALUES ('WEIGHT', 'Twenty partners', 365, false, false, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        "INSERT INTO programme_parties (programme_id, office_id) SELECT p.id, o.id FROM programmes p, offices o "
        "WHERE p.code = 'WEIGHT' AND (o.code LIKE 'P%' OR o.code = 'CNIPA')",
        "INSERT INTO recognitions (programme_id, gi_id, origin_office_id, partner_office_id, status, list_label, submitted_on, "
        "decision_deadline, decided_on, protected_from, limitations, version, created_at, updated_at) "
        f"SELECT p.id, g.id, g.origin_office_id, o.id, 'protected', 'weight', '2025-01-10', '2026-01-10', '2025-06-01', '2025-06-01', "
        f"'{LIMITATION}', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM programmes p, gis g, offices o "
        f"WHERE p.code = 'WEIGHT' AND g.id = {gi} AND o.code LIKE 'P%'",
        "INSERT INTO events (entity_type, entity_id, gi_id, event_type, from_status, to_status, effective_on, recorded_at, actor, details) "
        "SELECT 'recognition', r.id, r.gi_id, 'submit', NULL, 'submitted', '2025-01-10', '2026-01-01 00:00:00', 'seed', "
        "'{\"recognition\":{\"status\":\"submitted\",\"submitted_on\":\"2025-01-10\",\"decision_deadline\":\"2026-01-10\"}}' "
        "FROM recognitions r WHERE r.list_label = 'weight'",
        "INSERT INTO events (entity_type, entity_id, gi_id, event_type, from_status, to_status, effective_on, recorded_at, actor, details) "
        "SELECT 'recognition', r.id, r.gi_id, 'protect', 'published', 'protected', '2025-06-01', '2026-01-01 00:00:00', 'seed', "
        "'{\"recognition\":{\"status\":\"protected\",\"submitted_on\":\"2025-01-10\",\"decision_deadline\":\"2026-01-10\","
        f"\"decided_on\":\"2025-06-01\",\"protected_from\":\"2025-06-01\",\"limitations\":\"{LIMITATION}\"}}}}' "
        "FROM recognitions r WHERE r.list_label = 'weight'",
    ]


def call(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def bench(backend, url, work, requests, report):
    port = 18310
    base = f"http://127.0.0.1:{port}"
    env = dict(run.env_for(url, work), TERROIR_DEMO_PASSWORD=DEMO_PASSWORD)
    server = run.Server([run.BIN, "serve", "--demo", "--bind", f"127.0.0.1:{port}"], env, base + "/healthz")
    try:
        token = call(base, "POST", "/api/v1/auth/login", body={"username": "demo-admin", "password": DEMO_PASSWORD})["access_token"]
        for i, jurisdiction in enumerate(PARTNERS):
            call(base, "POST", "/api/v1/offices", token, {"code": f"P{i + 1:02d}", "jurisdiction": jurisdiction,
                                                           "name": f"Office P{i + 1:02d}", "opposition_period_days": 90})
        found = call(base, "GET", "/api/v1/gis?q=" + urllib.parse.quote("龙井茶"))["items"]
        gi = next(g["id"] for g in found if any(n["text"] == "龙井茶" for n in g["names"]))
        run.sql(url, seed_sql(gi))
        protection = call(base, "GET", f"/api/v1/gis/{gi}/protection")
        territories = sum(1 for t in protection["territories"] if t["status"] == "protected")
        health = run.timed_gets(base, ["/healthz"], requests)
        report(backend, "GET /healthz (the connection and frame alone)",
               f"p50 {run.percentile(health, 50):.2f} ms", f"p95 {run.percentile(health, 95):.2f} ms")
        for lang in ["en", "zh", "th"]:
            path = f"/gis/{gi}?lang={lang}"
            with urllib.request.urlopen(base + path, timeout=30) as response:
                size = len(response.read())
            run.timed_gets(base, [path], 10)  # warm-up
            times = run.timed_gets(base, [path], requests)
            report(backend, f"GET /gis/{{id}}?lang={lang}, {territories} territories protected",
                   f"p50 {run.percentile(times, 50):.1f} ms, p95 {run.percentile(times, 95):.1f} ms",
                   f"{size / 1024:.1f} KB, max {max(times):.1f} ms, {requests} requests")
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="an admin URL of a PostgreSQL server, to measure that backend too")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--terroir", default=run.BIN)
    args = parser.parse_args()
    run.BIN = args.terroir
    if not os.path.exists(run.BIN):
        sys.exit(f"{run.BIN} is missing: cargo build --release")
    print("| backend | what | figure | detail |\n|---|---|---|---|", flush=True)

    def report(*row):
        print("| " + " | ".join(row) + " |", flush=True)

    for backend in ["sqlite"] + (["postgres"] if args.postgres else []):
        work = tempfile.mkdtemp(prefix="terroir-pages-")
        url = run.database(backend, args.postgres, work, "pages")
        try:
            bench(backend, url, work, args.requests, report)
        finally:
            run.drop(url, args.postgres)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
