//! Line classification: every physical line is exactly one of blank, comment or code.
//!
//! A line is blank when it holds only white space; a comment line when every non-blank
//! character on it lies inside a comment or docstring; a code line otherwise (a line with code
//! and a trailing comment is code). As tokei counts, with docstrings as comments.

/// What one physical line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Only white space.
    Blank,
    /// Only comments or docstrings.
    Comment,
    /// Anything else.
    Code,
}

/// The kind of every physical line of `text`, given the byte ranges of its comments and
/// docstrings sorted by start.
#[must_use]
pub fn classify(text: &str, comments: &[(usize, usize)]) -> Vec<LineKind> {
    let mut kinds = Vec::new();
    let mut next = 0; // first comment range that may still cover a later byte
    let mut offset = 0;
    for line in physical_lines(text) {
        let mut kind = LineKind::Blank;
        for (i, byte) in line.bytes().enumerate() {
            if byte.is_ascii_whitespace() || byte == b'\x0c' {
                continue;
            }
            let at = offset + i;
            while comments.get(next).is_some_and(|&(_, end)| end <= at) {
                next += 1;
            }
            if comments.get(next).is_some_and(|&(start, _)| start <= at) {
                kind = LineKind::Comment;
            } else {
                kind = LineKind::Code;
                break;
            }
        }
        kinds.push(kind);
        offset += line.len() + 1;
    }
    kinds
}

/// The physical lines of `text`: split at `\n`; a final line break does not start a new line.
pub fn physical_lines(text: &str) -> impl Iterator<Item = &str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let empty = text.is_empty();
    body.split('\n').filter(move |_| !empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_like_an_editor() {
        let count = |t: &str| physical_lines(t).count();
        assert_eq!(count(""), 0);
        assert_eq!(count("a"), 1);
        assert_eq!(count("a\n"), 1);
        assert_eq!(count("a\n\n"), 2);
        assert_eq!(count("a\r\nb\r\n"), 2);
    }

    #[test]
    fn a_line_with_code_and_comment_is_code() {
        let text = "x = 1  # c\n# only\n\n";
        let kinds = classify(text, &[(7, 10), (11, 17)]);
        assert_eq!(
            kinds,
            vec![LineKind::Code, LineKind::Comment, LineKind::Blank]
        );
    }
}
