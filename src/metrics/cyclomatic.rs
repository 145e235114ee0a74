//! Cyclomatic complexity (McCabe 1976): 1 + the number of decision points in a function.
//!
//! Python follows radon's `cc`, Rust follows rust-code-analysis; both reduce to one rule over
//! the capture vocabulary, since each language's queries mark only what its reference counts.
//! See docs/metrics.md for the definition and the deliberate differences.

use crate::lang::vocabulary::{Capture, Roles};

/// Captures that each add one decision point.
const DECISIONS: [Capture; 14] = [
    Capture::BranchIf,
    Capture::BranchElseIf,
    Capture::BranchLoop,
    Capture::BranchLoopElse,
    Capture::BranchCase,
    Capture::BranchCatch,
    Capture::BranchTryElse,
    Capture::BranchTernary,
    Capture::BranchTryOp,
    Capture::BranchAssert,
    Capture::BranchComprehension,
    Capture::BranchComprehensionIf,
    Capture::LogicAnd,
    Capture::LogicOr,
];

/// The decision points one node adds: 1 when it plays any decision role, else 0. A case that
/// matches anything (`case _:`) is the default path and adds nothing.
#[must_use]
pub(super) fn decisions(roles: Roles) -> u32 {
    if roles.has(Capture::BranchCaseDefault) {
        return 0;
    }
    u32::from(DECISIONS.iter().any(|c| roles.has(*c)))
}
