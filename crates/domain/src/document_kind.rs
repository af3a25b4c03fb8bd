//! What a document filed with a GI or a recognition is.

use super::transition::string_enum;

string_enum! {
    /// The kind of a document: the product specification and the single document as
    /// filed, a gazette extract, a decision letter, a map of the area, correspondence.
    #[derive(utoipa::ToSchema)]
    pub enum DocumentKind: "document kind" {
        Specification => "specification",
        SingleDocument => "single_document",
        Publication => "publication",
        Decision => "decision",
        Map => "map",
        Correspondence => "correspondence",
        Other => "other",
    }
}
