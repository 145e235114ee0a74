//! The baseline for whole-process timings: walks, reads and parses the same files as
//! `gatecheck check`, with the same walker, decoder, parser and thread count, and measures
//! nothing. `gatecheck check` is judged by its time relative to this floor
//! (docs/performance.md).
//!
//! Usage: `parse_floor [--threads N] PATH...`

use std::path::PathBuf;

use gatecheck::config::Config;
use gatecheck::parse::Parsers;
use gatecheck::walk::{self, WalkSettings};
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
    let config = Config::default();
    let settings = WalkSettings {
        root: root.clone(),
        exclude_base: root,
        exclude: Vec::new(),
        threads,
    };
    let Ok(found) = walk::discover(&paths, &settings) else {
        std::process::exit(2);
    };
    let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() else {
        std::process::exit(2);
    };
    let parsed: usize = pool.install(|| {
        found
            .files
            .par_iter()
            .map_init(
                || Parsers::new().ok(),
                |parsers, file| {
                    let Ok(source) = gatecheck::source::read(
                        &file.path,
                        &file.relative,
                        config.limits.max_file_bytes,
                    ) else {
                        return 0;
                    };
                    let Some(parsers) = parsers.as_mut() else {
                        return 0;
                    };
                    let parsed = parsers.parse(
                        file.language,
                        &source.text,
                        &file.relative,
                        config.limits.parse_timeout,
                    );
                    usize::from(parsed.is_ok())
                },
            )
            .sum()
    });
    #[expect(clippy::print_stdout, reason = "the baseline's one line of output")]
    {
        println!("{parsed} files parsed");
    }
}
