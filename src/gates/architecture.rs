//! The architecture gates, measured from the module graph when a run has one:
//! `max_dependencies_per_module` (fan-out per module), `circular_dependencies` (import cycles),
//! `single_responsibility` (LCOM4 per class), `layers` and `forbidden_imports` (rules). Without
//! a graph they stay "not measured" (see [`super::evaluate`]).
//!
//! A `gatecheck: ignore[gate]` directive on a violation's line or the line above it, or an
//! `ignore-file[gate]` in its file, suppresses it as for the other gates.

use std::collections::BTreeMap;
use std::path::Path;

use super::registry::Threshold;
use super::{GateResult, Status, Violation, worst_first};
use crate::graph::architecture::Architecture;
use crate::graph::fan::dependencies;
use crate::graph::rules::RuleViolation;
use crate::suppress::Directive;

/// Directives by file.
type Directives<'a> = BTreeMap<&'a Path, &'a [Directive]>;

/// Measures the architecture gates among `results` from `architecture`; `directives` gives
/// each file's suppression directives (for `check`: every analysed file's path and
/// directives).
pub fn evaluate<'a>(
    results: &mut [GateResult],
    architecture: &Architecture,
    directives: impl IntoIterator<Item = (&'a Path, &'a [Directive])>,
) {
    let directives: Directives<'a> = directives.into_iter().collect();
    for result in results.iter_mut() {
        let measure = MEASURES.iter().find(|(key, _)| *key == result.gate.key);
        if let Some(found) =
            measure.and_then(|(_, measure)| measure(architecture, result.threshold))
        {
            record(result, found, &directives);
        }
    }
}

/// How each architecture gate is measured; `None`: not measured in this run (no class facts,
/// no rules configured).
type Measure = fn(&Architecture, Threshold) -> Option<Found>;

const MEASURES: [(&str, Measure); 5] = [
    ("max_dependencies_per_module", |a, t| Some(fan_out(a, t))),
    ("circular_dependencies", |a, t| Some(cycles(a, t))),
    ("single_responsibility", cohesion),
    ("layers", |a, _| {
        (!a.settings.layers.is_empty()).then(|| rules(a, &a.layer_violations))
    }),
    ("forbidden_imports", |a, _| {
        (!a.settings.forbid.is_empty()).then(|| rules(a, &a.forbidden_imports))
    }),
];

/// What a gate found: items checked and violations (before suppression).
struct Found {
    checked: usize,
    violations: Vec<Violation>,
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
        item,
        value: u64::try_from(value).unwrap_or(u64::MAX),
        threshold,
        reason: None,
    }
}

fn fan_out(architecture: &Architecture, threshold: Threshold) -> Found {
    let Threshold::Count(max) = threshold else {
        return Found {
            checked: 0,
            violations: Vec::new(),
        };
    };
    let max = usize::try_from(max).unwrap_or(usize::MAX);
    let count_external = architecture.settings.count_external;
    let modules = &architecture.graph.modules;
    let violations = modules
        .iter()
        .enumerate()
        .filter_map(|(id, module)| {
            let deps = dependencies(id, module, count_external);
            // The line of the first import beyond the limit: where the module went over.
            let (_, line) = deps.get(max)?;
            Some(violation(
                &module.path,
                *line,
                module.name.clone(),
                deps.len(),
                threshold,
            ))
        })
        .collect();
    Found {
        checked: modules.len(),
        violations,
    }
}

fn cycles(architecture: &Architecture, threshold: Threshold) -> Found {
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
    Found {
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

fn cohesion(architecture: &Architecture, threshold: Threshold) -> Option<Found> {
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
    Some(Found {
        checked,
        violations,
    })
}

fn rules(architecture: &Architecture, found: &[RuleViolation]) -> Found {
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
    Found {
        checked: modules.len(),
        violations,
    }
}

/// Files the gate result: suppressed or not, sorted, with its status.
fn record(result: &mut GateResult, found: Found, directives: &Directives<'_>) {
    result.checked = found.checked;
    result.violations.clear();
    result.suppressed.clear();
    for mut v in found.violations {
        let directive = directives.get(v.path.as_path()).and_then(|list| {
            list.iter().find(|d| {
                d.covers(result.gate.key)
                    && (d.file_level || d.line == v.line || d.line + 1 == v.line)
            })
        });
        match directive {
            Some(d) => {
                v.reason = Some(d.reason.clone());
                result.suppressed.push(v);
            }
            None => result.violations.push(v),
        }
    }
    result.violations.sort_by(worst_first);
    result.suppressed.sort_by(worst_first);
    result.status = if result.violations.is_empty() {
        Status::Passed
    } else {
        Status::Failed
    };
}
