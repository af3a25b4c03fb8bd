//! Writing scripts: ISO 15924 codes, and the dominant script of a text.

use super::language_codes::is_script_code;

/// Whether `code` exists in ISO 15924. Case-sensitive: codes are written in title
/// case (`Latn`, `Hans`); `latn` is refused. Includes the private-use `Qaaa`..`Qabx`.
pub fn is_known_script(code: &str) -> bool {
    is_script_code(code)
}

/// The dominant ISO 15924 script of `text`: the script of the most letters.
///
/// Digits, punctuation, symbols and spaces are ignored; `Latn` when no letter of
/// another script is found (including for the empty string). Han is `Hans` unless
/// the text holds more characters that exist only in traditional Chinese (`龍`,
/// `東`, `灣`, …) than characters that exist only in simplified Chinese; text with
/// no such distinctive character is `Hans`. Han with kana counts as `Jpan`, Han
/// with Hangul as `Kore`. A tie goes to the script listed first in [`SCRIPT_ORDER`].
pub fn detect_script(text: &str) -> &'static str {
    let mut counts = [0usize; SCRIPT_ORDER.len()];
    let (mut han, mut kana, mut hangul) = (0usize, 0usize, 0usize);
    let (mut simplified, mut traditional) = (0usize, 0usize);
    for c in text.chars() {
        let Some(script) = script_of(c) else { continue };
        match script {
            Script::Han => {
                han += 1;
                if SIMPLIFIED_ONLY.contains(c) {
                    simplified += 1;
                } else if TRADITIONAL_ONLY.contains(c) {
                    traditional += 1;
                }
            }
            Script::Kana => kana += 1,
            Script::Hangul => hangul += 1,
            Script::Other(code) => {
                if let Some(i) = SCRIPT_ORDER.iter().position(|s| *s == code) {
                    counts[i] += 1;
                }
            }
        }
    }
    let mut bump = |code: &str, n: usize| {
        if let Some(i) = SCRIPT_ORDER.iter().position(|s| *s == code) {
            counts[i] += n;
        }
    };
    if kana > 0 {
        bump("Jpan", kana + han);
    } else if hangul > 0 {
        bump("Kore", hangul + han);
    } else if traditional > simplified {
        bump("Hant", han);
    } else {
        bump("Hans", han);
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    let best = match counts.iter().position(|n| *n == max) {
        Some(i) if max > 0 => i,
        _ => SCRIPT_ORDER.len() - 1, // Latn
    };
    SCRIPT_ORDER[best]
}

/// The scripts of the letters of `text`, each once, in order of first appearance (Han
/// as `Hani`, kana as `Kana`, Hangul as `Hang`, others by their [`SCRIPT_ORDER`] code),
/// and how many letters belong to none of them (a script this module does not know).
pub fn letter_scripts(text: &str) -> (Vec<&'static str>, usize) {
    let mut found: Vec<&'static str> = Vec::new();
    let mut unlisted = 0;
    for c in text.chars() {
        let code = match script_of(c) {
            Some(Script::Han) => "Hani",
            Some(Script::Kana) => "Kana",
            Some(Script::Hangul) => "Hang",
            Some(Script::Other(code)) => code,
            None => {
                if c.is_alphabetic() {
                    unlisted += 1;
                }
                continue;
            }
        };
        if !found.contains(&code) {
            found.push(code);
        }
    }
    (found, unlisted)
}

/// The scripts [`detect_script`] can return, in tie-breaking order; `Latn` last.
pub const SCRIPT_ORDER: &[&str] = &[
    "Hans", "Hant", "Jpan", "Kore", "Thai", "Khmr", "Laoo", "Mymr", "Armn", "Geor", "Grek", "Cyrl",
    "Arab", "Hebr", "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym", "Sinh",
    "Tibt", "Mong", "Ethi", "Syrc", "Thaa", "Bopo", "Yiii", "Cher", "Cans", "Tfng", "Latn",
];

enum Script {
    Han,
    Kana,
    Hangul,
    Other(&'static str),
}

/// The script of a letter, or `None` for digits, punctuation, symbols, spaces and
/// letters of scripts not in [`SCRIPT_ORDER`].
fn script_of(c: char) -> Option<Script> {
    if !c.is_alphabetic() {
        return None;
    }
    let cp = u32::from(c);
    let in_any = |ranges: &[(u32, u32)]| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&cp));
    if in_any(HAN) {
        return Some(Script::Han);
    }
    if in_any(KANA) {
        return Some(Script::Kana);
    }
    if in_any(HANGUL) {
        return Some(Script::Hangul);
    }
    OTHER_RANGES
        .iter()
        .find(|(_, ranges)| in_any(ranges))
        .map(|(code, _)| Script::Other(code))
}

const HAN: &[(u32, u32)] = &[
    (0x2E80, 0x2FDF),   // radicals
    (0x3005, 0x3007),   // 々 〆 〇
    (0x3021, 0x3029),   // Hangzhou numerals
    (0x3038, 0x303B),   //
    (0x3400, 0x4DBF),   // extension A
    (0x4E00, 0x9FFF),   // unified ideographs
    (0xF900, 0xFAFF),   // compatibility ideographs
    (0x20000, 0x323AF), // extensions B-H and compatibility supplement
];
const KANA: &[(u32, u32)] = &[
    (0x3040, 0x30FF),
    (0x31F0, 0x31FF),
    (0xFF66, 0xFF9F),
    (0x1B000, 0x1B16F),
];
const HANGUL: &[(u32, u32)] = &[
    (0x1100, 0x11FF),
    (0x3130, 0x318F),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xFFA0, 0xFFDC),
];

type Ranges = &'static [(u32, u32)];

const OTHER_RANGES: &[(&str, Ranges)] = &[
    (
        "Latn",
        &[
            (0x0041, 0x005A),
            (0x0061, 0x007A),
            (0x00AA, 0x00AA),
            (0x00BA, 0x00BA),
            (0x00C0, 0x024F),
            (0x0250, 0x02AF),
            (0x1D00, 0x1DBF),
            (0x1E00, 0x1EFF),
            (0x2C60, 0x2C7F),
            (0xA720, 0xA7FF),
            (0xAB30, 0xAB6F),
            (0xFB00, 0xFB06),
            (0xFF21, 0xFF3A),
            (0xFF41, 0xFF5A),
        ],
    ),
    ("Grek", &[(0x0370, 0x03FF), (0x1F00, 0x1FFF)]),
    (
        "Cyrl",
        &[
            (0x0400, 0x052F),
            (0x1C80, 0x1C8F),
            (0x2DE0, 0x2DFF),
            (0xA640, 0xA69F),
        ],
    ),
    ("Armn", &[(0x0531, 0x058F), (0xFB13, 0xFB17)]),
    ("Hebr", &[(0x0591, 0x05FF), (0xFB1D, 0xFB4F)]),
    (
        "Arab",
        &[
            (0x0600, 0x06FF),
            (0x0750, 0x077F),
            (0x0870, 0x08FF),
            (0xFB50, 0xFDFF),
            (0xFE70, 0xFEFF),
        ],
    ),
    ("Syrc", &[(0x0700, 0x074F)]),
    ("Thaa", &[(0x0780, 0x07BF)]),
    ("Deva", &[(0x0900, 0x097F), (0xA8E0, 0xA8FF)]),
    ("Beng", &[(0x0980, 0x09FF)]),
    ("Guru", &[(0x0A00, 0x0A7F)]),
    ("Gujr", &[(0x0A80, 0x0AFF)]),
    ("Orya", &[(0x0B00, 0x0B7F)]),
    ("Taml", &[(0x0B80, 0x0BFF)]),
    ("Telu", &[(0x0C00, 0x0C7F)]),
    ("Knda", &[(0x0C80, 0x0CFF)]),
    ("Mlym", &[(0x0D00, 0x0D7F)]),
    ("Sinh", &[(0x0D80, 0x0DFF)]),
    ("Thai", &[(0x0E00, 0x0E7F)]),
    ("Laoo", &[(0x0E80, 0x0EFF)]),
    ("Tibt", &[(0x0F00, 0x0FFF)]),
    (
        "Mymr",
        &[(0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)],
    ),
    (
        "Geor",
        &[(0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)],
    ),
    ("Ethi", &[(0x1200, 0x139F), (0x2D80, 0x2DDF)]),
    ("Cher", &[(0x13A0, 0x13FF), (0xAB70, 0xABBF)]),
    ("Cans", &[(0x1400, 0x167F), (0x18B0, 0x18FF)]),
    ("Khmr", &[(0x1780, 0x17FF), (0x19E0, 0x19FF)]),
    ("Mong", &[(0x1800, 0x18AF)]),
    ("Tfng", &[(0x2D30, 0x2D7F)]),
    ("Bopo", &[(0x3100, 0x312F), (0x31A0, 0x31BF)]),
    ("Yiii", &[(0xA000, 0xA4CF)]),
];

/// Characters used in simplified but never in traditional Chinese text.
const SIMPLIFIED_ONLY: &str =
    "龙东门马鱼鸟书国学长见贝车语说这们来时会对发问点开关头体为过还进从经样种\
实现页风飞电话钱铁银钟镇乡县区产业农华叶红绿黄乌岭阳阴凤鸡鸭猪虾麦酱盐汤饭馆饼烧鲜鲁苏广湾辽闽赣贵\
陕宁兰庆扬连锦临沧岛济枣桥园圆团围图场坝坛块坚处备复夺奋奖妇妈孙宝审宽寻导层岁师带帮庄庙应异弃张弹\
归当录彻径忆怀态总恋恶悬惊惯战扑执扩扫扰护报担拥择挂挡挤挥换据摄摆撑敌数断无旧显晋晒晓暂术机杀杂权\
条极构枪柜标栏树检楼横欢欧残毕气汉汇沟没沪泪泽洁浅测浏浓涂涛润涨渐温湿满滚滨滩灭灯灵灾炉炼烂热爱爷\
牵犹狮独猎献环玛画畅疗盖盘矿码础礼祸离积称稳穷窃竞笔笋节签简粮紧纪纯纸线练组细织终结绕给统继续综维\
编缘罗网罚职联聪肃胁脉脏脑艺芦苍茎荐荣药莱获萝营蓝虑虽蚕蛮补衬袜装观规视览觉誉计认讨让训议记讲许论\
设证识诉词译试诗诚该详请读课调谈谢负贡财责贤败货质贩购贯费贸资赏赔赛赵赶趋跃践轨转轮软轻载较辆辈边\
达迁运远违迟适选递逻邮邻郑酿释钢钥铜销锁锅锋错键镜闪闭闲间闹闻阁阅队阶际陆陈险随隐难雾顺须顾顿预领\
频题颜额飘饮饲饱饺馅驱驶验骑鲤鸣鸿鹅鹤齐齿龟历";

/// Characters used in traditional but never in simplified Chinese text.
const TRADITIONAL_ONLY: &str = "龍東門馬魚鳥書國學長見貝車語說這們來時會對發髮問點開關頭體為過還進從經樣\
種實現頁風飛電話錢鐵銀鐘鎮鄉縣區產業農華葉紅綠黃烏嶺陽陰鳳雞鴨豬蝦麥醬鹽湯飯館餅燒鮮魯蘇廣灣遼閩贛貴\
陝寧蘭慶揚連錦臨滄島濟棗橋園圓團圍圖場壩壇塊堅處備復複奪奮獎婦媽孫寶審寬尋導層歲師帶幫莊廟應異棄張\
彈歸當錄徹徑憶懷態總戀惡懸驚慣戰撲執擴掃擾護報擔擁擇掛擋擠揮換據攝擺撐敵數斷無舊顯晉曬曉暫術機殺雜\
權條極構槍櫃標欄樹檢樓橫歡歐殘畢氣漢匯溝沒滬淚澤潔淺測瀏濃塗濤潤漲漸溫濕滿滾濱灘滅燈靈災爐煉爛熱愛\
爺牽猶獅獨獵獻環瑪畫暢療蓋盤礦碼礎禮禍離積稱穩窮竊競筆筍節簽簡糧緊紀純紙線練組細織終結繞給統繼續綜\
維編緣羅網罰職聯聰肅脅脈臟髒腦藝蘆蒼莖薦榮藥萊獲蘿營藍慮雖蠶蠻補襯襪裝觀規視覽覺譽計認討讓訓議記講\
許論設證識訴詞譯試詩誠該詳請讀課調談謝負貢財責賢敗貨質販購貫費貿資賞賠賽趙趕趨躍踐軌轉輪軟輕載較輛\
輩邊達遷運遠違遲適選遞邏郵鄰鄭釀釋鋼鑰銅銷鎖鍋鋒錯鍵鏡閃閉閑間鬧聞閣閱隊階際陸陳險隨隱難霧順須顧頓預\
領頻題顏額飄飲飼飽餃餡驅駛驗騎鯉鳴鴻鵝鶴齊齒龜歷曆麵裡裏";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_scripts_of_the_register() {
        let cases = [
            ("Longjing cha", "Latn"),
            ("Champagne", "Latn"),
            ("Côte de Beaune", "Latn"),
            ("龙井茶", "Hans"),
            ("茅台酒", "Hans"),
            ("龍井茶", "Hant"),
            ("臺灣高山茶", "Hant"),
            ("Ούζο Μυτιλήνης", "Grek"),
            ("Българско розово масло", "Cyrl"),
            ("ข้าวหอมมะลิทุ่งกุลาร้องไห้", "Thai"),
            ("កំពតម្រេច", "Khmr"),
            ("Գյումրի", "Armn"),
            ("ქინძმარაული", "Geor"),
            ("زيت زيتون", "Arab"),
            ("יין", "Hebr"),
            ("दार्जिलिंग", "Deva"),
            ("夕張メロン", "Jpan"),
            ("みかん", "Jpan"),
            ("고려인삼", "Kore"),
            ("ເຂົ້າ", "Laoo"),
            ("ကော်ဖီ", "Mymr"),
        ];
        for (text, expected) in cases {
            assert_eq!(detect_script(text), expected, "{text}");
        }
    }

    #[test]
    fn digits_punctuation_and_empty_text_fall_back_to_latin() {
        assert_eq!(detect_script(""), "Latn");
        assert_eq!(detect_script("123 - 456 / ,.;"), "Latn");
        assert_eq!(detect_script("   "), "Latn");
        assert_eq!(detect_script("２０２６"), "Latn");
    }

    #[test]
    fn digits_and_punctuation_do_not_outvote_letters() {
        assert_eq!(detect_script("龙井 2026 (43) ..."), "Hans");
        assert_eq!(detect_script("Ούζο - 1 2 3 4 5 6"), "Grek");
    }

    #[test]
    fn the_script_with_most_letters_wins() {
        assert_eq!(detect_script("Café 龙"), "Latn");
        assert_eq!(detect_script("A 龙井茶"), "Hans");
        // A tie goes to the script listed first.
        assert_eq!(detect_script("AB 龙井"), "Hans");
        // Kanji count with kana, hanja with hangul.
        assert_eq!(detect_script("AB メロン夕張"), "Jpan");
        assert_eq!(detect_script("ABC 高麗인삼"), "Kore");
    }

    #[test]
    fn han_is_traditional_only_when_more_of_it_is() {
        assert_eq!(detect_script("龍井茶"), "Hant");
        assert_eq!(detect_script("龙井茶"), "Hans");
        // One of each: a tie, Simplified.
        assert_eq!(detect_script("龙龍"), "Hans");
        assert_eq!(detect_script("龙龍龍"), "Hant");
    }

    #[test]
    fn every_detected_script_is_a_known_script() {
        for code in SCRIPT_ORDER {
            assert!(is_known_script(code), "{code}");
        }
    }

    #[test]
    fn simplified_and_traditional_sets_are_disjoint_han() {
        for c in SIMPLIFIED_ONLY.chars() {
            assert!(!TRADITIONAL_ONLY.contains(c), "{c} is in both sets");
            assert!(matches!(script_of(c), Some(Script::Han)), "{c}");
        }
        for c in TRADITIONAL_ONLY.chars() {
            assert!(matches!(script_of(c), Some(Script::Han)), "{c}");
        }
    }

    #[test]
    fn letter_scripts_lists_each_script_once_and_counts_the_unlisted() {
        assert_eq!(
            letter_scripts("龙井 Longjing 茶"),
            (vec!["Hani", "Latn"], 0)
        );
        assert_eq!(letter_scripts("夕張メロン"), (vec!["Hani", "Kana"], 0));
        assert_eq!(letter_scripts("ข้าว 123"), (vec!["Thai"], 0));
        assert_eq!(letter_scripts("᚛ᚑᚌᚐᚋ᚜"), (vec![], 4)); // Ogham
        assert_eq!(letter_scripts("123 -- \u{200B}"), (vec![], 0));
    }

    #[test]
    fn known_scripts_are_case_sensitive() {
        assert!(is_known_script("Latn"));
        assert!(is_known_script("Hant"));
        assert!(!is_known_script("latn"));
        assert!(!is_known_script("Fake"));
    }
}
