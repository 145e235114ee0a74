//! The performance history: one file per project (default [`DEFAULT_PATH`]) that every
//! measured run is appended to, and that regression verdicts read their baselines from.
//!
//! The file is JSON Lines. Its first line is a header naming the format and its version,
//! `{"format":"gatecheck-history","version":1}`; every other line is one [`Record`]. Fields are
//! only ever added to records, so an older gatecheck reads a newer record of the same version
//! (unknown fields are ignored and kept on disk byte for byte); a new `version` means an
//! incompatible change, which this gatecheck refuses to read or write.
//!
//! [`History::append`] is safe against concurrent writers and crashes: it holds an exclusive
//! lock on a sidecar file (`<path>.lock`) while it reads and fully validates the current file
//! and writes the old content plus the new records through [`crate::atomic_file`] (temporary
//! file in the same directory, fsync, rename). Two CI jobs at once lose nothing, and a process
//! killed at any moment leaves either the old file or the new one, never half a file. A corrupt
//! file or one of a newer version is reported and never overwritten.
//!
//! Readers ([`History::load`]) take no lock: the rename makes every state they can see whole.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic_file;
use crate::config::Config;

/// Where the history lives unless the configuration says otherwise, relative to the project.
pub const DEFAULT_PATH: &str = ".gatecheck/history.jsonl";

/// The history file of `config`: its `history` key (relative to the config file's directory)
/// or `.gatecheck/history.jsonl` in `dir`.
#[must_use]
pub fn path_for(config: &Config, dir: &Path) -> PathBuf {
    match &config.perf.history {
        Some(path) => dir.join(path),
        None => dir.join(DEFAULT_PATH),
    }
}

/// The `format` every history header names.
pub const FORMAT: &str = "gatecheck-history";

/// The newest history format version this gatecheck reads and writes.
pub const VERSION: u64 = 1;

/// What a record measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Wall time of a command from spawn to exit.
    Startup,
    /// Peak resident memory of a measured process tree.
    Memory,
    /// Latency of a request to a running server.
    Response,
    /// A benchmark imported from another tool (criterion, hyperfine).
    Bench,
}

/// One measured target in one run: every sample, and where and when it was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The target's name from the configuration (or the imported benchmark's id).
    pub target: String,
    /// What was measured.
    pub measure: Measure,
    /// When the run happened, in seconds since the Unix epoch.
    pub timestamp: u64,
    /// The commit that was measured, when known.
    #[serde(default)]
    pub commit: Option<String>,
    /// The branch that was measured, when known.
    #[serde(default)]
    pub branch: Option<String>,
    /// A fingerprint of the machine: samples are only compared within one machine.
    pub machine: String,
    /// The unit of every sample (for example `s`, `bytes`, `ns`).
    pub unit: String,
    /// Every sample, in the order they were taken; all finite.
    pub samples: Vec<f64>,
    /// Requests that failed, for a response target (absent for other measures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<u64>,
}

impl Measure {
    /// Its name, as the history writes it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Measure::Startup => "startup",
            Measure::Memory => "memory",
            Measure::Response => "response",
            Measure::Bench => "bench",
        }
    }
}

/// The first line of a history file.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u64,
}

/// Why the history could not be read or written. Every variant names the history file.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The file exists but cannot be read.
    #[error("{}: cannot read the performance history: {source}", path.display())]
    Read {
        /// The history file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The history (or its directory) cannot be written; the old file is left as it was.
    #[error(
        "{}: cannot write the performance history; the previous history is unchanged",
        path.display()
    )]
    Write {
        /// The history file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The sidecar lock file cannot be created or locked.
    #[error(
        "{}: cannot lock the performance history through {}; check that its directory is \
         writable",
        path.display(),
        lock.display()
    )]
    Lock {
        /// The history file.
        path: PathBuf,
        /// The lock file next to it.
        lock: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The file is not a valid history: it is left byte-identical.
    #[error(
        "{}:{line}: the performance history is corrupt: {reason}; it was left untouched: fix \
         or delete that line, or move the file away to start a new history",
        path.display()
    )]
    Corrupt {
        /// The history file.
        path: PathBuf,
        /// The 1-based line that is wrong.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The file was written by a newer gatecheck: it is left byte-identical.
    #[error(
        "{}: the performance history has format version {found}, but this gatecheck supports \
         up to version {supported}; it was left untouched: upgrade gatecheck, or use another \
         history file",
        path.display()
    )]
    NewerVersion {
        /// The history file.
        path: PathBuf,
        /// The version in the file's header.
        found: u64,
        /// The newest version this gatecheck knows ([`VERSION`]).
        supported: u64,
    },
    /// A record to append has a sample that JSON cannot hold (NaN or infinite); nothing was
    /// written.
    #[error(
        "{}: not appending to the performance history: target `{target}` has a sample that is \
         not a finite number ({value}); nothing was written",
        path.display()
    )]
    NonFiniteSample {
        /// The history file.
        path: PathBuf,
        /// The record's target.
        target: String,
        /// The offending sample.
        value: f64,
    },
    /// A record cannot be encoded as JSON; nothing was written.
    #[error("{}: cannot encode a history record; nothing was written", path.display())]
    Encode {
        /// The history file.
        path: PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
}

/// Reads and appends to a history file.
#[derive(Debug, Clone, Copy)]
pub struct History;

impl History {
    /// Every record in the history at `path`, oldest first. A missing or empty file is an
    /// empty history.
    ///
    /// # Errors
    /// [`HistoryError::Read`] when the file cannot be read, [`HistoryError::Corrupt`] or
    /// [`HistoryError::NewerVersion`] when it is not a history this gatecheck can read.
    pub fn load(path: &Path) -> Result<Vec<Record>, HistoryError> {
        match read_existing(path)? {
            Some(bytes) => parse(path, &bytes),
            None => Ok(Vec::new()),
        }
    }

    /// Appends `records` to the history at `path`, creating the file (and its directory) when
    /// it is missing, and keeps at most `keep` records of each target and measure (the oldest
    /// go; their lines are dropped, the others kept byte for byte). Holds an exclusive lock on `<path>.lock` (left in place, empty) for the
    /// whole read-validate-write, and replaces the file atomically, so concurrent appends
    /// all land and a crash leaves the previous file.
    ///
    /// # Errors
    /// [`HistoryError::Corrupt`] or [`HistoryError::NewerVersion`] when the current file is
    /// not a valid history (it is left byte-identical); [`HistoryError::NonFiniteSample`] for
    /// a NaN or infinite sample; I/O errors as [`HistoryError::Read`], [`HistoryError::Write`]
    /// or [`HistoryError::Lock`]. On any error the file is unchanged.
    pub fn append(path: &Path, records: &[Record], keep: usize) -> Result<(), HistoryError> {
        let tail = encode_records(path, records)?;
        ensure_parent_dir(path)?;
        let _lock = lock(path)?;
        let key = |r: &Record| (r.target.clone(), r.measure);
        let key_of_line = |line: &str| serde_json::from_str::<Record>(line).ok().map(|r| key(&r));
        let new_keys = records.iter().map(key);
        let mut contents =
            super::trim::trimmed(&validated_contents(path)?, new_keys, keep, key_of_line);
        contents.extend_from_slice(&tail);
        atomic_file::write_durable(path, &contents).map_err(|source| HistoryError::Write {
            path: path.to_path_buf(),
            source,
        })
        // `_lock` is dropped here, after the rename: the next writer reads the new file.
    }

    /// Writes a new history holding just `records` at `path` (a named baseline), replacing
    /// any file there atomically under the same lock as [`History::append`].
    ///
    /// # Errors
    /// As [`History::append`], except that the current file is not read.
    pub fn replace(path: &Path, records: &[Record]) -> Result<(), HistoryError> {
        let mut contents = encode_header(path)?;
        contents.extend(encode_records(path, records)?);
        ensure_parent_dir(path)?;
        let _lock = lock(path)?;
        atomic_file::write_durable(path, &contents).map_err(|source| HistoryError::Write {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// The current file's bytes, checked to be a valid history and ending in a newline, or just
/// the header when the file is missing or empty.
fn validated_contents(path: &Path) -> Result<Vec<u8>, HistoryError> {
    let mut contents = match read_existing(path)? {
        Some(bytes) if !bytes.is_empty() => {
            parse(path, &bytes)?;
            bytes
        }
        _ => encode_header(path)?,
    };
    if contents.last().is_some_and(|&b| b != b'\n') {
        contents.push(b'\n');
    }
    Ok(contents)
}

/// The file's bytes, or `None` when it does not exist.
fn read_existing(path: &Path) -> Result<Option<Vec<u8>>, HistoryError> {
    match crate::bounded::read(path, MAX_HISTORY_BYTES) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(crate::bounded::ReadError::Io { source, .. }) => Err(HistoryError::Read {
            path: path.to_path_buf(),
            source,
        }),
        Err(other) => Err(HistoryError::Read {
            path: path.to_path_buf(),
            source: io::Error::other(format!(
                "{other} (a history is a regular file; `history_runs` in [performance] keeps \
                 it small)"
            )),
        }),
    }
}

/// The largest history read: far more than `history_runs` records of every target need.
const MAX_HISTORY_BYTES: u64 = 256 * 1024 * 1024;

/// Parses a whole history file: header first, then one record per non-blank line.
fn parse(path: &Path, bytes: &[u8]) -> Result<Vec<Record>, HistoryError> {
    let corrupt = |line: usize, reason: String| HistoryError::Corrupt {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes.iter().take(e.valid_up_to()).filter(|&&b| b == b'\n');
        corrupt(line.count() + 1, "the file is not valid UTF-8".to_owned())
    })?;
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    match lines.next() {
        Some((_, header)) => check_header(path, header)?,
        None => return Ok(Vec::new()),
    }
    lines
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| corrupt(n, format!("bad record: {e}"))))
        .collect()
}

/// Checks the first line: the right format, and a version this gatecheck reads.
fn check_header(path: &Path, line: &str) -> Result<(), HistoryError> {
    let corrupt = |reason: String| HistoryError::Corrupt {
        path: path.to_path_buf(),
        line: 1,
        reason,
    };
    let expected = format!(r#"expected the header {{"format":"{FORMAT}","version":{VERSION}}}"#);
    let header: Header = serde_json::from_str(line)
        .map_err(|e| corrupt(format!("{expected}, found a line that is not one ({e})")))?;
    if header.format != FORMAT {
        return Err(corrupt(format!(
            "{expected}, found format `{}`",
            header.format
        )));
    }
    if header.version > VERSION {
        return Err(HistoryError::NewerVersion {
            path: path.to_path_buf(),
            found: header.version,
            supported: VERSION,
        });
    }
    if header.version == 0 {
        return Err(corrupt(format!("{expected}, found version 0")));
    }
    Ok(())
}

/// The header line of a new file, newline included.
fn encode_header(path: &Path) -> Result<Vec<u8>, HistoryError> {
    let header = Header {
        format: FORMAT.to_owned(),
        version: VERSION,
    };
    let mut bytes = serde_json::to_vec(&header).map_err(|source| HistoryError::Encode {
        path: path.to_path_buf(),
        source,
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// `records` as JSON lines, each newline-terminated; every sample must be finite.
fn encode_records(path: &Path, records: &[Record]) -> Result<Vec<u8>, HistoryError> {
    let mut out = Vec::new();
    for record in records {
        if let Some(&value) = record.samples.iter().find(|v| !v.is_finite()) {
            return Err(HistoryError::NonFiniteSample {
                path: path.to_path_buf(),
                target: record.target.clone(),
                value,
            });
        }
        serde_json::to_writer(&mut out, record).map_err(|source| HistoryError::Encode {
            path: path.to_path_buf(),
            source,
        })?;
        out.push(b'\n');
    }
    Ok(out)
}

/// Creates the history's directory when it is missing.
fn ensure_parent_dir(path: &Path) -> Result<(), HistoryError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| HistoryError::Write {
                path: path.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// `<path>.lock`, the sidecar file whose lock serialises writers.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Opens (creating it if needed) and exclusively locks the sidecar lock file, waiting for any
/// other writer; the lock is released when the returned file is dropped or the process dies.
fn lock(path: &Path) -> Result<File, HistoryError> {
    let lock = lock_path(path);
    let fail = |source| HistoryError::Lock {
        path: path.to_path_buf(),
        lock: lock.clone(),
        source,
    };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .map_err(fail)?;
    file.lock().map_err(fail)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(target: &str, samples: Vec<f64>) -> Record {
        Record {
            target: target.to_owned(),
            measure: Measure::Startup,
            timestamp: 1_700_000_000,
            commit: Some("abc123".to_owned()),
            branch: None,
            machine: "m1".to_owned(),
            unit: "s".to_owned(),
            samples,
            errors: None,
        }
    }

    #[test]
    fn header_is_the_documented_line() {
        let header = encode_header(Path::new("h")).unwrap();
        assert_eq!(
            header,
            b"{\"format\":\"gatecheck-history\",\"version\":1}\n"
        );
    }

    #[test]
    fn lock_path_is_a_sidecar() {
        assert_eq!(
            lock_path(Path::new(".gatecheck/history.jsonl")),
            Path::new(".gatecheck/history.jsonl.lock")
        );
    }

    #[test]
    fn unknown_fields_are_read_and_absent_options_default() {
        let text = "{\"format\":\"gatecheck-history\",\"version\":1,\"extra\":true}\n\
            {\"target\":\"cli\",\"measure\":\"memory\",\"timestamp\":5,\"machine\":\"m\",\
            \"unit\":\"bytes\",\"samples\":[1.0],\"future\":{\"a\":1}}\n\n";
        let records = parse(Path::new("h"), text.as_bytes()).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].measure, Measure::Memory);
        assert_eq!(records[0].commit, None);
    }

    #[test]
    fn non_finite_samples_are_refused() {
        let err = encode_records(Path::new("h"), &[record("x", vec![1.0, f64::NAN])]);
        assert!(matches!(err, Err(HistoryError::NonFiniteSample { .. })));
    }

    #[test]
    fn version_zero_and_invalid_utf8_are_corrupt() {
        let zero = parse(
            Path::new("h"),
            b"{\"format\":\"gatecheck-history\",\"version\":0}\n",
        );
        assert!(matches!(zero, Err(HistoryError::Corrupt { line: 1, .. })));
        let bad = parse(
            Path::new("h"),
            b"{\"format\":\"gatecheck-history\",\"version\":1}\n\xff\n",
        );
        assert!(matches!(bad, Err(HistoryError::Corrupt { line: 2, .. })));
    }
}
