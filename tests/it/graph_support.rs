//! Hand-built module graphs and class facts for the graph tests (the resolver is tested on its
//! own; these tests pin the analyses on graphs whose answers are known).

use std::path::PathBuf;

use gatecheck::facts::{ClassFacts, ImportKind, MethodFacts};
use gatecheck::graph::model::{Import, Module, ModuleGraph, Resolution};

/// An import as a test writes it: target, line, kind.
pub(crate) type Edge<'a> = (&'a str, usize, ImportKind);

/// A graph of Python modules: each `(name, imports)`. A target naming a module of the list is
/// internal; one starting with `?` is unresolved; anything else is the external package of its
/// first segment. Modules are sorted by name (ids follow), paths are `a/b.py` for `a.b`.
pub(crate) fn graph(modules: &[(&str, &[Edge<'_>])]) -> ModuleGraph {
    let mut names: Vec<&str> = modules.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    let mut sorted: Vec<&(&str, &[Edge<'_>])> = modules.iter().collect();
    sorted.sort_by_key(|(n, _)| *n);
    let modules = sorted
        .into_iter()
        .map(|(name, imports)| Module {
            name: (*name).to_owned(),
            path: PathBuf::from(format!("{}.py", name.replace('.', "/"))),
            language: "python",
            imports: imports
                .iter()
                .map(|&(target, line, kind)| import(&names, target, line, kind))
                .collect(),
        })
        .collect();
    ModuleGraph { modules }
}

fn import(names: &[&str], target: &str, line: usize, kind: ImportKind) -> Import {
    let resolution = if let Some(rest) = target.strip_prefix('?') {
        return Import {
            target: rest.to_owned(),
            line,
            kind,
            resolution: Resolution::Unresolved,
        };
    } else if let Ok(id) = names.binary_search(&target) {
        Resolution::Internal(id)
    } else {
        Resolution::External(target.split('.').next().unwrap_or(target).to_owned())
    };
    Import {
        target: target.to_owned(),
        line,
        kind,
        resolution,
    }
}

/// Runtime imports, one per line from line 1, of each target.
pub(crate) fn runtime<'a>(targets: &[&'a str]) -> Vec<Edge<'a>> {
    targets
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, i + 1, ImportKind::Runtime))
        .collect()
}

/// A ring `m00000 -> m00001 -> ... -> m{n-1} -> m00000` (closed when `closed`), each import on
/// line 3, built directly (ids are the ring order).
pub(crate) fn ring(n: usize, closed: bool) -> ModuleGraph {
    let modules = (0..n)
        .map(|i| {
            let next = i + 1;
            let imports = if next < n || closed {
                let to = next % n;
                vec![Import {
                    target: format!("m{to:05}"),
                    line: 3,
                    kind: ImportKind::Runtime,
                    resolution: Resolution::Internal(to),
                }]
            } else {
                Vec::new()
            };
            Module {
                name: format!("m{i:05}"),
                path: PathBuf::from(format!("m{i:05}.py")),
                language: "python",
                imports,
            }
        })
        .collect();
    ModuleGraph { modules }
}

/// A method: name, line, attributes it uses, methods it calls through `self`.
pub(crate) fn method(name: &str, line: usize, attributes: &[&str], calls: &[&str]) -> MethodFacts {
    let owned = |list: &[&str]| {
        let mut v: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
        v.sort();
        v.dedup();
        v
    };
    MethodFacts {
        name: name.to_owned(),
        line,
        attributes: owned(attributes),
        self_calls: owned(calls),
    }
}

/// A class of `methods`.
pub(crate) fn class(name: &str, start_line: usize, methods: Vec<MethodFacts>) -> ClassFacts {
    ClassFacts {
        qualified_name: name.to_owned(),
        start_line,
        methods,
    }
}

/// The gate results of `architecture` alone: its gates measured with `thresholds` (and the
/// per-file `file_thresholds` of `files`), suppressed by the directives of `files`, every
/// other gate not measured.
pub(crate) fn judge_architecture(
    architecture: &gatecheck::graph::architecture::Architecture,
    thresholds: &gatecheck::registry::Thresholds,
    files: &[(
        &std::path::Path,
        &[gatecheck::suppress::Directive],
        &gatecheck::registry::Thresholds,
    )],
) -> Vec<gatecheck::gates::GateResult> {
    use gatecheck::gates::{self, Findings, Suppressions};
    use gatecheck::registry::{GATES, Measure};
    let file_thresholds = files.iter().map(|&(p, _, t)| (p, t)).collect();
    let mut findings = Findings::default();
    for gate in GATES {
        let Measure::Architecture(which) = gate.measure else {
            continue;
        };
        let threshold = thresholds.get(gate.key).copied().unwrap_or(gate.default);
        let measured = gates::architecture::measure(
            which,
            architecture,
            threshold,
            &file_thresholds,
            Default::default(),
        );
        if let Some(measured) = measured {
            findings.record(gate, measured);
        }
    }
    let suppressions = Suppressions::new(files.iter().map(|&(p, d, _)| (p, d)));
    gates::evaluate(&findings, thresholds, &suppressions)
}
