//! Tests: `gatecheck check --format prometheus`. The output of `fixtures/projects/small` and of
//! gatecheck's own `src/` is checked by `promtool check metrics` (Debian package `prometheus`;
//! without it, that check alone is skipped with a line saying so: tests/it/external.rs), its values are compared with the
//! JSON report of the same run, and `--output` is checked to write the file atomically.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::project::{repo, small_project};
use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

/// Runs `gatecheck check ARGS...` in the repository; returns exit code and stdout.
fn gatecheck(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let output = cargo_bin_cmd!("gatecheck")
        .env_remove("GATECHECK_FORMAT")
        .current_dir(repo())
        .arg("check")
        .args(args)
        .output()
        .expect("run gatecheck");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let code = output.status.code().expect("exit code");
    assert!(
        code == 0 || code == 1,
        "gatecheck check {args:?} failed with {code}:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (code, stdout)
}

fn metrics_of(path: &Path) -> (i32, String) {
    gatecheck(&[path.as_os_str(), "--format".as_ref(), "prometheus".as_ref()])
}

fn json_of(path: &Path) -> Value {
    let (_, stdout) = gatecheck(&[path.as_os_str(), "--format".as_ref(), "json".as_ref()]);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// Pipes `text` to `promtool check metrics` and fails with its complaints, if any.
pub(crate) fn assert_promtool_accepts(text: &str, what: &str) {
    let part = format!("the promtool check of {what}");
    if !crate::external::require(crate::external::Tool::Promtool, Some(&part)) {
        return;
    }
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "promtool is needed to check the Prometheus output ({e}); install it with \
                 `apt-get install -y --no-install-recommends prometheus` (.ci/run does)"
            )
        });
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write to promtool");
    let output = child.wait_with_output().expect("promtool runs");
    let complaints = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && complaints.trim().is_empty(),
        "promtool check metrics rejects the output for {what} ({}):\n{complaints}\n{text}",
        output.status
    );
}

/// One sample line: metric name, labels, value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parses the sample lines of the text format (label values here never hold `"`, `,` or
/// `}`), failing on a line with anything after the value, such as a timestamp.
fn samples(text: &str) -> Vec<Sample> {
    let mut samples = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (series, rest) = match line.find('}') {
            Some(end) => (&line[..=end], &line[end + 1..]),
            None => line.split_once(' ').expect("name and value"),
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        assert_eq!(fields.len(), 1, "a sample with a timestamp or junk: {line}");
        let (name, labels) = series.split_once('{').unwrap_or((series, "}"));
        let labels = labels
            .trim_end_matches('}')
            .split(',')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').expect("label=value");
                (k.to_owned(), v.trim_matches('"').to_owned())
            })
            .collect();
        let value = fields[0].parse().expect("a number");
        samples.push(Sample {
            name: name.to_owned(),
            labels,
            value,
        });
    }
    samples
}

/// The value of the one sample called `name` whose labels include `labels`.
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    let found: Vec<&Sample> = samples
        .iter()
        .filter(|s| {
            s.name == name
                && labels
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .collect();
    assert_eq!(found.len(), 1, "{name}{labels:?}: {found:?}");
    found[0].value
}

/// The sum of every sample called `name`.
fn sum(samples: &[Sample], name: &str) -> f64 {
    samples
        .iter()
        .filter(|s| s.name == name)
        .map(|s| s.value)
        .sum()
}

fn as_f64(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Checks the conventions promtool does not: prefix, no `_total`, bounded labels only, HELP
/// on every metric, no timestamps (in [`samples`]).
fn assert_conventions(text: &str) {
    const BOUNDED: &[&str] = &[
        "language", "kind", "gate", "stage", "severity", "version", "le",
    ];
    for s in samples(text) {
        assert!(s.name.starts_with("gatecheck_"), "{s:?}");
        assert!(!s.name.ends_with("_total"), "no counters here: {s:?}");
        assert!(!s.name.contains("percent"), "ratios, not percent: {s:?}");
        for label in s.labels.keys() {
            assert!(
                BOUNDED.contains(&label.as_str()),
                "unbounded or unknown label `{label}` in {s:?}"
            );
        }
    }
    for line in text.lines().filter(|l| l.starts_with("# TYPE ")) {
        let name = line.split(' ').nth(2).expect("metric name");
        let help = format!("# HELP {name} ");
        assert!(text.contains(&help), "{name} has no HELP text");
    }
}

#[test]
fn small_project_passes_promtool_and_matches_its_json_report() {
    let before = unix_now();
    let (code, text) = metrics_of(&small_project());
    let after = unix_now();
    assert_eq!(code, 1, "the small project fails its gates");
    assert_promtool_accepts(&text, "fixtures/projects/small");
    assert_conventions(&text);
    let s = samples(&text);
    let json = json_of(&small_project());

    assert_eq!(sum(&s, "gatecheck_files"), 5.0);
    assert_eq!(sum(&s, "gatecheck_functions"), 15.0);
    assert_eq!(
        sum(&s, "gatecheck_files"),
        as_f64(&json["summary"]["files"])
    );
    assert_eq!(
        sum(&s, "gatecheck_functions"),
        as_f64(&json["summary"]["functions"])
    );
    assert_eq!(value(&s, "gatecheck_files", &[("language", "rust")]), 1.0);
    assert_eq!(value(&s, "gatecheck_files", &[("language", "python")]), 4.0);
    assert_eq!(
        value(
            &s,
            "gatecheck_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        1.0
    );
    assert_lines_match(&s, &json);
    assert_gates_match(&s, &json);
    assert_histograms_match(&s, &json);
    let finished = value(&s, "gatecheck_last_run_timestamp_seconds", &[]);
    assert!(
        (before..=after).contains(&finished),
        "{before} <= {finished} <= {after}"
    );
    let duration = value(&s, "gatecheck_last_run_duration_seconds", &[]);
    assert!(duration > 0.0 && duration <= after - before, "{duration}");
}

fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64()
}

fn assert_lines_match(s: &[Sample], json: &Value) {
    let files = json["files"].as_array().expect("files");
    for kind in ["code", "comment", "blank"] {
        let expected: f64 = files
            .iter()
            .map(|f| as_f64(&f[format!("{kind}_lines")]))
            .sum();
        let found: f64 = s
            .iter()
            .filter(|x| x.name == "gatecheck_lines" && x.labels["kind"] == kind)
            .map(|x| x.value)
            .sum();
        assert_eq!(found, expected, "{kind} lines");
    }
    let all: f64 = files.iter().map(|f| as_f64(&f["lines"])).sum();
    assert_eq!(
        sum(s, "gatecheck_lines"),
        all,
        "the kinds add up to all lines"
    );
    assert_eq!(sum(s, "gatecheck_syntax_errors"), 0.0);
}

fn assert_gates_match(s: &[Sample], json: &Value) {
    for gate in json["gates"].as_array().expect("gates") {
        let key = gate["gate"].as_str().expect("gate name");
        let status = gate["status"].as_str().expect("status");
        let label = [("gate", key)];
        let measured = status != "not_measured";
        assert_eq!(
            value(s, "gatecheck_gate_measured", &label),
            f64::from(u8::from(measured)),
            "{key}"
        );
        let passed = s
            .iter()
            .find(|x| x.name == "gatecheck_gate_passed" && x.labels["gate"] == key);
        if !measured {
            assert!(passed.is_none(), "{key} is not measured: {passed:?}");
            continue;
        }
        let passed = passed.expect("gate_passed of a measured gate").value;
        assert_eq!(passed, f64::from(u8::from(status == "passed")), "{key}");
        let count = |field: &str| gate[field].as_array().expect("list").len() as f64;
        assert_eq!(
            value(s, "gatecheck_gate_violations", &label),
            count("violations")
        );
        assert_eq!(
            value(s, "gatecheck_gate_suppressed", &label),
            count("suppressed")
        );
    }
    // The known violations of the fixture (see its README).
    let complexity = [("gate", "max_complexity")];
    assert_eq!(value(s, "gatecheck_gate_passed", &complexity), 0.0);
    assert_eq!(value(s, "gatecheck_gate_violations", &complexity), 2.0);
    assert_eq!(value(s, "gatecheck_gate_suppressed", &complexity), 1.0);
    assert_eq!(value(s, "gatecheck_gate_checked", &complexity), 15.0);
    assert_eq!(sum(s, "gatecheck_gate_violations"), 4.0);
    assert_eq!(sum(s, "gatecheck_gate_suppressed"), 3.0);
    let coverage = [("gate", "min_test_coverage")];
    assert_eq!(value(s, "gatecheck_gate_measured", &coverage), 0.0);
    for (name, limit) in [
        ("gatecheck_function_cyclomatic_complexity_limit", 10.0),
        ("gatecheck_function_cognitive_complexity_limit", 15.0),
        ("gatecheck_function_lines_limit", 20.0),
        ("gatecheck_file_lines_limit", 500.0),
        ("gatecheck_function_parameters_limit", 7.0),
        ("gatecheck_function_nesting_limit", 4.0),
        ("gatecheck_file_syntax_errors_limit", 0.0),
    ] {
        assert_eq!(value(s, name, &[]), limit, "{name}");
    }
}

/// Each histogram's count, sum and threshold bucket against the functions and files of the
/// JSON report.
fn assert_histograms_match(s: &[Sample], json: &Value) {
    let files = json["files"].as_array().expect("files");
    let functions: Vec<(&str, &Value)> = files
        .iter()
        .flat_map(|f| {
            let language = f["language"].as_str().expect("language");
            f["functions"]
                .as_array()
                .expect("functions")
                .iter()
                .map(move |function| (language, function))
        })
        .collect();
    let files: Vec<(&str, &Value)> = files
        .iter()
        .map(|f| (f["language"].as_str().expect("language"), f))
        .collect();
    for (metric, items, field, bound) in [
        (
            "gatecheck_function_cyclomatic_complexity",
            &functions,
            "cyclomatic",
            "10",
        ),
        (
            "gatecheck_function_cognitive_complexity",
            &functions,
            "cognitive",
            "15",
        ),
        ("gatecheck_function_lines", &functions, "length", "20"),
        ("gatecheck_file_lines", &files, "lines", "500"),
    ] {
        let limit: f64 = bound.parse().expect("number");
        for language in ["python", "rust"] {
            let values: Vec<f64> = items
                .iter()
                .filter(|(l, _)| *l == language)
                .map(|(_, item)| as_f64(&item[field]))
                .collect();
            let label = [("language", language)];
            let within = values.iter().filter(|v| **v <= limit).count() as f64;
            let at_bound = [("language", language), ("le", bound)];
            let at_inf = [("language", language), ("le", "+Inf")];
            let bucket = format!("{metric}_bucket");
            assert_eq!(
                value(s, &format!("{metric}_count"), &label),
                values.len() as f64
            );
            assert_eq!(
                value(s, &format!("{metric}_sum"), &label),
                values.iter().sum::<f64>()
            );
            assert_eq!(value(s, &bucket, &at_bound), within, "{metric} {language}");
            assert_eq!(value(s, &bucket, &at_inf), values.len() as f64);
        }
    }
}

#[test]
fn own_source_passes_promtool() {
    let src = repo().join("src");
    let (_, text) = metrics_of(&src);
    assert_promtool_accepts(&text, "gatecheck's own src/");
    assert_conventions(&text);
    let s = samples(&text);
    assert!(value(&s, "gatecheck_files", &[("language", "rust")]) >= 20.0);
    assert_eq!(value(&s, "gatecheck_files", &[("language", "python")]), 0.0);
    assert!(sum(&s, "gatecheck_functions") >= 100.0);
    assert_eq!(
        sum(&s, "gatecheck_functions"),
        as_f64(&json_of(&src)["summary"]["functions"])
    );
}

#[test]
fn a_configured_threshold_is_a_bucket_bound() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("gatecheck.toml"),
        "[code_quality]\nmax_complexity = 7\nmax_file_length = 333\nmax_nesting = 2\n",
    )
    .expect("write config");
    std::fs::write(
        dir.path().join("m.py"),
        "def f(a):\n    if a:\n        return 1\n    return 2\n",
    )
    .expect("write source");
    let (code, text) = metrics_of(dir.path());
    assert_eq!(code, 0);
    assert_promtool_accepts(&text, "a project with its own thresholds");
    let s = samples(&text);
    let at = |le| [("language", "python"), ("le", le)];
    let cyclomatic = "gatecheck_function_cyclomatic_complexity_bucket";
    assert_eq!(value(&s, cyclomatic, &at("7")), 1.0);
    assert_eq!(
        value(&s, cyclomatic, &at("10")),
        1.0,
        "the default bounds stay"
    );
    assert_eq!(value(&s, "gatecheck_file_lines_bucket", &at("333")), 1.0);
    assert_eq!(
        value(&s, "gatecheck_function_cyclomatic_complexity_limit", &[]),
        7.0
    );
    assert_eq!(value(&s, "gatecheck_file_lines_limit", &[]), 333.0);
    assert_eq!(value(&s, "gatecheck_function_nesting_limit", &[]), 2.0);
    assert_eq!(sum(&s, "gatecheck_gate_violations"), 0.0);
    assert_eq!(
        value(
            &s,
            "gatecheck_function_cyclomatic_complexity_sum",
            &[("language", "python")]
        ),
        2.0
    );
}

#[test]
fn output_file_is_written_atomically_and_equals_stdout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("gatecheck.prom");
    std::fs::write(&file, "stale content of an earlier run\n").expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let (code, printed) = metrics_of(&small_project());
    let (code_file, nothing) = gatecheck(&[
        small_project().as_os_str(),
        "--format".as_ref(),
        "prometheus".as_ref(),
        "--output".as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!((code, code_file), (1, 1), "--output keeps the exit status");
    assert!(
        nothing.is_empty(),
        "nothing on stdout with --output: {nothing}"
    );
    let written = std::fs::read_to_string(&file).expect("the file is there");
    assert_promtool_accepts(&written, "the --output file");
    // Two runs differ only in their duration and time.
    let stable = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("gatecheck_last_run_"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(stable(&written), stable(&printed));
    assert_eq!(written.lines().count(), printed.lines().count());
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        entries,
        [std::ffi::OsString::from("gatecheck.prom")],
        "no temporary file left"
    );
    let mode = std::fs::metadata(&file)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o777,
        0o644,
        "still readable by node_exporter's user"
    );
}
