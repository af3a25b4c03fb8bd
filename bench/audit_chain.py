"""Extends the audit chain of a Terroir database to TOTAL entries, hashed as
src/audit/chain.rs hashes (an independent check of the format: the last existing entry
is re-hashed first), with checkpoints and the head moved, for timing `audit verify` at a
million entries:  python3 bench/audit_chain.py URL TOTAL   (URL: a SQLite file, or
postgres://… reached through psql)."""
import hashlib, json, sys, datetime

url, total = sys.argv[1], int(sys.argv[2])
pg = url.startswith("postgres")
if pg:
    import csv, io, subprocess

    class PgCursor:
        def execute(self, sql, args=()):
            for a in args:
                sql = sql.replace("%s", "'%s'" % a if isinstance(a, str) else str(a), 1)
            out = subprocess.run(["psql", url, "-AtF", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
            self.rows = [[None if c == "" else c for c in line.split("\t")] for line in out.splitlines() if "\t" in line]
            for r in self.rows:
                r[0] = int(r[0])
                if len(r) > 2:
                    r[2] = None if r[2] is None else int(r[2])
                    r[9] = r[9] == "t"
        def fetchone(self):
            return tuple(self.rows[0]) if self.rows else None
        def executemany(self, sql, rows):
            table = sql.split()[2]
            cols = sql[sql.index("(") + 1:sql.index(")")]
            buf = io.StringIO()
            w = csv.writer(buf)
            for r in rows:
                w.writerow(["\\N" if v is None else v for v in r])
            subprocess.run(["psql", url, "-q", "-c", "\\copy %s (%s) FROM STDIN WITH (FORMAT csv, NULL '\\N')" % (table, cols)],
                           input=buf.getvalue(), check=True, text=True)

    class PgCon:
        def cursor(self):
            return PgCursor()
        def commit(self):
            pass
    con = PgCon()
    P = "%s"
else:
    import sqlite3
    con = sqlite3.connect(url)
    P = "?"
cur = con.cursor()

def q(s):
    return json.dumps(s, ensure_ascii=False)

def canonical(e):
    seq, at, actor_id, actor, office, action, etype, eid, payload, public = e
    opt = lambda v: "null" if v is None else q(v)
    return ('{"action":%s,"actor":%s,"actor_id":%s,"entity_id":%s,"entity_type":%s,"office":%s,'
            '"payload":%s,"public":%s,"recorded_at":"%sZ","seq":%d}' % (
                q(action), opt(actor), "null" if actor_id is None else str(actor_id), opt(eid), q(etype),
                opt(office), q(payload), "true" if public else "false", at, seq))

cur.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
seq, prev = cur.fetchone() or (0, "0" * 64)
# Check the last existing entry's hash with this script's canonical form.
cur.execute("SELECT seq, recorded_at, actor_id, actor, office, action, entity_type, entity_id, payload, public, prev_hash, hash FROM audit_log WHERE seq = " + str(seq))
row = cur.fetchone()
if row:
    at = row[1]
    at = at.strftime("%Y-%m-%dT%H:%M:%S.%f") if not isinstance(at, str) else at.replace(" ", "T")
    whole, _, frac = at.partition(".")
    at = whole + "." + (frac + "000000")[:6]
    e = (row[0], at, row[2], row[3], row[4], row[5], row[6], row[7], row[8], bool(row[9]))
    h = hashlib.sha256((row[10] + canonical(e)).encode()).hexdigest()
    assert h == row[11], ("format differs", canonical(e), h, row[11])
base = datetime.datetime(2026, 11, 29, 8, 0, 0)
batch = []
def flush():
    cur.executemany(
        "INSERT INTO audit_log (seq, recorded_at, actor_id, actor, office, action, entity_type, entity_id, payload, public, prev_hash, hash) VALUES (%s)" % ",".join([P] * 12),
        batch)
    batch.clear()
checkpoints = []
while seq < total:
    seq += 1
    at = base + datetime.timedelta(microseconds=seq * 1537)
    at_text = at.strftime("%Y-%m-%dT%H:%M:%S.%f")
    payload = ('{"details":{"file_number":"BENCH-CN-%07d","line":%d,"source":"register.jsonl"},"effective_on":"2018-03-18",'
               '"event":"import","event_id":%d,"from_status":null,"gi_id":%d,"grounds":null,"name":"龙井茶 \\"%d\\"","to_status":"registered"}' % (seq, seq, seq, seq, seq))
    e = (seq, at_text, None if seq % 3 else seq % 17, "import:register.jsonl", None if seq % 2 else "CNIPA",
         "gi.import", "gi", str(seq), payload, seq % 5 != 0)
    h = hashlib.sha256((prev + canonical(e)).encode()).hexdigest()
    stored_at = at if pg else at.strftime("%Y-%m-%d %H:%M:%S.%f")
    batch.append((seq, stored_at, e[2], e[3], e[4], e[5], e[6], e[7], e[8], e[9], prev, h))
    if seq % 100 == 0:
        checkpoints.append((seq, h))
    prev = h
    if len(batch) >= 10000:
        flush()
flush()
cur.executemany("INSERT INTO audit_checkpoints (seq, hash) VALUES (%s, %s)" % (P, P), checkpoints)
cur.execute("UPDATE audit_head SET seq = %s, hash = %s" % (P, P), (seq, prev))
con.commit()
print("chain now", seq, "entries, head", prev)
