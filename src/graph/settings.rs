//! What the graph analyses are asked to do: the `[architecture]` options that are not gate
//! thresholds (what fan-out counts, what cycles include, cohesion's minimum size) and the
//! layer and forbidden-import rules.

/// `[[architecture.layers]]`: an ordered list of layers, highest first; a module of a lower
/// layer may not import a module of a higher one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerRule {
    /// Layer names, highest first (`app.web`, `app.service`, `app.domain`); a name covers the
    /// module of that name and its submodules.
    pub order: Vec<String>,
}

/// `[[architecture.forbid]]`: modules under `from` may not import anything under `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForbidRule {
    /// The importing side: a module name and its submodules.
    pub from: String,
    /// What they may not import: internal module names (and their submodules) or external
    /// package names.
    pub to: Vec<String>,
}

/// Options of the architecture analyses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchitectureSettings {
    /// Fan-out also counts distinct external packages (`count_external = true`).
    pub count_external: bool,
    /// `type_only` imports take part in cycle detection (`type_only_in_cycles = true`).
    pub type_only_in_cycles: bool,
    /// Classes with fewer methods than this are not checked for cohesion.
    pub min_methods_for_cohesion: usize,
    /// Layer rules, in file order.
    pub layers: Vec<LayerRule>,
    /// Forbidden-import rules, in file order.
    pub forbid: Vec<ForbidRule>,
}

/// The default of `min_methods_for_cohesion`: below four methods a split is rarely worth it.
pub const DEFAULT_MIN_METHODS_FOR_COHESION: usize = 4;

impl Default for ArchitectureSettings {
    fn default() -> Self {
        ArchitectureSettings {
            count_external: false,
            type_only_in_cycles: false,
            min_methods_for_cohesion: DEFAULT_MIN_METHODS_FOR_COHESION,
            layers: Vec::new(),
            forbid: Vec::new(),
        }
    }
}

/// Whether `module` is `pattern` or one of its submodules (`app.web` covers `app.web.views`;
/// `::` separates Rust path segments).
#[must_use]
pub fn covers(pattern: &str, module: &str) -> bool {
    module
        .strip_prefix(pattern)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with("::"))
}
