//! Stage 2b: parses decoded text with tree-sitter within a time budget.
//!
//! The language's guard runs first (input that would crash the grammar is refused before it
//! reaches C code). A parse over budget is cancelled through tree-sitter's progress callback and
//! the parser is `reset()`, without which its next parse would resume the cancelled one.

use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Duration, Instant};

use tree_sitter::{ParseOptions, Parser, Tree};

use crate::diagnostic::{Diagnostic, Stage};
use crate::lang::{LANGUAGES, LanguageSpec, QueryError};

/// One parser per language, owned by one worker thread (a `Parser` is `Send` but not `Sync`).
pub struct Parsers {
    parsers: Vec<(&'static str, Parser)>,
}

impl std::fmt::Debug for Parsers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parsers").finish_non_exhaustive()
    }
}

impl Parsers {
    /// A parser for every registered language.
    ///
    /// # Errors
    /// [`QueryError::Grammar`] when a grammar's ABI does not fit the tree-sitter runtime.
    pub fn new() -> Result<Parsers, QueryError> {
        let mut parsers = Vec::with_capacity(LANGUAGES.len());
        for spec in LANGUAGES {
            let mut parser = Parser::new();
            parser
                .set_language(&(spec.grammar)())
                .map_err(|e| QueryError::Grammar {
                    language: spec.id,
                    message: e.to_string(),
                })?;
            parsers.push((spec.id, parser));
        }
        Ok(Parsers { parsers })
    }

    /// Parses `text` as `language`, giving up after `budget`.
    ///
    /// # Errors
    /// A [`Diagnostic`] when the guard refuses the text or the parse runs over budget.
    pub fn parse(
        &mut self,
        language: &LanguageSpec,
        text: &str,
        relative: &Path,
        budget: Duration,
    ) -> Result<Tree, Diagnostic> {
        (language.guard)(text).map_err(|why| Diagnostic::error(relative, Stage::Parse, why))?;
        let Some((_, parser)) = self.parsers.iter_mut().find(|(id, _)| *id == language.id) else {
            return Err(Diagnostic::error(
                relative,
                Stage::Parse,
                format!("no parser for language {}", language.id),
            ));
        };
        let started = Instant::now();
        let mut over_budget = |_: &tree_sitter::ParseState| {
            if started.elapsed() > budget {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let bytes = text.as_bytes();
        let tree = parser.parse_with_options(
            &mut |offset, _| bytes.get(offset..).unwrap_or_default(),
            None,
            Some(ParseOptions::new().progress_callback(&mut over_budget)),
        );
        tree.ok_or_else(|| {
            // A cancelled parse leaves state behind that the next parse would resume.
            parser.reset();
            Diagnostic::error(
                relative,
                Stage::Parse,
                format!(
                    "parsing took longer than {:.1} s and was stopped; skipped (raise \
                     `parse_timeout_seconds` in [limits] or add the file to `exclude`)",
                    budget.as_secs_f64()
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use super::Parsers;
    use crate::lang;

    #[test]
    fn a_cancelled_parse_leaves_the_parser_ready_for_the_next_file() {
        let python = lang::by_id("python").expect("python is registered");
        let mut parsers = Parsers::new().expect("grammars load");
        let big = "x = (1 +\n".repeat(50_000) + &")".repeat(50_000);
        let cancelled = parsers.parse(python, &big, Path::new("big.py"), Duration::ZERO);
        assert!(cancelled.unwrap_err().message.contains("longer than"));
        let tree = parsers
            .parse(
                python,
                "def f():\n    return 1\n",
                Path::new("ok.py"),
                Duration::from_secs(10),
            )
            .expect("the next parse succeeds");
        assert!(!tree.root_node().has_error());
        assert_eq!(
            tree.root_node()
                .to_sexp()
                .matches("function_definition")
                .count(),
            1
        );
    }
}
