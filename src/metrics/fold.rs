//! `nested_functions = "fold"`: the scores of the tools people migrate from.
//!
//! By default every function is measured on its own. In fold mode a function's figures also
//! hold what the functions nested in it contribute, as complexipy and the SonarSource paper
//! count cognitive complexity and radon counts cyclomatic complexity:
//!
//! - **cognitive**: every nested function, method, lambda and closure adds its own cognitive
//!   complexity to the function around it, each of its nesting increments deeper by the nesting
//!   of the place where it is defined plus the nested function's own level (see [`offset`]); its
//!   recursion increment stays its own;
//! - **cyclomatic**: a lambda's or closure's decision points count for the function around it;
//!   a named nested function's do not (radon lists nested functions on their own).
//!
//! Every function is still reported: a nested one with its own figures (folded from what is
//! nested in it), so only the figures of functions that contain others change. Folding happens
//! when a nested function closes, in constant time (`Measuring::fold_into`): its parent gains
//! its cognitive complexity plus, for each of its nesting-dependent increments, the nesting
//! offset of its definition ([`offset`]).
//! See docs/metrics.md ("Nested functions: separate or fold").

use super::kind::FunctionKind;

/// How nested functions, lambdas and closures count (`[code_quality] nested_functions`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NestedFunctions {
    /// Each function is measured on its own: nothing nested counts for its parent.
    #[default]
    Separate,
    /// Nested functions count for their parent too, as complexipy (cognitive) and radon
    /// (cyclomatic: lambdas only) count them.
    Fold,
}

impl NestedFunctions {
    /// Every mode with its name in the configuration.
    pub const ALL: &[(NestedFunctions, &'static str)] = &[
        (NestedFunctions::Separate, "separate"),
        (NestedFunctions::Fold, "fold"),
    ];

    /// The mode called `name` in the configuration.
    #[must_use]
    pub fn from_name(name: &str) -> Option<NestedFunctions> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(m, _)| *m)
    }

    /// The name of this mode in the configuration.
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("", |(_, n)| n)
    }
}

/// How much deeper than its own nesting a nested function's contents are for its parent, when
/// it is defined where the parent's nesting level is `nesting`:
///
/// - a lambda or closure: one level deeper than where it stands (the paper, complexipy);
/// - a named function: one level deeper than the parent's body, but no deeper than the
///   structure it stands in (complexipy: a `def` directly in a body nests its contents one
///   level, a `def` inside an `if` or a loop adds nothing to their level);
/// - a method of a class defined in a function: at the level where the class stands
///   (complexipy).
pub(super) fn offset(kind: FunctionKind, nesting: u32) -> u32 {
    match kind {
        FunctionKind::Lambda | FunctionKind::Closure => nesting.saturating_add(1),
        FunctionKind::Function => nesting.max(1),
        FunctionKind::Method => nesting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mode_round_trips_through_its_name() {
        for &(mode, name) in NestedFunctions::ALL {
            assert_eq!(NestedFunctions::from_name(name), Some(mode));
            assert_eq!(mode.name(), name);
        }
        assert_eq!(NestedFunctions::from_name("Fold"), None);
        assert_eq!(NestedFunctions::default(), NestedFunctions::Separate);
    }

    #[test]
    fn offsets_follow_complexipy() {
        assert_eq!(offset(FunctionKind::Lambda, 0), 1);
        assert_eq!(offset(FunctionKind::Closure, 2), 3);
        assert_eq!(offset(FunctionKind::Function, 0), 1);
        assert_eq!(offset(FunctionKind::Function, 2), 2);
        assert_eq!(offset(FunctionKind::Method, 0), 0);
        assert_eq!(offset(FunctionKind::Method, 1), 1);
    }
}
