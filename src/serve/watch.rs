//! How `gatecheck serve` notices a change: polling. The walk that an analysis does (same
//! excludes) is repeated without reading any file, and the paths, sizes and modification
//! times are compared, plus those of the configuration files. Polling needs no watch handles,
//! works on any file system (network mounts, containers' bind mounts) and costs one directory
//! walk per poll, which is small next to an analysis; a `notify`-based watcher would save that
//! walk but not the re-analysis itself, so it is not worth its platform differences here.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Instant, UNIX_EPOCH};

use super::settings::Options;
use crate::config::Config;
use crate::walk::{self, WalkSettings};

/// The tree an analysis read: what a poll walks again.
#[derive(Clone, Debug)]
pub(super) struct Watched {
    settings: WalkSettings,
}

impl Watched {
    /// The tree an analysis with `config` walks below `root`.
    pub(super) fn new(config: &Config, root: &Path) -> Watched {
        Watched {
            settings: config.walk_settings(root, 1),
        }
    }
}

/// Waits until the interval since `started` has passed or the tree differs from `before`;
/// false when told to stop.
pub(super) fn wait_for_change(
    options: &Options,
    walked: &Watched,
    before: u64,
    started: Instant,
    stop: &Receiver<()>,
) -> bool {
    loop {
        let until_interval = options.interval.saturating_sub(started.elapsed());
        let nap = options
            .poll
            .map_or(until_interval, |p| p.min(until_interval));
        match stop.recv_timeout(nap) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return false,
        }
        if started.elapsed() >= options.interval
            || (options.poll.is_some() && fingerprint(options, walked) != before)
        {
            return true;
        }
    }
}

/// A hash of the paths, sizes and modification times of the files an analysis would read,
/// and of the configuration files it may load.
pub(super) fn fingerprint(options: &Options, watched: &Watched) -> u64 {
    let settings = &watched.settings;
    let mut hasher = DefaultHasher::new();
    let files = walk::discover(std::slice::from_ref(&options.path), settings)
        .map(|d| d.files.into_iter().map(|f| f.path).collect::<Vec<_>>())
        .unwrap_or_default();
    let configs = ["gatecheck.toml", "pyproject.toml", "Cargo.toml"]
        .iter()
        .map(|name| settings.root.join(name))
        .chain(options.config.clone());
    for path in files.into_iter().chain(configs) {
        path.hash(&mut hasher);
        stamp(&path).hash(&mut hasher);
    }
    hasher.finish()
}

/// Size and modification time of `path` (zeros when it cannot be read).
fn stamp(path: &Path) -> (u64, u128) {
    std::fs::metadata(path).map_or((0, 0), |m| {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        (m.len(), modified)
    })
}
