//! Reads the text of tree-sitter query files (`.scm`) into a syntax tree of patterns
//! ([`super::ast`]).
//!
//! Only the syntax is read here; kinds and fields are resolved against a grammar in
//! [`super::compile`]. The input is gatecheck's own embedded query files, so recursion over
//! the pattern nesting is bounded by what those files hold.

pub(crate) use super::ast::{
    Argument, Child, Kind, Pattern, Predicate, Quantifier, Test, TopPattern,
};
use super::error::{Error, ErrorKind};

/// Reads every top-level pattern of `text`.
pub(crate) fn parse(text: &str) -> Result<Vec<TopPattern>, Error> {
    let mut reader = Reader {
        text: text.as_bytes(),
        at: 0,
        predicates: Vec::new(),
    };
    let mut patterns = Vec::new();
    loop {
        reader.skip_blank();
        if reader.at >= reader.text.len() {
            return Ok(patterns);
        }
        let pattern = reader.top_pattern()?;
        patterns.push(TopPattern {
            pattern,
            predicates: std::mem::take(&mut reader.predicates),
        });
    }
}

struct Reader<'t> {
    text: &'t [u8],
    at: usize,
    /// Predicates met since the current top-level pattern began.
    predicates: Vec<Predicate>,
}

impl Reader<'_> {
    fn error<T>(&self, message: impl Into<String>) -> Result<T, Error> {
        Err(Error::at(self.text, self.at, ErrorKind::Syntax, message))
    }

    /// Refuses, at byte `at`, a construct that tree-sitter reads but the matcher does not run.
    fn unsupported<T>(&self, at: usize, message: impl Into<String>) -> Result<T, Error> {
        Err(Error::at(self.text, at, ErrorKind::Unsupported, message))
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.text.get(self.at + offset).copied()
    }

    /// Skips white space and `;` comments.
    fn skip_blank(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.at += 1;
            } else if b == b';' {
                while self.peek().is_some_and(|b| b != b'\n') {
                    self.at += 1;
                }
            } else {
                return;
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), Error> {
        self.skip_blank();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            self.error(format!("expected `{}`", byte as char))
        }
    }

    fn word(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'?' | b'!')
        }) {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.text[start..self.at]).into_owned()
    }

    fn identifier(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(is_identifier_byte) {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.text[start..self.at]).into_owned()
    }

    fn string(&mut self) -> Result<String, Error> {
        self.at += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            let byte = self.peek();
            self.at += 1;
            match byte {
                Some(b'"') => return Ok(String::from_utf8_lossy(&out).into_owned()),
                Some(b'\\') => {
                    let Some(escaped) = self.peek() else { break };
                    self.at += 1;
                    out.push(unescape(escaped));
                }
                Some(b) => out.push(b),
                None => break,
            }
        }
        self.error("unterminated string")
    }

    /// A top-level pattern: a pattern, or a parenthesised group of one pattern and predicates.
    fn top_pattern(&mut self) -> Result<Pattern, Error> {
        let is_group = self.peek() == Some(b'(')
            && matches!(self.peek_after_paren(), Some(b'(' | b'[' | b'"'));
        if !is_group {
            return self.pattern();
        }
        self.at += 1;
        let mut found = None;
        while !self.closes(b')', "unclosed `(`")? {
            if self.at_predicate() {
                self.predicate()?;
            } else if found.is_none() {
                found = Some(self.pattern()?);
            } else {
                return self.unsupported(
                    self.at,
                    "a top-level sequence of sibling patterns `((a) (b))` is not supported by \
                     gatecheck's matcher; match their parent instead: `(parent (a) (b))`",
                );
            }
        }
        let Some(mut pattern) = found else {
            return self.error("empty group");
        };
        self.suffix(&mut pattern)?;
        Ok(pattern)
    }

    /// Skips blanks; true (and consumed) when the next byte is `close`, an error at the end.
    fn closes(&mut self, close: u8, unclosed: &str) -> Result<bool, Error> {
        self.skip_blank();
        match self.peek() {
            None => self.error(unclosed),
            Some(b) if b == close => {
                self.at += 1;
                Ok(true)
            }
            Some(_) => Ok(false),
        }
    }

    /// Whether a predicate `(#...` starts here.
    fn at_predicate(&self) -> bool {
        self.peek() == Some(b'(') && self.peek_after_paren() == Some(b'#')
    }

    fn peek_after_paren(&self) -> Option<u8> {
        let mut i = self.at + 1;
        while self.text.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        self.text.get(i).copied()
    }

    /// `(#name? args...)`, kept for the enclosing top-level pattern.
    fn predicate(&mut self) -> Result<(), Error> {
        self.skip_blank();
        let at = self.at;
        self.expect(b'(')?;
        self.expect(b'#')?;
        let name = format!("#{}", self.word());
        let mut arguments = Vec::new();
        while !self.closes(b')', "unclosed predicate")? {
            arguments.push(self.argument()?);
        }
        self.predicates.push(Predicate {
            name,
            arguments,
            at,
        });
        Ok(())
    }

    /// One predicate argument: `@capture`, `"text"` or a bare word.
    fn argument(&mut self) -> Result<Argument, Error> {
        match self.peek() {
            Some(b'@') => {
                self.at += 1;
                Ok(Argument::Capture(self.word()))
            }
            Some(b'"') => Ok(Argument::Text(self.string()?)),
            _ => match self.word() {
                word if word.is_empty() => self.error("unexpected character in a predicate"),
                word => Ok(Argument::Text(word)),
            },
        }
    }

    /// One pattern with its quantifier and captures.
    fn pattern(&mut self) -> Result<Pattern, Error> {
        self.skip_blank();
        let at = self.at;
        let mut pattern = Pattern {
            test: self.test()?,
            captures: Vec::new(),
            quantifier: Quantifier::One,
            at,
        };
        self.suffix(&mut pattern)?;
        Ok(pattern)
    }

    /// The test of a pattern: a node, an alternation, a token or `_`.
    fn test(&mut self) -> Result<Test, Error> {
        let leaf = |kind| Test::Node {
            kind,
            children: Vec::new(),
        };
        match self.peek() {
            Some(b'(') => self.node(),
            Some(b'[') => self.alternation(),
            Some(b'"') => Ok(leaf(Kind::Anonymous(self.string()?))),
            Some(b'_') if !self.peek_at(1).is_some_and(is_identifier_byte) => {
                self.at += 1;
                Ok(leaf(Kind::Any))
            }
            _ => self.error("expected a pattern: `(`, `[`, `\"` or `_`"),
        }
    }

    /// Quantifiers and captures after a pattern.
    fn suffix(&mut self, pattern: &mut Pattern) -> Result<(), Error> {
        loop {
            self.skip_blank();
            let quantifier = match self.peek() {
                Some(b'*') => Quantifier::ZeroOrMore,
                Some(b'+') => Quantifier::OneOrMore,
                Some(b'?') => Quantifier::ZeroOrOne,
                Some(b'@') => {
                    self.at += 1;
                    pattern.captures.push(self.capture_name()?);
                    continue;
                }
                _ => return Ok(()),
            };
            if pattern.quantifier != Quantifier::One {
                return self.error("two quantifiers on one pattern");
            }
            pattern.quantifier = quantifier;
            self.at += 1;
        }
    }

    fn capture_name(&mut self) -> Result<String, Error> {
        match self.word() {
            name if name.is_empty() => self.error("empty capture name"),
            name => Ok(name),
        }
    }

    fn node(&mut self) -> Result<Test, Error> {
        let kind = self.node_kind()?;
        let mut children: Vec<Child> = Vec::new();
        while !self.closes(b')', "unclosed `(`")? {
            let anchor = match children.last() {
                Some(Child::Anchor(at)) => Some(*at),
                _ => None,
            };
            let child = self.child()?;
            if let Some(at) = anchor {
                self.after_anchor(at, child.as_ref())?;
            }
            children.extend(child);
        }
        Ok(Test::Node { kind, children })
    }

    /// The `(kind` that opens a node pattern; refuses a group, `MISSING` and a subtype test.
    fn node_kind(&mut self) -> Result<Kind, Error> {
        let open = self.at;
        self.at += 1; // `(`
        self.skip_blank();
        let kind = match self.identifier().as_str() {
            "" if matches!(self.peek(), Some(b'(' | b'[' | b'"' | b'_')) => {
                return self.unsupported(
                    open,
                    "a group of patterns `((a) (b))` inside a node is not supported by \
                     gatecheck's matcher; write the patterns as children of the node",
                );
            }
            "" => return self.error("expected a node kind after `(`"),
            "MISSING" => {
                return self.unsupported(
                    open,
                    "`(MISSING ...)` is not supported by gatecheck's matcher (syntax errors are \
                     counted from the tree, not by queries)",
                );
            }
            "_" => Kind::AnyNamed,
            name => Kind::Named(name.to_owned()),
        };
        if self.peek() == Some(b'/') {
            return self.unsupported(
                open,
                "a subtype test `(supertype/kind)` is not supported by gatecheck's matcher; \
                 write the concrete kind",
            );
        }
        Ok(kind)
    }

    /// Checks what follows an anchor `.` at byte `at`: a child pattern (or the `)`). A
    /// predicate there is refused: tree-sitter reads it and then ignores the anchor.
    fn after_anchor(&self, at: usize, next: Option<&Child>) -> Result<(), Error> {
        match next {
            Some(Child::Step { .. }) => Ok(()),
            Some(_) => Err(Error::at(
                self.text,
                at,
                ErrorKind::Syntax,
                "an anchor `.` must be followed by a child pattern or `)`",
            )),
            None => self.unsupported(
                at,
                "an anchor `.` before a predicate is not supported by gatecheck's matcher: \
                 tree-sitter ignores it; put the predicate before the anchor",
            ),
        }
    }

    /// One item inside a node pattern; `None` for a predicate (kept for the top pattern).
    fn child(&mut self) -> Result<Option<Child>, Error> {
        let next = self.peek().unwrap_or(b' ');
        let at = self.at;
        if next == b'.' || next == b'!' {
            self.at += 1;
            return Ok(Some(if next == b'.' {
                Child::Anchor(at)
            } else {
                Child::NegatedField {
                    name: self.identifier(),
                    at,
                }
            }));
        }
        if self.at_predicate() {
            self.predicate()?;
            return Ok(None);
        }
        let field = if next.is_ascii_alphabetic() {
            Some(self.field_name()?)
        } else {
            None
        };
        let pattern = self.pattern()?;
        Ok(Some(Child::Step { field, pattern, at }))
    }

    /// `name:` before a child pattern.
    fn field_name(&mut self) -> Result<String, Error> {
        let field = self.identifier();
        self.skip_blank();
        if self.peek() != Some(b':') {
            return self.error(format!("expected `:` after the field name `{field}`"));
        }
        self.at += 1;
        Ok(field)
    }

    fn alternation(&mut self) -> Result<Test, Error> {
        self.at += 1; // `[`
        let mut alternatives = Vec::new();
        while !self.closes(b']', "unclosed `[`")? {
            alternatives.push(self.pattern()?);
        }
        Ok(Test::Alternation(alternatives))
    }
}

fn is_identifier_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The byte an escape sequence `\x` stands for.
fn unescape(escaped: u8) -> u8 {
    match escaped {
        b'n' => b'\n',
        b't' => b'\t',
        b'r' => b'\r',
        b'0' => 0,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_alternations_anchors_quantifiers_and_predicates() {
        let text = r#"
            ; a comment
            ((case_clause) @a (#match? @a "^case\\s"))
            (block . (comment)* . (expression_statement (string) @doc))
            (x left: [(y) @c "&&" _] !body) @root @other
        "#;
        let patterns = parse(text).unwrap();
        assert_eq!(patterns.len(), 3);
        assert_eq!(text[..patterns[0].pattern.at].matches('\n').count(), 2);
        assert_eq!(patterns[0].pattern.captures, ["a"]);
        assert_eq!(patterns[0].predicates[0].name, "#match?");
        assert_eq!(
            patterns[0].predicates[0].arguments,
            [
                Argument::Capture("a".into()),
                Argument::Text("^case\\s".into())
            ]
        );
        let Test::Node { children, .. } = &patterns[1].pattern.test else {
            panic!("not a node")
        };
        assert!(matches!(children[0], Child::Anchor(_)));
        let Child::Step { pattern, .. } = &children[1] else {
            panic!("not a step")
        };
        assert_eq!(pattern.quantifier, Quantifier::ZeroOrMore);
        assert_eq!(patterns[2].pattern.captures, ["root", "other"]);
        let Test::Node { children, .. } = &patterns[2].pattern.test else {
            panic!("not a node")
        };
        let Child::Step { field, pattern, .. } = &children[0] else {
            panic!("not a step")
        };
        assert_eq!(field.as_deref(), Some("left"));
        let Test::Alternation(alternatives) = &pattern.test else {
            panic!("not an alternation")
        };
        assert_eq!(alternatives.len(), 3);
        assert!(matches!(children[1], Child::NegatedField { ref name, .. } if name == "body"));
    }

    #[test]
    fn reports_the_row_of_an_error() {
        let error = parse("(a)\n(b\n").unwrap_err();
        assert_eq!(error.row, 2);
        assert!(parse("((a) (b))").is_err());
    }
}
