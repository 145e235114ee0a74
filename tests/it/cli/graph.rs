//! CLI tests: `gatecheck graph` arguments and outputs on a real tree, and `check` reporting
//! the cycle it draws; the formats in detail are tested on hand-built graphs in
//! graph_export.rs.

use super::{Tree, report_in, run_in};

#[test]
fn graph_lists_its_formats_and_rejects_depth_zero() {
    let tree = Tree::new();
    tree.write("a.py", "import b\n").write("b.py", "");
    let help = run_in(tree.root(), &["graph", "--help"]);
    assert_eq!(help.code, 0, "{}", help.describe());
    for word in ["dot", "mermaid", "json", "--depth", "--output"] {
        assert!(
            help.stdout.contains(word),
            "{word} missing:\n{}",
            help.stdout
        );
    }
    let zero = run_in(tree.root(), &["graph", "--depth", "0"]);
    assert_eq!(zero.code, 2, "{}", zero.describe());
    assert!(
        zero.stderr.contains("--depth must be 1 or more"),
        "{}",
        zero.describe()
    );
    let bad = run_in(tree.root(), &["graph", "--format", "png"]);
    assert_eq!(bad.code, 2, "{}", bad.describe());
}

#[test]
fn graph_writes_json_dot_and_files_and_check_reports_the_cycle() {
    let tree = Tree::new();
    tree.write("pkg/__init__.py", "")
        .write("pkg/a.py", "import os\nfrom pkg import b\n")
        .write("pkg/b.py", "\n\nimport pkg.a\n")
        .write("pkg/c.py", "from . import a\n");
    let run = run_in(tree.root(), &["graph", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    // One cycle shape in every JSON document: the steps, each with its file and line.
    assert_eq!(
        doc["cycles"][0]["path"],
        serde_json::json!([
            {"from": "pkg.a", "to": "pkg.b", "file": "pkg/a.py", "line": 2},
            {"from": "pkg.b", "to": "pkg.a", "file": "pkg/b.py", "line": 3},
        ]),
        "{doc}"
    );
    let edges: Vec<(String, String, bool)> = doc["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (text("from"), text("to"), e["in_cycle"] == true)
        })
        .collect();
    let e = |a: &str, b: &str, c: bool| (a.to_owned(), b.to_owned(), c);
    assert_eq!(
        edges,
        [
            e("pkg.a", "pkg.b", true),
            e("pkg.b", "pkg.a", true),
            e("pkg.c", "pkg.a", false)
        ]
    );

    let out = run_in(tree.root(), &["graph", "--depth", "1", "-o", "g.dot"]);
    assert_eq!(out.code, 0, "{}", out.describe());
    assert!(out.stdout.is_empty(), "{}", out.describe());
    assert!(
        tree.read("g.dot").starts_with("digraph modules {"),
        "{}",
        tree.read("g.dot")
    );

    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1, "the cycle fails circular_dependencies: {report}");
    assert_eq!(
        report["cycles"][0]["path"][1],
        serde_json::json!({"from": "pkg.b", "to": "pkg.a", "file": "pkg/b.py", "line": 3})
    );
}

#[test]
fn a_large_graph_is_collapsed_into_packages_by_default_and_says_so() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "");
    for package in ["alpha", "beta", "gamma"] {
        tree.write(&format!("{package}/__init__.py"), "");
        for i in 0..50 {
            let next = (i + 1) % 50;
            tree.write(
                &format!("{package}/m{i}.py"),
                &format!("from {package} import m{next}\n"),
            );
        }
    }
    let run = run_in(tree.root(), &["graph", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    // The three `__init__` modules import nothing and nobody imports them: left out.
    assert!(
        run.stderr.contains("3 modules that import no module"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("150 modules collapsed into packages of 1 name segment(s)"),
        "{}",
        run.stderr
    );
    let doc = run.json();
    assert_eq!(doc["depth"], 1);
    assert_eq!(doc["nodes"].as_array().map(Vec::len), Some(3), "{doc}");
    let full = run_in(tree.root(), &["graph", "--format", "json", "--full"]);
    assert_eq!(full.json()["nodes"].as_array().map(Vec::len), Some(153));
    assert!(full.stderr.is_empty(), "{}", full.stderr);
}
