//! Tests: reports (being written).
