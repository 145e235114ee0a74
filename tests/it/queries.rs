//! Tests: queries (being written).
