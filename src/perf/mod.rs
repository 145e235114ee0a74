//! Performance gates (`gatecheck perf`, issue 6): what is measured, where it is kept, and how
//! two samples are compared.

pub mod history;
pub mod stats;
