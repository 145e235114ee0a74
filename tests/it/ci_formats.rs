//! Tests: the CI formats on `fixtures/projects/small` (4 violations, 3 suppressed). SARIF is
//! validated against the official SARIF 2.1.0 schema (fixtures/schemas, from the OASIS
//! sarif-spec repository), JUnit against Jenkins' junit-4.xsd with xmllint, and GitHub
//! annotations are compared line by line.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a failed expectation is a test failure"
)]

use std::process::{Command, Stdio};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

use crate::project::{repo, small_project};

fn run(format: &str) -> String {
    let out = cargo_bin_cmd!("gatecheck")
        .args(["check", "--no-color", "--format", format])
        .arg(small_project())
        .output()
        .expect("run gatecheck");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the small project fails its gates"
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Feeds `input` to `program args` and returns (success, stdout + stderr).
fn pipe(program: &str, args: &[&str], input: &str) -> (bool, String) {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} is needed by this test (.ci/run installs it): {e}"));
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).expect("write input");
    }
    let out = child.wait_with_output().expect("wait");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn sarif_is_valid_against_the_official_schema_and_lists_every_violation() {
    require_tool!(Jsonschema);
    let sarif = run("sarif");
    let schema = repo().join("fixtures/schemas/sarif-2.1.0.json");
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  errors = list(jsonschema.Draft7Validator(schema).iter_errors(json.load(sys.stdin)))\n\
                  print('\\n'.join(e.message for e in errors)); sys.exit(1 if errors else 0)";
    let (valid, errors) = pipe(
        "python3",
        &["-c", script, schema.to_str().expect("UTF-8 path")],
        &sarif,
    );
    assert!(valid, "SARIF does not validate:\n{errors}");
    let log: Value = serde_json::from_str(&sarif).expect("JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let summary: Vec<(String, String, u64, bool)> = results
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().expect("ruleId").to_owned(),
                location["artifactLocation"]["uri"]
                    .as_str()
                    .expect("uri")
                    .to_owned(),
                location["region"]["startLine"].as_u64().expect("line"),
                r.get("suppressions").is_some(),
            )
        })
        .collect();
    let expect = |rule: &str, uri: &str, line: u64, suppressed: bool| {
        (rule.to_owned(), uri.to_owned(), line, suppressed)
    };
    assert_eq!(
        summary,
        [
            expect("max_function_length", "pkg/util.py", 4, false),
            expect("max_complexity", "src/lib.rs", 27, false),
            expect("max_complexity", "pkg/core.py", 9, false),
            expect("max_complexity", "pkg/core.py", 28, true),
            expect("max_parameters", "pkg/core.py", 41, false),
            expect("max_parameters", "pkg/core.py", 48, true),
            expect("max_nesting", "src/lib.rs", 51, true),
        ]
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    for r in results {
        let index = usize::try_from(r["ruleIndex"].as_u64().expect("ruleIndex")).expect("index");
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
}

#[test]
fn junit_is_valid_against_the_jenkins_schema_with_one_failure_per_violation() {
    require_tool!(Xmllint);
    let xml = run("junit");
    let xsd = repo().join("fixtures/schemas/junit.xsd");
    let (valid, errors) = pipe(
        "xmllint",
        &[
            "--noout",
            "--schema",
            xsd.to_str().expect("UTF-8 path"),
            "-",
        ],
        &xml,
    );
    assert!(valid, "JUnit XML does not validate:\n{errors}");
    assert!(
        xml.contains(r#"<testsuites name="gatecheck" tests="#),
        "{xml}"
    );
    assert_eq!(xml.matches("<failure ").count(), 4, "{xml}");
    assert!(xml.contains(
        r#"<testcase name="src/lib.rs:27 crate::classify" classname="gatecheck.max_complexity">"#
    ));
    assert!(
        xml.contains(r#"<failure message="crate::classify 12 &gt; 10" type="max_complexity">"#)
    );
    assert!(xml.contains(r#"<skipped message="suppressed: kept for the old command line"/>"#));
    assert!(xml.contains(
        r#"<testcase name="min_test_coverage" classname="gatecheck.min_test_coverage">"#
    ));
}

#[test]
fn github_annotations_point_at_each_violation() {
    // Worst first: the furthest beyond its threshold (12 > 10 is 1.2 times the limit).
    assert_eq!(
        run("github"),
        "::error file=src/lib.rs,line=27,title=max_complexity::crate::classify 12 > 10\n\
         ::error file=pkg/core.py,line=41,title=max_parameters::pkg.core.configure 8 > 7\n\
         ::error file=pkg/core.py,line=9,title=max_complexity::pkg.core.Parser.parse 11 > 10\n\
         ::error file=pkg/util.py,line=4,title=max_function_length::pkg.util.render 22 > 20\n\
         quality gates FAILED: max_function_length, max_complexity, max_parameters \
         (5 files, 4 violations, 8 not measured, 0 files skipped)\n"
    );
}
