//! Criterion benches, one per pipeline stage, on the repository's own fixtures and sources
//! (real code of both languages, read once into memory): decode, parse, extract (one pass of
//! gatecheck's matcher, with tree-sitter's `QueryCursor` on the same queries as the baseline
//! it replaced), measure, and the whole `analyze` on the fixture tree.
//!
//! Run: `cargo bench --bench pipeline` (add `-- --quick` for a fast look). Whole-process
//! timings on a large corpus are in `benches/corpus.sh`; figures in docs/performance.md.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gatecheck::analyze::{self, Request};
use gatecheck::config::Config;
use gatecheck::extract::Extractor;
use gatecheck::lang::{self, LanguageSpec};
use gatecheck::parse::Parsers;
use gatecheck::{metrics, source};
use streaming_iterator::StreamingIterator;
use tree_sitter::{Query, QueryCursor};

const BUDGET: Duration = Duration::from_secs(10);

struct Sample {
    relative: PathBuf,
    language: &'static LanguageSpec,
    bytes: Vec<u8>,
    text: String,
}

/// Every Python and Rust file under `src/` and `fixtures/python`, `fixtures/rust`.
fn samples() -> Vec<Sample> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        "src",
        "fixtures/python",
        "fixtures/rust",
        "fixtures/projects",
    ] {
        for entry in ignore::WalkBuilder::new(root.join(dir)).build().flatten() {
            let path = entry.path();
            let (Some(language), Ok(bytes)) = (lang::for_path(path), std::fs::read(path)) else {
                continue;
            };
            let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let Ok(decoded) = source::decode(bytes.clone(), &relative) else {
                continue;
            };
            out.push(Sample {
                relative,
                language,
                bytes,
                text: decoded.text,
            });
        }
    }
    out
}

fn stages(c: &mut Criterion) {
    let samples = samples();
    let total: u64 = samples.iter().map(|s| s.bytes.len() as u64).sum();
    let Ok(mut parsers) = Parsers::new() else {
        return;
    };
    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Bytes(total));
    group.bench_function("decode", |b| {
        b.iter(|| {
            for s in &samples {
                black_box(source::decode(s.bytes.clone(), &s.relative).ok());
            }
        });
    });
    group.bench_function("parse", |b| {
        b.iter(|| {
            for s in &samples {
                black_box(parsers.parse(s.language, &s.text, &s.relative, BUDGET).ok());
            }
        });
    });
    let trees: Vec<_> = samples
        .iter()
        .filter_map(|s| parsers.parse(s.language, &s.text, &s.relative, BUDGET).ok())
        .collect();
    bench_extract_and_measure(&mut group, &samples, &trees);
    group.finish();
}

fn bench_extract_and_measure(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    samples: &[Sample],
    trees: &[tree_sitter::Tree],
) {
    let mut extractor = Extractor::default();
    group.bench_function("extract", |b| {
        b.iter(|| {
            for (s, tree) in samples.iter().zip(trees) {
                if let Ok(query) = s.language.query() {
                    black_box(extractor.extract(tree, &s.text, query));
                }
            }
        });
    });
    bench_query_cursor(group, samples, trees);
    let facts: Vec<_> = samples
        .iter()
        .zip(trees)
        .filter_map(|(s, tree)| Some(extractor.extract(tree, &s.text, s.language.query().ok()?)))
        .collect();
    group.bench_function("measure", |b| {
        b.iter(|| {
            for (s, f) in samples.iter().zip(&facts) {
                black_box(metrics::measure(f, &s.text, s.language.name_separator, "m"));
            }
        });
    });
}

/// The baseline for `extract`: tree-sitter's own query engine on the same queries, captures
/// only counted (what gatecheck ran before its matcher).
fn bench_query_cursor(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    samples: &[Sample],
    trees: &[tree_sitter::Tree],
) {
    let mut cursor = QueryCursor::new();
    let queries: Vec<(&str, Query)> = lang::LANGUAGES
        .iter()
        .filter_map(|l| Some((l.id, Query::new(&(l.grammar)(), &l.query_text()).ok()?)))
        .collect();
    group.bench_function("extract_tree_sitter_query_cursor", |b| {
        b.iter(|| {
            let mut captures = 0usize;
            for (s, tree) in samples.iter().zip(trees) {
                let query = queries.iter().find(|(id, _)| *id == s.language.id);
                if let Some((_, query)) = query {
                    let mut matches = cursor.matches(query, tree.root_node(), s.text.as_bytes());
                    while let Some(m) = matches.next() {
                        captures += m.captures().len();
                    }
                }
            }
            black_box(captures)
        });
    });
}

fn whole(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let config = Config::default();
    let paths = vec![root.clone()];
    let request = Request {
        paths: &paths,
        root: &root,
        config: &config,
        threads: 2,
    };
    c.bench_function("analyze/fixtures", |b| {
        b.iter(|| black_box(analyze::analyze(&request, &|_| {}).ok()));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(5));
    targets = stages, whole
}
criterion_main!(benches);
