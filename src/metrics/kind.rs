//! What kind of function a measured function is: named, method, lambda or closure.

use serde::Serialize;

use crate::lang::vocabulary::Capture;

/// What kind of function a `FunctionMetrics` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionKind {
    /// A named function, top level or nested.
    Function,
    /// A function defined in a class, `impl` or trait body.
    Method,
    /// An anonymous function expression (Python `lambda`).
    Lambda,
    /// A closure expression (Rust).
    Closure,
}

impl FunctionKind {
    pub(super) fn from_capture(capture: Capture) -> FunctionKind {
        match capture {
            Capture::DefinitionMethod => FunctionKind::Method,
            Capture::DefinitionLambda => FunctionKind::Lambda,
            Capture::DefinitionClosure => FunctionKind::Closure,
            _ => FunctionKind::Function,
        }
    }

    pub(super) fn anonymous_name(self) -> &'static str {
        match self {
            FunctionKind::Lambda => "<lambda>",
            FunctionKind::Closure => "<closure>",
            FunctionKind::Function | FunctionKind::Method => "<anonymous>",
        }
    }

    /// Whether it is an anonymous function expression (a lambda or a closure).
    #[must_use]
    pub fn is_anonymous(self) -> bool {
        matches!(self, FunctionKind::Lambda | FunctionKind::Closure)
    }
}
