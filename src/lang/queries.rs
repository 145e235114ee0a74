//! Compiles a language's query files into one program for gatecheck's matcher
//! ([`crate::query::Program`], which checks every kind and field against the grammar) and maps
//! its captures to the [`Capture`] vocabulary. Compiled once per language per process.
//!
//! tree-sitter's own `Query` is not compiled at run time: its analysis costs more than a
//! hundred milliseconds per language, and the matcher does not need it. The tests compile the
//! same text with it ([`QuerySet::text`]), so the files stay valid tree-sitter queries and the
//! matcher is checked against tree-sitter's `QueryCursor`.

use crate::query::Program;

use super::vocabulary::Capture;

/// One query file of a language: its file name (for error messages) and its text.
#[derive(Debug)]
pub struct QuerySource {
    /// File name under `queries/<language>/`, e.g. `complexity.scm`.
    pub file: &'static str,
    /// The query text, embedded with `include_str!`.
    pub text: &'static str,
}

/// What a language's queries are compiled from.
#[derive(Clone, Copy, Debug)]
pub struct QuerySet {
    /// Language identifier, for error messages.
    pub language: &'static str,
    /// The grammar the queries are written against.
    pub grammar: fn() -> tree_sitter::Language,
    /// The query files, in order.
    pub files: &'static [QuerySource],
}

impl QuerySet {
    /// Every query file of the set, one after the other: the text that is compiled.
    #[must_use]
    pub fn text(&self) -> String {
        self.files.iter().map(|q| format!("{}\n", q.text)).collect()
    }
}

/// A language's queries, compiled into one program so that a file is matched in one pass.
#[derive(Debug)]
pub struct CompiledQuery {
    /// The queries compiled for gatecheck's matcher, which extraction runs.
    pub program: Program,
    /// The capture names, by capture index.
    pub capture_names: Vec<String>,
    /// For each capture index of `program`, its role; `None` for helper captures (`@_x`).
    pub roles: Vec<Option<Capture>>,
}

/// A defect in one of gatecheck's own query files.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query does not compile against the grammar, or uses what the matcher does not
    /// support.
    #[error("queries/{language}/{file}:{row}: {message}")]
    Syntax {
        /// Language identifier.
        language: &'static str,
        /// Query file name.
        file: &'static str,
        /// 1-based row in that file.
        row: usize,
        /// What is wrong.
        message: String,
    },
    /// A capture outside the vocabulary.
    #[error(
        "queries/{language}/{file}:{row}: unknown capture `@{name}`; allowed: {allowed} \
         (helper captures start with `_`)"
    )]
    UnknownCapture {
        /// Language identifier.
        language: &'static str,
        /// Query file name.
        file: &'static str,
        /// 1-based row of the first use.
        row: usize,
        /// The capture name.
        name: String,
        /// The vocabulary, comma separated.
        allowed: String,
    },
    /// The grammar could not be loaded by this tree-sitter runtime (ABI mismatch).
    #[error("the {language} grammar cannot be loaded: {message}")]
    Grammar {
        /// Language identifier.
        language: &'static str,
        /// What tree-sitter said.
        message: String,
    },
}

impl CompiledQuery {
    /// Compiles every query file of `spec` into one query and validates its captures.
    ///
    /// # Errors
    /// [`QueryError`] naming the query file and position.
    pub fn compile(spec: QuerySet) -> Result<CompiledQuery, QueryError> {
        let combined = spec.text();
        let (program, capture_names) =
            Program::compile(&(spec.grammar)(), &combined).map_err(|e| {
                let (file, row) = locate(spec, e.row);
                QueryError::Syntax {
                    language: spec.language,
                    file,
                    row: row + 1,
                    message: e.message,
                }
            })?;
        let mut roles = Vec::with_capacity(capture_names.len());
        for name in &capture_names {
            if name.starts_with('_') {
                roles.push(None);
                continue;
            }
            match Capture::from_name(name) {
                Some(capture) => roles.push(Some(capture)),
                None => {
                    let row = combined
                        .lines()
                        .position(|l| l.contains(&format!("@{name}")))
                        .unwrap_or(0);
                    let (file, row) = locate(spec, row);
                    return Err(QueryError::UnknownCapture {
                        language: spec.language,
                        file,
                        row: row + 1,
                        name: name.clone(),
                        allowed: Capture::ALL
                            .iter()
                            .map(|(_, n)| format!("@{n}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            }
        }
        Ok(CompiledQuery {
            program,
            capture_names,
            roles,
        })
    }
}

/// Maps a 0-based row of the combined query text back to its file and row there.
fn locate(spec: QuerySet, mut row: usize) -> (&'static str, usize) {
    for q in spec.files {
        let lines = q.text.lines().count() + 1;
        if row < lines {
            return (q.file, row);
        }
        row -= lines;
    }
    ("?", row)
}
