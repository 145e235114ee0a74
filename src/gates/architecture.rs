//! The producer of the architecture gates ([`Measure::Architecture`]), measured from the
//! module graph when a run has one: `max_dependencies_per_module` (fan-out per module),
//! `circular_dependencies` (import cycles), `single_responsibility` (LCOM4 per class),
//! `layers` and `forbidden_imports` (rules). Without a graph, or without what a gate reads (no
//! class facts, no rules configured), a gate records nothing and stays "not measured".
//!
//! [`Measure::Architecture`]: crate::registry::Measure::Architecture

use std::path::{Path, PathBuf};

use super::{FileThresholds, Measured, Violation};
use crate::graph::architecture::Architecture;
use crate::graph::fan::dependencies;
use crate::graph::rules::RuleViolation;
use crate::registry::{ArchitectureGate, Threshold, architecture_gate};

/// The files whose findings a run reports: all of them, or the subset the user asked for
/// (`gatecheck check src/a.py`). The graph is always the whole project's, so a subset never
/// gets a greener verdict than the full run: a cycle is reported when any of its modules is
/// in the subset, a fan-out or a rule violation when its module is.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope<'a> {
    paths: Option<&'a [PathBuf]>,
}

impl<'a> Scope<'a> {
    /// Only the files at or below `paths` (relative to the project root); `None`: every file.
    #[must_use]
    pub fn new(paths: Option<&'a [PathBuf]>) -> Self {
        Scope { paths }
    }

    /// Whether the scope is the whole project.
    #[must_use]
    pub fn is_all(&self) -> bool {
        self.paths.is_none()
    }

    /// Whether findings at `path` are reported.
    #[must_use]
    pub fn contains(&self, path: &Path) -> bool {
        self.paths
            .is_none_or(|paths| paths.iter().any(|p| path.starts_with(p)))
    }
}

/// What `architecture` measures for `gate` against the configured `threshold`, for the
/// modules in `scope`; `None` when the run has nothing to measure it with.
#[must_use]
pub fn measure(
    gate: ArchitectureGate,
    architecture: &Architecture,
    threshold: Threshold,
    files: &FileThresholds<'_>,
    scope: Scope<'_>,
) -> Option<Measured> {
    match gate {
        ArchitectureGate::FanOut => Some(fan_out(architecture, threshold, files, scope)),
        ArchitectureGate::Cycles => Some(cycles(architecture, threshold, scope)),
        ArchitectureGate::Cohesion => cohesion(architecture, threshold, scope),
        ArchitectureGate::Layers => (!architecture.settings.layers.is_empty())
            .then(|| rules(architecture, &architecture.layer_violations, scope)),
        ArchitectureGate::Forbid => (!architecture.settings.forbid.is_empty())
            .then(|| rules(architecture, &architecture.forbidden_imports, scope)),
    }
}

/// How many modules of the graph are in `scope`.
fn modules_in(architecture: &Architecture, scope: Scope<'_>) -> usize {
    let modules = &architecture.graph.modules;
    modules.iter().filter(|m| scope.contains(&m.path)).count()
}

fn violation(
    path: &Path,
    line: usize,
    item: String,
    value: usize,
    threshold: Threshold,
) -> Violation {
    Violation {
        path: path.to_path_buf(),
        line,
        header_line: line,
        item,
        value: super::Value::Count(u64::try_from(value).unwrap_or(u64::MAX)),
        threshold,
        reason: None,
    }
}

fn fan_out(
    architecture: &Architecture,
    configured: Threshold,
    files: &FileThresholds<'_>,
    scope: Scope<'_>,
) -> Measured {
    let key = architecture_gate(ArchitectureGate::FanOut).map_or("", |g| g.key);
    let count_external = architecture.settings.count_external;
    let modules = &architecture.graph.modules;
    let violations = modules
        .iter()
        .enumerate()
        .filter(|(_, module)| scope.contains(&module.path))
        .filter_map(|(id, module)| {
            // A per-path `[[overrides]]` threshold of the module's file wins.
            let threshold = files
                .get(module.path.as_path())
                .and_then(|t| t.get(key))
                .copied()
                .unwrap_or(configured);
            let Threshold::Count(max) = threshold else {
                return None;
            };
            let deps = dependencies(id, module, count_external);
            // The line of the first import beyond the limit: where the module went over.
            let (_, line) = deps.get(usize::try_from(max).unwrap_or(usize::MAX))?;
            Some(violation(
                &module.path,
                *line,
                module.name.clone(),
                deps.len(),
                threshold,
            ))
        })
        .collect();
    Measured {
        checked: modules_in(architecture, scope),
        violations,
    }
}

fn cycles(architecture: &Architecture, threshold: Threshold, scope: Scope<'_>) -> Measured {
    let modules = &architecture.graph.modules;
    let allowed = threshold == Threshold::Flag(true);
    let violations = architecture
        .cycles
        .iter()
        .filter(|_| !allowed)
        .filter_map(|cycle| {
            // Reported at the first import on the cycle whose file is in scope.
            let first = cycle
                .path
                .iter()
                .find(|e| modules.get(e.from).is_some_and(|m| scope.contains(&m.path)))?;
            let module = modules.get(first.from)?;
            let item = cycle_text(architecture, &cycle.path);
            Some(violation(
                &module.path,
                first.line,
                item,
                cycle.members.len(),
                threshold,
            ))
        })
        .collect();
    Measured {
        checked: modules_in(architecture, scope),
        violations,
    }
}

/// `a -> b -> c -> a`.
#[must_use]
pub fn cycle_text(architecture: &Architecture, path: &[crate::graph::cycles::CycleEdge]) -> String {
    let name = |id: usize| {
        architecture
            .graph
            .modules
            .get(id)
            .map_or("?", |m| m.name.as_str())
    };
    let mut text = path
        .first()
        .map_or_else(String::new, |e| name(e.from).to_owned());
    for edge in path {
        text.push_str(" -> ");
        text.push_str(name(edge.to));
    }
    text
}

fn cohesion(
    architecture: &Architecture,
    threshold: Threshold,
    scope: Scope<'_>,
) -> Option<Measured> {
    let classes = architecture.classes.as_ref()?;
    let min = architecture.settings.min_methods_for_cohesion;
    let checked = classes
        .iter()
        .filter(|c| c.methods() >= min && scope.contains(&c.path))
        .count();
    let required = threshold != Threshold::Flag(false);
    let violations = architecture
        .low_cohesion()
        .filter(|c| required && scope.contains(&c.path))
        .map(|c| {
            let groups: Vec<String> = c.cohesion.groups.iter().map(|g| g.join(", ")).collect();
            let item = format!(
                "{} (groups: {})",
                c.facts.qualified_name,
                groups.join(" | ")
            );
            violation(
                &c.path,
                c.facts.start_line,
                item,
                c.cohesion.lcom4,
                threshold,
            )
        })
        .collect();
    Some(Measured {
        checked,
        violations,
    })
}

fn rules(architecture: &Architecture, found: &[RuleViolation], scope: Scope<'_>) -> Measured {
    let modules = &architecture.graph.modules;
    let violations = found
        .iter()
        .filter_map(|v| {
            let module = modules.get(v.module).filter(|m| scope.contains(&m.path))?;
            let item = format!("{} -> {}: {}", module.name, v.target, v.rule);
            Some(violation(
                &module.path,
                v.line,
                item,
                1,
                Threshold::Count(0),
            ))
        })
        .collect();
    Measured {
        checked: modules_in(architecture, scope),
        violations,
    }
}
