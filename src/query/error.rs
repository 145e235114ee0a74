//! The one error of the query module: why query text could not be compiled, with the place
//! in the text and a message that says what to write instead.
//!
//! Reading ([`super::syntax`]) and resolving ([`super::compile`]) both produce it, at the
//! byte where the fault is, so nothing is copied from one error type into another. The module
//! does not know file names: the caller adds that context (`src/lang/queries.rs` maps the row
//! of the combined text back to `queries/<language>/<file>:<row>`).

/// What kind of fault an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not a well-formed query (an unclosed `(`, a stray character...).
    Syntax,
    /// A node kind or field the grammar does not have, or a capture the pattern does not
    /// define.
    Unknown,
    /// A predicate with arguments of the wrong shape, or a regular expression that does not
    /// compile.
    Predicate,
    /// Valid tree-sitter query syntax that gatecheck's matcher does not run. It is refused
    /// rather than approximated; the message names what is supported.
    Unsupported,
}

/// Why query text could not be compiled.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}:{}: {message}", .row + 1, .column + 1)]
#[non_exhaustive]
pub struct Error {
    /// What kind of fault it is.
    pub kind: ErrorKind,
    /// The 0-based row of the fault in the query text.
    pub row: usize,
    /// The 0-based column of the fault, in bytes from the start of its row.
    pub column: usize,
    /// What is wrong, without the position.
    pub message: String,
}

impl Error {
    /// An error at byte `offset` of `text`.
    pub(crate) fn at(
        text: &[u8],
        offset: usize,
        kind: ErrorKind,
        message: impl Into<String>,
    ) -> Error {
        let before = text.get(..offset).unwrap_or(text);
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        Error {
            kind,
            row: before.iter().filter(|&&b| b == b'\n').count(),
            column: before.len() - line_start,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_the_offset_by_row_and_column() {
        let error = Error::at(b"(a)\n  (b", 6, ErrorKind::Syntax, "unclosed `(`");
        assert_eq!((error.row, error.column), (1, 2));
        assert_eq!(error.to_string(), "2:3: unclosed `(`");
        let past_the_end = Error::at(b"ab", 9, ErrorKind::Syntax, "x");
        assert_eq!((past_the_end.row, past_the_end.column), (0, 2));
    }
}
