//! Tests: where a configuration may come from. The upward search stops at the repository
//! (`.git`) and refuses a file another user could have planted; a configuration that is not a
//! regular file is an error; a sub-project's own configuration sets the thresholds of its
//! files; `[performance]` commands never run from a file found outside the work tree.

use std::os::unix::fs::PermissionsExt;

use super::{Tree, gate, py_complex, report_in, run_in, threshold};

#[test]
fn the_search_stops_at_the_repository() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write("repo/app.py", &py_complex("decide", 4));
    std::fs::create_dir(tree.path("repo/.git")).expect("mkdir");
    let (code, report) = report_in(&tree.path("repo"), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["config"], serde_json::Value::Null);
    assert_eq!(threshold(&report, "max_complexity"), 10.0);
}

#[test]
fn a_configuration_in_a_directory_anyone_may_write_is_refused() {
    let tree = Tree::new();
    tree.write(
        "shared/gatecheck.toml",
        "[code_quality]\nmax_complexity = 99\n",
    )
    .write("shared/project/app.py", &py_complex("decide", 4));
    std::fs::set_permissions(tree.path("shared"), std::fs::Permissions::from_mode(0o777))
        .expect("chmod");
    let run = run_in(&tree.path("shared/project"), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("writable by every user"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--config"), "{}", run.stderr);
    // Named explicitly, it is used.
    let named = tree.path("shared/gatecheck.toml");
    let run = run_in(
        &tree.path("shared/project"),
        &["check", "--config", named.to_str().expect("UTF-8")],
    );
    assert_eq!(run.code, 0, "{}", run.describe());
}

#[test]
fn another_users_configuration_is_refused() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped another_users_configuration_is_refused: needs root to chown a file");
        return;
    }
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 99\n")
        .write("project/app.py", "x = 1\n");
    let nobody = nix::unistd::Uid::from_raw(65_534);
    std::os::unix::fs::chown(tree.path("gatecheck.toml"), Some(nobody.as_raw()), None)
        .expect("chown");
    let run = run_in(&tree.path("project"), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("belongs to user id 65534"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_configuration_that_is_not_a_regular_file_is_an_error() {
    let tree = Tree::new();
    tree.write("app.py", "x = 1\n");
    std::os::unix::fs::symlink("/dev/zero", tree.path("gatecheck.toml")).expect("symlink");
    let run = run_in(tree.root(), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
}

#[test]
fn a_sub_projects_configuration_sets_the_thresholds_of_its_files() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "[code_quality]\nmax_complexity = 3\n")
        .write("top.py", &py_complex("top", 5))
        .write(
            "crates/legacy/pyproject.toml",
            "[tool.gatecheck.code_quality]\nmax_complexity = 20\n",
        )
        .write("crates/legacy/old.py", &py_complex("old", 5));
    let (_, report) = report_in(tree.root(), &[]);
    let violations: Vec<&str> = gate(&report, "max_complexity")["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["path"].as_str())
        .collect();
    assert_eq!(violations, ["top.py"], "{report}");
}

#[test]
fn performance_commands_never_run_from_a_configuration_found_above_the_work_tree() {
    let tree = Tree::new();
    tree.write(
        "gatecheck.toml",
        "[[performance.startup]]\nname = \"planted\"\ncommand = [\"touch\", \"ran\"]\n",
    );
    std::fs::create_dir(tree.path("work")).expect("mkdir");
    let run = run_in(&tree.path("work"), &["perf", "run"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("does not run [performance] commands"),
        "{}",
        run.stderr
    );
    assert!(!tree.path("work/ran").exists() && !tree.path("ran").exists());
}

#[test]
fn show_config_says_where_each_threshold_comes_from() {
    let tree = Tree::new();
    tree.write(
        "gatecheck.toml",
        "[code_quality]\nmax_complexity = 12\n\n[[overrides]]\npaths = [\"tests/**\"]\n\
         max_function_length = 100\n",
    )
    .write("tests/test_x.py", "def test_x():\n    pass\n");
    let run = run_in(tree.root(), &["check", "--show-config", "tests/test_x.py"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let line = |key: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{key} ")))
            .unwrap_or_else(|| panic!("{key} missing:\n{}", run.stdout))
            .to_owned()
    };
    assert!(
        line("max_complexity").contains("12") && line("max_complexity").ends_with("gatecheck.toml")
    );
    assert!(
        line("max_function_length").contains("[[overrides]] entry 1"),
        "{}",
        run.stdout
    );
    assert!(line("max_nesting").ends_with("default"), "{}", run.stdout);
}
