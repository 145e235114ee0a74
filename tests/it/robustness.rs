//! Tests: robustness (being written).
