//! What every row of a list shows of its GI: the GI's file and registration numbers (as
//! of the list's date and known at its moment) and its names, packed in one allocation
//! behind an `Arc`. A GI appears in a list once per partner, so this is read once per
//! list and shared by its rows ([`super::shown_gis`]); packed, a GI with three names
//! takes about 180 bytes instead of a dozen allocations of their own.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeSeq, Serializer};

use super::rows::ExportName;

/// Per name, before the fields: its id (8 bytes) and the lengths of its four fields
/// (2 bytes each).
const HEAD: usize = 16;
/// The length that stands for no number.
const NONE: u16 = u16::MAX;
/// The longest field kept (no stored text comes near).
const LONGEST: usize = u16::MAX as usize - 1;

/// Packed: the file number and the registration number, each a 2-byte length ([`NONE`]
/// for none) and its bytes; the count of names (2 bytes); each name's head; then the
/// names' fields in order: text, script, language, kind.
#[derive(Clone)]
pub struct ShownGi(Arc<[u8]>);

/// One name, borrowed from a [`ShownGi`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NameRef<'a> {
    #[serde(skip)]
    pub id: i64,
    pub text: &'a str,
    pub script: &'a str,
    pub lang: &'a str,
    pub kind: &'a str,
}

impl Default for ShownGi {
    fn default() -> Self {
        Self::pack([None, None], [])
    }
}

impl ShownGi {
    /// Packs the file and registration numbers and the names (in their order).
    pub fn pack<'a>(
        numbers: [Option<&str>; 2],
        names: impl IntoIterator<Item = NameRef<'a>>,
    ) -> Self {
        let names: Vec<NameRef<'a>> = names.into_iter().collect();
        let count = names.len().min(u16::MAX as usize);
        let mut bytes = Vec::with_capacity(8 + count * (HEAD + 32));
        for number in numbers {
            match number.map(|n| cut(n, LONGEST)) {
                Some(number) => {
                    bytes.extend_from_slice(&(number.len() as u16).to_le_bytes());
                    bytes.extend_from_slice(number.as_bytes());
                }
                None => bytes.extend_from_slice(&NONE.to_le_bytes()),
            }
        }
        bytes.extend_from_slice(&(count as u16).to_le_bytes());
        let mut fields = Vec::new();
        for name in &names[..count] {
            bytes.extend_from_slice(&name.id.to_le_bytes());
            for field in [name.text, name.script, name.lang, name.kind] {
                let field = cut(field, LONGEST);
                bytes.extend_from_slice(&(field.len() as u16).to_le_bytes());
                fields.extend_from_slice(field.as_bytes());
            }
        }
        bytes.extend_from_slice(&fields);
        Self(Arc::from(bytes))
    }

    pub fn file_number(&self) -> Option<&str> {
        self.number(0).0
    }

    pub fn registration_number(&self) -> Option<&str> {
        let (_, at) = self.number(0);
        self.number(at).0
    }

    /// The names, shared.
    pub fn names(&self) -> ExportNames {
        ExportNames(self.clone())
    }

    /// What the packing takes, in bytes (for a bounded cache of them): the allocation
    /// with its `Arc` counts and the allocator's own word.
    pub fn heap_bytes(&self) -> usize {
        (self.0.len() + 3 * size_of::<usize>()).next_multiple_of(16)
    }

    fn u16_at(&self, at: usize) -> usize {
        u16::from_le_bytes([self.0[at], self.0[at + 1]]) as usize
    }

    /// The number that starts at `at`, and where what follows it starts.
    fn number(&self, at: usize) -> (Option<&str>, usize) {
        match self.u16_at(at) {
            len if len == NONE as usize => (None, at + 2),
            len => (text(&self.0[at + 2..at + 2 + len]), at + 2 + len),
        }
    }

    /// Where the count of names is.
    fn names_at(&self) -> usize {
        let (_, at) = self.number(0);
        self.number(at).1
    }
}

/// The names a row shows (of its GI's [`ShownGi`]), serialised as an array of
/// [`ExportName`]s.
#[derive(Clone, Default)]
pub struct ExportNames(ShownGi);

impl ExportNames {
    pub fn len(&self) -> usize {
        self.0.u16_at(self.0.names_at())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = NameRef<'_>> {
        let packed = &self.0;
        let heads = packed.names_at() + 2;
        let count = self.len();
        let mut at = heads + count * HEAD;
        let mut next = move |len: usize| {
            let field = text(&packed.0[at..at + len]).unwrap_or_default();
            at += len;
            field
        };
        (0..count).map(move |i| {
            let head = heads + i * HEAD;
            let mut id = [0u8; 8];
            id.copy_from_slice(&packed.0[head..head + 8]);
            let len = |k: usize| packed.u16_at(head + 8 + 2 * k);
            NameRef {
                id: i64::from_le_bytes(id),
                text: next(len(0)),
                script: next(len(1)),
                lang: next(len(2)),
                kind: next(len(3)),
            }
        })
    }
}

/// Names without ids (id 0), as the list shows them.
impl From<Vec<ExportName>> for ExportNames {
    fn from(names: Vec<ExportName>) -> Self {
        ShownGi::pack(
            [None, None],
            names.iter().map(|n| NameRef {
                id: 0,
                text: &n.text,
                script: &n.script,
                lang: &n.lang,
                kind: &n.kind,
            }),
        )
        .names()
    }
}

/// The same names in the same order (ids and numbers aside).
impl PartialEq for ExportNames {
    fn eq(&self, other: &Self) -> bool {
        self.iter()
            .map(|n| (n.text, n.script, n.lang, n.kind))
            .eq(other.iter().map(|n| (n.text, n.script, n.lang, n.kind)))
    }
}

/// As a JSON array of [`ExportName`]s.
impl Serialize for ExportNames {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for name in self.iter() {
            seq.serialize_element(&name)?;
        }
        seq.end()
    }
}

impl std::fmt::Debug for ExportNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Packed text is always whole UTF-8 (it was cut at character boundaries).
fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

/// The longest start of `text` of at most `most` bytes.
fn cut(text: &str, most: usize) -> &str {
    if text.len() <= most {
        return text;
    }
    let mut end = most;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str, script: &str, lang: &str, kind: &str) -> ExportName {
        ExportName {
            text: text.into(),
            script: script.into(),
            lang: lang.into(),
            kind: kind.into(),
        }
    }

    #[test]
    fn packed_names_read_back_and_serialise_as_the_unpacked_ones() {
        let names = vec![
            name("龙井茶", "Hans", "zh", "original"),
            name("", "Latn", "", "translation"),
            name("Say \"hi\"", "Latn", "en", "synonym"),
        ];
        let packed = ExportNames::from(names.clone());
        assert_eq!(packed.len(), 3);
        let back: Vec<(&str, &str, &str, &str)> = packed
            .iter()
            .map(|n| (n.text, n.script, n.lang, n.kind))
            .collect();
        assert_eq!(
            back,
            [
                ("龙井茶", "Hans", "zh", "original"),
                ("", "Latn", "", "translation"),
                ("Say \"hi\"", "Latn", "en", "synonym"),
            ]
        );
        assert_eq!(
            serde_json::to_string(&packed).unwrap(),
            serde_json::to_string(&names).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&ExportNames::default()).unwrap(),
            "[]"
        );
        assert!(ExportNames::from(Vec::new()).is_empty());
        assert_ne!(packed, ExportNames::from(names[..2].to_vec()));
        assert_eq!(cut("龙井茶", 4), "龙");
        assert_eq!(cut("龙井茶", 9), "龙井茶");
    }

    #[test]
    fn numbers_and_ids_stay_with_their_gi() {
        let names = [
            NameRef {
                id: 7,
                text: "a",
                script: "Latn",
                lang: "en",
                kind: "original",
            },
            NameRef {
                id: 9,
                text: "b",
                script: "Latn",
                lang: "fr",
                kind: "synonym",
            },
        ];
        for numbers in [
            [Some("CN-2024-1"), Some("")],
            [None, Some("R 12")],
            [Some("F"), None],
            [None, None],
        ] {
            let gi = ShownGi::pack(numbers, names);
            assert_eq!([gi.file_number(), gi.registration_number()], numbers);
            let shown = gi.names();
            let read: Vec<(i64, &str, &str)> =
                shown.iter().map(|n| (n.id, n.text, n.lang)).collect();
            assert_eq!(read, [(7, "a", "en"), (9, "b", "fr")]);
            assert!(gi.heap_bytes() >= 4 + 2 + 2 * 16 + 2 + 8 + 4 + 15);
        }
        let none = ShownGi::default();
        assert_eq!(
            (none.file_number(), none.registration_number()),
            (None, None)
        );
        assert!(none.names().is_empty());
    }
}
