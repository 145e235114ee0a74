//! The per-file cache of `gatecheck serve` (`analyze::analyze_cached`): on every fixture, a
//! cached analysis gives exactly what an uncached one gives, and an unchanged file is taken
//! from the cache, not parsed again.

use std::path::PathBuf;

use gatecheck::analysis::Analysis;
use gatecheck::analyze::{self, Request};
use gatecheck::config::Config;
use gatecheck::file_cache::{FileCache, RunStats};

use crate::project::repo;

fn run(cache: Option<&FileCache>) -> Analysis {
    let paths = [
        repo().join("fixtures/python"),
        repo().join("fixtures/rust"),
        repo().join("fixtures/broken"),
    ];
    let root = repo().join("fixtures");
    let config = Config::default();
    let request = Request {
        paths: &paths,
        root: &root,
        config: &config,
        threads: 2,
    };
    analyze::analyze_cached(&request, cache, &|_| {}).expect("the fixtures analyse")
}

/// What a report shows of each file and diagnostic.
fn results(analysis: &Analysis) -> Vec<(PathBuf, String)> {
    let files = analysis.files.iter().map(|f| {
        (
            f.path.clone(),
            format!("{} {:?} {:?}", f.language, f.metrics, f.directives),
        )
    });
    let diagnostics = analysis
        .diagnostics
        .iter()
        .map(|d| (d.path.clone(), format!("{:?}", d)));
    files.chain(diagnostics).collect()
}

#[test]
fn a_cached_analysis_equals_an_uncached_one_and_skips_unchanged_files() {
    let plain = run(None);
    let measured = plain.files.len();
    assert!(measured >= 20, "the fixtures have files: {measured}");
    let cache = FileCache::new();
    let first = run(Some(&cache));
    assert_eq!(
        cache.finish_run(),
        RunStats {
            hits: 0,
            misses: measured
        }
    );
    let second = run(Some(&cache));
    assert_eq!(
        cache.finish_run(),
        RunStats {
            hits: measured,
            misses: 0
        }
    );
    assert_eq!(cache.len(), measured);
    assert_eq!(results(&first), results(&plain));
    assert_eq!(results(&second), results(&plain));
}
