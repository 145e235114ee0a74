//! The baseline for whole-process timings: walks, reads and parses the same files as
//! `gatecheck check`, with the same walker, decoder, parser and thread count, and measures
//! nothing. `gatecheck check` is judged by its time relative to this floor
//! (docs/performance.md).
//!
//! Usage: `parse_floor [--threads N] PATH...`

use std::path::PathBuf;

use gatecheck::config::Limits;
use gatecheck::parse::Parsers;
use gatecheck::walk::{self, SourceFile};
use rayon::prelude::*;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut threads = 0;
    if let Some(i) = args.iter().position(|a| a == "--threads") {
        threads = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(0);
        args.drain(i..(i + 2).min(args.len()));
    }
    let paths: Vec<PathBuf> = args.into_iter().map(PathBuf::from).collect();
    let root = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    // The same walk as `gatecheck check` with no configuration (default excludes included).
    let settings = gatecheck::config::Config::default().walk_settings(&root, threads);
    let (Ok(found), Ok(pool)) = (
        walk::discover(&paths, &settings),
        rayon::ThreadPoolBuilder::new().num_threads(threads).build(),
    ) else {
        std::process::exit(2);
    };
    let parsed: usize = pool.install(|| {
        found
            .files
            .par_iter()
            .map_init(
                || Parsers::new().ok(),
                |parsers, file| usize::from(parse_one(parsers.as_mut(), file)),
            )
            .sum()
    });
    #[expect(clippy::print_stdout, reason = "the baseline's one line of output")]
    {
        println!("{parsed} files parsed");
    }
}

/// Reads, decodes and parses one file exactly as `gatecheck check` does; the tree is dropped.
fn parse_one(parsers: Option<&mut Parsers>, file: &SourceFile) -> bool {
    let limits = Limits::default();
    let (Some(parsers), Ok(source)) = (
        parsers,
        gatecheck::source::read(&file.path, &file.relative, limits.max_file_bytes),
    ) else {
        return false;
    };
    parsers
        .parse(
            file.language,
            &source.text,
            &file.relative,
            limits.parse_timeout,
        )
        .is_ok()
}
