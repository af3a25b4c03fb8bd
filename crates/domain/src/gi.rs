//! What a GI is made of (DESIGN §1): its type, its product, its names.

use serde::{Deserialize, Serialize};

use super::transition::string_enum;

string_enum! {
    /// The kind of protection.
    #[derive(utoipa::ToSchema)]
    pub enum GiType: "GI type" {
        Pdo => "pdo",
        Pgi => "pgi",
        Gi => "gi",
        Ao => "ao",
        CollectiveMark => "collective_mark",
        CertificationMark => "certification_mark",
        Tsg => "tsg",
    }
}

string_enum! {
    #[derive(utoipa::ToSchema)]
    pub enum ProductType: "product type" {
        Food => "food",
        Wine => "wine",
        Spirit => "spirit",
        AromatisedWine => "aromatised_wine",
        Handicraft => "handicraft",
        Other => "other",
    }
}

string_enum! {
    /// What a name is to the GI. Protection covers every name listed.
    #[derive(utoipa::ToSchema)]
    pub enum NameKind: "name kind" {
        Original => "original",
        Transliteration => "transliteration",
        Translation => "translation",
        Synonym => "synonym",
    }
}

/// One name of a GI, in any script.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GiName {
    pub text: String,
    /// BCP-47, e.g. `zh`, `zh-Latn`, `th`.
    pub lang: String,
    /// ISO 15924, e.g. `Hans`, `Thai`, `Latn`.
    pub script: String,
    pub kind: NameKind,
    /// The romanisation system of a transliteration, e.g. `pinyin`, `rtgs`.
    pub romanization: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names() {
        assert_eq!(
            "collective_mark".parse::<GiType>().unwrap(),
            GiType::CollectiveMark
        );
        assert_eq!(ProductType::AromatisedWine.as_str(), "aromatised_wine");
        assert!("PDO".parse::<GiType>().is_err());
        assert_eq!(NameKind::NAMES.len(), 4);
    }
}
