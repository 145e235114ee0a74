//! The architecture part of the report: modules with their imports and fan-in/out, import
//! cycles with the file:line of each import on them, classes with their cohesion. Present only
//! when the run built a module graph (absent, not empty, otherwise).

use serde::Serialize;

use super::{Report, path_text};
use crate::facts::ImportKind;
use crate::graph::architecture::{Architecture, ClassCohesion};
use crate::graph::cycles::Cycle;
use crate::graph::model::{Import, Module, Resolution};

/// One module.
#[derive(Debug, Serialize)]
pub struct ModuleEntry {
    /// Module name (`pkg.mod`, `crate::a::b`).
    pub name: String,
    /// Its file, relative to the root, `/`-separated.
    pub path: String,
    /// Language identifier.
    pub language: &'static str,
    /// Distinct modules (and with `count_external`, packages) it imports.
    pub fan_out: usize,
    /// Distinct modules that import it.
    pub fan_in: usize,
    /// Its imports, in line order.
    pub imports: Vec<ImportEntry>,
}

/// One import.
#[derive(Debug, Serialize)]
pub struct ImportEntry {
    /// The imported name as written, made absolute.
    pub target: String,
    /// 1-based line.
    pub line: usize,
    /// `runtime`, `type_only` or `deferred`.
    pub kind: ImportKind,
    /// `internal`, `external` or `unresolved`.
    pub resolution: &'static str,
    /// The module it resolves to (internal), the package (external), or null (unresolved).
    pub resolved: Option<String>,
}

/// One import cycle.
#[derive(Debug, Serialize)]
pub struct CycleEntry {
    /// Every module of the strongly connected component, sorted.
    pub modules: Vec<String>,
    /// One shortest cycle through them, import by import.
    pub path: Vec<CycleStep>,
}

/// One import on a cycle.
#[derive(Debug, Serialize)]
pub struct CycleStep {
    /// The importing module.
    pub from: String,
    /// The imported module.
    pub to: String,
    /// The importing file (in a graph collapsed to packages, the directory they share).
    pub file: String,
    /// The line of the import.
    pub line: usize,
}

/// One class (Python) or type's inherent impls (Rust).
#[derive(Debug, Serialize)]
pub struct ClassEntry {
    /// Qualified name.
    pub qualified_name: String,
    /// Its file.
    pub path: String,
    /// The line of its `class` / first `impl`.
    pub start_line: usize,
    /// Methods that count for cohesion (distinct names).
    pub methods: usize,
    /// LCOM4: connected method groups.
    pub lcom4: usize,
    /// The method names of each group.
    pub groups: Vec<Vec<String>>,
    /// Large enough to be checked (`min_methods_for_cohesion`) and LCOM4 above 1.
    pub low_cohesion: bool,
}

impl Report {
    /// Adds the modules, cycles and classes of `architecture` (classes only when class facts
    /// were extracted).
    #[must_use]
    pub fn with_architecture(mut self, architecture: &Architecture) -> Report {
        let modules = &architecture.graph.modules;
        self.modules = Some(
            modules
                .iter()
                .zip(&architecture.fans)
                .map(|(m, fan)| module_entry(m, fan.fan_out, fan.fan_in, modules))
                .collect(),
        );
        self.cycles = Some(
            architecture
                .cycles
                .iter()
                .map(|c| cycle_entry(c, modules))
                .collect(),
        );
        let min = architecture.settings.min_methods_for_cohesion;
        self.classes = architecture
            .classes
            .as_ref()
            .map(|list| list.iter().map(|c| class_entry(c, min)).collect());
        self
    }
}

fn name(modules: &[Module], id: usize) -> String {
    modules.get(id).map_or_else(String::new, |m| m.name.clone())
}

fn module_entry(m: &Module, fan_out: usize, fan_in: usize, modules: &[Module]) -> ModuleEntry {
    ModuleEntry {
        name: m.name.clone(),
        path: path_text(&m.path).0,
        language: m.language,
        fan_out,
        fan_in,
        imports: m.imports.iter().map(|i| import_entry(i, modules)).collect(),
    }
}

fn import_entry(i: &Import, modules: &[Module]) -> ImportEntry {
    let (resolution, resolved) = match &i.resolution {
        Resolution::Internal(id) => ("internal", Some(name(modules, *id))),
        Resolution::External(package) => ("external", Some(package.clone())),
        Resolution::Unresolved => ("unresolved", None),
    };
    ImportEntry {
        target: i.target.clone(),
        line: i.line,
        kind: i.kind,
        resolution,
        resolved,
    }
}

fn cycle_entry(c: &Cycle, modules: &[Module]) -> CycleEntry {
    CycleEntry {
        modules: c.members.iter().map(|&id| name(modules, id)).collect(),
        path: c
            .path
            .iter()
            .map(|e| CycleStep {
                from: name(modules, e.from),
                to: name(modules, e.to),
                file: modules
                    .get(e.from)
                    .map_or_else(String::new, |m| path_text(&m.path).0),
                line: e.line,
            })
            .collect(),
    }
}

fn class_entry(c: &ClassCohesion, min_methods: usize) -> ClassEntry {
    ClassEntry {
        qualified_name: c.facts.qualified_name.clone(),
        path: path_text(&c.path).0,
        start_line: c.facts.start_line,
        methods: c.methods(),
        lcom4: c.cohesion.lcom4,
        groups: c.cohesion.groups.clone(),
        low_cohesion: c.low_cohesion(min_methods),
    }
}
