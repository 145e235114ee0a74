//! Performance gates (`gatecheck perf`): what is measured, where it is kept, and how two
//! samples are compared. A producer stage: it writes nothing for people (the text and
//! Prometheus forms of a perf run live in `report`).
//!
//! [`run::run`] measures the configured targets ([`measure`], through the lean spawner of
//! [`spawner`] and [`process`]), compares them with a [`baseline`] ([`verdict`], [`stats`]),
//! and appends them to the [`history`]. [`gates`] is the producer of the performance gates,
//! and [`summary::latest_summary`] reads the newest figures back from a history file.

pub mod baseline;
pub mod context;
pub mod gates;
pub mod history;
pub mod import;
pub mod measure;
pub mod process;
pub mod run;
pub mod spawner;
pub mod stats;
pub mod summary;
pub mod tail;
mod trim;
pub mod verdict;
