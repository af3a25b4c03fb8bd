#!/usr/bin/env python3
"""Synthetic data for the benchmarks, deterministic (seeded).

    python3 bench/generate.py register OUT.jsonl [--gis 100000]
        A register in Terroir's JSON-lines import format: one GI per line, three names
        each (300,000 names for 100,000 GIs): an original (Chinese in Han characters for
        one GI in three, else Latin), its pinyin transliteration or an English
        translation, and a synonym. Twelve origin jurisdictions. A handful of GIs carry
        the rare term "Quokkaberg" so that a search for it has few hits.

    python3 bench/generate.py trademarks OUT.csv [--marks 1000000]
        An office's earlier trademarks in the CSV of `terroir trademarks import`: marks
        of two or three Latin syllables and a word (one in eight in Han characters, one
        in eight in Thai), classes, owner, filing date and status (one in ten lapsed).
        A few are "Doi Tung" and "Longjing" marks, which the conflict queries meet.

    python3 bench/generate.py recognitions-sql
        Prints the SQL (both backends) that seeds one programme over every office and
        recognitions of every GI by up to ten partner offices (1,000,000 for 100,000
        GIs), each with a `submit` and a `protect` event, so exports and /protection
        rebuild statuses from real events.
"""
import json, random, sys

SYLLABLES = ["mar", "ten", "vo", "li", "ca", "ros", "del", "mon", "ta", "ver", "na", "go",
             "sel", "bri", "an", "tor", "pe", "qui", "lan", "do", "ri", "sa", "fel", "ur"]
HAN = "龙井茶山水云南西湖普洱安溪铁观音黄河长江武夷岩桂林米粉金华火腿宁夏枸杞"
PINYIN = {"龙": "long", "井": "jing", "茶": "cha", "山": "shan", "水": "shui", "云": "yun",
          "南": "nan", "西": "xi", "湖": "hu", "普": "pu", "洱": "er", "安": "an", "溪": "xi",
          "铁": "tie", "观": "guan", "音": "yin", "黄": "huang", "河": "he", "长": "chang",
          "江": "jiang", "武": "wu", "夷": "yi", "岩": "yan", "桂": "gui", "林": "lin",
          "米": "mi", "粉": "fen", "金": "jin", "华": "hua", "火": "huo", "腿": "tui",
          "宁": "ning", "夏": "xia", "枸": "gou", "杞": "qi"}
JURISDICTIONS = ["CN", "TH", "FR", "IT", "ES", "PT", "GR", "DE", "VN", "IN", "MX", "PE"]
KINDS = [("food", "1.6"), ("food", "1.8"), ("wine", "wine"), ("spirit", "spirit.47"),
         ("handicraft", "handicraft")]


def word(rng, parts):
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def register(out, count):
    rng = random.Random(2026)
    with open(out, "w", encoding="utf-8") as f:
        for i in range(count):
            origin = JURISDICTIONS[i % len(JURISDICTIONS)]
            product_type, product_class = KINDS[i % len(KINDS)]
            if i % 3 == 0:
                han = "".join(rng.choice(HAN) for _ in range(rng.randint(3, 5)))
                names = [
                    {"text": han, "lang": "zh", "script": "Hans", "kind": "original"},
                    {"text": " ".join(PINYIN[c] for c in han).capitalize(), "lang": "zh-Latn",
                     "script": "Latn", "kind": "transliteration", "romanization": "pinyin"},
                ]
            else:
                names = [
                    {"text": f"{word(rng, 3)} {word(rng, 2)}", "lang": "und", "kind": "original"},
                    {"text": f"{word(rng, 2)} of {word(rng, 3)}", "lang": "en", "kind": "translation"},
                ]
            names.append({"text": f"{word(rng, 2)} {word(rng, 2)} {i}", "lang": "und", "kind": "synonym"})
            if i % 20_000 == 7:
                names[-1]["text"] = f"Quokkaberg {i}"
            record = {
                "file_number": f"BENCH-{origin}-{i:07d}",
                "origin_jurisdiction": origin,
                "gi_type": "pgi" if i % 2 else "pdo",
                "product_type": product_type,
                "product_class": product_class,
                "status": "registered",
                "names": names,
                "registered_on": f"20{10 + i % 15:02d}-0{1 + i % 9}-1{i % 10}",
                "area_description": f"The area of {names[0]['text']}",
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


THAI = ["กาแฟ", "ดอย", "ตุง", "ช้าง", "ข้าว", "หอม", "มะลิ", "ส้ม", "โอ", "หวาน", "ทอง", "ไทย"]
WORDS = ["Gold", "Royal", "Star", "Farm", "Valley", "Hill", "House", "Best", "Fresh", "Old"]


def trademarks(out, count):
    rng = random.Random(2027)
    with open(out, "w", encoding="utf-8") as f:
        f.write("number,mark,classes,owner,filed_on,status\n")
        for i in range(count):
            if i % 100_000 == 11:
                mark = "Doi Tung" if i % 200_000 == 11 else "Longjing"
            elif i % 8 == 1:
                mark = "".join(rng.choice(HAN) for _ in range(rng.randint(2, 4)))
            elif i % 8 == 2:
                mark = "".join(rng.choice(THAI) for _ in range(rng.randint(2, 3)))
            else:
                mark = f"{word(rng, rng.randint(2, 3))} {rng.choice(WORDS)}"
            classes = ";".join(str(c) for c in sorted({rng.randint(1, 45), 30}))
            status = "lapsed" if i % 10 == 9 else ("pending" if i % 10 == 8 else "registered")
            f.write(f"TM-{i:08d},{mark},{classes},Owner {i % 5000},20{i % 25:02d}-0{1 + i % 9}-1{i % 10},{status}\n")


# Plain SQL both backends accept; `o.id % 11 < 10` picks ten partners in eleven-ish.
RECOGNITIONS_SQL = [
    "INSERT INTO programmes (code, title, decision_period_days, tacit_protection, requires_origin_registration, version, created_at, updated_at) "
    "VALUES ('BENCH', 'Benchmark programme', 365, false, false, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    "INSERT INTO programme_parties (programme_id, office_id) SELECT p.id, o.id FROM programmes p, offices o WHERE p.code = 'BENCH'",
    "INSERT INTO recognitions (programme_id, gi_id, origin_office_id, partner_office_id, status, list_label, submitted_on, "
    "decision_deadline, decided_on, protected_from, version, created_at, updated_at) "
    "SELECT p.id, g.id, g.origin_office_id, o.id, 'protected', 'bench', '2025-01-10', '2026-01-10', '2025-06-01', '2025-06-01', 1, "
    "'2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM programmes p, gis g, offices o "
    "WHERE p.code = 'BENCH' AND o.id <> g.origin_office_id AND o.id <= (SELECT MIN(id) + 10 FROM offices)",
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

if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "register":
        count = int(sys.argv[sys.argv.index("--gis") + 1]) if "--gis" in sys.argv else 100_000
        register(sys.argv[2], count)
    elif len(sys.argv) >= 3 and sys.argv[1] == "trademarks":
        count = int(sys.argv[sys.argv.index("--marks") + 1]) if "--marks" in sys.argv else 1_000_000
        trademarks(sys.argv[2], count)
    elif len(sys.argv) == 2 and sys.argv[1] == "recognitions-sql":
        print(";\n".join(RECOGNITIONS_SQL) + ";")
    else:
        sys.exit(__doc__)
