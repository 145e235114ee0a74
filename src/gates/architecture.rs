//! The producer of the architecture gates ([`Measure::Architecture`]), measured from the
//! module graph when a run has one: `max_dependencies_per_module` (fan-out per module),
//! `circular_dependencies` (import cycles), `single_responsibility` (LCOM4 per class),
//! `layers` and `forbidden_imports` (rules). Without a graph, or without what a gate reads (no
//! class facts, no rules configured), a gate records nothing and stays "not measured".
//!
//! [`Measure::Architecture`]: crate::registry::Measure::Architecture

use std::path::Path;

use super::{FileThresholds, Measured, Violation};
use crate::graph::architecture::Architecture;
use crate::graph::fan::dependencies;
use crate::graph::rules::RuleViolation;
use crate::registry::{ArchitectureGate, Threshold, architecture_gate};

/// What `architecture` measures for `gate` against the configured `threshold`; `None` when
/// the run has nothing to measure it with.
#[must_use]
pub fn measure(
    gate: ArchitectureGate,
    architecture: &Architecture,
    threshold: Threshold,
    files: &FileThresholds<'_>,
) -> Option<Measured> {
    match gate {
        ArchitectureGate::FanOut => Some(fan_out(architecture, threshold, files)),
        ArchitectureGate::Cycles => Some(cycles(architecture, threshold)),
        ArchitectureGate::Cohesion => cohesion(architecture, threshold),
        ArchitectureGate::Layers => (!architecture.settings.layers.is_empty())
            .then(|| rules(architecture, &architecture.layer_violations)),
        ArchitectureGate::Forbid => (!architecture.settings.forbid.is_empty())
            .then(|| rules(architecture, &architecture.forbidden_imports)),
    }
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
) -> Measured {
    let key = architecture_gate(ArchitectureGate::FanOut).map_or("", |g| g.key);
    let count_external = architecture.settings.count_external;
    let modules = &architecture.graph.modules;
    let violations = modules
        .iter()
        .enumerate()
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
        checked: modules.len(),
        violations,
    }
}

fn cycles(architecture: &Architecture, threshold: Threshold) -> Measured {
    let modules = &architecture.graph.modules;
    let allowed = threshold == Threshold::Flag(true);
    let violations = architecture
        .cycles
        .iter()
        .filter(|_| !allowed)
        .filter_map(|cycle| {
            let first = cycle.path.first()?;
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
        checked: modules.len(),
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

fn cohesion(architecture: &Architecture, threshold: Threshold) -> Option<Measured> {
    let classes = architecture.classes.as_ref()?;
    let min = architecture.settings.min_methods_for_cohesion;
    let checked = classes.iter().filter(|c| c.methods() >= min).count();
    let required = threshold != Threshold::Flag(false);
    let violations = architecture
        .low_cohesion()
        .filter(|_| required)
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

fn rules(architecture: &Architecture, found: &[RuleViolation]) -> Measured {
    let modules = &architecture.graph.modules;
    let violations = found
        .iter()
        .filter_map(|v| {
            let module = modules.get(v.module)?;
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
        checked: modules.len(),
        violations,
    }
}
