//! Tests: fixtures (being written).
