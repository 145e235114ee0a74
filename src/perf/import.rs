//! Imports of other tools' benchmark results into the history (measure `bench`, unit `s`):
//! criterion's `<dir>/**/new/{sample,estimates,benchmark}.json` and hyperfine's
//! `--export-json` file. Rust and Python projects thus keep one performance record, compared
//! with the same statistics.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::context::Context;
use super::history::{Measure, Record};

/// Why results cannot be imported. Each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file or directory cannot be read.
    #[error("{}: cannot be read", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A file is not what the tool writes.
    #[error("{}: not a {tool} result file: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// The tool whose format was expected.
        tool: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Nothing to import was found.
    #[error("{}: no {what} found; {hint}", path.display())]
    Empty {
        /// Where it was looked for.
        path: PathBuf,
        /// What was looked for.
        what: &'static str,
        /// What to do.
        hint: &'static str,
    },
}

/// criterion's `sample.json`: per sample, the iterations and their total time in ns.
#[derive(Deserialize)]
struct CriterionSample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// criterion's `benchmark.json`: the benchmark's id.
#[derive(Deserialize)]
struct CriterionBenchmark {
    full_id: String,
}

/// criterion's `estimates.json` (only the median is read).
#[derive(Deserialize)]
struct CriterionEstimates {
    median: CriterionEstimate,
}

#[derive(Deserialize)]
struct CriterionEstimate {
    point_estimate: f64,
}

/// hyperfine's `--export-json` file.
#[derive(Deserialize)]
struct HyperfineExport {
    results: Vec<HyperfineResult>,
}

#[derive(Deserialize)]
struct HyperfineResult {
    command: String,
    times: Option<Vec<f64>>,
    mean: f64,
}

/// One record per benchmark under criterion's output directory `dir`: the per-iteration times
/// of every sample of `new/sample.json` (or, without it, the median of
/// `new/estimates.json`), in seconds, named by `new/benchmark.json`'s `full_id`.
///
/// # Errors
/// [`ImportError`] when a file cannot be read or parsed, or no benchmark is found.
pub fn criterion(dir: &Path, context: &Context) -> Result<Vec<Record>, ImportError> {
    let mut records = Vec::new();
    for new in new_dirs(dir)? {
        let name = match read_json::<CriterionBenchmark>(&new.join("benchmark.json"), "criterion") {
            Ok(b) => b.full_id,
            Err(_) => bench_name(dir, &new),
        };
        let samples = criterion_samples(&new)?;
        records.push(record(context, name, samples));
    }
    if records.is_empty() {
        return Err(ImportError::Empty {
            path: dir.to_path_buf(),
            what: "criterion results (**/new/sample.json)",
            hint: "run `cargo bench` first and give its target/criterion directory",
        });
    }
    records.sort_by(|a, b| a.target.cmp(&b.target));
    Ok(records)
}

fn criterion_samples(new: &Path) -> Result<Vec<f64>, ImportError> {
    let sample_path = new.join("sample.json");
    if !sample_path.exists() {
        let estimates: CriterionEstimates = read_json(&new.join("estimates.json"), "criterion")?;
        return Ok(vec![estimates.median.point_estimate * 1e-9]);
    }
    let sample: CriterionSample = read_json(&sample_path, "criterion")?;
    if sample.iters.len() != sample.times.len() || sample.iters.is_empty() {
        return Err(ImportError::Format {
            path: sample_path,
            tool: "criterion",
            message: "`iters` and `times` must be non-empty lists of one length".to_owned(),
        });
    }
    Ok(sample
        .times
        .iter()
        .zip(&sample.iters)
        .filter(|(t, i)| **i > 0.0 && t.is_finite())
        .map(|(t, i)| t / i * 1e-9)
        .collect())
}

/// The benchmark's directory relative to `root`, as its name when benchmark.json is missing.
fn bench_name(root: &Path, new: &Path) -> String {
    let bench = new.parent().unwrap_or(new);
    crate::paths::to_slash(bench.strip_prefix(root).unwrap_or(bench))
}

/// Every directory called `new` under `dir` that holds a sample.json or estimates.json,
/// found without recursion.
fn new_dirs(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current).map_err(|source| ImportError::Read {
            path: current.clone(),
            source,
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let is_new = path.file_name().is_some_and(|n| n == "new");
            if is_new && (path.join("sample.json").exists() || path.join("estimates.json").exists())
            {
                found.push(path);
            } else if path.file_name().is_none_or(|n| n != "report") {
                pending.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// One record per command of hyperfine's `--export-json` file: its `times` in seconds (or its
/// `mean` when it has none).
///
/// # Errors
/// [`ImportError`] when the file cannot be read or is not hyperfine's format.
pub fn hyperfine(file: &Path, context: &Context) -> Result<Vec<Record>, ImportError> {
    let export: HyperfineExport = read_json(file, "hyperfine")?;
    if export.results.is_empty() {
        return Err(ImportError::Empty {
            path: file.to_path_buf(),
            what: "results",
            hint: "run hyperfine with --export-json FILE",
        });
    }
    Ok(export
        .results
        .into_iter()
        .map(|r| {
            let samples = r.times.unwrap_or_else(|| vec![r.mean]);
            let samples = samples.into_iter().filter(|t| t.is_finite()).collect();
            record(context, r.command, samples)
        })
        .collect())
}

fn record(context: &Context, target: String, samples: Vec<f64>) -> Record {
    Record {
        target,
        measure: Measure::Bench,
        timestamp: context.timestamp,
        commit: context.commit.clone(),
        branch: context.branch.clone(),
        machine: context.machine.clone(),
        unit: "s".to_owned(),
        samples,
        errors: None,
    }
}

fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    tool: &'static str,
) -> Result<T, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|e| ImportError::Format {
        path: path.to_path_buf(),
        tool,
        message: e.to_string(),
    })
}
