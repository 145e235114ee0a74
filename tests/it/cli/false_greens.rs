//! Tests: no false greens. A gate that checked nothing is `not_measured` and the run says
//! why; a rule or a suppression that names nothing is reported, not silently ignored.

use super::{Tree, report_in, run_in};

#[test]
fn a_path_without_source_files_is_a_warning_and_measures_no_gate() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("docs/index.md", "# docs\n");
    let (code, report) = report_in(tree.root(), &["docs"]);
    assert_eq!(code, 0);
    let warning = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["path"] == "docs")
        .unwrap_or_else(|| panic!("no diagnostic for docs: {report}"));
    assert_eq!(warning["severity"], "warning");
    assert!(
        warning["message"]
            .as_str()
            .is_some_and(|m| m.contains("no source file")),
        "{warning}"
    );
    let measured = report["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .filter(|g| g["status"] != "not_measured")
        .count();
    assert_eq!(measured, 0, "{report}");
}

#[test]
fn a_layer_naming_no_module_is_a_configuration_error_with_the_closest_module() {
    let tree = Tree::new();
    tree.write(
        "gatecheck.toml",
        "[[architecture.layers]]\norder = [\"app.web\", \"app.domian\"]\n",
    )
    .write("app/__init__.py", "")
    .write("app/web.py", "from app import domain\n")
    .write("app/domain.py", "X = 1\n");
    let run = run_in(tree.root(), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    for part in [
        "gatecheck.toml",
        "[[architecture.layers]] entry 1",
        "`app.domian`",
        "closest module is `app.domain`",
    ] {
        assert!(run.stderr.contains(part), "{part}: {}", run.stderr);
    }
}

#[test]
fn a_forbid_rule_from_no_module_is_a_configuration_error() {
    let tree = Tree::new();
    tree.write(
        "gatecheck.toml",
        "[[architecture.forbid]]\nfrom = \"app.cor\"\nto = [\"requests\"]\n",
    )
    .write("app/__init__.py", "")
    .write("app/core.py", "X = 1\n");
    let run = run_in(tree.root(), &["check"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr
            .contains("[[architecture.forbid]] entry 1 names `app.cor`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_suppression_naming_an_unknown_gate_is_reported_with_the_closest_gate() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "").write(
        "m.py",
        "# gatecheck: ignore[max_complexit] legacy\ndef f():\n    return 1\n",
    );
    let (_, report) = report_in(tree.root(), &[]);
    let d = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["path"] == "m.py")
        .unwrap_or_else(|| panic!("no diagnostic: {report}"));
    let message = d["message"].as_str().unwrap_or_default();
    assert!(message.contains("line 1"), "{message}");
    assert!(message.contains("`max_complexit`"), "{message}");
    assert!(
        message.contains("did you mean `max_complexity`"),
        "{message}"
    );
}

#[test]
fn skipped_files_are_counted_in_every_format() {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("good.py", "def f():\n    return 1\n")
        .write("blob.py", "\u{0}\u{1}binary");
    let expect = [
        ("text", "1 files skipped"),
        ("json", "\"skipped_files\": 1"),
        ("github", "1 files skipped"),
        ("sarif", "\"toolExecutionNotifications\": [\n"),
        ("junit", "name=\"unmeasured files\""),
        ("prometheus", "gatecheck_files_skipped 1"),
    ];
    for (format, needle) in expect {
        let run = run_in(tree.root(), &["check", "--format", format]);
        assert_eq!(run.code, 0, "{format}: {}", run.describe());
        assert!(
            run.stdout.contains(needle),
            "{format}: `{needle}` missing:\n{}",
            run.stdout
        );
    }
    let sarif = run_in(tree.root(), &["check", "--format", "sarif"]);
    assert!(sarif.stdout.contains("blob.py"), "{}", sarif.stdout);
}
