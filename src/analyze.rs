//! The one function that knows the stage order: discover, then for each file in parallel
//! read, parse, extract and measure (the tree is dropped before the next file), then collect.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::analysis::{Analysis, FileAnalysis};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Stage};
use crate::extract::{Extractor, Facts};
use crate::facts as graph_facts;
use crate::file_cache::{FileCache, Measured};
use crate::lang::{LANGUAGES, QueryError};
use crate::metrics;
use crate::parse::Parsers;
use crate::paths;
use crate::source;
use crate::suppress;
use crate::walk::{self, SourceFile, WalkError, WalkSettings};

/// What to analyse and how.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// Files and directories to analyse.
    pub paths: &'a [PathBuf],
    /// The root that report paths are relative to.
    pub root: &'a Path,
    /// The configuration.
    pub config: &'a Config,
    /// Worker threads (0: one per core).
    pub threads: usize,
}

/// Errors that stop an analysis before any file is measured.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    /// The walk could not start.
    #[error(transparent)]
    Walk(#[from] WalkError),
    /// One of gatecheck's own queries or grammars is broken.
    #[error("internal error in gatecheck's language support: {0}")]
    Query(#[from] QueryError),
    /// The worker pool could not start.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Requested threads.
        threads: usize,
        /// Why it failed.
        message: String,
    },
}

/// Analyses `request.paths`; `progress` is called once per file measured.
///
/// # Errors
/// [`AnalyzeError`] when the walk cannot start or gatecheck's own language support is broken;
/// problems with single files are [`Diagnostic`]s in the result instead.
pub fn analyze(
    request: &Request<'_>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Analysis, AnalyzeError> {
    analyze_cached(request, None, progress)
}

/// Like [`analyze`], but takes the measurements of files whose text is unchanged from `cache`
/// and stores those of the others there (for repeated runs over one tree).
///
/// # Errors
/// As [`analyze`].
pub fn analyze_cached(
    request: &Request<'_>,
    cache: Option<&FileCache>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Analysis, AnalyzeError> {
    let started = Instant::now();
    drop(Parsers::new()?);
    let settings = WalkSettings {
        root: request.root.to_path_buf(),
        exclude_base: request
            .config
            .base_dir()
            .map_or_else(|| request.root.to_path_buf(), Path::to_path_buf),
        exclude: request.config.exclude.clone(),
        threads: request.threads,
    };
    let discovery = walk::discover(request.paths, &settings)?;
    compile_queries(&discovery.files)?;
    let outcomes = measure_all(&discovery.files, request, &settings, cache, progress)?;
    let mut files = Vec::with_capacity(outcomes.len());
    let mut diagnostics = discovery.diagnostics;
    for outcome in outcomes {
        diagnostics.extend(outcome.diagnostics);
        files.extend(outcome.file);
    }
    diagnostics.sort();
    Ok(Analysis {
        root: request.root.to_path_buf(),
        files,
        diagnostics,
        duration: started.elapsed(),
    })
}

/// Compiles the queries of the languages present (a broken built-in query stops the run once,
/// instead of failing every file).
fn compile_queries(files: &[SourceFile]) -> Result<(), QueryError> {
    for spec in LANGUAGES {
        if files.iter().any(|f| std::ptr::eq(f.language, spec)) {
            spec.query().map_err(|e| QueryError::Grammar {
                language: spec.id,
                message: e.to_string(),
            })?;
        }
    }
    Ok(())
}

/// Measures every file on a pool of `request.threads` workers, in path order.
fn measure_all(
    files: &[SourceFile],
    request: &Request<'_>,
    settings: &WalkSettings,
    cache: Option<&FileCache>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Outcome>, AnalyzeError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(request.threads)
        .build()
        .map_err(|e| AnalyzeError::Threads {
            threads: request.threads,
            message: e.to_string(),
        })?;
    Ok(pool.install(|| {
        files
            .par_iter()
            .map_init(Worker::new, |worker, file| {
                let outcome = worker.run(file, request, settings, cache);
                progress(1);
                outcome
            })
            .collect()
    }))
}

struct Outcome {
    file: Option<FileAnalysis>,
    diagnostics: Vec<Diagnostic>,
}

/// Per-thread state: one parser per language and one extractor (with its buffer).
struct Worker {
    parsers: Option<Parsers>,
    extractor: Extractor,
}

impl Worker {
    fn new() -> Worker {
        Worker {
            parsers: Parsers::new().ok(),
            extractor: Extractor::default(),
        }
    }

    fn run(
        &mut self,
        file: &SourceFile,
        request: &Request<'_>,
        settings: &WalkSettings,
        cache: Option<&FileCache>,
    ) -> Outcome {
        let measured = catch_unwind(AssertUnwindSafe(|| {
            self.measure(file, request.config, settings, cache)
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
        let module = file.language.module_name(&file.relative);
        let metrics = metrics::measure(&facts, text, file.language.name_separator, &module);
        let graph = graph_facts::collect(&facts, text, file.language, &module);
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
        settings: &WalkSettings,
        cache: Option<&FileCache>,
    ) -> Result<(FileAnalysis, Vec<Diagnostic>), Diagnostic> {
        let source = source::read(&file.path, &file.relative, config.limits.max_file_bytes)?;
        let mut diagnostics = source.warnings;
        let text = source.text.as_str();
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
        let config_relative =
            paths::relative_to(&paths::absolute(&file.path), &settings.exclude_base);
        Ok((
            FileAnalysis {
                path: file.relative.clone(),
                language: file.language.id,
                thresholds: config.thresholds_for(&config_relative),
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
