//! What a file is, told from its bytes rather than its name: the document formats a
//! register accepts (PDF, PNG, JPEG, plain UTF-8 text, OpenDocument and Office Open XML).
//! Anything else, an executable renamed `.pdf` included, is not accepted.

/// How many leading bytes `sniff` needs at most.
pub const SNIFF_BYTES: usize = 8192;

/// The media type of a file whose first bytes (up to `SNIFF_BYTES`) are `head`, or
/// `None` for a format the register does not accept. `whole` says whether `head` is the
/// whole file (plain text is judged on what was seen).
pub fn sniff(head: &[u8], whole: bool) -> Option<&'static str> {
    if head.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    if head.starts_with(b"PK\x03\x04") {
        return zipped_office_document(head);
    }
    is_plain_text(head, whole).then_some("text/plain; charset=utf-8")
}

/// An OpenDocument file names its type in a first, stored entry called `mimetype`; an
/// Office Open XML file starts with `[Content_Types].xml` (or names its parts early).
fn zipped_office_document(head: &[u8]) -> Option<&'static str> {
    const NAME_AT: usize = 30;
    let name_len = u16::from_le_bytes([*head.get(26)?, *head.get(27)?]) as usize;
    let extra_len = u16::from_le_bytes([*head.get(28)?, *head.get(29)?]) as usize;
    let name = head.get(NAME_AT..NAME_AT + name_len)?;
    if name == b"mimetype" {
        let data = head.get(NAME_AT + name_len + extra_len..)?;
        for (prefix, media_type) in [
            (
                &b"application/vnd.oasis.opendocument.text"[..],
                "application/vnd.oasis.opendocument.text",
            ),
            (
                b"application/vnd.oasis.opendocument.spreadsheet",
                "application/vnd.oasis.opendocument.spreadsheet",
            ),
            (
                b"application/vnd.oasis.opendocument.graphics",
                "application/vnd.oasis.opendocument.graphics",
            ),
        ] {
            if data.starts_with(prefix) && !data[prefix.len()..].starts_with(b"-") {
                return Some(media_type);
            }
        }
        return None;
    }
    let mentions = |part: &[u8]| head.windows(part.len()).any(|w| w == part);
    if name == b"[Content_Types].xml" || mentions(b"[Content_Types].xml") {
        if mentions(b"word/") {
            return Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        }
        if mentions(b"xl/") {
            return Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        }
        if mentions(b"ppt/") {
            return Some(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            );
        }
    }
    None
}

/// UTF-8 without control characters other than tab, line feed, carriage return and form
/// feed. A multi-byte character cut at the end of a partial `head` does not count.
fn is_plain_text(head: &[u8], whole: bool) -> bool {
    if head.is_empty() {
        return false;
    }
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(err) if !whole && err.error_len().is_none() => {
            std::str::from_utf8(&head[..err.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    text.chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_entry(name: &[u8], data: &[u8]) -> Vec<u8> {
        zip_entry_with_extra(name, &[], data)
    }

    /// A local file header with an extra field (as zip writers add for timestamps).
    fn zip_entry_with_extra(name: &[u8], extra: &[u8], data: &[u8]) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0; 22]);
        bytes.extend_from_slice(&(name.len() as u16).to_le_bytes());
        bytes.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        bytes.extend_from_slice(name);
        bytes.extend_from_slice(extra);
        bytes.extend_from_slice(data);
        bytes
    }

    #[test]
    fn the_accepted_formats_are_told_from_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n", true), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0", true), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], true), Some("image/jpeg"));
        assert_eq!(
            sniff("龙井茶 — product specification\n".as_bytes(), true),
            Some("text/plain; charset=utf-8")
        );
        let odt = zip_entry(b"mimetype", b"application/vnd.oasis.opendocument.textPK");
        assert_eq!(
            sniff(&odt, true),
            Some("application/vnd.oasis.opendocument.text")
        );
        let template = zip_entry(
            b"mimetype",
            b"application/vnd.oasis.opendocument.text-template",
        );
        assert_eq!(sniff(&template, true), None);
        let docx = zip_entry(
            b"[Content_Types].xml",
            b"<Types/>PK\x03\x04 word/document.xml",
        );
        assert_eq!(
            sniff(&docx, true),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
    }

    #[test]
    fn the_opendocument_type_is_read_after_the_extra_field() {
        // An extended-timestamp extra field (0x5455) between the name and the data.
        let extra = b"UT\x05\x00\x01\x00\x00\x00\x00";
        let ods = zip_entry_with_extra(
            b"mimetype",
            extra,
            b"application/vnd.oasis.opendocument.spreadsheetPK",
        );
        assert_eq!(
            sniff(&ods, true),
            Some("application/vnd.oasis.opendocument.spreadsheet")
        );
    }

    #[test]
    fn an_office_open_xml_file_may_name_its_content_types_after_another_entry() {
        // Writers other than Office put `_rels/.rels` first; `[Content_Types].xml` and
        // the parts follow in the first bytes.
        let xlsx = zip_entry(
            b"_rels/.rels",
            b"<Relationships/>PK\x03\x04 [Content_Types].xml <Types/>PK\x03\x04 xl/workbook.xml",
        );
        assert_eq!(
            sniff(&xlsx, true),
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        );
        // Parts alone, without the content types, are not enough.
        let parts = zip_entry(
            b"_rels/.rels",
            b"<Relationships/>PK\x03\x04 xl/workbook.xml",
        );
        assert_eq!(sniff(&parts, true), None);
    }

    #[test]
    fn executables_archives_and_binary_data_are_refused() {
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0", true), None);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0", true), None);
        assert_eq!(sniff(&zip_entry(b"payload.exe", b"MZ"), true), None);
        assert_eq!(sniff(b"text with a \0 NUL", true), None);
        assert_eq!(sniff(b"", true), None);
        assert_eq!(sniff(&[0xC3, 0x28], true), None);
    }

    #[test]
    fn a_character_cut_by_the_sniffing_window_is_not_held_against_the_text() {
        let cut = &"茶".as_bytes()[..2];
        let mut head = b"Longjing ".to_vec();
        head.extend_from_slice(cut);
        assert_eq!(sniff(&head, false), Some("text/plain; charset=utf-8"));
        assert_eq!(sniff(&head, true), None);
    }
}
