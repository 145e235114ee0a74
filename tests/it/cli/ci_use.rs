//! Tests: the CI formats as CI uses them. GitHub annotations come worst first (GitHub shows
//! only the first ten errors of a step) with a Markdown job summary; SARIF rules carry their
//! help and results a fingerprint that survives inserted lines; a run that fails (exit 2)
//! still writes a valid document in every machine-readable format.

use super::{Tree, gatecheck, py_complex, py_long, run_in};

fn project() -> Tree {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("a.py", &py_complex("tangled", 12))
        .write("b.py", &py_long("endless", 200));
    tree
}

#[test]
fn github_annotations_come_worst_first_and_the_job_summary_is_written() {
    let tree = project();
    let summary = tree.path("summary.md");
    let out = gatecheck()
        .current_dir(tree.root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--format", "github"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    // 200 lines is four times the limit of 50; complexity 12 is 1.2 times 10.
    assert!(first.contains("title=max_function_length"), "{stdout}");
    let markdown = std::fs::read_to_string(&summary).expect("the job summary");
    assert!(
        markdown.starts_with("## gatecheck: quality gates FAILED"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| `max_complexity` | 10 | 1 | failed |"),
        "{markdown}"
    );
}

/// The fingerprints of a SARIF log, by rule, in result order.
fn fingerprints(sarif: &str) -> Vec<(String, String, u64)> {
    let log: serde_json::Value = serde_json::from_str(sarif).expect("SARIF");
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap_or(0);
            (
                r["ruleId"].as_str().unwrap_or_default().to_owned(),
                r["partialFingerprints"]["gatecheck/v1"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                line,
            )
        })
        .collect()
}

#[test]
fn sarif_rules_have_help_and_fingerprints_survive_inserted_lines() {
    let tree = project();
    let before = run_in(tree.root(), &["check", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&before.stdout).expect("SARIF");
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
    {
        let help = rule["help"]["text"].as_str().unwrap_or_default();
        assert!(help.len() > 20, "rule without help: {rule}");
    }
    let old = fingerprints(&before.stdout);
    tree.write(
        "a.py",
        &format!("import os\n\n\n{}", py_complex("tangled", 12)),
    );
    let after = fingerprints(&run_in(tree.root(), &["check", "--format", "sarif"]).stdout);
    assert_eq!(old.len(), after.len());
    for ((rule, print, line), (rule2, print2, line2)) in old.iter().zip(&after) {
        assert_eq!(
            (rule, print),
            (rule2, print2),
            "fingerprints move with lines"
        );
        if rule == "max_complexity" {
            assert_eq!(line + 3, *line2, "the line itself did move");
        }
    }
    assert!(old.iter().all(|(_, print, _)| print.len() == 16));
}

#[test]
fn a_failed_run_still_writes_a_valid_document() {
    let tree = Tree::new();
    tree.write(
        "gatecheck.toml",
        "[code_quality]\nmax_complexity = \"ten\"\n",
    )
    .write("a.py", "x = 1\n");
    let json = run_in(tree.root(), &["check", "--format", "json"]);
    assert_eq!(json.code, 2);
    let doc = json.json();
    assert_eq!(doc["error"]["exit_code"], 2, "{doc}");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("max_complexity")),
        "{doc}"
    );
    let sarif = run_in(tree.root(), &["check", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF");
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    let junit = run_in(tree.root(), &["check", "--format", "junit"]);
    assert!(junit.stdout.contains("<error message="), "{}", junit.stdout);
    let written = tree.path("report.json");
    let to_file = run_in(
        tree.root(),
        &[
            "check",
            "--format",
            "json",
            "-o",
            written.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(to_file.code, 2);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written).expect("written")).expect("JSON");
    assert!(doc["error"].is_object(), "{doc}");
    let text = run_in(tree.root(), &["check"]);
    assert_eq!(text.stdout, "", "text writes the error to stderr only");
}
