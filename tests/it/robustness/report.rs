//! Robustness test helpers: reading the JSON report — files, diagnostics, gates — and asserting
//! measured figures.

use std::fmt::Write as _;

use serde_json::Value;

pub(super) fn array<'a>(report: &'a Value, key: &str) -> &'a Vec<Value> {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("report has no `{key}` array"))
}

/// The file entry with this report path, if any.
pub(super) fn file<'a>(report: &'a Value, path: &str) -> Option<&'a Value> {
    array(report, "files").iter().find(|f| f["path"] == path)
}

/// The file entry with this report path; fails the test, listing the report, when missing.
pub(super) fn measured<'a>(report: &'a Value, path: &str) -> &'a Value {
    file(report, path).unwrap_or_else(|| {
        panic!(
            "{path} was not measured; files: {:?}; diagnostics: {}",
            paths(report, "files"),
            diagnostics_text(report)
        )
    })
}

/// Diagnostics for this report path.
pub(super) fn diagnostics_for<'a>(report: &'a Value, path: &str) -> Vec<&'a Value> {
    array(report, "diagnostics")
        .iter()
        .filter(|d| d["path"] == path)
        .collect()
}

/// The one diagnostic for `path` whose message contains any of `words` (case-insensitive);
/// fails the test, listing every diagnostic, when there is none.
pub(super) fn diagnostic<'a>(report: &'a Value, path: &str, words: &[&str]) -> &'a Value {
    diagnostics_for(report, path)
        .into_iter()
        .find(|d| {
            let message = d["message"].as_str().unwrap_or_default().to_lowercase();
            words.iter().any(|w| message.contains(&w.to_lowercase()))
        })
        .unwrap_or_else(|| {
            panic!(
                "no diagnostic for `{path}` mentioning any of {words:?}; diagnostics:\n{}",
                diagnostics_text(report)
            )
        })
}

/// Asserts a diagnostic that kept `path` from being measured: severity `error`, the expected
/// stage, a message saying what happened (one of `words`), and the file absent from `files`.
pub(super) fn assert_skipped(report: &Value, path: &str, stage: &str, words: &[&str]) {
    let d = diagnostic(report, path, words);
    assert_eq!(d["severity"], "error", "{path}: {d}");
    assert_eq!(d["stage"], stage, "{path}: {d}");
    assert!(
        file(report, path).is_none(),
        "{path} has an error diagnostic but is also in files[]"
    );
}

pub(super) fn has_error_diagnostic(report: &Value, path: &str) -> bool {
    diagnostics_for(report, path)
        .iter()
        .any(|d| d["severity"] == "error")
}

pub(super) fn paths(report: &Value, key: &str) -> Vec<String> {
    array(report, key)
        .iter()
        .map(|v| v["path"].as_str().unwrap_or("?").to_owned())
        .collect()
}

pub(super) fn diagnostics_text(report: &Value) -> String {
    let mut text = String::new();
    for d in array(report, "diagnostics") {
        let message = d["message"].as_str().unwrap_or_default();
        let message: String = message.chars().take(300).collect();
        let _ = writeln!(
            text,
            "  {} [{} {}] {message}",
            d["path"], d["stage"], d["severity"]
        );
    }
    if text.is_empty() {
        text.push_str("  (none)\n");
    }
    text
}

/// The function called `name` in a file entry.
pub(super) fn function<'a>(file: &'a Value, name: &str) -> &'a Value {
    file["functions"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["name"] == name))
        .unwrap_or_else(|| {
            panic!(
                "no function `{name}` in {}: {}",
                file["path"], file["functions"]
            )
        })
}

/// Asserts a file's line figures: `[lines, code_lines, comment_lines, blank_lines]`.
pub(super) fn assert_lines(file: &Value, expected: [u64; 4]) {
    let actual = [
        file["lines"].as_u64(),
        file["code_lines"].as_u64(),
        file["comment_lines"].as_u64(),
        file["blank_lines"].as_u64(),
    ]
    .map(|v| v.expect("line count"));
    assert_eq!(
        actual, expected,
        "{}: [lines, code_lines, comment_lines, blank_lines]",
        file["path"]
    );
}

/// Asserts a function's figures: `[start_line, end_line, length, code_lines, cyclomatic,
/// cognitive, params, max_nesting]`.
pub(super) fn assert_function(file: &Value, name: &str, expected: [u64; 8]) {
    let f = function(file, name);
    let actual = [
        "start_line",
        "end_line",
        "length",
        "code_lines",
        "cyclomatic",
        "cognitive",
        "params",
        "max_nesting",
    ]
    .map(|key| {
        f[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{name}: no {key}: {f}"))
    });
    assert_eq!(
        actual, expected,
        "{} {name}: [start_line, end_line, length, code_lines, cyclomatic, cognitive, params, \
         max_nesting]",
        file["path"]
    );
}

/// `f(x)` with one `if`, as written in most fixtures/broken samples.
pub(super) const ONE_IF: [u64; 8] = [2, 5, 4, 4, 2, 1, 1, 1];

/// Asserts the figures of [`GOOD_PY`] in the file at `path`.
pub(super) fn assert_good(report: &Value, path: &str) {
    let good = measured(report, path);
    assert_lines(good, [4, 4, 0, 0]);
    assert_function(good, "good", [1, 4, 4, 4, 3, 2, 2, 1]);
}

pub(super) fn gate_status<'a>(report: &'a Value, gate: &str) -> &'a Value {
    &array(report, "gates")
        .iter()
        .find(|g| g["gate"] == gate)
        .unwrap_or_else(|| panic!("no gate {gate}"))["status"]
}

/// Deep but legal nesting: measured with its real figures, or (a documented limit) skipped with
/// a diagnostic naming the file. Either way, never a crash.
pub(super) fn measured_or_explained<'a>(report: &'a Value, path: &str) -> Option<&'a Value> {
    match file(report, path) {
        Some(f) => Some(f),
        None => {
            let d = diagnostics_for(report, path);
            assert!(
                !d.is_empty(),
                "{path} is neither measured nor named by a diagnostic:\n{}",
                diagnostics_text(report)
            );
            None
        }
    }
}
