//! Product classes: the `product_class` code of a GI (DESIGN §1) and its label.
//!
//! The codes are those of the EU register, written so that they cannot collide:
//!
//! | codes | what | source |
//! |---|---|---|
//! | `1.1` … `1.8` | agricultural products of Annex I of the Treaty | Regulation (EU) No 668/2014, Annex XI |
//! | `2.1` … `2.20` | other foodstuffs and agricultural products | idem |
//! | `2.21` … `2.27` | the foodstuffs classes used for TSGs | the EU register (DOOR/eAmbrosia) |
//! | `wine` | wine (grapevine products) | Regulation (EU) No 1308/2013 |
//! | `spirit.1` … `spirit.47`, `spirit.37a` | spirit-drink categories | the numbering of the EU register of 2020, i.e. Regulation (EC) No 110/2008, Annex II, with `47` for "Other spirit drinks" |
//! | `aromatised.1` … `aromatised.3` | aromatised wine products | Regulation (EU) No 251/2014, Annex II |
//! | `handicraft`, `other` | non-agricultural GIs and anything else | Terroir |
//!
//! The spirit-drink numbers are the ones the register snapshot uses
//! (`37a. Sloe-aromatised spirit drink or Pacharán`, `39. Maraschino…`,
//! `40. Nocino`): they are those of Regulation (EC) No 110/2008. Regulation
//! (EU) 2019/787 renumbered the categories from 38 on; a code keeps the number
//! the register gave it, so that an imported GI keeps its class.

use super::gi::ProductType;

/// Every known code with its English label, in a stable order.
const CLASSES: &[(&str, &str)] = &[
    // Agricultural products and foodstuffs (Regulation (EU) No 668/2014, Annex XI).
    ("1.1", "Fresh meat (and offal)"),
    ("1.2", "Meat products (cooked, salted, smoked, etc.)"),
    ("1.3", "Cheeses"),
    (
        "1.4",
        "Other products of animal origin (eggs, honey, various dairy products except butter, etc.)",
    ),
    ("1.5", "Oils and fats (butter, margarine, oil, etc.)"),
    ("1.6", "Fruit, vegetables and cereals fresh or processed"),
    (
        "1.7",
        "Fresh fish, molluscs, and crustaceans and products derived therefrom",
    ),
    (
        "1.8",
        "Other products of Annex I of the Treaty (spices etc.)",
    ),
    ("2.1", "Beers"),
    ("2.2", "Chocolate and derived products"),
    (
        "2.3",
        "Bread, pastry, cakes, confectionery, biscuits and other baker's wares",
    ),
    ("2.4", "Beverages made from plant extracts"),
    ("2.5", "Pasta"),
    ("2.6", "Salt"),
    ("2.7", "Natural gums and resins"),
    ("2.8", "Mustard paste"),
    ("2.9", "Hay"),
    ("2.10", "Essential oils"),
    ("2.11", "Cork"),
    ("2.12", "Cochineal (raw product of animal origin)"),
    ("2.13", "Flowers and ornamental plants"),
    ("2.14", "Cotton"),
    ("2.15", "Wool"),
    ("2.16", "Wicker"),
    ("2.17", "Scutched flax"),
    ("2.18", "Leather"),
    ("2.19", "Fur"),
    ("2.20", "Feather"),
    // The classes the register uses for traditional specialities guaranteed.
    ("2.21", "Prepared meals"),
    ("2.22", "Beers"),
    ("2.23", "Chocolate and derived products"),
    (
        "2.24",
        "Bread, pastry, cakes, confectionery, biscuits and other baker's wares",
    ),
    ("2.25", "Beverages made from plant extracts"),
    ("2.26", "Pasta"),
    ("2.27", "Salt"),
    // Wine.
    ("wine", "Wine"),
    // Spirit drinks (Regulation (EC) No 110/2008, Annex II, as numbered by the register).
    ("spirit.1", "Rum"),
    ("spirit.2", "Whisky or Whiskey"),
    ("spirit.3", "Grain spirit"),
    ("spirit.4", "Wine spirit"),
    ("spirit.5", "Brandy or Weinbrand"),
    ("spirit.6", "Grape marc spirit or grape marc"),
    ("spirit.7", "Fruit marc spirit"),
    ("spirit.8", "Raisin spirit or raisin brandy"),
    ("spirit.9", "Fruit spirit"),
    ("spirit.10", "Cider spirit and perry spirit"),
    ("spirit.11", "Honey spirit"),
    ("spirit.12", "Hefebrand or lees spirit"),
    ("spirit.13", "Bierbrand or eau de vie de bière"),
    ("spirit.14", "Topinambur or Jerusalem artichoke spirit"),
    ("spirit.15", "Vodka"),
    (
        "spirit.16",
        "Spirit (preceded by the name of the fruit) obtained by maceration and distillation",
    ),
    (
        "spirit.17",
        "Geist (with the name of the fruit or the raw material used)",
    ),
    ("spirit.18", "Gentian"),
    ("spirit.19", "Juniper-flavoured spirit drinks"),
    ("spirit.20", "Gin"),
    ("spirit.21", "Distilled gin"),
    ("spirit.22", "London gin"),
    ("spirit.23", "Caraway-flavoured spirit drinks"),
    ("spirit.24", "Akvavit or aquavit"),
    ("spirit.25", "Aniseed-flavoured spirit drinks"),
    ("spirit.26", "Pastis"),
    ("spirit.27", "Pastis de Marseille"),
    ("spirit.28", "Anis"),
    ("spirit.29", "Distilled anis"),
    ("spirit.30", "Bitter-tasting spirit drinks or bitter"),
    ("spirit.31", "Flavoured vodka"),
    ("spirit.32", "Liqueur"),
    (
        "spirit.33",
        "Crème de (followed by the name of a fruit or the raw material used)",
    ),
    ("spirit.34", "Crème de cassis"),
    ("spirit.35", "Guignolet"),
    ("spirit.36", "Punch au rhum"),
    ("spirit.37", "Sloe gin"),
    ("spirit.37a", "Sloe-aromatised spirit drink or Pacharán"),
    ("spirit.38", "Sambuca"),
    ("spirit.39", "Maraschino, Marrasquino or Maraskino"),
    ("spirit.40", "Nocino"),
    ("spirit.41", "Egg liqueur or advocaat or avocat or advokat"),
    ("spirit.42", "Liqueur with egg"),
    ("spirit.43", "Mistrà"),
    ("spirit.44", "Väkevä glögi or spritglögg"),
    ("spirit.45", "Berenburg or Beerenburg"),
    ("spirit.46", "Honey nectar or mead nectar"),
    ("spirit.47", "Other spirit drinks"),
    // Aromatised wine products (Regulation (EU) No 251/2014, Annex II).
    ("aromatised.1", "Aromatised wine"),
    ("aromatised.2", "Aromatised wine-based drink"),
    ("aromatised.3", "Aromatised wine-product cocktail"),
    // Outside the EU's agricultural schemes.
    ("handicraft", "Handicraft"),
    ("other", "Other"),
];

/// Every known code with its label, in a stable order (agricultural classes,
/// wine, spirit drinks, aromatised wines, then `handicraft` and `other`).
pub fn all() -> &'static [(&'static str, &'static str)] {
    CLASSES
}

/// Whether `code` is a known product class (exact, case-sensitive: `1.6`, `wine`,
/// `spirit.9`).
pub fn is_known_product_class(code: &str) -> bool {
    label(code).is_some()
}

/// The English label of a known code (`1.6` → "Fruit, vegetables and cereals
/// fresh or processed").
pub fn label(code: &str) -> Option<&'static str> {
    CLASSES.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// The product type a code belongs to: `1.x`/`2.x` food, `wine`, `spirit.*`,
/// `aromatised.*`, `handicraft`; `None` for `other` (which fits every type)
/// and for unknown codes.
pub fn product_type_of(code: &str) -> Option<ProductType> {
    if !is_known_product_class(code) {
        return None;
    }
    match code {
        "wine" => Some(ProductType::Wine),
        "handicraft" => Some(ProductType::Handicraft),
        "other" => None,
        c if c.starts_with("spirit.") => Some(ProductType::Spirit),
        c if c.starts_with("aromatised.") => Some(ProductType::AromatisedWine),
        _ => Some(ProductType::Food),
    }
}

/// Whether a GI of `product_type` may have class `code`: the code is known and
/// belongs to that product type, or is `other`.
pub fn fits_product_type(code: &str, product_type: ProductType) -> bool {
    code == "other" || product_type_of(code) == Some(product_type)
}

/// The code for an `EA_ProductCategory` value of the EU register, read in the
/// light of the GI's product type (the same number means different things for
/// a spirit drink and an aromatised wine):
///
/// - food: `Class 1.6. Fruit, vegetables …` → `1.6` (also `1.6`, `Class 2.22`);
/// - wine: `Wine` → `wine`;
/// - spirit drink: `9. Fruit spirit` → `spirit.9`, `37a. …` → `spirit.37a`,
///   `15. Vodka, 31. Flavoured vodka` → `spirit.15` (the first category);
/// - aromatised wine: `1. Aromatised wine` → `aromatised.1`;
/// - handicraft / other: `handicraft` / `other`.
///
/// A value without a number is looked up by its label (case-insensitive) among
/// the classes of the product type. `None` when nothing matches.
pub fn from_eu_category(text: &str, product_type: ProductType) -> Option<&'static str> {
    let text = text.trim();
    let prefix = match product_type {
        ProductType::Food => "",
        ProductType::Wine => return find_code("wine").filter(|_| is_label(text, "wine")),
        ProductType::Spirit => "spirit.",
        ProductType::AromatisedWine => "aromatised.",
        ProductType::Handicraft => return find_code("handicraft"),
        ProductType::Other => return find_code("other"),
    };
    let rest = strip_prefix_ignore_case(text, "class")
        .unwrap_or(text)
        .trim_start();
    if let Some(number) = leading_number(rest) {
        let code = format!("{prefix}{number}");
        return find_code(&code).filter(|c| product_type_of(c) == Some(product_type));
    }
    // No number: match the label among the classes of this product type.
    CLASSES
        .iter()
        .filter(|(code, _)| product_type_of(code) == Some(product_type))
        .find(|(_, l)| l.eq_ignore_ascii_case(text))
        .map(|(code, _)| *code)
}

/// The static code equal to `code`, if known.
fn find_code(code: &str) -> Option<&'static str> {
    CLASSES.iter().find(|(c, _)| *c == code).map(|(c, _)| *c)
}

/// `text` names the class `word` (`Wine`, `wine`, `Class wine`); an empty text is
/// accepted too, since the product type alone decides.
fn is_label(text: &str, word: &str) -> bool {
    text.is_empty() || text.eq_ignore_ascii_case(word)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The category number at the start of `text`: digits, optionally `.digits`
/// (food classes) and an optional lower-case letter (`37a`), without the
/// trailing dot. `None` when `text` does not start with a digit.
fn leading_number(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut end = digits(0);
    if end == 0 {
        return None;
    }
    if bytes.get(end) == Some(&b'.') {
        let more = digits(end + 1);
        if more > 0 {
            end += 1 + more;
        }
    }
    if let Some(b) = bytes.get(end) {
        let next_is_letter = bytes.get(end + 1).is_some_and(|n| n.is_ascii_alphabetic());
        if b.is_ascii_lowercase() && !next_is_letter {
            end += 1;
        }
    }
    Some(&text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_labelled() {
        for (i, (code, label)) in CLASSES.iter().enumerate() {
            assert!(!label.is_empty(), "{code}");
            assert!(
                !CLASSES[i + 1..].iter().any(|(c, _)| c == code),
                "{code} repeated"
            );
        }
        assert_eq!(all().len(), CLASSES.len());
    }

    #[test]
    fn the_ranges_the_brief_lists_are_all_there() {
        for n in 1..=8 {
            assert!(is_known_product_class(&format!("1.{n}")), "1.{n}");
        }
        for n in 1..=27 {
            assert!(is_known_product_class(&format!("2.{n}")), "2.{n}");
        }
        for n in 1..=47 {
            assert!(is_known_product_class(&format!("spirit.{n}")), "spirit.{n}");
        }
        for n in 1..=3 {
            assert!(is_known_product_class(&format!("aromatised.{n}")));
        }
        for code in ["wine", "handicraft", "other", "spirit.37a"] {
            assert!(is_known_product_class(code), "{code}");
        }
        for bad in [
            "",
            "1.9",
            "1.0",
            "2.28",
            "spirit.48",
            "Wine",
            "aromatised.4",
            "1.6 ",
        ] {
            assert!(!is_known_product_class(bad), "{bad}");
        }
    }

    #[test]
    fn labels() {
        assert_eq!(
            label("1.8"),
            Some("Other products of Annex I of the Treaty (spices etc.)")
        );
        assert_eq!(label("spirit.9"), Some("Fruit spirit"));
        assert_eq!(label("nope"), None);
    }

    #[test]
    fn product_types_of_codes() {
        assert_eq!(product_type_of("1.6"), Some(ProductType::Food));
        assert_eq!(product_type_of("2.27"), Some(ProductType::Food));
        assert_eq!(product_type_of("wine"), Some(ProductType::Wine));
        assert_eq!(product_type_of("spirit.37a"), Some(ProductType::Spirit));
        assert_eq!(
            product_type_of("aromatised.2"),
            Some(ProductType::AromatisedWine)
        );
        assert_eq!(product_type_of("handicraft"), Some(ProductType::Handicraft));
        assert_eq!(product_type_of("other"), None);
        assert_eq!(product_type_of("9.9"), None);
        assert!(fits_product_type("1.8", ProductType::Food));
        assert!(!fits_product_type("1.8", ProductType::Wine));
        assert!(fits_product_type("other", ProductType::Spirit));
        assert!(!fits_product_type("bogus", ProductType::Other));
    }

    #[test]
    fn eu_categories() {
        use ProductType as P;
        let cases = [
            ("Class 1.1 Fresh meat (and offal)", P::Food, Some("1.1")),
            (
                "Class 1.6. Fruit, vegetables and cereals fresh or processed",
                P::Food,
                Some("1.6"),
            ),
            ("Class 2.10. Essential oils", P::Food, Some("2.10")),
            ("Class 2.22. Beers", P::Food, Some("2.22")),
            ("Class 2.27. Salt", P::Food, Some("2.27")),
            ("class 1.3", P::Food, Some("1.3")),
            ("1.3", P::Food, Some("1.3")),
            ("Cheeses", P::Food, Some("1.3")),
            ("Class 3.1. Nothing", P::Food, None),
            ("Wine", P::Wine, Some("wine")),
            ("Beer", P::Wine, None),
            ("9. Fruit spirit", P::Spirit, Some("spirit.9")),
            (
                "15. Vodka, 31. Flavoured vodka",
                P::Spirit,
                Some("spirit.15"),
            ),
            (
                "37a. Sloe-aromatised spirit drink or Pacharán",
                P::Spirit,
                Some("spirit.37a"),
            ),
            ("47. Other spirit drinks", P::Spirit, Some("spirit.47")),
            ("Gin", P::Spirit, Some("spirit.20")),
            (
                "1. Aromatised wine",
                P::AromatisedWine,
                Some("aromatised.1"),
            ),
            (
                "2. Aromatised wine-based drink",
                P::AromatisedWine,
                Some("aromatised.2"),
            ),
            ("4. Something", P::AromatisedWine, None),
            ("1. Rum", P::AromatisedWine, Some("aromatised.1")),
            ("1. Rum", P::Spirit, Some("spirit.1")),
            ("Class 1.6.", P::Spirit, None),
            ("anything", P::Handicraft, Some("handicraft")),
            ("", P::Other, Some("other")),
            ("", P::Food, None),
        ];
        for (text, pt, want) in cases {
            assert_eq!(from_eu_category(text, pt), want, "{text} / {pt}");
        }
    }

    #[test]
    fn leading_numbers() {
        assert_eq!(leading_number("37a. Sloe"), Some("37a"));
        assert_eq!(leading_number("1.6. Fruit"), Some("1.6"));
        assert_eq!(leading_number("1. Rum"), Some("1"));
        assert_eq!(leading_number("2 abc"), Some("2"));
        assert_eq!(leading_number("2abc"), Some("2"));
        assert_eq!(leading_number("x1"), None);
        assert_eq!(leading_number(""), None);
    }
}
