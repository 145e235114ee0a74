//! CLI tests: bad configuration — unknown keys, keys in the wrong section, wrong types, invalid
//! TOML, negative thresholds, overrides without paths, and errors in discovered pyproject.toml
//! and Cargo.toml tables: exit 2 with a message naming the file and line.

use super::{Tree, config_fixture, run_in};

/// Runs `check --config fixtures/config/NAME` and returns stderr, asserting exit 2 and no stdout.
fn config_error(name: &str) -> String {
    let tree = Tree::new();
    tree.write("a.py", "x = 1\n");
    let file = config_fixture(name);
    let run = run_in(
        tree.root(),
        &["check", "--config", file.to_str().expect("utf-8")],
    );
    assert_eq!(run.code, 2, "{name}: {}", run.describe());
    assert!(run.stdout.is_empty(), "{name}: {}", run.describe());
    assert!(
        !run.stderr.contains("panicked"),
        "{name}: {}",
        run.describe()
    );
    assert!(
        run.stderr.contains(&format!("{name}:")),
        "{name}: the message does not name the file: {}",
        run.describe()
    );
    run.stderr
}

#[test]
fn unknown_key_names_file_line_key_and_closest_key() {
    let err = config_error("unknown_key.toml");
    assert!(err.contains("unknown_key.toml:5:"), "{err}");
    assert!(err.contains("`max_function_lenght`"), "{err}");
    assert!(err.contains("did you mean `max_function_length`"), "{err}");

    let err = config_error("unknown_top_level_key.toml");
    assert!(err.contains("unknown_top_level_key.toml:2:"), "{err}");
    assert!(
        err.contains("`exclud`") && err.contains("did you mean `exclude`"),
        "{err}"
    );

    let err = config_error("override_unknown_key.toml");
    assert!(err.contains("override_unknown_key.toml:5:"), "{err}");
    assert!(
        err.contains("`max_complexty`") && err.contains("did you mean `max_complexity`"),
        "{err}"
    );
}

#[test]
fn key_in_the_wrong_section_names_the_right_one() {
    let err = config_error("wrong_section.toml");
    assert!(err.contains("wrong_section.toml:4:"), "{err}");
    assert!(err.contains("`max_complexity`"), "{err}");
    assert!(
        err.contains("[code_quality]"),
        "the message should say where the key belongs: {err}"
    );
}

#[test]
fn wrong_type_names_line_and_expected_type() {
    let err = config_error("wrong_type.toml");
    assert!(err.contains("wrong_type.toml:5:"), "{err}");
    assert!(
        err.contains("`max_complexity`") && err.contains("whole number") && err.contains("string"),
        "{err}"
    );

    let err = config_error("wrong_type_flag.toml");
    assert!(err.contains("wrong_type_flag.toml:4:"), "{err}");
    assert!(
        err.contains("`circular_dependencies`") && err.contains("true or false"),
        "{err}"
    );

    let err = config_error("fractional_count.toml");
    assert!(err.contains("fractional_count.toml:4:"), "{err}");
    assert!(
        err.contains("`max_nesting`") && err.contains("whole number"),
        "{err}"
    );

    let err = config_error("section_not_table.toml");
    assert!(err.contains("section_not_table.toml:2:"), "{err}");
    assert!(
        err.contains("`code_quality`") && err.contains("table"),
        "{err}"
    );
}

#[test]
fn invalid_toml_names_the_line() {
    let err = config_error("invalid.toml");
    assert!(err.contains("invalid.toml:3:"), "{err}");
    assert!(err.contains("invalid TOML"), "{err}");
}

#[test]
fn negative_thresholds_are_refused() {
    let err = config_error("negative.toml");
    assert!(err.contains("negative.toml:5:"), "{err}");
    assert!(
        err.contains("`max_function_length`") && err.contains("negative"),
        "{err}"
    );

    let err = config_error("negative_number.toml");
    assert!(err.contains("negative_number.toml:4:"), "{err}");
    assert!(
        err.contains("`max_startup_time`") && err.contains("0 or more"),
        "{err}"
    );
}

#[test]
fn override_without_paths_is_refused() {
    let err = config_error("override_without_paths.toml");
    assert!(err.contains("override_without_paths.toml:3:"), "{err}");
    assert!(err.contains("paths"), "{err}");
}

#[test]
fn errors_in_discovered_pyproject_and_cargo_tables_name_the_line_in_that_file() {
    let tree = Tree::new();
    tree.write(
        "py/pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.gatecheck.code_quality]\nmax_complexity = 10\nmax_nestng = 3\n",
    )
    .write("py/a.py", "x = 1\n")
    .write(
        "rs/Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\n\n[package.metadata.gatecheck]\nexclude = \"target\"\n",
    )
    .write("rs/src/lib.rs", "pub fn f() {}\n");

    let run = run_in(&tree.path("py"), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("pyproject.toml:6:"),
        "{}",
        run.describe()
    );
    assert!(
        run.stderr.contains("did you mean `max_nesting`"),
        "{}",
        run.describe()
    );

    let run = run_in(&tree.path("rs"), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stderr.contains("Cargo.toml:6:"), "{}", run.describe());
    assert!(
        run.stderr.contains("`exclude`") && run.stderr.contains("list of strings"),
        "{}",
        run.describe()
    );
}
