//! The architecture gates, measured from the module graph when a run has one:
//! `max_dependencies_per_module` (fan-out per module), `circular_dependencies` (import cycles),
//! `single_responsibility` (LCOM4 per class), `layers` and `forbidden_imports` (rules). Without
//! a graph they stay "not measured" (see [`super::evaluate`]).
//!
//! A `gatecheck: ignore[gate]` directive on a violation's line or the line above it, or an
//! `ignore-file[gate]` in its file, suppresses it as for the other gates.

use std::collections::BTreeMap;
use std::path::Path;

use super::{GateResult, Violation};
use crate::graph::architecture::Architecture;
use crate::graph::fan::dependencies;
use crate::graph::rules::RuleViolation;
use crate::registry::Threshold;
use crate::registry::Thresholds;
use crate::suppress::Directive;

/// What the architecture gates need to know of one analysed file.
#[derive(Clone, Copy, Debug)]
pub struct FileContext<'a> {
    /// Its `gatecheck:` directives.
    pub directives: &'a [Directive],
    /// The thresholds that apply to it (configuration plus matching `[[overrides]]`).
    pub thresholds: &'a Thresholds,
}

/// File contexts by path.
type Files<'a> = BTreeMap<&'a Path, FileContext<'a>>;

/// Measures the architecture gates among `results` from `architecture`; `files` gives each
/// analysed file's directives and thresholds (a module whose file is not among them gets the
/// configured threshold and no suppression).
pub fn evaluate<'a>(
    results: &mut [GateResult],
    architecture: &Architecture,
    files: impl IntoIterator<Item = (&'a Path, FileContext<'a>)>,
) {
    let files: Files<'a> = files.into_iter().collect();
    for result in results.iter_mut() {
        let measure = MEASURES.iter().find(|(key, _)| *key == result.gate.key);
        if let Some(found) =
            measure.and_then(|(_, measure)| measure(architecture, result.threshold, &files))
        {
            record(result, found, &files);
        }
    }
}

/// How each architecture gate is measured; `None`: not measured in this run (no class facts,
/// no rules configured).
type Measure = fn(&Architecture, Threshold, &Files<'_>) -> Option<Found>;

const MEASURES: [(&str, Measure); 5] = [
    ("max_dependencies_per_module", |a, t, files| {
        Some(fan_out(a, t, files))
    }),
    ("circular_dependencies", |a, t, _| Some(cycles(a, t))),
    ("single_responsibility", |a, t, _| cohesion(a, t)),
    ("layers", |a, _, _| {
        (!a.settings.layers.is_empty()).then(|| rules(a, &a.layer_violations))
    }),
    ("forbidden_imports", |a, _, _| {
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
        value: super::Value::Count(u64::try_from(value).unwrap_or(u64::MAX)),
        threshold,
        reason: None,
    }
}

fn fan_out(architecture: &Architecture, configured: Threshold, files: &Files<'_>) -> Found {
    let count_external = architecture.settings.count_external;
    let modules = &architecture.graph.modules;
    let violations = modules
        .iter()
        .enumerate()
        .filter_map(|(id, module)| {
            // A per-path `[[overrides]]` threshold of the module's file wins.
            let threshold = files
                .get(module.path.as_path())
                .and_then(|f| f.thresholds.get("max_dependencies_per_module"))
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
fn record(result: &mut GateResult, found: Found, files: &Files<'_>) {
    result.checked = found.checked;
    result.violations.clear();
    result.suppressed.clear();
    for mut v in found.violations {
        let directive = files.get(v.path.as_path()).and_then(|file| {
            file.directives.iter().find(|d| {
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
    result.settle();
}
