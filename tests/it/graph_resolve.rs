//! Module naming and import resolution (`graph::resolve::build`) on the mini-packages and
//! mini-crates under `fixtures/graph/`, whose graphs are known by hand, and the class facts
//! cohesion is computed from.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed expectation is a test failure"
)]

use std::path::{Path, PathBuf};

use gatecheck::analysis::Analysis;
use gatecheck::analyze::{Request, analyze};
use gatecheck::config::Config;
use gatecheck::graph::model::{ModuleGraph, Resolution};
use gatecheck::graph::resolve::{ResolveSettings, build};

use crate::project::repo;

fn fixture(name: &str) -> PathBuf {
    repo().join("fixtures/graph").join(name)
}

/// Analyses `root` (with its own gatecheck.toml if it has one, else the defaults: the
/// repository's config would exclude fixtures).
fn analysis(root: &Path) -> (Analysis, Config) {
    let own = root.join("gatecheck.toml");
    let config = if own.is_file() {
        Config::load(&own).unwrap()
    } else {
        Config::default()
    };
    let paths = [root.to_path_buf()];
    let request = Request {
        paths: &paths,
        root,
        config: &config,
        threads: 2,
    };
    (analyze(&request, &|_| {}).unwrap(), config)
}

fn graph(root: &Path) -> ModuleGraph {
    let (analysis, config) = analysis(root);
    build(
        &analysis,
        &ResolveSettings::new(
            &config.python_roots,
            config.base_dir().unwrap_or(root),
            root,
        ),
    )
}

/// Every edge as `from:line kind -> to`, where `to` is a module name, `ext:top` or
/// `unresolved:target`.
fn edges(graph: &ModuleGraph) -> Vec<String> {
    let mut out = Vec::new();
    for module in &graph.modules {
        for import in &module.imports {
            let to = match &import.resolution {
                Resolution::Internal(id) => graph.modules[*id].name.clone(),
                Resolution::External(top) => format!("ext:{top}"),
                Resolution::Unresolved => format!("unresolved:{}", import.target),
            };
            let kind = serde_json::to_value(import.kind).unwrap();
            let kind = kind.as_str().unwrap();
            out.push(format!("{}:{} {kind} -> {to}", module.name, import.line));
        }
    }
    out
}

fn names(graph: &ModuleGraph) -> Vec<(String, String)> {
    graph
        .modules
        .iter()
        .map(|m| (m.name.clone(), m.path.display().to_string()))
        .collect()
}

#[test]
fn python_modules_are_named_from_init_chains_src_and_script_dirs() {
    let graph = graph(&fixture("python"));
    let expected = [
        ("app", "app/__init__.py"),
        ("app.core", "app/core/__init__.py"),
        ("app.core.models", "app/core/models.py"),
        ("app.core.sub", "app/core/sub/__init__.py"),
        ("app.core.sub.deep", "app/core/sub/deep.py"),
        ("app.core.sub.leaf", "app/core/sub/leaf.py"),
        ("app.lazy", "app/lazy.py"),
        ("app.typed", "app/typed/__init__.py"),
        ("app.typed.a", "app/typed/a.py"),
        ("app.typed.b", "app/typed/b.py"),
        ("app.util", "app/util.py"),
        // `src/nsp` has no `__init__.py`: a namespace package below `src/`.
        ("nsp.plugin", "src/nsp/plugin.py"),
        ("run", "scripts/run.py"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(n, p)| ((*n).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(names(&graph), expected);
    assert!(graph.modules.iter().all(|m| m.language == "python"));
}

#[test]
fn python_imports_resolve_with_lines_and_kinds() {
    let graph = graph(&fixture("python"));
    assert_eq!(
        edges(&graph),
        [
            "app.core:1 runtime -> app.core.models",
            "app.core.models:1 runtime -> ext:os",
            // `from app.util import helper`: helper is a function, so the edge goes to app.util
            "app.core.models:2 runtime -> app.util",
            "app.core.models:3 runtime -> nsp.plugin",
            // `from __future__` on line 1 is no import
            "app.core.sub.deep:2 runtime -> app.core.sub.leaf",
            "app.core.sub.deep:3 runtime -> app.core.models",
            "app.core.sub.deep:4 runtime -> app.util",
            "app.core.sub.deep:5 runtime -> unresolved:....too_high",
            "app.core.sub.deep:6 runtime -> unresolved:app.core.sub.missing",
            "app.core.sub.deep:7 runtime -> app.core.sub.leaf",
            "app.core.sub.deep:8 runtime -> app.core",
            "app.core.sub.deep:9 runtime -> unresolved:app.nothing",
            "app.lazy:1 runtime -> ext:json",
            "app.lazy:5 deferred -> app.core.models",
            "app.typed.a:1 runtime -> ext:typing",
            "app.typed.a:3 runtime -> app.typed.b",
            "app.typed.b:1 runtime -> ext:typing",
            // the TYPE_CHECKING half of the a <-> b cycle; its `else:` branch runs
            "app.typed.b:4 type_only -> app.typed.a",
            "app.typed.b:6 runtime -> app.util",
            "nsp.plugin:1 runtime -> app.core.sub.deep",
            "run:1 runtime -> app.lazy",
        ]
    );
}

#[test]
fn configured_python_roots_name_namespace_packages() {
    let graph = graph(&fixture("python_roots"));
    let names: Vec<String> = names(&graph).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["ns.first", "ns.other"]);
    assert_eq!(
        edges(&graph),
        [
            "ns.first:1 runtime -> ns.other",
            "ns.first:2 runtime -> ns.other",
            "ns.other:1 runtime -> ext:requests",
        ]
    );
}

#[test]
fn without_the_configured_root_the_namespace_is_lost() {
    let root = fixture("python_roots");
    let (analysis, _) = analysis(&root);
    let graph = build(&analysis, &ResolveSettings::default());
    let names: Vec<String> = names(&graph).into_iter().map(|(n, _)| n).collect();
    // `lib/ns` has no `__init__.py`: each file is a top-level module of its directory, so
    // `ns` looks external and `from . import` climbs above the top.
    assert_eq!(names, ["first", "other"]);
    assert_eq!(
        edges(&graph),
        [
            "first:1 runtime -> ext:ns",
            "first:2 runtime -> unresolved:.other",
            "other:1 runtime -> ext:requests",
        ]
    );
}

#[test]
fn rust_workspace_crates_mod_trees_and_paths() {
    let graph = graph(&fixture("rust_ws"));
    let expected = [
        ("app(bin:app)", "app/src/main.rs"),
        ("app(bin:app)::cli", "app/src/cli/mod.rs"),
        ("app(bin:app)::cli::args", "app/src/cli/args.rs"),
        ("app(bin:tool)", "app/src/bin/tool.rs"),
        ("app(build:script)", "app/build.rs"),
        ("core_lib", "core_lib/src/lib.rs"),
        ("core_lib::model", "core_lib/src/model.rs"),
        ("core_lib::model::shapes", "core_lib/src/model/shapes.rs"),
        // reached by no `mod`: named from its path
        ("core_lib::orphan", "core_lib/src/orphan.rs"),
        // `#[path = "generated/out.rs"] mod out;`, whose `#[path = "../lib.rs"] mod back;`
        // leads back to the visited crate root and stops there
        ("core_lib::out", "core_lib/src/generated/out.rs"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(n, p)| ((*n).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(names(&graph), expected);
    assert_eq!(
        edges(&graph),
        [
            "app(bin:app):2 runtime -> core_lib",
            "app(bin:app):3 runtime -> ext:std",
            "app(bin:app):4 runtime -> ext:serde",
            "app(bin:app)::cli:2 runtime -> app(bin:app)::cli::args",
            "app(bin:app)::cli:4 runtime -> unresolved:super::super::nothing",
            "app(bin:tool):1 runtime -> core_lib::model::shapes",
            // `pub use model::Thing` (a 2018 path through a child module)
            "core_lib:4 runtime -> core_lib::model",
            // `use super::model::Thing` inside the inline `mod inline { }`
            "core_lib:6 runtime -> core_lib::model",
            // `pub use self::shapes::Square`: the re-export chain goes on
            "core_lib::model:2 runtime -> core_lib::model::shapes",
            // `crate::not_a_module::f()`: the longest prefix that is a module is the crate root
            "core_lib::model::shapes:3 runtime -> core_lib",
            // `super::model::Thing` in code, first use only
            "core_lib::out:3 runtime -> core_lib::model",
        ]
    );
}

#[test]
fn a_generated_fifty_module_cycle_is_fifty_edges() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("ring");
    std::fs::create_dir(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    for i in 0..50 {
        let next = (i + 1) % 50;
        let text = format!("\"\"\"Module {i}.\"\"\"\nfrom ring import m{next}\n");
        std::fs::write(pkg.join(format!("m{i}.py")), text).unwrap();
    }
    let graph = graph(dir.path());
    assert_eq!(graph.modules.len(), 51);
    let edges = edges(&graph);
    assert_eq!(edges.len(), 50);
    for i in 0..50 {
        let expected = format!("ring.m{i}:2 runtime -> ring.m{}", (i + 1) % 50);
        assert!(edges.contains(&expected), "missing {expected}");
    }
}

/// The class facts of one file as `class@line: method@line [attributes] [self calls]`.
fn classes(analysis: &Analysis, file: &str) -> Vec<String> {
    let file = analysis
        .files
        .iter()
        .find(|f| f.path == Path::new(file))
        .unwrap();
    let mut out = Vec::new();
    for class in &file.classes {
        out.push(format!("{}@{}", class.qualified_name, class.start_line));
        for m in &class.methods {
            let attributes = m.attributes.join(",");
            let calls = m.self_calls.join(",");
            out.push(format!("  {}@{} [{attributes}] [{calls}]", m.name, m.line));
        }
    }
    out
}

#[test]
fn python_class_facts_leave_out_dunders_static_and_class_methods() {
    let (analysis, _) = analysis(&fixture("classes"));
    assert_eq!(
        classes(&analysis, "cohesion.py"),
        [
            "cohesion.Halves@1",
            "  __init__@2 [a,b] []",
            "  read_a@6 [a] []",
            "  read_b@9 [b] [helper]",
            "  helper@12 [] []",
            "  total@27 [a,b] []",
            // `self.total` in a nested function counts for the method, and names a method
            "  uses_property@30 [] [total]",
            "cohesion.Outer@36",
            "cohesion.Outer.Inner@37",
            "  touch@38 [x] []",
        ]
    );
}

#[test]
fn rust_class_facts_merge_inherent_impls_and_leave_out_trait_impls() {
    let (analysis, _) = analysis(&fixture("classes"));
    assert_eq!(
        classes(&analysis, "cohesion.rs"),
        [
            // `new` takes no `self`; `Display::fmt` is in a trait impl, `Greet::hello` in a trait
            "crate::cohesion::Counter@6",
            "  hit@11 [hits] [log]",
            "  log@16 [] []",
            "  miss@20 [misses] [log]",
            "crate::cohesion::inner::Pair@35",
            "  first@36 [0] []",
        ]
    );
}

#[test]
fn python_roots_config_errors_name_file_line_and_fix() {
    let config = |name: &str| repo().join("fixtures/config").join(name);
    let err = Config::load(&config("python_unknown_key.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("python_unknown_key.toml:4:"), "{err}");
    assert!(err.contains("unknown key `rots` in [python]"), "{err}");
    assert!(err.contains("did you mean `roots`?"), "{err}");
    let err = Config::load(&config("python_roots_not_list.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("python_roots_not_list.toml:4:"), "{err}");
    assert!(err.contains("`roots` must be a list of strings"), "{err}");
}

#[test]
fn deeply_nested_inline_modules_keep_a_bounded_scope() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 2000;
    let mut text = String::new();
    for i in 0..depth {
        text.push_str(&format!("mod m{i} {{ use super::x;\n"));
    }
    text.push_str(&"}".repeat(depth));
    text.push('\n');
    std::fs::write(dir.path().join("deep.rs"), text).unwrap();
    let (analysis, _) = analysis(dir.path());
    let file = &analysis.files[0];
    assert_eq!(file.imports.len(), depth);
    assert_eq!(file.module_declarations.len(), depth);
    let deepest = file.imports.last().unwrap();
    assert_eq!(deepest.line, depth);
    // 16 names at most (as for qualified names), the outermost ones
    assert_eq!(deepest.scope.len(), 16);
    assert_eq!(deepest.scope[0], "m0");
    assert_eq!(file.imports[3].scope, ["m0", "m1", "m2", "m3"]);
}
