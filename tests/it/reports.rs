//! Tests: the report formats. Snapshots (insta, tests/it/snapshots/) of the text and JSON
//! output of `fixtures/projects/small`, with the duration, the time, the version and the
//! absolute root redacted; and the JSON output of that project and of gatecheck's own `src/`
//! validated against docs/report.schema.json.
//!
//! The schema is checked with Python's `jsonschema` module (no Rust validator is a dependency):
//! without the module, the validation is skipped with a line saying so (tests/it/external.rs).
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::project::{repo, small_project};
use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

fn schema_path() -> PathBuf {
    repo().join("docs/report.schema.json")
}

/// Runs `gatecheck check PATH [--format json]`; returns exit code and stdout.
fn check(path: &Path, json: bool) -> (i32, String) {
    let mut cmd = cargo_bin_cmd!("gatecheck");
    cmd.env_remove("GATECHECK_FORMAT")
        .env_remove("NO_COLOR")
        .current_dir(repo())
        .arg("check")
        .arg(path);
    if json {
        cmd.args(["--format", "json"]);
    }
    let output = cmd.output().expect("run gatecheck");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let code = output.status.code().expect("exit code");
    assert!(
        code == 0 || code == 1,
        "gatecheck check {} failed with {code}:\n{stdout}\n{}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    (code, stdout)
}

fn json_report(path: &Path) -> Value {
    let (_, stdout) = check(path, true);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// Validates each instance against docs/report.schema.json (after checking the schema itself
/// against its meta-schema); returns the error messages of each instance, in order.
pub(crate) fn schema_errors(instances: &[Value]) -> Vec<Vec<String>> {
    const SCRIPT: &str = r#"
import json, sys
try:
    import jsonschema
except ImportError as e:
    sys.exit("the Python module jsonschema is missing (pip install jsonschema): %s" % e)
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
if cls is not jsonschema.Draft202012Validator:
    sys.exit("the schema is not JSON Schema draft 2020-12: %s" % cls.__name__)
cls.check_schema(schema)
validator = cls(schema)
instances = json.load(sys.stdin)
out = []
for instance in instances:
    out.append(["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message)
                for e in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))])
json.dump(out, sys.stdout)
"#;
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(schema_path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("python3 is needed to validate reports against the JSON schema: {e}")
        });
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(&serde_json::to_vec(instances).expect("serialize"))
            .expect("write to python3");
    }
    let output = child.wait_with_output().expect("python3 runs");
    assert!(
        output.status.success(),
        "schema validation could not run:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("python3 printed JSON")
}

pub(crate) fn assert_valid(report: &Value, what: &str) {
    let part = format!("the schema validation of {what}");
    if !crate::external::require(crate::external::Tool::Jsonschema, Some(&part)) {
        return;
    }
    let errors = schema_errors(std::slice::from_ref(report)).remove(0);
    assert!(
        errors.is_empty(),
        "{what} does not match docs/report.schema.json:\n{}",
        errors.join("\n")
    );
}

/// The report with everything that differs between machines and runs replaced.
fn redacted(mut report: Value) -> Value {
    let root = small_project();
    let root = root.to_str().expect("UTF-8 path");
    assert_eq!(
        report["root"], root,
        "the root is the absolute path analysed"
    );
    report["root"] = "[root]".into();
    let config = report["config"]
        .as_str()
        .expect("a config file")
        .replace(root, "[root]");
    report["config"] = config.into();
    assert!(
        report["summary"]["duration_seconds"]
            .as_f64()
            .is_some_and(|d| d >= 0.0)
    );
    report["summary"]["duration_seconds"] = "[duration]".into();
    assert!(
        report["summary"]["timestamp_seconds"]
            .as_f64()
            .is_some_and(|t| t > 1.7e9),
        "the Unix time of the run"
    );
    report["summary"]["timestamp_seconds"] = "[timestamp]".into();
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    report["tool"]["version"] = "[version]".into();
    report
}

#[test]
fn small_project_text_snapshot() {
    let (code, text) = check(&small_project(), false);
    assert_eq!(code, 1);
    insta::with_settings!({filters => vec![(r"(?m)\d+\.\d\d s$", "[duration] s")]}, {
        insta::assert_snapshot!("small_text", text);
    });
}

#[test]
fn small_project_json_snapshot() {
    let report = redacted(json_report(&small_project()));
    insta::assert_json_snapshot!("small_json", report);
}

#[test]
fn small_project_json_matches_the_schema() {
    require_tool!(Jsonschema);
    assert_valid(
        &json_report(&small_project()),
        "the report of fixtures/projects/small",
    );
}

#[test]
fn own_source_json_matches_the_schema() {
    require_tool!(Jsonschema);
    let report = json_report(&repo().join("src"));
    assert!(
        report["summary"]["files"].as_u64().is_some_and(|n| n >= 20),
        "src/ has more files: {}",
        report["summary"]
    );
    assert!(
        report["summary"]["functions"]
            .as_u64()
            .is_some_and(|n| n >= 100),
        "{}",
        report["summary"]
    );
    assert_valid(&report, "the report of gatecheck's own src/");
}

#[test]
fn schema_names_every_top_level_field() {
    // Nested objects are closed in the schema (additionalProperties: false) so validation
    // catches undocumented fields there; the top level is open, so check it here.
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path()).expect("read the schema"))
            .expect("the schema is JSON");
    let report = json_report(&small_project());
    let documented = schema["properties"].as_object().expect("schema properties");
    for key in report.as_object().expect("report object").keys() {
        assert!(
            documented.contains_key(key),
            "top-level field `{key}` is not in docs/report.schema.json"
        );
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        required,
        [
            "schema_version",
            "tool",
            "root",
            "summary",
            "files",
            "gates",
            "diagnostics"
        ]
    );
}

#[test]
fn schema_rejects_broken_reports() {
    require_tool!(Jsonschema);
    let valid = json_report(&small_project());
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 12] = [
        ("unknown status", |r| r["gates"][0]["status"] = "ok".into()),
        ("count as a string", |r| r["summary"]["files"] = "5".into()),
        ("negative count", |r| r["files"][0]["lines"] = (-1).into()),
        ("missing required function field", |r| {
            r["files"][1]["functions"][0]
                .as_object_mut()
                .expect("function")
                .remove("cyclomatic");
        }),
        ("missing summary", |r| {
            r.as_object_mut().expect("report").remove("summary");
        }),
        ("line 0", |r| {
            r["gates"][2]["violations"][0]["line"] = 0.into()
        }),
        ("unknown nested field", |r| {
            r["files"][0]["functions_count"] = 3.into()
        }),
        ("string threshold", |r| {
            r["gates"][0]["threshold"] = "50".into()
        }),
        ("other schema version", |r| r["schema_version"] = 2.into()),
        ("failed gate without violations", |r| {
            r["gates"][2]["violations"] = Value::Array(Vec::new());
        }),
        ("unknown function kind", |r| {
            r["files"][1]["functions"][0]["kind"] = "coroutine".into()
        }),
        ("unknown diagnostic stage", |r| {
            r["diagnostics"] = serde_json::json!([{"path": "a.py", "stage": "lint", "severity": "error", "message": "m"}]);
        }),
    ];
    assert_eq!(valid["gates"][2]["gate"], "max_complexity");
    assert_eq!(valid["gates"][2]["status"], "failed");
    let mut instances = vec![valid.clone()];
    for (_, mutate) in &mutations {
        let mut broken = valid.clone();
        mutate(&mut broken);
        instances.push(broken);
    }
    let errors = schema_errors(&instances);
    assert!(
        errors[0].is_empty(),
        "the unmodified report is invalid:\n{}",
        errors[0].join("\n")
    );
    for ((what, _), errors) in mutations.iter().zip(&errors[1..]) {
        assert!(
            !errors.is_empty(),
            "the schema accepts a report with: {what}"
        );
    }
}
