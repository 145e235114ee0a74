//! CLI tests: configuration discovery — gatecheck.toml in a parent directory,
//! `[tool.gatecheck]` in pyproject.toml, `[package|workspace.metadata.gatecheck]` in Cargo.toml,
//! files without a gatecheck table passed over, precedence, and `--config`.

use super::{Tree, file_paths, items, py_complex, report_in, rs_complex, run_in, threshold};

#[test]
fn gatecheck_toml_in_a_parent_directory_is_found() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write("a/b/calc.py", &py_complex("decide", 4));

    // From the root, naming a subdirectory.
    let (code, report) = report_in(tree.root(), &["a/b"]);
    assert_eq!(code, 1);
    assert_eq!(
        report["config"].as_str(),
        Some(tree.path("gatecheck.toml").to_str().expect("utf-8"))
    );
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
    assert_eq!(
        items(&report, "max_complexity", "violations"),
        vec![("calc.decide".to_owned(), 4)]
    );

    // From the subdirectory itself.
    let (code, report) = report_in(&tree.path("a/b"), &[]);
    assert_eq!(code, 1);
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
}

#[test]
fn pyproject_tool_gatecheck_is_read() {
    let tree = Tree::new();
    tree.write(
        "pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.black]\nline-length = 100\n\n\
         [tool.gatecheck]\nexclude = [\"build/\"]\n\n[tool.gatecheck.code_quality]\nmax_complexity = 3\n",
    )
    .write("demo/calc.py", &py_complex("decide", 4))
    .write("build/calc.py", &py_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("pyproject.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
    assert_eq!(file_paths(&report), vec!["demo/calc.py"]);
}

#[test]
fn cargo_package_metadata_gatecheck_is_read() {
    let tree = Tree::new();
    tree.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [package.metadata.gatecheck.code_quality]\nmax_complexity = 3\n",
    )
    .write("src/lib.rs", &rs_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("Cargo.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
    assert_eq!(
        items(&report, "max_complexity", "violations"),
        // Rust names start with the crate's name, as the module graph's do.
        vec![("demo::decide".to_owned(), 4)]
    );
}

#[test]
fn cargo_workspace_metadata_gatecheck_is_read() {
    let tree = Tree::new();
    tree.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n\
         [workspace.metadata.gatecheck.code_quality]\nmax_complexity = 3\n",
    )
    .write("crates/one/src/lib.rs", &rs_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("Cargo.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
}

#[test]
fn a_manifest_without_a_gatecheck_table_ends_the_search_with_the_defaults() {
    // A pyproject.toml or Cargo.toml is the project's own manifest: without a gatecheck table
    // it means the defaults, and the search does not climb past it to a parent's file.
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write(
            "py/pyproject.toml",
            "[project]\nname = \"py\"\n\n[tool.ruff]\nline-length = 100\n",
        )
        .write("py/calc.py", &py_complex("decide", 4))
        .write(
            "rs/Cargo.toml",
            "[package]\nname = \"rs\"\nversion = \"0.1.0\"\n",
        )
        .write("rs/src/lib.rs", &rs_complex("decide", 4));
    for dir in ["py", "rs"] {
        let (code, report) = report_in(&tree.path(dir), &[]);
        assert_eq!(code, 0, "{dir}: {report}");
        assert_eq!(report["config"], serde_json::Value::Null, "{dir}: {report}");
        assert_eq!(threshold(&report, "max_complexity"), 10.0, "{dir}");
    }
}

#[test]
fn gatecheck_toml_wins_over_pyproject_in_the_same_directory() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write(
            "pyproject.toml",
            "[tool.gatecheck.code_quality]\nmax_complexity = 30\n",
        )
        .write("calc.py", &py_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("gatecheck.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 3.0);
}

#[test]
fn the_nearest_config_wins() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write(
            "sub/pyproject.toml",
            "[tool.gatecheck.code_quality]\nmax_complexity = 30\n",
        )
        .write("sub/calc.py", &py_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &["sub"]);
    assert_eq!(code, 0);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("sub/pyproject.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 30.0);
}

#[test]
fn config_flag_wins_over_discovery() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write(
            "elsewhere/strict.toml",
            "[code_quality]\nmax_complexity = 20\n",
        )
        .write("calc.py", &py_complex("decide", 4));
    let (code, report) = report_in(tree.root(), &["--config", "elsewhere/strict.toml"]);
    assert_eq!(code, 0);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("strict.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 20.0);

    // A named pyproject.toml must have the table: it is not passed over.
    tree.write("elsewhere/pyproject.toml", "[project]\nname = \"x\"\n");
    let run = run_in(
        tree.root(),
        &["check", "--config", "elsewhere/pyproject.toml"],
    );
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("pyproject.toml") && run.stderr.contains("[tool.gatecheck]"),
        "{}",
        run.describe()
    );
}
