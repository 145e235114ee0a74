//! One worker of the per-file stages: for each file it is given, read, parse, extract and
//! measure (the tree is dropped before the next file), with one parser per language and one
//! extractor buffer kept across files. A panic is caught and becomes a diagnostic.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::analysis::FileAnalysis;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Stage};
use crate::extract::{Extractor, Facts};
use crate::facts::sweep as graph_facts;
use crate::file_cache::{FileCache, Measured};
use crate::metrics;
use crate::parse::Parsers;
use crate::registry;
use crate::source;
use crate::suppress::{self, Directive};
use crate::walk::SourceFile;

/// The thresholds that apply to a file (configuration, a sub-project's configuration, the
/// matching `[[overrides]]`).
pub(super) type Thresholds<'a> = dyn Fn(&SourceFile) -> registry::Thresholds + Sync + 'a;

/// What measuring one file gave: the file (unless it was skipped) and its diagnostics.
pub(super) struct Outcome {
    pub(super) file: Option<FileAnalysis>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Per-thread state: one parser per language and one extractor (with its buffer).
pub(super) struct Worker {
    parsers: Option<Parsers>,
    extractor: Extractor,
}

impl Worker {
    pub(super) fn new() -> Worker {
        Worker {
            parsers: Parsers::new().ok(),
            extractor: Extractor::default(),
        }
    }

    pub(super) fn run(
        &mut self,
        file: &SourceFile,
        config: &Config,
        thresholds: &Thresholds<'_>,
        cache: Option<&FileCache>,
    ) -> Outcome {
        let measured = catch_unwind(AssertUnwindSafe(|| {
            self.measure(file, config, thresholds, cache)
        }));
        match measured {
            Ok(Ok((analysis, diagnostics))) => Outcome {
                file: Some(analysis),
                diagnostics,
            },
            Ok(Err(diagnostic)) => Outcome {
                file: None,
                diagnostics: vec![diagnostic],
            },
            Err(_) => {
                // A panic is a gatecheck bug; the parser may hold a half-done parse.
                self.parsers = Parsers::new().ok();
                Outcome {
                    file: None,
                    diagnostics: vec![Diagnostic::error(
                        &file.relative,
                        Stage::Measure,
                        "internal error while measuring this file; it was skipped (please report it with the file)",
                    )],
                }
            }
        }
    }

    /// Parses the text and runs the queries; the tree is dropped on return.
    fn extract(
        &mut self,
        file: &SourceFile,
        text: &str,
        config: &Config,
    ) -> Result<Facts, Diagnostic> {
        let Some(parsers) = self.parsers.as_mut() else {
            return Err(Diagnostic::error(
                &file.relative,
                Stage::Parse,
                "no parser available",
            ));
        };
        let tree = parsers.parse(
            file.language,
            text,
            &file.relative,
            config.limits.parse_timeout,
        )?;
        let query = file
            .language
            .query()
            .map_err(|e| Diagnostic::error(&file.relative, Stage::Measure, e.to_string()))?;
        Ok(self.extractor.extract(&tree, text, query))
    }

    /// Parses, extracts and measures one file's text.
    fn measure_text(
        &mut self,
        file: &SourceFile,
        text: &str,
        config: &Config,
    ) -> Result<Measured, Diagnostic> {
        let facts = self.extract(file, text, config)?;
        // Names are local to the file here (`Class.method`); the module prefix needs the whole
        // tree and is added once every file is measured (`super::qualify`).
        let metrics = metrics::measure_with(
            &facts,
            text,
            file.language.name_separator,
            "",
            config.measure.nested_functions,
        );
        let graph = graph_facts::collect(&facts, text, file.language, "");
        let directives = facts
            .directives
            .iter()
            .filter_map(|(line, text)| suppress::parse(*line, text))
            .collect();
        Ok(Measured {
            metrics,
            directives,
            incomplete: facts.incomplete,
            graph,
        })
    }

    fn measure(
        &mut self,
        file: &SourceFile,
        config: &Config,
        thresholds: &Thresholds<'_>,
        cache: Option<&FileCache>,
    ) -> Result<(FileAnalysis, Vec<Diagnostic>), Diagnostic> {
        let source = source::read(&file.path, &file.relative, config.limits.max_file_bytes)?;
        let mut diagnostics = source.warnings;
        let text = source.text.as_str();
        // The cache keys on the text only, so it holds default-mode measurements only.
        let cache = cache.filter(|_| config.measure == Default::default());
        let measured = match cache {
            Some(cache) => {
                cache.get_or_measure(&file.path, text, || self.measure_text(file, text, config))?
            }
            None => self.measure_text(file, text, config)?,
        };
        if measured.incomplete {
            diagnostics.push(Diagnostic::warning(
                &file.relative,
                Stage::Measure,
                "the query matcher stopped early on this file (too many repeated or combined \
                 constructs for its step budget); some decision points may be missing (figures \
                 may be low)",
            ));
        }
        diagnostics.extend(unknown_gates(&file.relative, &measured.directives));
        Ok((
            FileAnalysis {
                path: file.relative.clone(),
                language: file.language.id,
                thresholds: thresholds(file),
                metrics: measured.metrics,
                directives: measured.directives,
                imports: measured.graph.imports,
                module_declarations: measured.graph.module_declarations,
                classes: measured.graph.classes,
            },
            diagnostics,
        ))
    }
}

/// A warning for each gate name in a `gatecheck: ignore[...]` directive that names no gate
/// (a typo would otherwise suppress nothing, silently), with the closest gate name. Names
/// that are no identifier (`ignore[...]` written in documentation) are not directives.
fn unknown_gates(path: &std::path::Path, directives: &[Directive]) -> Vec<Diagnostic> {
    let identifier = |g: &str| {
        g.starts_with(|c: char| c.is_ascii_lowercase())
            && g.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    directives
        .iter()
        .flat_map(|d| d.gates.iter().map(move |g| (d.line, g)))
        .filter(|(_, gate)| identifier(gate))
        .filter_map(|(line, gate)| {
            let problem = crate::config::known_gate(gate).err()?;
            Some(Diagnostic::warning(
                path,
                Stage::Config,
                format!("line {line}: this suppression suppresses nothing: {problem}"),
            ))
        })
        .collect()
}
