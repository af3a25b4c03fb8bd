//! What every row of a list shows of its GI: the GI's file and registration numbers (as
//! of the list's date and known at its moment) and its names, packed in one allocation
//! behind an `Arc`. A GI appears in a list once per partner, so this is read once per
//! list and shared by its rows ([`super::shown_gis`]); packed, a GI with three names
//! takes about 110 bytes instead of a dozen allocations of their own.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeSeq, Serializer};

use super::rows::ExportName;
use crate::domain::gi::NameKind;

/// Packed, every integer a LEB128 varint: the file number and the registration number,
/// each its length plus one (0 for none) and its bytes; the count of names; then each
/// name: its id less the previous name's (zigzag; the first less 0), the lengths and
/// bytes of its text, script and language, and its kind (the index of a known kind, or
/// the count of known kinds plus its length, and its bytes).
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
        let mut out = Vec::with_capacity(40 + names.len() * 40);
        for number in numbers {
            match number {
                Some(number) => {
                    put(&mut out, number.len() as u64 + 1);
                    out.extend_from_slice(number.as_bytes());
                }
                None => put(&mut out, 0),
            }
        }
        put(&mut out, names.len() as u64);
        let mut previous = 0i64;
        for name in &names {
            put(&mut out, zigzag(name.id.wrapping_sub(previous)));
            previous = name.id;
            for field in [name.text, name.script, name.lang] {
                put_text(&mut out, field);
            }
            match NameKind::NAMES.iter().position(|k| *k == name.kind) {
                Some(known) => put(&mut out, known as u64),
                None => {
                    put(&mut out, (NameKind::NAMES.len() + name.kind.len()) as u64);
                    out.extend_from_slice(name.kind.as_bytes());
                }
            }
        }
        Self(Arc::from(out))
    }

    pub fn file_number(&self) -> Option<&str> {
        self.reader().number()
    }

    pub fn registration_number(&self) -> Option<&str> {
        let mut reader = self.reader();
        reader.number();
        reader.number()
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

    fn reader(&self) -> Reader<'_> {
        Reader {
            bytes: &self.0,
            at: 0,
        }
    }

    /// A reader at the count of names.
    fn names_reader(&self) -> Reader<'_> {
        let mut reader = self.reader();
        reader.number();
        reader.number();
        reader
    }
}

fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    put(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// Reads a packing from its start; what it cannot read (never, for a packing made by
/// [`ShownGi::pack`]) reads as 0 or empty.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn int(&mut self) -> u64 {
        let mut value = 0u64;
        let mut shift = 0;
        while let Some(&byte) = self.bytes.get(self.at) {
            self.at += 1;
            value |= u64::from(byte & 0x7f).checked_shl(shift).unwrap_or(0);
            if byte < 0x80 {
                break;
            }
            shift += 7;
        }
        value
    }

    fn take(&mut self, len: usize) -> &'a str {
        let end = self.at.saturating_add(len).min(self.bytes.len());
        let text = std::str::from_utf8(&self.bytes[self.at..end]).unwrap_or_default();
        self.at = end;
        text
    }

    fn text(&mut self) -> &'a str {
        let len = self.int() as usize;
        self.take(len)
    }

    fn number(&mut self) -> Option<&'a str> {
        match self.int() {
            0 => None,
            len => Some(self.take(len as usize - 1)),
        }
    }
}

/// The names a row shows (of its GI's [`ShownGi`]), serialised as an array of
/// [`ExportName`]s.
#[derive(Clone, Default)]
pub struct ExportNames(ShownGi);

impl ExportNames {
    pub fn len(&self) -> usize {
        self.0.names_reader().int() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = NameRef<'_>> {
        let mut reader = self.0.names_reader();
        let count = reader.int() as usize;
        let mut previous = 0i64;
        (0..count).map(move |_| {
            let id = previous.wrapping_add(unzigzag(reader.int()));
            previous = id;
            let (text, script, lang) = (reader.text(), reader.text(), reader.text());
            let kind = match reader.int() as usize {
                known if known < NameKind::NAMES.len() => NameKind::NAMES[known],
                inline => reader.take(inline - NameKind::NAMES.len()),
            };
            NameRef {
                id,
                text,
                script,
                lang,
                kind,
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
        // Debugged as the list of its names (what a failed comparison of rows shows).
        let debugged = format!("{packed:?}");
        assert_eq!(debugged, format!("{:?}", packed.iter().collect::<Vec<_>>()));
        assert!(debugged.contains("龙井茶"), "{debugged}");
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
            assert!(gi.heap_bytes() >= 2 + 1 + 2 * 6 + 2 + 8 + 4 + 24);
        }
    }

    #[test]
    fn every_field_reads_back_whatever_its_size() {
        let long = "龙".repeat(70);
        let ids = [300_000, 5, i64::MAX, -1, i64::MIN, 0];
        let mut kinds: Vec<&str> = NameKind::NAMES.to_vec();
        kinds.extend(["", "a kind no one knows"]);
        let names: Vec<NameRef> = ids
            .iter()
            .zip(kinds.iter().cycle())
            .enumerate()
            .map(|(i, (&id, &kind))| NameRef {
                id,
                text: if i % 2 == 0 { &long } else { "" },
                script: "Hans",
                lang: if i == 1 { &long } else { "zh" },
                kind,
            })
            .collect();
        let number = "N".repeat(300);
        let gi = ShownGi::pack([Some(&number), None], names.iter().copied());
        assert_eq!(gi.file_number(), Some(number.as_str()));
        assert_eq!(gi.registration_number(), None);
        let shown = gi.names();
        assert_eq!(shown.len(), names.len());
        assert_eq!(shown.iter().collect::<Vec<_>>(), names);
        let more: Vec<NameRef> = kinds
            .iter()
            .map(|&kind| NameRef {
                id: 1,
                text: "t",
                script: "Latn",
                lang: "en",
                kind,
            })
            .collect();
        let gi = ShownGi::pack([None, None], more.iter().copied());
        assert_eq!(gi.names().iter().collect::<Vec<_>>(), more);
        // A GI as the harness has them, three names and a file number, packs small.
        let three = [
            ("龙井茶", "Hans", "zh", "original"),
            ("Longjing cha", "Latn", "zh-Latn", "transliteration"),
            ("Dragon Well tea", "Latn", "en", "translation"),
        ];
        let gi = ShownGi::pack(
            [Some("BENCH-CN-0000000"), None],
            three
                .iter()
                .enumerate()
                .map(|(i, &(text, script, lang, kind))| NameRef {
                    id: 100_000 + i as i64,
                    text,
                    script,
                    lang,
                    kind,
                }),
        );
        assert!(gi.heap_bytes() <= 128, "{}", gi.heap_bytes());
        let none = ShownGi::default();
        assert_eq!(
            (none.file_number(), none.registration_number()),
            (None, None)
        );
        assert!(none.names().is_empty());
    }
}
