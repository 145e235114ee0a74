//! Baselines: what the current samples of a target are compared with. The default is the last
//! N runs of the same target and measure on the same machine fingerprint; a named baseline is
//! saved with `gatecheck perf baseline save NAME` into `<history dir>/baselines/NAME.jsonl`
//! (the history format); a name with no such file is tried as a commit (prefix) of the
//! history.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::history::{History, HistoryError, Measure, Record};

/// What a record is compared by: its target and measure.
pub type Key = (String, Measure);

/// The key of `record`.
#[must_use]
pub fn key(record: &Record) -> Key {
    (record.target.clone(), record.measure)
}

/// Why a baseline cannot be used or saved.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The name cannot be a file name.
    #[error(
        "`{0}` is not a usable baseline name: use letters, digits, `.`, `_` and `-`, not \
         starting with `.`"
    )]
    BadName(String),
    /// Neither a saved baseline nor a commit of the history has that name.
    #[error(
        "no baseline `{name}`: {} does not exist and no run of a commit starting with \
         `{name}` on this machine is in the history; save one with `gatecheck perf baseline \
         save {name}`",
        path.display()
    )]
    NotFound {
        /// The name asked for.
        name: String,
        /// Where a saved baseline of that name would be.
        path: PathBuf,
    },
    /// There is nothing on this machine to save.
    #[error(
        "nothing to save as baseline `{0}`: the history has no run on this machine; run \
         `gatecheck perf run` first"
    )]
    Empty(String),
    /// The baseline file cannot be read or written.
    #[error(transparent)]
    History(#[from] HistoryError),
}

/// Baseline records for each key.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    /// For people: `last 5 runs on this machine`, `baseline v1`, `commit 1a2b3c`.
    pub description: String,
    by_key: BTreeMap<Key, Vec<Record>>,
}

impl Baseline {
    /// The last `runs` records of each key on `machine`, from `history` (oldest first).
    #[must_use]
    pub fn recent(history: &[Record], machine: &str, runs: usize) -> Baseline {
        let mut by_key: BTreeMap<Key, Vec<Record>> = BTreeMap::new();
        for record in history.iter().filter(|r| r.machine == machine) {
            by_key.entry(key(record)).or_default().push(record.clone());
        }
        for records in by_key.values_mut() {
            let surplus = records.len().saturating_sub(runs);
            records.drain(..surplus);
        }
        Baseline {
            description: format!("last {runs} runs on this machine"),
            by_key,
        }
    }

    /// The saved baseline `name` next to the history at `history_path`, or else the runs of
    /// the commit(s) starting with `name` on `machine`.
    ///
    /// # Errors
    /// [`BaselineError`] when the name is unusable, nothing has it, or the file is corrupt.
    pub fn named(
        history_path: &Path,
        history: &[Record],
        name: &str,
        machine: &str,
    ) -> Result<Baseline, BaselineError> {
        let path = path(history_path, name)?;
        if path.exists() {
            return Ok(Baseline::grouped(
                format!("baseline {name}"),
                History::load(&path)?,
            ));
        }
        let of_commit: Vec<Record> = history
            .iter()
            .filter(|r| r.machine == machine && name.len() >= 4)
            .filter(|r| r.commit.as_deref().is_some_and(|c| c.starts_with(name)))
            .cloned()
            .collect();
        if of_commit.is_empty() {
            return Err(BaselineError::NotFound {
                name: name.to_owned(),
                path,
            });
        }
        Ok(Baseline::grouped(format!("commit {name}"), of_commit))
    }

    fn grouped(description: String, records: Vec<Record>) -> Baseline {
        let mut by_key: BTreeMap<Key, Vec<Record>> = BTreeMap::new();
        for record in records {
            by_key.entry(key(&record)).or_default().push(record);
        }
        Baseline {
            description,
            by_key,
        }
    }

    /// The baseline records of `key` (one per run), oldest first.
    #[must_use]
    pub fn records(&self, key: &Key) -> &[Record] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// The pooled samples of `key`'s baseline records, and how many records they came from.
    #[must_use]
    pub fn samples(&self, key: &Key) -> Option<(Vec<f64>, usize)> {
        let records = self.by_key.get(key).filter(|r| !r.is_empty())?;
        let samples = records.iter().flat_map(|r| r.samples.iter().copied());
        Some((samples.collect(), records.len()))
    }
}

/// Where the saved baseline `name` of the history at `history_path` lives.
///
/// # Errors
/// [`BaselineError::BadName`] for a name that is not a plain file name.
pub fn path(history_path: &Path, name: &str) -> Result<PathBuf, BaselineError> {
    let usable = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !usable {
        return Err(BaselineError::BadName(name.to_owned()));
    }
    let dir = history_path.parent().unwrap_or(Path::new("."));
    Ok(dir.join("baselines").join(format!("{name}.jsonl")))
}

/// Saves the last `runs` records of each key on `machine` as baseline `name`; returns the
/// file and how many records it holds.
///
/// # Errors
/// [`BaselineError`] for a bad name, an empty history, or a write error.
pub fn save(
    history_path: &Path,
    history: &[Record],
    name: &str,
    machine: &str,
    runs: usize,
) -> Result<(PathBuf, usize), BaselineError> {
    let path = path(history_path, name)?;
    let recent = Baseline::recent(history, machine, runs);
    let records: Vec<Record> = recent.by_key.into_values().flatten().collect();
    if records.is_empty() {
        return Err(BaselineError::Empty(name.to_owned()));
    }
    History::replace(&path, &records)?;
    Ok((path, records.len()))
}

/// For each key on `machine`: its latest record, and the `runs` records of that key before it
/// (the default baseline of `gatecheck perf compare`).
#[must_use]
pub fn latest_and_before(
    history: &[Record],
    machine: &str,
    runs: usize,
) -> (Vec<Record>, Baseline) {
    let mut by_key: BTreeMap<Key, Vec<Record>> = BTreeMap::new();
    for record in history.iter().filter(|r| r.machine == machine) {
        by_key.entry(key(record)).or_default().push(record.clone());
    }
    let mut latest = Vec::new();
    for records in by_key.values_mut() {
        latest.extend(records.pop());
        let surplus = records.len().saturating_sub(runs);
        records.drain(..surplus);
    }
    let baseline = Baseline {
        description: format!("previous {runs} runs on this machine"),
        by_key,
    };
    (latest, baseline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_file_names() {
        let history = Path::new(".gatecheck/history.jsonl");
        assert_eq!(
            path(history, "v1.2_rc-1").ok(),
            Some(PathBuf::from(".gatecheck/baselines/v1.2_rc-1.jsonl"))
        );
        for bad in ["", ".hidden", "a/b", "../x", "a b"] {
            assert!(path(history, bad).is_err(), "{bad:?}");
        }
    }
}
