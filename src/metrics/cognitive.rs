//! Cognitive complexity, after G. Ann Campbell, "Cognitive Complexity: a new way of measuring
//! understandability" (SonarSource, 2017-2023).
//!
//! - structural increments (+1, plus the current nesting level): `if`, ternary, `match`/switch,
//!   loops, `catch`/`except`;
//! - hybrid increments (+1, no nesting penalty): `elif`/`else if`, `else`;
//! - fundamental increments (+1): each sequence of like boolean operators, a jump to a label.
//!
//! Comprehensions, which the paper does not cover, follow complexipy: each `for` clause is a
//! structural increment (+1 plus nesting, like a loop), each `if` clause a fundamental one.
//!
//! See docs/metrics.md for where gatecheck differs from the paper and from complexipy.

use crate::lang::vocabulary::{Capture, Roles};

/// Captures whose increment grows with the nesting level (unless the node is an `elif` /
/// `else`, a hybrid increment).
const STRUCTURAL: &[Capture] = &[
    Capture::BranchIf,
    Capture::BranchTernary,
    Capture::BranchSwitch,
    Capture::BranchLoop,
    Capture::BranchCatch,
    Capture::BranchComprehension,
];

/// Whether the increment of a node with these roles is `1 + nesting`.
#[must_use]
pub(super) fn nests(roles: Roles) -> bool {
    !roles.has(Capture::BranchElseIf)
        && !roles.has(Capture::BranchElse)
        && STRUCTURAL.iter().any(|c| roles.has(*c))
}

/// The increment one node adds at nesting level `nesting`.
#[must_use]
pub(super) fn increment(roles: Roles, nesting: u32) -> u32 {
    if roles.has(Capture::BranchElseIf) || roles.has(Capture::BranchElse) {
        return 1;
    }
    if nests(roles) {
        return 1 + nesting;
    }
    if roles.has(Capture::JumpLabel) || roles.has(Capture::BranchComprehensionIf) {
        return 1;
    }
    // A boolean operator starts a sequence unless it continues its parent's.
    let logic = roles.has(Capture::LogicAnd) || roles.has(Capture::LogicOr);
    u32::from(logic && !roles.has(Capture::LogicContinued))
}
