//! Tests: the directories left out by default (virtual environments, build output, caches,
//! installed packages), ruff's semantics for `exclude` (replaces them) and `extend_exclude`
//! (adds to them), and `--no-default-excludes`.

use super::{Tree, file_paths, report_in};

/// A project whose own code is `src/pkg/mod.py`, next to everything a real checkout holds.
fn checkout(config: &str) -> Tree {
    let tree = Tree::new();
    let code = "def f():\n    return 1\n";
    tree.write("gatecheck.toml", config)
        .write("src/pkg/__init__.py", "")
        .write("src/pkg/mod.py", code)
        .write("venv/lib/python3.11/site-packages/dep/core.py", code)
        .write("build/lib/pkg/mod.py", code)
        .write("dist/pkg/mod.py", code)
        .write(".tox/py311/lib/x.py", code)
        .write("src/pkg.egg-info/setup.py", code)
        .write("node_modules/left/pad.py", code)
        .write("target/debug/build/x/out.rs", "fn f() {}\n")
        .write("src/pkg/__pycache__/cached.py", code)
        // A virtual environment under any name is found by its pyvenv.cfg.
        .write("tools/myenv/pyvenv.cfg", "home = /usr/bin\n")
        .write("tools/myenv/lib/dep.py", code);
    tree
}

const OWN: [&str; 2] = ["src/pkg/__init__.py", "src/pkg/mod.py"];

#[test]
fn virtual_environments_build_output_and_caches_are_left_out_by_default() {
    let tree = checkout("");
    let (_, report) = report_in(tree.root(), &[]);
    assert_eq!(file_paths(&report), OWN);
}

#[test]
fn extend_exclude_adds_to_the_defaults() {
    let tree = checkout("extend_exclude = [\"src/pkg/__init__.py\"]\n");
    let (_, report) = report_in(tree.root(), &[]);
    assert_eq!(file_paths(&report), ["src/pkg/mod.py"]);
}

#[test]
fn exclude_replaces_the_defaults_as_in_ruff() {
    let tree = checkout("exclude = [\"venv/\", \"tools/\"]\n");
    let (_, report) = report_in(tree.root(), &[]);
    let paths = file_paths(&report);
    assert!(
        paths.contains(&"build/lib/pkg/mod.py".to_owned()),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.starts_with("venv/")), "{paths:?}");
    // A pyvenv.cfg is still recognised: only --no-default-excludes turns that off.
    assert!(!paths.iter().any(|p| p.starts_with("tools/")), "{paths:?}");
}

#[test]
fn no_default_excludes_analyses_everything_not_hidden() {
    let tree = checkout("");
    let (_, report) = report_in(tree.root(), &["--no-default-excludes"]);
    let paths = file_paths(&report);
    for expected in [
        "build/lib/pkg/mod.py",
        "venv/lib/python3.11/site-packages/dep/core.py",
        "tools/myenv/lib/dep.py",
        "target/debug/build/x/out.rs",
    ] {
        assert!(
            paths.contains(&expected.to_owned()),
            "{expected}: {paths:?}"
        );
    }
    // Hidden directories stay out (the walker skips hidden entries).
    assert!(!paths.iter().any(|p| p.starts_with(".tox/")), "{paths:?}");
}

#[test]
fn a_default_excluded_directory_named_on_the_command_line_is_analysed() {
    let tree = checkout("");
    let (_, report) = report_in(tree.root(), &["build"]);
    assert_eq!(file_paths(&report), ["build/lib/pkg/mod.py"]);
}
