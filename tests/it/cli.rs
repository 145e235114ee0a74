//! Tests: cli (being written).
