//! gatecheck: fast quality gates for Python and Rust codebases.
//!
//! The pipeline flows one way; each stage is a module with one entry verb:
//!
//! ```text
//! walk::discover -> source::read -> parse (Parsers::parse) -> extract::extract
//!     -> metrics::measure + facts::sweep::collect          (per file, analyze/)
//!     -> graph::resolve + graph::architecture              (whole tree)
//!     -> producers -> gates::evaluate -> report::emit       (judge)
//! ```
//!
//! The layers are a `[[architecture.layers]]` rule in the repository's `gatecheck.toml`, which
//! gatecheck checks on itself (docs/architecture.md).
//!
//! [`analyze::analyze`] runs the per-file stages in parallel (rayon, one parser per worker) and
//! is the one place that knows their order. Language knowledge lives in `queries/<lang>/*.scm`
//! and [`lang`]; nothing under [`metrics`] names a language or a node kind.

pub mod analysis;
pub mod analyze;
pub mod atomic_file;
pub mod bounded;
pub mod config;
pub mod coverage;
pub mod diagnostic;
pub mod extract;
pub mod facts;
pub mod file_cache;
pub mod gates;
pub mod graph;
pub mod judge;
pub mod lang;
pub mod metrics;
pub mod parse;
pub mod paths;
pub mod perf;
pub mod push;
pub mod query;
pub mod registry;
pub mod report;
pub mod serve;
pub mod source;
pub mod stderr;
pub mod suppress;
pub mod walk;
