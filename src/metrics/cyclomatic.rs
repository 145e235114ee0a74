//! Cyclomatic complexity (McCabe 1976): 1 + the number of decision points in a function.
//!
//! Python follows radon's `cc`, Rust follows rust-code-analysis; both reduce to one rule over
//! the capture vocabulary, since each language's queries mark only what its reference counts.
//! See docs/metrics.md for the definition and the deliberate differences.

use crate::lang::vocabulary::{Capture, Roles};

/// Captures that each add one decision point.
const DECISIONS: &[Capture] = &[
    Capture::BranchIf,
    Capture::BranchElseIf,
    Capture::BranchLoop,
    Capture::BranchLoopElse,
    Capture::BranchCase,
    Capture::BranchGuard,
    Capture::BranchCatch,
    Capture::BranchTryElse,
    Capture::BranchTernary,
    Capture::BranchTryOp,
    Capture::BranchAssert,
    Capture::BranchUnparsed,
    Capture::BranchComprehension,
    Capture::BranchComprehensionIf,
    Capture::LogicAnd,
    Capture::LogicOr,
];

/// The decision points one node adds: one per decision role it plays (a match guard that is
/// also an `&&` is two decisions). An `else if` that is also matched as an `if` is one; a case
/// that matches anything (`case _:`) is the default path and adds nothing.
#[must_use]
pub(super) fn decisions(roles: Roles) -> u32 {
    let mut count = DECISIONS.iter().filter(|c| roles.has(**c)).count();
    if roles.has(Capture::BranchIf) && roles.has(Capture::BranchElseIf) {
        count -= 1;
    }
    if roles.has(Capture::BranchCaseDefault) && roles.has(Capture::BranchCase) {
        count -= 1;
    }
    u32::try_from(count).unwrap_or(u32::MAX)
}
