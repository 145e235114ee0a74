//! The single integration-test binary (one link step, which matters on a 2-core CI).
//! Each module tests one topic and reads the fixtures of the same name under `fixtures/`.

#[macro_use]
mod external;

mod ci_formats;
mod cli;
mod coverage;
mod emitters;
mod fixtures;
mod fold;
mod gate_pipeline;
mod graph_analyses;
mod graph_cohesion;
mod graph_export;
mod graph_resolve;
mod graph_rules;
mod graph_support;
mod matcher;
mod matcher_fuzz;
mod perf_cli;
mod perf_config;
mod perf_history;
mod perf_http;
mod perf_import;
mod perf_run;
mod perf_stats;
mod perf_support;
mod project;
mod prometheus;
mod queries;
mod reports;
mod robustness;
mod serve;
