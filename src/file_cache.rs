//! A per-file result cache for repeated analyses of the same tree (`gatecheck serve`): the
//! measurements of a file are kept under its path and a hash of its decoded text, so a file
//! whose content did not change is not parsed again.
//!
//! What is cached depends only on the text and the path ([`FileMetrics`] is plain data; the
//! module name comes from the path), never on the configuration: thresholds are looked up on
//! every run, so editing gatecheck.toml needs no invalidation. The key is the text's length
//! plus a 64-bit SipHash with keys drawn at random per process; a false hit would need two
//! different texts of equal length to collide, which no one can aim for without the keys.
//! Entries of files that a run did not see are dropped by [`FileCache::finish_run`], so the
//! cache never holds more than one tree's worth of results.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::facts::GraphFacts;
use crate::metrics::FileMetrics;
use crate::suppress::Directive;

/// What measuring one file produced, apart from what depends on the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measured {
    /// The file's measurements.
    pub metrics: FileMetrics,
    /// Its `gatecheck:` directives.
    pub directives: Vec<Directive>,
    /// Whether the query matcher stopped early on this file (figures may be low).
    pub incomplete: bool,
    /// Its imports, module declarations and classes (for the module graph).
    pub graph: GraphFacts,
}

/// The identity of a file's content: length and hash of its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ContentKey {
    len: usize,
    hash: u64,
}

#[derive(Debug)]
struct Entry {
    key: ContentKey,
    measured: Measured,
    /// The run that last looked this entry up or stored it.
    run: u64,
}

#[derive(Debug, Default)]
struct Entries {
    by_path: HashMap<PathBuf, Entry>,
    run: u64,
}

/// Measurements by path and content; shared by the workers of an analysis.
#[derive(Debug, Default)]
pub struct FileCache {
    entries: Mutex<Entries>,
    hasher: RandomState,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// Lookups of one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Files whose content was unchanged, taken from the cache.
    pub hits: usize,
    /// Files parsed and measured (new or changed).
    pub misses: usize,
}

impl FileCache {
    /// An empty cache.
    #[must_use]
    pub fn new() -> FileCache {
        FileCache::default()
    }

    fn key(&self, text: &str) -> ContentKey {
        ContentKey {
            len: text.len(),
            hash: self.hasher.hash_one(text),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // The map stays consistent even if a holder panicked: each operation is one call.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The measurements of `path` when its `text` is the one cached, else `measure(text)`,
    /// which is then cached (an error is passed on and not cached).
    ///
    /// # Errors
    /// Whatever `measure` returns.
    pub fn get_or_measure<E>(
        &self,
        path: &Path,
        text: &str,
        measure: impl FnOnce() -> Result<Measured, E>,
    ) -> Result<Measured, E> {
        let key = self.key(text);
        {
            let mut entries = self.entries();
            let run = entries.run;
            if let Some(entry) = entries.by_path.get_mut(path).filter(|e| e.key == key) {
                entry.run = run;
                self.hits.fetch_add(1, Ordering::Relaxed);
                return Ok(entry.measured.clone());
            }
        }
        // Measured without the lock held, so the workers measure in parallel.
        let measured = measure()?;
        self.misses.fetch_add(1, Ordering::Relaxed);
        let mut entries = self.entries();
        let run = entries.run;
        let entry = Entry {
            key,
            measured: measured.clone(),
            run,
        };
        entries.by_path.insert(path.to_path_buf(), entry);
        Ok(measured)
    }

    /// Ends a run: drops the entries it did not look up (deleted or excluded files) and
    /// returns its hits and misses.
    pub fn finish_run(&self) -> RunStats {
        let mut entries = self.entries();
        let run = entries.run;
        entries.by_path.retain(|_, e| e.run == run);
        entries.run += 1;
        RunStats {
            hits: self.hits.swap(0, Ordering::Relaxed),
            misses: self.misses.swap(0, Ordering::Relaxed),
        }
    }

    /// Files cached.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries().by_path.len()
    }

    /// Whether nothing is cached.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(lines: usize) -> Measured {
        Measured {
            metrics: FileMetrics {
                lines,
                ..FileMetrics::default()
            },
            directives: Vec::new(),
            incomplete: false,
            graph: GraphFacts::default(),
        }
    }

    fn lookup(cache: &FileCache, path: &str, text: &str, lines: usize) -> (usize, bool) {
        let mut called = false;
        let got = cache
            .get_or_measure(Path::new(path), text, || {
                called = true;
                Ok::<_, ()>(measured(lines))
            })
            .unwrap();
        (got.metrics.lines, called)
    }

    #[test]
    fn measures_only_new_or_changed_text() {
        let cache = FileCache::new();
        assert_eq!(lookup(&cache, "a.py", "x = 1\n", 1), (1, true));
        assert_eq!(
            lookup(&cache, "b.py", "x = 1\n", 2),
            (2, true),
            "key has the path"
        );
        assert_eq!(cache.finish_run(), RunStats { hits: 0, misses: 2 });
        assert_eq!(
            lookup(&cache, "a.py", "x = 1\n", 9),
            (1, false),
            "unchanged: cached"
        );
        assert_eq!(
            lookup(&cache, "b.py", "x = 2\n", 3),
            (3, true),
            "changed: measured"
        );
        assert_eq!(cache.finish_run(), RunStats { hits: 1, misses: 1 });
        assert_eq!(lookup(&cache, "b.py", "x = 2\n", 9), (3, false));
    }

    #[test]
    fn errors_are_not_cached_and_unseen_files_are_dropped() {
        let cache = FileCache::new();
        let failed = cache.get_or_measure(Path::new("a.py"), "x", || Err::<Measured, _>("no"));
        assert_eq!(failed, Err("no"));
        assert!(cache.is_empty());
        lookup(&cache, "a.py", "x", 1);
        lookup(&cache, "b.py", "y", 1);
        cache.finish_run();
        lookup(&cache, "a.py", "x", 1);
        cache.finish_run();
        assert_eq!(cache.len(), 1, "b.py was not seen in the last run");
        assert_eq!(lookup(&cache, "b.py", "y", 5), (5, true));
    }
}
