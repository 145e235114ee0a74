//! Splits a Rust use tree (`crate::a::{b, c::d as e, self}`) or a path in code
//! (`super::x::f(...)`) into the module paths it names. A small tokenizer and an explicit stack
//! of group prefixes: no recursion, however deeply the groups nest.

use super::{ImportPath, ImportText};

/// One token of a use tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
    Ident(&'a str),
    Separator,
    Open,
    Close,
    Comma,
    Glob,
    Other,
}

/// The paths named by `text`. In a use tree every leaf is a path (`self` names its group's
/// prefix, a glob `a::*` names `a`, aliases are dropped); a code path stops at the first token
/// that is not a segment or `::` (a call's `(`, generics' `<`, a struct literal's `{`).
pub(super) fn import_paths(text: &str, origin: ImportText) -> Vec<ImportPath> {
    let mut splitter = Splitter::default();
    let mut tokens = Tokens { rest: text };
    while let Some(token) = tokens.next() {
        let group = matches!(token, Token::Open | Token::Close | Token::Comma);
        if (origin == ImportText::CodePath && group) || !splitter.take(token) {
            break;
        }
    }
    splitter.emit();
    splitter.paths
}

#[derive(Default)]
struct Splitter {
    /// Prefixes of the open groups, innermost last.
    prefixes: Vec<Vec<String>>,
    /// Segments since the innermost group opened.
    current: Vec<String>,
    /// The next identifier is an alias (`as x`).
    alias: bool,
    paths: Vec<ImportPath>,
}

impl Splitter {
    /// Takes one token; `false` at a token that ends the path.
    fn take(&mut self, token: Token<'_>) -> bool {
        match token {
            Token::Ident(word) => self.word(word),
            Token::Separator => {}
            Token::Open => {
                let prefix = self.take_full();
                self.prefixes.push(prefix);
            }
            Token::Comma => self.emit(),
            Token::Close => {
                self.emit();
                self.prefixes.pop();
            }
            Token::Glob => {
                let prefix = self.take_full();
                self.push(prefix);
            }
            Token::Other => return false,
        }
        true
    }

    /// A segment, or `as` and the alias after it (dropped).
    fn word(&mut self, word: &str) {
        if word == "as" {
            self.alias = true;
        } else if self.alias {
            self.alias = false;
        } else {
            self.current.push(word.to_owned());
        }
    }

    /// The innermost prefix followed by the current segments, which are reset.
    fn take_full(&mut self) -> Vec<String> {
        let mut path = self.prefixes.last().cloned().unwrap_or_default();
        path.append(&mut self.current);
        path
    }

    /// Ends the current leaf.
    fn emit(&mut self) {
        if !self.current.is_empty() {
            let path = self.take_full();
            self.push(path);
        }
    }

    fn push(&mut self, mut segments: Vec<String>) {
        // `a::{self}` names `a`.
        if segments.len() > 1 && segments.last().is_some_and(|s| s == "self") {
            segments.pop();
        }
        if !segments.is_empty() {
            self.paths.push(ImportPath { level: 0, segments });
        }
    }
}

/// The tokens of a use tree, comments and white space skipped.
struct Tokens<'a> {
    rest: &'a str,
}

impl<'a> Tokens<'a> {
    fn next(&mut self) -> Option<Token<'a>> {
        self.skip_trivia();
        let c = self.rest.chars().next()?;
        if c.is_alphanumeric() || c == '_' {
            return Some(self.ident());
        }
        let (token, len) = punctuation(c, self.rest);
        self.rest = self.rest.get(len..).unwrap_or_default();
        Some(token)
    }

    fn ident(&mut self) -> Token<'a> {
        let end = self
            .rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#'))
            .unwrap_or(self.rest.len());
        let (word, rest) = self.rest.split_at(end);
        self.rest = rest;
        Token::Ident(word.strip_prefix("r#").unwrap_or(word))
    }

    fn skip_trivia(&mut self) {
        loop {
            self.rest = self.rest.trim_start();
            if self.rest.starts_with("//") {
                let end = self.rest.find('\n').unwrap_or(self.rest.len());
                self.rest = self.rest.get(end..).unwrap_or_default();
            } else if self.rest.starts_with("/*") {
                let end = self.rest.find("*/").map_or(self.rest.len(), |i| i + 2);
                self.rest = self.rest.get(end..).unwrap_or_default();
            } else {
                return;
            }
        }
    }
}

/// The punctuation token starting `rest` (whose first character is `c`) and its length.
fn punctuation(c: char, rest: &str) -> (Token<'static>, usize) {
    match c {
        ':' if rest.starts_with("::") => (Token::Separator, 2),
        '{' => (Token::Open, 1),
        '}' => (Token::Close, 1),
        ',' => (Token::Comma, 1),
        '*' => (Token::Glob, 1),
        _ => (Token::Other, c.len_utf8()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str, origin: ImportText) -> Vec<String> {
        import_paths(text, origin)
            .into_iter()
            .map(|p| p.segments.join("::"))
            .collect()
    }

    #[test]
    fn groups_nest_and_self_names_the_prefix() {
        assert_eq!(
            paths(
                "crate::a::{b, c::{d as e, self}, f::*, /* x */ g}",
                ImportText::Statement
            ),
            [
                "crate::a::b",
                "crate::a::c::d",
                "crate::a::c",
                "crate::a::f",
                "crate::a::g"
            ]
        );
        assert_eq!(paths("super::*", ImportText::Statement), ["super"]);
        assert_eq!(paths("::std::fmt", ImportText::Statement), ["std::fmt"]);
        assert_eq!(
            paths("self::r#type::X", ImportText::Statement),
            ["self::type::X"]
        );
    }

    #[test]
    fn code_paths_stop_at_the_first_other_token() {
        assert_eq!(
            paths("crate::a::f(x::y)", ImportText::CodePath),
            ["crate::a::f"]
        );
        assert_eq!(
            paths("super::super::T::<u8>", ImportText::CodePath),
            ["super::super::T"]
        );
        assert_eq!(paths("crate::S { a }", ImportText::CodePath), ["crate::S"]);
    }
}
