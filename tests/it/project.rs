//! Where the repository and its fixture projects are, for the tests that run the binary on them.

use std::path::PathBuf;

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/projects/small`: the mini repository with known violations.
pub(crate) fn small_project() -> PathBuf {
    repo().join("fixtures/projects/small")
}
