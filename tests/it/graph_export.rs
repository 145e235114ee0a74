//! Tests: what `gatecheck graph` draws (the view, collapsed to packages with a depth), its DOT
//! output rendered by Graphviz `dot -Tsvg`, its Mermaid output parsed by Mermaid's own parser
//! (node + `tests/mermaid`, installed by `npm ci --prefix tests/mermaid`), its JSON; and the
//! report's modules, cycles and classes against docs/report.schema.json and promtool. Without
//! one of these tools, what needs it is skipped with a line saying so (tests/it/external.rs).
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use gatecheck::analysis::Analysis;
use gatecheck::config::Config;
use gatecheck::facts::ImportKind::{Deferred, Runtime, TypeOnly};
use gatecheck::graph::architecture::Architecture;
use gatecheck::graph::model::ModuleGraph;
use gatecheck::graph::settings::ArchitectureSettings;
use gatecheck::graph::view::{package_of, view};
use gatecheck::judge;
use gatecheck::report::graph::{dot, json_document, mermaid};
use gatecheck::report::{Report, prometheus};

use crate::graph_support::{class, graph, method, runtime};
use crate::project::repo;

/// A small application: web -> service -> domain, domain.model -> service.orders (deferred,
/// closing a cycle), domain.types -> web.forms (type-only: no cycle), and an external import.
fn app() -> ModuleGraph {
    graph(&[
        (
            "app.web.views",
            &runtime(&["app.web.forms", "app.service.orders", "flask"]),
        ),
        ("app.web.forms", &runtime(&["app.domain.types"])),
        ("app.service.orders", &[("app.domain.model", 3, Runtime)]),
        (
            "app.domain.model",
            &[
                ("app.domain.types", 1, Runtime),
                ("app.service.orders", 12, Deferred),
            ],
        ),
        ("app.domain.types", &[("app.web.forms", 5, TypeOnly)]),
    ])
}

fn edges(v: &gatecheck::graph::view::View) -> Vec<(String, String, bool)> {
    v.edges
        .iter()
        .map(|e| {
            (
                v.nodes[e.from].name.clone(),
                v.nodes[e.to].name.clone(),
                e.in_cycle,
            )
        })
        .collect()
}

#[test]
fn the_view_marks_cycle_edges_but_not_type_only_ones() {
    let v = view(&app(), &ArchitectureSettings::default(), None);
    let names: Vec<&str> = v.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "app.domain.model",
            "app.domain.types",
            "app.service.orders",
            "app.web.forms",
            "app.web.views"
        ]
    );
    let cyclic: Vec<bool> = v.nodes.iter().map(|n| n.in_cycle).collect();
    assert_eq!(cyclic, [true, false, true, false, false]);
    let s = |a: &str, b: &str, c: bool| (a.to_owned(), b.to_owned(), c);
    assert_eq!(
        edges(&v),
        [
            s("app.domain.model", "app.domain.types", false),
            s("app.domain.model", "app.service.orders", true),
            s("app.domain.types", "app.web.forms", false),
            s("app.service.orders", "app.domain.model", true),
            s("app.web.forms", "app.domain.types", false),
            s("app.web.views", "app.service.orders", false),
            s("app.web.views", "app.web.forms", false),
        ]
    );
    // With type-only imports in cycles, forms <-> types is a cycle too.
    let settings = ArchitectureSettings {
        type_only_in_cycles: true,
        ..ArchitectureSettings::default()
    };
    assert_eq!(view(&app(), &settings, None).cycles.len(), 2);
}

#[test]
fn depth_collapses_modules_into_packages() {
    assert_eq!(package_of("app.web.views", 2), "app.web");
    assert_eq!(package_of("core::a::b", 2), "core::a");
    assert_eq!(package_of("single", 3), "single");
    let v = view(&app(), &ArchitectureSettings::default(), Some(2));
    let nodes: Vec<(&str, &str, usize, usize)> = v
        .nodes
        .iter()
        .map(|n| {
            (
                n.name.as_str(),
                n.path.to_str().unwrap_or("?"),
                n.fan_out,
                n.fan_in,
            )
        })
        .collect();
    assert_eq!(
        nodes,
        [
            ("app.domain", "app/domain", 2, 2),
            ("app.service", "app/service", 1, 2),
            ("app.web", "app/web", 2, 1),
        ]
    );
    let s = |a: &str, b: &str, c: bool| (a.to_owned(), b.to_owned(), c);
    // Package level: domain <-> service is a cycle (runtime + deferred); domain -> web is
    // type-only, so web <-> domain is not.
    assert_eq!(
        edges(&v),
        [
            s("app.domain", "app.service", true),
            s("app.domain", "app.web", false),
            s("app.service", "app.domain", true),
            s("app.web", "app.domain", false),
            s("app.web", "app.service", false),
        ]
    );
    assert_eq!(v.edges[3].imports, 1);
}

/// Pipes `input` into `program args`; returns (success, stdout + stderr).
fn pipe(program: &str, args: &[&str], input: &str, install: &str) -> (bool, String) {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("`{program}` is needed by this test ({e}); {install}"));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write input");
    let output = child.wait_with_output().expect("the tool runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn dot_output_renders_with_graphviz() {
    require_tool!(Dot);
    let settings = ArchitectureSettings::default();
    for depth in [None, Some(2), Some(1)] {
        let text = dot(&view(&app(), &settings, depth));
        let (ok, svg) = pipe(
            "dot",
            &["-Tsvg"],
            &text,
            "install Graphviz: apt-get install -y graphviz (.ci/run does)",
        );
        assert!(ok && svg.contains("<svg"), "dot rejects:\n{text}\n{svg}");
        if depth.is_none() {
            // Two cycle edges and two cycle nodes, drawn in the cycle colour.
            assert_eq!(
                svg.matches("stroke=\"#d62728\"").count(),
                2 + 2 * 2,
                "{svg}"
            );
        }
    }
    insta::assert_snapshot!("graph_dot", dot(&view(&app(), &settings, None)));
}

#[test]
fn dot_ids_are_quoted_and_escaped() {
    require_tool!(Dot);
    let g = graph(&[("we\"ird", &runtime(&["b\\c"])), ("b\\c", &[])]);
    let text = dot(&view(&g, &ArchitectureSettings::default(), None));
    assert!(text.contains(r#""we\"ird" -> "b\\c""#), "{text}");
    let (ok, out) = pipe("dot", &["-Tsvg"], &text, "apt-get install -y graphviz");
    assert!(ok, "{out}");
}

/// Parses `text` with Mermaid's own parser; returns (accepted, its message).
fn mermaid_parse(text: &str) -> (bool, String) {
    let script = repo().join("tests/mermaid/check.mjs");
    assert!(
        repo().join("tests/mermaid/node_modules/mermaid").is_dir(),
        "Mermaid is not installed for the tests: run `npm ci --prefix tests/mermaid` (needs \
         node and npm; .ci/run does it)"
    );
    pipe(
        "node",
        &[&script.to_string_lossy()],
        text,
        "install Node.js 20 and npm, then `npm ci --prefix tests/mermaid`",
    )
}

#[test]
fn mermaid_output_is_valid_for_mermaids_parser() {
    require_tool!(Mermaid);
    let settings = ArchitectureSettings::default();
    let text = mermaid(&view(&app(), &settings, None));
    let collapsed = mermaid(&view(&app(), &settings, Some(2)));
    let odd = mermaid(&view(
        &graph(&[("a\"b", &runtime(&["c::d"])), ("c::d", &runtime(&["a\"b"]))]),
        &settings,
        None,
    ));
    for diagram in [&text, &collapsed, &odd] {
        let (ok, message) = mermaid_parse(diagram);
        assert!(
            ok && message.starts_with("ok flowchart"),
            "{message}\n{diagram}"
        );
    }
    // The validator is real: it rejects a broken diagram.
    let (ok, message) = mermaid_parse("flowchart LR\n  m0[\"a\" --> m1\n");
    assert!(!ok && message.contains("Parse error"), "{message}");
    insta::assert_snapshot!("graph_mermaid", text);
}

#[test]
fn mermaid_refuses_more_than_500_edges_and_gatecheck_warns_about_it() {
    require_tool!(Mermaid);
    let g = crate::graph_support::ring(501, true);
    let text = mermaid(&view(&g, &ArchitectureSettings::default(), None));
    let (ok, message) = mermaid_parse(&text);
    assert!(!ok && message.contains("Edge limit exceeded"), "{message}");
    assert_eq!(gatecheck::report::graph::mermaid_edge_warning(500), None);
    let warning = gatecheck::report::graph::mermaid_edge_warning(501).expect("a warning");
    assert!(
        warning.contains("501 edges") && warning.contains("--depth"),
        "{warning}"
    );
}

#[test]
fn graph_json_names_nodes_edges_and_cycles() {
    let v = view(&app(), &ArchitectureSettings::default(), None);
    insta::assert_json_snapshot!("graph_json", json_document(&v, None));
    let doc = serde_json::to_value(json_document(&v, None)).expect("serialize");
    // The same cycle shape as the check report's `cycles`: one step per import.
    let steps: Vec<(&str, &str, u64)> = doc["cycles"][0]["path"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            let text = |k: &str| s[k].as_str().unwrap_or_default();
            (text("from"), text("to"), s["line"].as_u64().unwrap_or(0))
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("app.domain.model", "app.service.orders", 12),
            ("app.service.orders", "app.domain.model", 3)
        ]
    );
}

/// A report of no files plus the architecture of [`app`] and one class of two halves.
fn report() -> Report {
    let analysis = Analysis {
        root: PathBuf::from("."),
        files: Vec::new(),
        diagnostics: Vec::new(),
        ignored: Vec::new(),
        duration: Duration::from_millis(5),
    };
    let classes = vec![(
        PathBuf::from("app/domain/model.py"),
        class(
            "app.domain.model.Order",
            20,
            vec![
                method("total", 21, &["lines"], &[]),
                method("add", 24, &["lines"], &[]),
                method("render", 27, &["template"], &[]),
                method("send", 30, &["template"], &[]),
            ],
        ),
    )];
    let config = Config::default();
    let arch = Architecture::analyze(app(), Some(classes), &config.architecture);
    let sources = judge::Sources {
        files: Some(&analysis.files),
        architecture: Some(&arch),
        ..judge::Sources::default()
    };
    let results = judge::decide(
        &judge::findings(&sources, &config),
        &config,
        &analysis.files,
    );
    Report::new((&analysis).into(), &results, None).with_architecture(&arch)
}

#[test]
fn the_report_lists_modules_cycles_and_classes_in_the_schema() {
    let json = serde_json::to_value(report()).expect("serialize");
    crate::reports::assert_valid(&json, "a report with a module graph");
    assert_eq!(json["modules"].as_array().map(Vec::len), Some(5));
    let views = &json["modules"][4];
    assert_eq!(views["name"], "app.web.views");
    assert_eq!(
        (views["fan_out"].as_u64(), views["fan_in"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(views["imports"][2]["resolution"], "external");
    assert_eq!(views["imports"][2]["resolved"], "flask");
    assert_eq!(
        json["cycles"][0]["path"][1],
        serde_json::json!({"from": "app.service.orders", "to": "app.domain.model",
                           "file": "app/service/orders.py", "line": 3})
    );
    assert_eq!(json["classes"][0]["lcom4"], 2);
    assert_eq!(json["classes"][0]["low_cohesion"], true);
    let status = |key: &str| {
        json["gates"]
            .as_array()
            .and_then(|g| g.iter().find(|g| g["gate"] == key))
            .map(|g| g["status"].clone())
    };
    assert_eq!(status("circular_dependencies"), Some("failed".into()));
    assert_eq!(status("single_responsibility"), Some("failed".into()));
    assert_eq!(status("max_dependencies_per_module"), Some("passed".into()));
    assert_eq!(status("layers"), Some("not_measured".into()));
    let parts = serde_json::json!({
        "modules": json["modules"], "cycles": json["cycles"], "classes": json["classes"],
    });
    insta::assert_json_snapshot!("graph_report_parts", parts);
}

#[test]
fn the_graph_metrics_pass_promtool_and_match_the_report() {
    let mut buffer = Vec::new();
    prometheus::write(&report(), &mut buffer).expect("write metrics");
    let text = String::from_utf8(buffer).expect("UTF-8");
    crate::prometheus::assert_promtool_accepts(&text, "a report with a module graph");
    for line in [
        "gatecheck_modules{language=\"python\"} 5",
        "gatecheck_modules{language=\"rust\"} 0",
        "gatecheck_import_cycles 1",
        "gatecheck_modules_in_cycles 2",
        "gatecheck_classes_low_cohesion 1",
        // max_dependencies_per_module = 5 is a bucket bound; fan-outs are 1,1,1,2,2.
        "gatecheck_module_fan_out_bucket{language=\"python\",le=\"5\"} 5",
        "gatecheck_module_fan_out_bucket{language=\"python\",le=\"1\"} 3",
        "gatecheck_module_fan_out_sum{language=\"python\"} 7",
    ] {
        assert!(text.lines().any(|l| l == line), "`{line}` missing:\n{text}");
    }
    assert!(text.contains("# HELP gatecheck_module_fan_out Fan-out of each module"));
}

#[test]
fn the_text_report_names_the_cycle_and_the_method_groups() {
    let mut buffer = Vec::new();
    gatecheck::report::text::write(&report(), &mut buffer, false).expect("write text");
    let text = String::from_utf8(buffer).expect("UTF-8");
    for line in [
        "app/domain/model.py:12: circular_dependencies: app.domain.model -> app.service.orders \
         -> app.domain.model: cycle of 2 modules",
        "app/domain/model.py:20: single_responsibility: app.domain.model.Order: LCOM4 2, groups: \
         total, add | render, send",
    ] {
        assert!(text.lines().any(|l| l == line), "`{line}` missing:\n{text}");
    }
}

#[test]
fn without_a_graph_the_report_and_metrics_have_no_graph_parts() {
    let analysis = Analysis {
        root: PathBuf::from("."),
        files: Vec::new(),
        diagnostics: Vec::new(),
        ignored: Vec::new(),
        duration: Duration::from_millis(5),
    };
    let config = Config::default();
    let sources = judge::Sources {
        files: Some(&analysis.files),
        ..judge::Sources::default()
    };
    let results = judge::decide(
        &judge::findings(&sources, &config),
        &config,
        &analysis.files,
    );
    let report = Report::new((&analysis).into(), &results, None);
    let json = serde_json::to_value(&report).expect("serialize");
    assert!(
        json.get("modules").is_none() && json.get("cycles").is_none(),
        "{json}"
    );
    let mut buffer = Vec::new();
    prometheus::write(&report, &mut buffer).expect("write metrics");
    let text = String::from_utf8(buffer).expect("UTF-8");
    assert!(!text.contains("gatecheck_import_cycles"), "{text}");
}
