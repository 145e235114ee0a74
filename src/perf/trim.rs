//! Keeping the performance history small: when a run is appended, only the newest records of
//! each key (target and measure) stay; the oldest lines are dropped and the others kept byte
//! for byte, unknown fields included. Knows nothing of the record format: the caller says
//! which key a line has.

use std::collections::HashMap;
use std::hash::Hash;

/// `contents` (a header line, then one record per line) without its oldest records of each
/// key, so that once records with `new` keys are appended at most `keep` of each remain.
/// `key_of` gives a line's key (`None`: not a record, left out).
pub(super) fn trimmed<K: Eq + Hash>(
    contents: &[u8],
    new: impl IntoIterator<Item = K>,
    keep: usize,
    key_of: impl Fn(&str) -> Option<K>,
) -> Vec<u8> {
    let text = String::from_utf8_lossy(contents);
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let records: Vec<&str> = lines.collect();
    // Room left for old records of each key once the new ones are in.
    let mut room: HashMap<K, usize> = HashMap::new();
    for key in new {
        let left = room.entry(key).or_insert(keep);
        *left = left.saturating_sub(1);
    }
    let mut kept: Vec<&str> = Vec::with_capacity(records.len());
    for line in records.iter().rev() {
        let Some(key) = key_of(line) else {
            continue;
        };
        let left = room.entry(key).or_insert(keep);
        if *left > 0 {
            *left -= 1;
            kept.push(line);
        }
    }
    let mut out = Vec::with_capacity(contents.len());
    for line in std::iter::once(header).chain(kept.into_iter().rev()) {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}
