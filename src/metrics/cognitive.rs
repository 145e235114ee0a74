//! Cognitive complexity, after G. Ann Campbell, "Cognitive Complexity: a new way of measuring
//! understandability" (SonarSource, 2017-2023).
//!
//! - structural increments (+1, plus the current nesting level): `if`, ternary, `match`/switch,
//!   loops, `catch`/`except`;
//! - hybrid increments (+1, no nesting penalty): `elif`/`else if`, `else`;
//! - fundamental increments (+1): each sequence of like boolean operators, a jump to a label.
//!
//! See docs/metrics.md for where gatecheck differs from the paper and from complexipy.

use crate::lang::vocabulary::{Capture, Roles};

/// A boolean operator, to tell where a sequence of like operators ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LogicOp {
    /// `and` / `&&`.
    And,
    /// `or` / `||`.
    Or,
}

/// The boolean operator a node is, if any.
#[must_use]
pub(super) fn logic_op(roles: Roles) -> Option<LogicOp> {
    if roles.has(Capture::LogicAnd) {
        Some(LogicOp::And)
    } else if roles.has(Capture::LogicOr) {
        Some(LogicOp::Or)
    } else {
        None
    }
}

/// The increment one node adds at nesting level `nesting`; `parent_op` is the boolean operator
/// directly above it (seen through parentheses), which continues a sequence.
#[must_use]
pub(super) fn increment(roles: Roles, nesting: u32, parent_op: Option<LogicOp>) -> u32 {
    if roles.has(Capture::BranchElseIf) || roles.has(Capture::BranchElse) {
        return 1;
    }
    if [
        Capture::BranchIf,
        Capture::BranchTernary,
        Capture::BranchSwitch,
        Capture::BranchLoop,
        Capture::BranchCatch,
    ]
    .iter()
    .any(|c| roles.has(*c))
    {
        return 1 + nesting;
    }
    if roles.has(Capture::JumpLabel) {
        return 1;
    }
    match logic_op(roles) {
        Some(op) if parent_op != Some(op) => 1,
        _ => 0,
    }
}
