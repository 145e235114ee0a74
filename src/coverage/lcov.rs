//! LCOV tracefiles: `SF:<file>` opens a record, `DA:<line>,<hits>[,<checksum>]` gives a line,
//! `end_of_record` closes it. Other record types (functions, branches) are not line coverage.

use super::{Hits, mark};

/// Line hits of an LCOV tracefile.
pub(super) fn parse(text: &str) -> Result<Hits, String> {
    let mut hits = Hits::new();
    let mut file: Option<&str> = None;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(path) = line.strip_prefix("SF:") {
            file = Some(path);
        } else if line == "end_of_record" {
            file = None;
        } else if let Some(data) = line.strip_prefix("DA:") {
            let current =
                file.ok_or_else(|| format!("line {}: DA outside an SF record", index + 1))?;
            let (number, count) = line_data(data).ok_or_else(|| {
                format!(
                    "line {}: expected DA:<line>,<hits>, found {line:?}",
                    index + 1
                )
            })?;
            mark(&mut hits, current, number, count > 0.0);
        }
    }
    Ok(hits)
}

/// `<line>,<hits>[,<checksum>]`; hits may be written as a float by some generators.
fn line_data(data: &str) -> Option<(u64, f64)> {
    let mut parts = data.split(',');
    let number = parts.next()?.trim().parse().ok()?;
    let count: f64 = parts.next()?.trim().parse().ok()?;
    count.is_finite().then_some((number, count))
}
