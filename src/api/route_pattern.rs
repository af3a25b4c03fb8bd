//! A route's path template (`/api/v1/gis/{id}`, `/feeds/gis/{id}.atom`, `/docs/{_:.*}`)
//! matched against a request's path segment by segment. Actix's `ResourceDef` answers
//! the same question with a regex per route; the route table asks it of every route
//! for every request, which was a visible share of a read's time (issue 9).

/// One `/`-separated piece of a template.
#[derive(Debug)]
enum Segment {
    /// Matched as it is.
    Literal(String),
    /// `prefix{name}suffix`: any non-empty text between the two, without a `/`.
    Parameter { prefix: String, suffix: String },
}

/// A template: its segments, and whether its last one (`{_:.*}`) takes the rest.
#[derive(Debug)]
pub struct PathPattern {
    segments: Vec<Segment>,
    /// `{name:.*}` ends the template: anything after the segments matches, `/` included.
    open_tail: bool,
}

impl PathPattern {
    /// Reads a template with at most one `{…}` per segment, the last of which may be the
    /// open tail `{name:.*}` (the only pattern routes here use).
    pub fn new(template: &str) -> Self {
        let mut pieces: Vec<&str> = template.split('/').collect();
        let open_tail = pieces
            .last()
            .is_some_and(|last| last.starts_with('{') && last.ends_with(":.*}"));
        if open_tail {
            pieces.pop();
        }
        let segments = pieces.into_iter().map(segment).collect();
        Self {
            segments,
            open_tail,
        }
    }

    pub fn is_match(&self, path: &str) -> bool {
        self.matches_segments(&path.split('/').collect::<Vec<_>>())
    }

    /// `is_match` of a path already split at each `/` (a table of routes splits the
    /// path once for all of them).
    pub fn matches_segments(&self, path: &[&str]) -> bool {
        let fits = if self.open_tail {
            path.len() > self.segments.len()
        } else {
            path.len() == self.segments.len()
        };
        fits && self
            .segments
            .iter()
            .zip(path)
            .all(|(expected, piece)| expected.matches(piece))
    }
}

impl Segment {
    fn matches(&self, piece: &str) -> bool {
        match self {
            Segment::Literal(text) => piece == text,
            Segment::Parameter { prefix, suffix } => {
                piece.len() > prefix.len() + suffix.len()
                    && piece.starts_with(prefix.as_str())
                    && piece.ends_with(suffix.as_str())
            }
        }
    }
}

fn segment(piece: &str) -> Segment {
    match (piece.find('{'), piece.rfind('}')) {
        (Some(open), Some(close)) if open < close => Segment::Parameter {
            prefix: piece[..open].to_string(),
            suffix: piece[close + 1..].to_string(),
        },
        _ => Segment::Literal(piece.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use actix_router::ResourceDef;

    use super::*;
    use crate::api::routes::{RouteTable, DOCS_PATH};

    /// Paths near each template: filled in, and broken in the ways a client gets wrong.
    fn paths_near(template: &str) -> Vec<String> {
        let filled = |value: &str| {
            template
                .split('/')
                .map(|piece| match (piece.find('{'), piece.rfind('}')) {
                    (Some(open), Some(close)) => {
                        format!("{}{value}{}", &piece[..open], &piece[close + 1..])
                    }
                    _ => piece.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/")
        };
        let one = filled("42");
        vec![
            one.clone(),
            filled("x"),
            filled("龙井"),
            filled(""),
            filled("a/b"),
            format!("{one}/"),
            format!("{one}/more"),
            format!("{one}x"),
            one.trim_end_matches(".atom").to_string(),
            one.replacen("/api", "/API", 1),
            one.rsplit_once('/')
                .map(|(head, _)| head.to_string())
                .unwrap_or_default(),
            template.to_string(),
            String::new(),
            "/".to_string(),
        ]
    }

    #[test]
    fn every_route_matches_as_actix_would_match_it() {
        let table = RouteTable::from_openapi();
        let templates: Vec<&str> = table.routes().iter().map(|r| &*r.path).collect();
        assert!(templates.contains(&DOCS_PATH) && templates.len() > 50);
        let mut compared = 0;
        for template in &templates {
            let ours = PathPattern::new(template);
            let actix = ResourceDef::new(*template);
            for other in &templates {
                for path in paths_near(other) {
                    assert_eq!(
                        ours.is_match(&path),
                        actix.is_match(&path),
                        "{template} against {path:?}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 40_000, "{compared}");
    }

    #[test]
    fn a_parameter_with_a_suffix_needs_text_before_it() {
        let atom = PathPattern::new("/feeds/gis/{id}.atom");
        assert!(atom.is_match("/feeds/gis/7.atom"));
        assert!(!atom.is_match("/feeds/gis/.atom"));
        assert!(!atom.is_match("/feeds/gis/7.xml"));
        let docs = PathPattern::new("/docs/{_:.*}");
        assert!(docs.is_match("/docs/"));
        assert!(docs.is_match("/docs/a/b.css"));
        assert!(!docs.is_match("/docs"));
    }
}
