//! The options that change how a file is measured, in one value: whatever caches measurements
//! keys on all of them at once, and the worker passes them to `metrics`.

use crate::metrics::NestedFunctions;

/// How files are measured (`[code_quality] nested_functions`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MeasureSettings {
    /// How nested functions, lambdas and closures count: on their own or for their parent too.
    pub nested_functions: NestedFunctions,
}
