//! coverage.py's JSON report (`coverage json`): `files.<path>.executed_lines` and
//! `missing_lines` list the statements that ran and did not.

use serde::Deserialize;

use super::{Hits, mark};

#[derive(Deserialize)]
struct Report {
    files: std::collections::BTreeMap<String, File>,
}

#[derive(Deserialize)]
struct File {
    executed_lines: Vec<u64>,
    missing_lines: Vec<u64>,
}

/// Line hits of a coverage.py JSON report.
pub(super) fn parse(text: &str) -> Result<Hits, String> {
    let report: Report = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut hits = Hits::new();
    for (path, file) in &report.files {
        for line in &file.missing_lines {
            mark(&mut hits, path, *line, false);
        }
        for line in &file.executed_lines {
            mark(&mut hits, path, *line, true);
        }
        hits.entry(path.clone()).or_default();
    }
    Ok(hits)
}
