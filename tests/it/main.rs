//! The single integration-test binary (one link step, which matters on a 2-core CI).
//! Each module tests one topic and reads the fixtures of the same name under `fixtures/`.

mod ci_formats;
mod cli;
mod coverage;
mod fixtures;
mod graph_resolve;
mod perf_history;
mod perf_stats;
mod project;
mod prometheus;
mod queries;
mod reports;
mod robustness;
mod serve;
