#!/usr/bin/env python3
"""Writes tests/data/conflict_pairs.tsv, the labelled set the conflict check is measured
on (tests/api/conflict_quality.rs): name pairs that ARE conflicts (the same name across
scripts, spellings and registers) and look-alikes that are NOT (different GIs sharing a
generic word or a place's first syllable). Hand-written pairs below; the rest drawn,
deterministically, from the EU register in datasets/.

    python3 scripts/conflict_pairs.py > tests/data/conflict_pairs.tsv
"""
import json
import random
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (a, b, category) that are conflicts.
CONFLICTS = [
    # Simplified / Traditional Chinese.
    ("龙井茶", "龍井茶", "traditional"), ("镇江香醋", "鎮江香醋", "traditional"),
    ("盐城龙虾", "鹽城龍蝦", "traditional"), ("龙口粉丝", "龍口粉絲", "traditional"),
    ("金乡大蒜", "金鄉大蒜", "traditional"), ("陕西苹果", "陝西蘋果", "traditional"),
    ("东山白芦笋", "東山白蘆筍", "traditional"), ("蠡县麻山药", "蠡縣麻山藥", "traditional"),
    ("重庆火锅", "重慶火鍋", "traditional"), ("长白山人参", "長白山人參", "traditional"),
    ("西湖龙井", "西湖龍井", "traditional"), ("安溪铁观音", "安溪鐵觀音", "traditional"),
    ("贵州茅台酒", "貴州茅臺酒", "traditional"), ("绍兴黄酒", "紹興黃酒", "traditional"),
    ("宁夏枸杞", "寧夏枸杞", "traditional"), ("黄山毛峰", "黃山毛峰", "traditional"),
    ("阳澄湖大闸蟹", "陽澄湖大閘蟹", "traditional"), ("库尔勒香梨", "庫爾勒香梨", "traditional"),
    ("赣南脐橙", "贛南臍橙", "traditional"), ("五常大米", "五常大米", "identical"),
    # Chinese and its pinyin.
    ("龙井茶", "Longjing cha", "pinyin"), ("镇江香醋", "Zhenjiang Xiang Cu", "pinyin"),
    ("盐城龙虾", "Yancheng Long Xia", "pinyin"), ("龙口粉丝", "Longkou Fen Si", "pinyin"),
    ("金乡大蒜", "Jinxiang Da Suan", "pinyin"), ("陕西苹果", "Shaanxi ping guo", "pinyin"),
    ("平谷大桃", "Pinggu Da Tao", "pinyin"), ("琯溪蜜柚", "Guanxi Mi You", "pinyin"),
    ("东山白芦笋", "Dongshan Bai Lu Sun", "pinyin"), ("蠡县麻山药", "Lixian Ma Shan Yao", "pinyin"),
    ("重庆火锅", "Chongqing Huoguo", "pinyin"), ("长白山人参", "Changbaishan Renshen", "pinyin"),
    ("西湖龙井", "Xihu Longjing", "pinyin"), ("安溪铁观音", "Anxi Tieguanyin", "pinyin"),
    ("绍兴黄酒", "Shaoxing Huangjiu", "pinyin"), ("宁夏枸杞", "Ningxia Gouqi", "pinyin"),
    ("黄山毛峰", "Huangshan Maofeng", "pinyin"), ("五常大米", "Wuchang Dami", "pinyin"),
    ("龍井茶", "Longjing Cha", "pinyin"), ("鎮江香醋", "Zhenjiang Xiangcu", "pinyin"),
    # Pinyin written apart, together, with hyphens.
    ("Longjing cha", "Long Jing Cha", "spacing"), ("Pinggu Da Tao", "Pinggu Datao", "spacing"),
    ("Jinxiang Da Suan", "Jinxiang-Dasuan", "spacing"), ("Yancheng Long Xia", "Yancheng Longxia", "spacing"),
    ("Longkou Fen Si", "Longkou Fensi", "spacing"), ("Zhenjiang Xiang Cu", "ZHENJIANG XIANGCU", "spacing"),
    # Wade-Giles and other old spellings.
    ("龙井", "Lung Ching", "wade_giles"), ("Longjing", "Lung-ching", "wade_giles"),
    ("Tieguanyin", "Tiekuanyin", "wade_giles"),
    # Thai and its RTGS; Thai without tone marks; romanisation variants.
    ("ข้าวหอมมะลิทุ่งกุลาร้องไห้", "Khao Hom Mali Thung Kula Rong-Hai", "rtgs"),
    ("ข้าวสังข์หยดเมืองพัทลุง", "Khao Sangyod Muang Phatthalung", "rtgs"),
    ("กาแฟดอยตุง", "Kafae Doi Tung", "rtgs"), ("กาแฟดอยช้าง", "Kafae Doi Chang", "rtgs"),
    ("มะขามหวานเพชรบูรณ์", "Makham Wan Phetchabun", "rtgs"),
    ("มะขามหวานเพชรบูรณ์", "Makham Wan Phetchaboon", "rtgs"),
    ("ส้มโอทับทิมสยามปากพนัง", "Som O Thapthim Siam Pak Phanang", "rtgs"),
    ("ส้มโอนครชัยศรี", "Som O Nakhon Chai Si", "rtgs"),
    ("ข้าวหอมมะลิทุ่งกุลาร้องไห้", "ขาวหอมมะลิทุงกุลารองไห", "thai_tones"),
    ("กาแฟดอยตุง", "กาแฟดอยตุง", "identical"), ("ส้มโอทับทิมสยามปากพนัง", "สมโอทับทิมสยามปากพนัง", "thai_tones"),
    ("มะขามหวานเพชรบูรณ์", "มะขามหวานเพชรบูรณ", "thai_tones"),
    ("Kafae Doi Tung", "Kafae Doi Toong", "variants"), ("Makham Wan Phetchabun", "Makham Wan Petchabun", "variants"),
    ("Khao Sangyod Muang Phatthalung", "Khao Sangyod Muang Pattalung", "variants"),
    ("Som O Thapthim Siam Pak Phanang", "Som-O Tabtim Siam Pak Panang", "variants"),
    ("Thung Kula Rong-Hai", "Thung Kula Ronghai", "variants"),
]

# (a, b, category) that are not: different GIs sharing a word, a syllable or a product.
NOT_CONFLICTS = [
    ("平谷大桃", "平阴玫瑰", "shared_place_syllable"), ("金乡大蒜", "金华火腿", "shared_place_syllable"),
    ("龙井茶", "龙口粉丝", "shared_place_syllable"), ("镇江香醋", "山西老陈醋", "shared_product"),
    ("西湖龙井", "西湖醋鱼", "shared_place"), ("安溪铁观音", "安吉白茶", "shared_place_syllable"),
    ("黄山毛峰", "黄岩蜜桔", "shared_place_syllable"), ("五常大米", "盘锦大米", "shared_product"),
    ("Longjing cha", "Longkou Fen Si", "shared_place_syllable"), ("Pinggu Da Tao", "Pingyin Meigui", "shared_place_syllable"),
    ("Jinxiang Da Suan", "Jinhua Huotui", "shared_place_syllable"), ("Huangshan Maofeng", "Huangyan Mijie", "shared_place_syllable"),
    ("ข้าวหอมมะลิทุ่งกุลาร้องไห้", "ข้าวสังข์หยดเมืองพัทลุง", "shared_product"),
    ("กาแฟดอยตุง", "กาแฟดอยช้าง", "shared_product"), ("Kafae Doi Tung", "Kafae Doi Chaang", "shared_product"),
    ("ส้มโอทับทิมสยามปากพนัง", "ส้มโอนครชัยศรี", "shared_product"),
    ("Som O Thapthim Siam Pak Phanang", "Som O Nakhon Chai Si", "shared_product"),
    ("มะขามหวานเพชรบูรณ์", "มะม่วงน้ำดอกไม้สีทองพิจิตร", "shared_syllable"),
    ("Prosciutto di Parma", "Prosciutto di San Daniele", "shared_product"),
    ("Prosciutto di Parma", "Prosciutto di Modena", "shared_product"),
    ("Queso Manchego", "Queso Tetilla", "shared_product"), ("Jamón de Teruel", "Jamón de Huelva", "shared_product"),
    ("Aceite de Terra Alta", "Aceite de la Rioja", "shared_product"), ("Miel de Galicia", "Miel de Granada", "shared_product"),
    ("Pimiento de Padrón", "Pimiento de Gernika", "shared_product"), ("Arroz de Valencia", "Arroz del Delta del Ebro", "shared_product"),
    ("Lenticchia di Castelluccio di Norcia", "Lenticchia di Altamura", "shared_product"),
    ("Pomodoro di Pachino", "Pomodoro S. Marzano dell'Agro Sarnese-Nocerino", "shared_product"),
    ("Darjeeling", "Kangra Tea", "shared_product"), ("Basmati", "Khao Hom Mali Thung Kula Rong-Hai", "shared_product"),
    ("Nürnberger Bratwürste", "Thüringer Rostbratwurst", "shared_product"),
    ("Münchener Bier", "Bremer Bier", "shared_product"), ("Kölsch", "Kulmbacher Bier", "shared_product"),
    ("Bordeaux", "Bourgogne", "shared_syllable"), ("Champagne", "Chablis", "shared_syllable"),
    ("Rioja", "Rías Baixas", "shared_syllable"), ("Tokaj", "Tokay", "historic_not_required"),
]


def fold_accents(text):
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def main():
    rows = [(a, b, "true", c) for a, b, c in CONFLICTS]
    # Tokay/Tokaj is a real dispute; it is left out of the measured set.
    rows += [(a, b, "false", c) for a, b, c in NOT_CONFLICTS if c != "historic_not_required"]
    register = json.loads((ROOT / "datasets" / "eu-gi-register-2020.json").read_text())
    names = []
    for entry in register:
        for name in entry["EA_Name"].split(" / "):
            name = name.strip()
            if re.fullmatch(r"[\w\s'’.,()-]+", name) and all(
                unicodedata.name(c, "").startswith(("LATIN", "SPACE", "APOSTROPHE", "HYPHEN", "FULL STOP", "COMMA", "LEFT PAREN", "RIGHT PAREN", "RIGHT SINGLE", "DIGIT"))
                for c in name
            ):
                names.append((entry["EA_FileNumber"], name))
    rng = random.Random(13)
    # Accented names written without their accents, and in capitals: conflicts.
    accented = sorted({n for _, n in names if fold_accents(n) != n})
    for name in rng.sample(accented, 60):
        variant = fold_accents(name)
        if rng.random() < 0.3:
            variant = variant.upper()
        rows.append((name, variant, "true", "accents"))
    # Homonyms: one name in two entries of the register with different file numbers.
    base = lambda number: re.sub(r"-(AM\d+|CANCEL)$", "", number)
    seen = {}
    homonyms = []
    for number, name in names:
        key = name.lower()
        if key in seen and base(seen[key][0]) != base(number) and name not in [h[0] for h in homonyms]:
            homonyms.append((seen[key][1], name))
        seen.setdefault(key, (number, name))
    for a, b in homonyms[:20]:
        rows.append((a, b, "true", "homonym"))
    # Different GIs of the register, paired at random: not conflicts.
    distinct = sorted({n for _, n in names})
    pairs = 0
    while pairs < 120:
        a, b = rng.sample(distinct, 2)
        if a.lower() == b.lower() or a.split()[0].lower() == b.split()[0].lower():
            continue
        rows.append((a, b, "false", "different_gis"))
        pairs += 1
    print("name_a\tname_b\tconflict\tcategory")
    for a, b, conflict, category in rows:
        print(f"{a}\t{b}\t{conflict}\t{category}")


if __name__ == "__main__":
    main()
