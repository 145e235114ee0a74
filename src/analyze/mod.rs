//! The one function that knows the stage order: discover, then for each file in parallel
//! read, parse, extract and measure (the tree is dropped before the next file), then collect.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

mod worker;

use crate::analysis::{Analysis, FileAnalysis};
use crate::config::Config;
use crate::config::discover::Nested;
use crate::diagnostic::{Diagnostic, Stage};
use crate::file_cache::FileCache;
use crate::graph::resolve;
use crate::lang::{LANGUAGES, QueryError};
use crate::parse::Parsers;
use crate::walk::{self, SourceFile, WalkError};
use worker::{Outcome, Thresholds, Worker};

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
    /// A sub-project's configuration is invalid.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
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
    let root = crate::paths::normalize(&crate::paths::absolute(request.root));
    let settings = request.config.walk_settings(&root, request.threads);
    let discovery = walk::discover(request.paths, &settings)?;
    compile_queries(&discovery.files)?;
    let exclude_base = crate::paths::normalize(&crate::paths::absolute(&settings.exclude_base));
    let absolute: Vec<PathBuf> = discovery
        .files
        .iter()
        .map(|f| root.join(&f.relative))
        .collect();
    let nested = Nested::discover(&exclude_base, absolute.iter().map(PathBuf::as_path))?;
    let thresholds = |file: &SourceFile| {
        let absolute = root.join(&file.relative);
        match nested.for_file(&absolute) {
            Some((dir, gates, _)) => {
                gates.thresholds_for(&crate::paths::relative_to(&absolute, dir))
            }
            None => request
                .config
                .gates
                .thresholds_for(&crate::paths::relative_to(&absolute, &exclude_base)),
        }
    };
    let outcomes = measure_all(&discovery.files, request, &thresholds, cache, progress)?;
    let mut files = Vec::with_capacity(outcomes.len());
    let mut diagnostics = discovery.diagnostics;
    diagnostics.extend(empty_paths(request.paths, &discovery.files, &root));
    for outcome in outcomes {
        diagnostics.extend(outcome.diagnostics);
        files.extend(outcome.file);
    }
    diagnostics.sort();
    qualify(&mut files, &root, request.config);
    Ok(Analysis {
        root,
        files,
        diagnostics,
        ignored: discovery.ignored,
        duration: started.elapsed(),
    })
}

/// Prefixes every function's and class's local name with its module's name, named by the
/// same rules as the module graph's nodes (`graph::resolve::module_names`): one naming rule
/// per language, whatever the file's path looks like.
fn qualify(files: &mut [FileAnalysis], root: &Path, config: &Config) {
    let settings = crate::config::resolve_settings(config, root);
    let modules = resolve::module_names(files, root, &settings);
    for (file, module) in files.iter_mut().zip(modules) {
        let separator = crate::lang::by_id(file.language).map_or(".", |l| l.name_separator);
        for f in &mut file.metrics.functions {
            f.qualified_name = join(&module, separator, &f.qualified_name);
        }
        for c in &mut file.classes {
            c.qualified_name = join(&module, separator, &c.qualified_name);
        }
    }
}

fn join(module: &str, separator: &str, local: &str) -> String {
    match (module.is_empty(), local.is_empty()) {
        (true, _) => local.to_owned(),
        (_, true) => module.to_owned(),
        _ => format!("{module}{separator}{local}"),
    }
}

/// A warning for each path asked for that holds no file of a supported language (after the
/// excludes): every gate is then `not_measured` for it, and the report says why.
fn empty_paths(paths: &[PathBuf], files: &[SourceFile], root: &Path) -> Vec<Diagnostic> {
    let extensions: Vec<String> = LANGUAGES
        .iter()
        .flat_map(|l| l.extensions.iter().map(|e| format!(".{e}")))
        .collect();
    paths
        .iter()
        .filter(|path| {
            let absolute = crate::paths::normalize(&crate::paths::absolute(path));
            let relative = absolute.strip_prefix(root).unwrap_or(&absolute);
            !files.iter().any(|f| f.relative.starts_with(relative))
        })
        .map(|path| {
            Diagnostic::warning(
                crate::paths::relative_to_root(path, root),
                Stage::Walk,
                format!(
                    "no source file here ({} files, after excludes): nothing under this path \
                     was measured",
                    extensions.join(", ")
                ),
            )
        })
        .collect()
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
    thresholds: &Thresholds<'_>,
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
                let outcome = worker.run(file, request.config, thresholds, cache);
                progress(1);
                outcome
            })
            .collect()
    }))
}
