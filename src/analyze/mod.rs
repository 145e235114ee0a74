//! The one function that knows the stage order: discover, then for each file in parallel
//! read, parse, extract and measure (the tree is dropped before the next file), then collect.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

mod worker;

use crate::analysis::Analysis;
use crate::config::Config;
use crate::file_cache::FileCache;
use crate::lang::{LANGUAGES, QueryError};
use crate::parse::Parsers;
use crate::walk::{self, SourceFile, WalkError, WalkSettings};
use worker::{Outcome, Worker};

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
/// problems with single files are [`Diagnostic`](crate::diagnostic::Diagnostic)s in the result instead.
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
    for &spec in LANGUAGES {
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
                let outcome = worker.run(file, request.config, settings, cache);
                progress(1);
                outcome
            })
            .collect()
    }))
}
