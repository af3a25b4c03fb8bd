//! A one-page PDF of a product specification, generated for the demonstration (the
//! register's documents are real files; the demo's specification is written here rather
//! than shipped). Plain PDF 1.4 with the standard Helvetica font, so Latin text only.

use std::fmt::Write;

/// The PDF bytes of a page headed `title` with these paragraphs.
pub fn specification_pdf(title: &str, paragraphs: &[(&str, &str)]) -> Vec<u8> {
    let mut content = String::from("BT\n/F2 16 Tf\n56 780 Td\n18 TL\n");
    let _ = writeln!(content, "({}) Tj", escape(title));
    content.push_str("/F1 10 Tf\n14 TL\nT*\n");
    for (heading, text) in paragraphs {
        let _ = writeln!(
            content,
            "T*\n/F2 11 Tf\n({}) Tj\n/F1 10 Tf",
            escape(heading)
        );
        for line in wrap(text, 95) {
            let _ = writeln!(content, "T*\n({}) Tj", escape(&line));
        }
    }
    content.push_str("ET\n");

    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        let _ = write!(pdf, "{} 0 obj\n{object}\nendobj\n", i + 1);
    }
    let xref = pdf.len();
    let _ = write!(pdf, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(pdf, "{offset:010} 00000 n ");
    }
    let _ = write!(
        pdf,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    pdf.into_bytes()
}

/// Text for a PDF string: backslashes and parentheses escaped, anything outside
/// printable ASCII replaced (the standard fonts have no CJK or Thai glyphs).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            '–' | '—' => out.push('-'),
            _ => out.push('?'),
        }
    }
    out
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().map(|l| l.len()).unwrap_or_default();
        if line > 0 && line + 1 + word.len() > width {
            lines.push(String::new());
        }
        if let Some(last) = lines.last_mut() {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::content_sniffing;

    #[test]
    fn the_pdf_is_a_pdf_with_a_consistent_cross_reference_table() {
        let pdf = specification_pdf(
            "Longjing Tea (Longjing cha) - product specification",
            &[("Product", "Flat (pan-fired) green tea \\ leaves")],
        );
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        let text = String::from_utf8(pdf.clone()).unwrap();
        assert!(text.contains("(Flat \\(pan-fired\\) green tea \\\\ leaves) Tj"));
        // Every offset in the table points at its object.
        let xref = text.find("xref\n").unwrap();
        for (i, line) in text[xref..].lines().skip(3).take(6).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "{line}"
            );
        }
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(start, xref);
        assert_eq!(content_sniffing::sniff(&pdf, true), Some("application/pdf"));
    }

    #[test]
    fn long_text_wraps_and_foreign_letters_are_replaced() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(escape("龙井茶 Longjing"), "??? Longjing");
    }
}
