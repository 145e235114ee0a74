//! Tests: robustness. Every hostile input of issue 3 point 10 is run through the real binary,
//! and each test asserts that
//!
//! - the process exits normally (0 or 1; never a signal, never a hang, never 2 for a bad file),
//! - standard output is one valid JSON report (`--format json`),
//! - the input has a diagnostic naming its path with a clear message, or — for input that is
//!   valid source (BOM, CRLF, CR-only line endings, an empty file, deep but legal nesting) — is
//!   measured with its real figures.
//!
//! Small samples live in `fixtures/broken/` (see its README.md); deep, big and special inputs
//! (FIFOs, devices, links, unreadable files, odd file names, deep directories) are generated in
//! a temporary directory at test time. Every child process runs under a hard [`TIMEOUT`]: a hang
//! is killed and fails the test instead of hanging CI. No test asserts wall time.
//!
//! CI runs as root, where `chmod 000` does not stop reads: the unreadable-file tests then run the
//! binary as `nobody` through `setpriv` (util-linux) and fail loudly when it is missing.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

mod all_at_once;
mod deep_nesting;
mod encodings;
mod inputs;
mod line_endings;
mod paths;
mod process;
mod report;
mod size_cap;
mod special_files;

use std::time::Duration;

/// The longest any child process may run before it is killed and the test fails.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A small, ordinary Python function: its figures are asserted wherever it appears.
const GOOD_PY: &str = "def good(a, b):\n    if a and b:\n        return 1\n    return 0\n";
