//! Line classification: every physical line is exactly one of blank, comment or code.
//!
//! A line is blank when it holds only white space; a comment line when everything on it is
//! comment or docstring; a code line otherwise (a line with code and a trailing comment is
//! code). As tokei counts, with docstrings as comments.

/// What one physical line holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineKind {
    /// Only white space.
    #[default]
    Blank,
    /// Only comments or docstrings.
    Comment,
    /// Anything else.
    Code,
}

/// Marks made while walking the tree, one entry per physical line.
#[derive(Debug)]
pub struct LineMarks {
    has_code: Vec<bool>,
    has_comment: Vec<bool>,
}

impl LineMarks {
    /// Marks for `lines` lines.
    #[must_use]
    pub fn new(lines: usize) -> Self {
        LineMarks {
            has_code: vec![false; lines],
            has_comment: vec![false; lines],
        }
    }

    /// Rows `first..=last` (0-based) hold code.
    pub fn code(&mut self, first: usize, last: usize) {
        mark(&mut self.has_code, first, last);
    }

    /// Rows `first..=last` (0-based) hold comment text.
    pub fn comment(&mut self, first: usize, last: usize) {
        mark(&mut self.has_comment, first, last);
    }

    /// The kind of every line of `text`.
    #[must_use]
    pub fn classify(&self, text: &str) -> Vec<LineKind> {
        physical_lines(text)
            .enumerate()
            .map(|(row, line)| {
                if line.trim().is_empty() {
                    LineKind::Blank
                } else if self.has_comment.get(row).copied().unwrap_or(false)
                    && !self.has_code.get(row).copied().unwrap_or(false)
                {
                    LineKind::Comment
                } else {
                    LineKind::Code
                }
            })
            .collect()
    }
}

fn mark(rows: &mut [bool], first: usize, last: usize) {
    let end = last.min(rows.len().saturating_sub(1));
    for row in rows.get_mut(first..=end).into_iter().flatten() {
        *row = true;
    }
}

/// The physical lines of `text`: split at `\n`; a final line break does not start a new line.
pub fn physical_lines(text: &str) -> impl Iterator<Item = &str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let empty = text.is_empty();
    body.split('\n').filter(move |_| !empty)
}

/// How many physical lines `text` has.
#[must_use]
pub fn count(text: &str) -> usize {
    physical_lines(text).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_like_an_editor() {
        assert_eq!(count(""), 0);
        assert_eq!(count("a"), 1);
        assert_eq!(count("a\n"), 1);
        assert_eq!(count("a\n\n"), 2);
        assert_eq!(count("a\r\nb\r\n"), 2);
    }

    #[test]
    fn a_line_with_code_and_comment_is_code() {
        let mut marks = LineMarks::new(3);
        marks.code(0, 0);
        marks.comment(0, 1);
        let kinds = marks.classify("x = 1  # c\n# only\n\n");
        assert_eq!(kinds, vec![LineKind::Code, LineKind::Comment, LineKind::Blank]);
    }
}
