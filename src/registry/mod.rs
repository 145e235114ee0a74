//! The gate registry: one row per gate, the only place a gate is defined.
//!
//! Configuration keys, defaults, what each gate reads (and so which stage produces it), how it
//! compares and what it exports all come from [`GATES`]; config validation, `init`'s
//! template, evaluation and every report format iterate over it. Adding a gate is one row in
//! `table.rs` (and, for a new kind of measurement, one variant of [`Measure`] that the
//! compiler then asks every producer dispatch to handle).

mod defs;
mod table;

pub use defs::{
    ArchitectureGate, Bound, GateDef, HistogramMetric, LimitMetric, Measure, PerfGate, Section,
    Threshold, Thresholds,
};
pub use table::{GATES, architecture_gate, gate, perf_gate};
