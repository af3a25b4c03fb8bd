//! The `Range` header of a download (RFC 9110 §14): one byte range of a file of known
//! length. Several ranges, or a unit other than bytes, are answered with the whole file,
//! as the RFC allows.

use crate::error::AppError;

/// The bytes to send, `start..=end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteRange {
    pub start: i64,
    pub end: i64,
}

impl ByteRange {
    /// How many bytes the range holds (never none: `requested` refuses empty ranges).
    pub fn byte_count(&self) -> i64 {
        self.end - self.start + 1
    }
}

/// The range a `Range` header asks of a file of `length` bytes: `None` for the whole
/// file, 416 for a range that lies outside it.
pub fn requested(header: Option<&str>, length: i64) -> Result<Option<ByteRange>, AppError> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let number = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let outside = AppError::RangeNotSatisfiable { length };
    let range = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let Some(suffix) = number(suffix) else {
                return Ok(None);
            };
            if suffix == 0 || length == 0 {
                return Err(outside);
            }
            ByteRange {
                start: (length - suffix).max(0),
                end: length - 1,
            }
        }
        (first, last) => {
            let Some(start) = number(first) else {
                return Ok(None);
            };
            let end = match last {
                "" => length - 1,
                last => match number(last) {
                    Some(end) if end >= start => end.min(length - 1),
                    _ => return Ok(None),
                },
            };
            if start >= length {
                return Err(outside);
            }
            ByteRange { start, end }
        }
    };
    Ok(Some(range))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(header: &str, length: i64) -> Option<(i64, i64)> {
        requested(Some(header), length)
            .unwrap()
            .map(|r| (r.start, r.end))
    }

    #[test]
    fn one_range_in_each_form() {
        assert_eq!(range("bytes=0-99", 1000), Some((0, 99)));
        assert_eq!(range("bytes=900-", 1000), Some((900, 999)));
        assert_eq!(range("bytes=-100", 1000), Some((900, 999)));
        assert_eq!(range("bytes=990-2000", 1000), Some((990, 999)));
        assert_eq!(range("bytes=-5000", 1000), Some((0, 999)));
        assert_eq!(range("bytes=999-999", 1000), Some((999, 999)));
    }

    #[test]
    fn what_is_not_one_byte_range_gets_the_whole_file() {
        assert_eq!(range("bytes=0-1,5-9", 1000), None);
        assert_eq!(range("items=0-1", 1000), None);
        assert_eq!(range("bytes=9-3", 1000), None);
        assert_eq!(range("bytes=a-b", 1000), None);
        assert_eq!(range("bytes=+1-2", 1000), None);
        assert_eq!(requested(None, 1000).unwrap(), None);
    }

    #[test]
    fn a_range_past_the_end_is_416() {
        for header in ["bytes=1000-", "bytes=1000-1001", "bytes=-0"] {
            let err = requested(Some(header), 1000).unwrap_err();
            assert!(
                matches!(err, AppError::RangeNotSatisfiable { length: 1000 }),
                "{header}"
            );
        }
    }
}
