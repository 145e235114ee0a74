//! CLI tests: `gatecheck init` — the written configuration (every gate, its default, comments)
//! loads, a given path is honoured, and an existing file is only overwritten with `--force`.

use gatecheck::registry::{GATES, Threshold};

use super::{NOT_MEASURED, Tree, report_in, run_in, threshold};

#[test]
fn init_writes_a_config_with_every_gate_that_loads() {
    let tree = Tree::new();
    let run = run_in(tree.root(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.stderr.contains("gatecheck.toml"), "{}", run.describe());
    let text = tree.read("gatecheck.toml");
    assert!(
        text.lines().any(|l| l.starts_with('#')),
        "the written file is not commented:\n{text}"
    );

    // Every gate key, in its section, with its default value.
    let parsed: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("not TOML ({e}):\n{text}"));
    for g in GATES.iter().filter(|g| g.configurable()) {
        let section = g.section.key();
        let value = parsed
            .get(section)
            .and_then(|s| s.get(g.key))
            .unwrap_or_else(|| panic!("`{}` missing from [{section}] in:\n{text}", g.key));
        let matches = match g.default {
            Threshold::Count(n) => value.as_integer() == i64::try_from(n).ok(),
            Threshold::Number(x) => {
                value.as_float() == Some(x) || value.as_integer().map(|i| i as f64) == Some(x)
            }
            Threshold::Flag(b) => value.as_bool() == Some(b),
            Threshold::Off => value.as_bool() == Some(false),
        };
        assert!(
            matches,
            "`{}` = {value} is not the default {:?}",
            g.key, g.default
        );
    }
    for key in NOT_MEASURED
        .iter()
        .filter(|k| gatecheck::registry::gate(k).is_some_and(|g| g.configurable()))
        .chain(["max_function_length", "max_file_length", "max_complexity"].iter())
    {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{key} = "))),
            "`{key}` not written:\n{text}"
        );
    }

    // The written file loads: discovered, and named with --config.
    tree.write("a.py", "def f():\n    return 1\n");
    let (code, report) = report_in(tree.root(), &[]);
    assert_eq!(code, 0);
    assert!(
        report["config"]
            .as_str()
            .is_some_and(|c| c.ends_with("gatecheck.toml")),
        "{report}"
    );
    assert_eq!(threshold(&report, "max_complexity"), 10.0);
    assert_eq!(threshold(&report, "max_function_length"), 50.0);
    let run = run_in(tree.root(), &["check", "--config", "gatecheck.toml"]);
    assert_eq!(run.code, 0, "{}", run.describe());
}

#[test]
fn init_writes_to_a_given_path() {
    let tree = Tree::new();
    let run = run_in(tree.root(), &["init", "custom.toml"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(tree.path("custom.toml").is_file());
    assert!(!tree.path("gatecheck.toml").exists());
    assert!(
        tree.read("custom.toml")
            .contains("max_cognitive_complexity = 15")
    );
}

#[test]
fn init_refuses_to_overwrite_and_force_overwrites() {
    let tree = Tree::new();
    let mine = "# my own settings\n[code_quality]\nmax_complexity = 3\n";
    tree.write("gatecheck.toml", mine);

    let run = run_in(tree.root(), &["init"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(run.stderr.contains("already exists"), "{}", run.describe());
    assert!(run.stderr.contains("--force"), "{}", run.describe());
    assert_eq!(
        tree.read("gatecheck.toml"),
        mine,
        "init without --force changed the file"
    );

    let run = run_in(tree.root(), &["init", "--force"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let written = tree.read("gatecheck.toml");
    assert_ne!(written, mine);
    assert!(written.contains("max_complexity = 10"), "{written}");
    assert!(written.contains("[architecture]"), "{written}");
}

#[test]
fn init_refuses_to_shadow_a_configuration_in_a_manifest() {
    for (manifest, text) in [
        (
            "pyproject.toml",
            "[tool.gatecheck.code_quality]\nmax_complexity = 12\n",
        ),
        (
            "Cargo.toml",
            "[package]\nname = \"demo\"\nversion = \"0.1.0\"\n\n\
             [package.metadata.gatecheck.code_quality]\nmax_complexity = 12\n",
        ),
    ] {
        let tree = Tree::new();
        tree.write(manifest, text);
        let refused = run_in(tree.root(), &["init"]);
        assert_eq!(refused.code, 2, "{}", refused.describe());
        assert!(refused.stderr.contains(manifest), "{}", refused.stderr);
        assert!(!tree.path("gatecheck.toml").exists());
        let forced = run_in(tree.root(), &["init", "--force"]);
        assert_eq!(forced.code, 0, "{}", forced.describe());
        assert!(tree.path("gatecheck.toml").is_file());
    }
    // A manifest without a gatecheck table is no configuration: init writes.
    let tree = Tree::new();
    tree.write("pyproject.toml", "[project]\nname = \"x\"\n");
    assert_eq!(run_in(tree.root(), &["init"]).code, 0);
}
