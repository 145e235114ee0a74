//! Tests: every reported path is relative to one project root (the configuration's directory,
//! else the git top level, else the current directory) whatever is asked and from where, in
//! every format; and a subset of the project is never judged greener than the whole (its
//! architecture gates see the whole project's module graph).

use std::path::Path;

use super::{Tree, py_complex, run_in};

/// A git work tree (a `.git` directory is all `gatecheck` looks for) holding `src/pkg/mod.py`
/// with one function over the complexity limit.
fn repository() -> Tree {
    let tree = Tree::new();
    fs_mkdir(&tree.path(".git"));
    tree.write("src/pkg/__init__.py", "")
        .write("src/pkg/mod.py", &py_complex("decide", 12));
    tree
}

fn fs_mkdir(path: &Path) {
    std::fs::create_dir_all(path).expect("mkdir");
}

/// The path the violation is reported at, in each format, for `gatecheck check <args>` run in
/// `dir`.
fn reported_paths(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for format in ["text", "json", "sarif", "github"] {
        let mut all = vec!["check", "--format", format];
        all.extend_from_slice(args);
        let run = run_in(dir, &all);
        assert_eq!(run.code, 1, "{format} {args:?}: {}", run.describe());
        found.push((format.to_owned(), path_in(format, &run.stdout)));
    }
    found
}

/// The violation's path as `format` writes it.
fn path_in(format: &str, out: &str) -> String {
    let after = |marker: &str, end: char| {
        out.split_once(marker)
            .and_then(|(_, rest)| rest.split(end).next())
            .unwrap_or("(none)")
            .to_owned()
    };
    match format {
        "text" => out
            .lines()
            .find(|l| l.contains("decide"))
            .and_then(|l| l.split(':').next())
            .unwrap_or("(none)")
            .to_owned(),
        "json" => {
            let report: serde_json::Value = serde_json::from_str(out).expect("JSON");
            report["gates"]
                .as_array()
                .expect("gates")
                .iter()
                .find(|g| g["gate"] == "max_complexity")
                .and_then(|g| g["violations"][0]["path"].as_str())
                .unwrap_or("(none)")
                .to_owned()
        }
        "sarif" => {
            let log: serde_json::Value = serde_json::from_str(out).expect("SARIF");
            let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
            assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or("(none)")
                .to_owned()
        }
        "github" => after("file=", ','),
        _ => unreachable!(),
    }
}

#[test]
fn every_format_names_the_file_from_the_repository_root() {
    let tree = repository();
    let expected = "src/pkg/mod.py";
    for (dir, args) in [
        (".", vec!["src"]),
        (".", vec!["src/pkg/mod.py"]),
        (".", vec!["."]),
        (".", vec![]),
        ("src", vec!["pkg/mod.py"]),
        ("src", vec!["."]),
        ("src/pkg", vec!["mod.py"]),
    ] {
        let dir = tree.path(dir);
        for (format, path) in reported_paths(&dir, &args) {
            assert_eq!(path, expected, "{format}, {args:?} from {}", dir.display());
        }
        // JUnit names the file in each failure's description: `path:line: gate: ...`.
        let junit = run_in(&dir, &[&["check", "--format", "junit"][..], &args].concat());
        assert!(
            junit
                .stdout
                .contains(&format!("{expected}:1: max_complexity")),
            "{}",
            junit.stdout
        );
    }
}

#[test]
fn the_configuration_directory_is_the_root_when_there_is_one() {
    let tree = repository();
    tree.write("src/gatecheck.toml", "");
    let run = run_in(&tree.path("src"), &["check", "--format", "github", "pkg"]);
    assert!(run.stdout.contains("file=pkg/mod.py,"), "{}", run.stdout);
}

#[test]
fn a_subset_is_judged_on_the_whole_projects_graph() {
    let tree = repository();
    // hub.py imports six modules of the project: fan-out 6 > 5.
    let mut hub = String::new();
    for i in 0..6 {
        tree.write(&format!("src/pkg/m{i}.py"), "X = 1\n");
        hub.push_str(&format!("from pkg import m{i}\n"));
    }
    tree.write("src/pkg/hub.py", &hub)
        .write("src/pkg/a.py", "from pkg import b\n")
        .write("src/pkg/b.py", "from pkg import a\n");
    let root = tree.root();
    let gate_of = |args: &[&str], key: &str| {
        let run = run_in(root, &[&["check", "--format", "json"][..], args].concat());
        let report = run.json();
        report["gates"]
            .as_array()
            .expect("gates")
            .iter()
            .find(|g| g["gate"] == key)
            .cloned()
            .expect("the gate")
    };
    let fan_out = gate_of(&["src/pkg/hub.py"], "max_dependencies_per_module");
    assert_eq!(fan_out["status"], "failed", "{fan_out}");
    assert_eq!(
        fan_out["checked"], 1,
        "only the module asked for is reported: {fan_out}"
    );
    // One file of a two-module cycle: the cycle is still found, at that file.
    let cycles = gate_of(&["src/pkg/b.py"], "circular_dependencies");
    assert_eq!(cycles["status"], "failed", "{cycles}");
    assert_eq!(cycles["violations"][0]["path"], "src/pkg/b.py", "{cycles}");
    // A subset without architecture problems passes them, and reports only its own files.
    let run = run_in(root, &["check", "--format", "json", "src/pkg/m0.py"]);
    let report = run.json();
    assert_eq!(report["summary"]["files"], 1, "{report}");
}
