//! Tests: the self-checking metric fixtures under `fixtures/<language>/metrics/`.
//!
//! Every fixture function carries hand-checked values on a comment line above it
//! (`# expect: cyclomatic=3 cognitive=4 length=9 ...`, `// expect: ...` in Rust); the grammar
//! is in `fixtures/README.md`, the definitions in `docs/metrics.md`. One test measures every
//! fixture with the library and reports every mismatch, as `path:line`, in one failure. A
//! fixture file without expectations, or an expect line that matches no function, is a
//! failure too: a fixture that cannot fail checks nothing.
//!
//! Every registered language is checked (`lang::LANGUAGES`), and what the runner needs to read
//! its text (comment and decorator syntax, file extensions) comes from its `LanguageSpec`: a
//! new language needs fixtures, not a change here.

use std::path::{Path, PathBuf};

use gatecheck::analyze::{self, Request};
use gatecheck::config::Config;
use gatecheck::lang::vocabulary::Capture;
use gatecheck::lang::{self, LANGUAGES, LanguageSpec};
use gatecheck::metrics::{FileMetrics, FunctionKind, FunctionMetrics};

/// How a language writes what the runner needs to read: its spec (fixture folder
/// `fixtures/<id>/metrics`, extensions, comment and decorator syntax) and what an anonymous
/// function is called in an expect line (`expect(lambda)`, `expect(closure)`).
struct Syntax {
    spec: &'static LanguageSpec,
    anonymous: &'static str,
}

impl Syntax {
    /// An anonymous function is a `closure` in a language whose queries capture
    /// `@definition.closure`, else a `lambda`.
    fn of(spec: &'static LanguageSpec) -> Syntax {
        let closure = Some(Capture::DefinitionClosure);
        let closures = spec.query().is_ok_and(|q| q.roles.contains(&closure));
        let anonymous = if closures { "closure" } else { "lambda" };
        Syntax { spec, anonymous }
    }
}

/// The keys of a function expect line and of an `expect-file:` line.
const FUNCTION_KEYS: &str =
    "cyclomatic cognitive length code_lines params nesting start_line end_line kind name qualified";
const FILE_KEYS: &str =
    "lines code_lines comment_lines blank_lines functions syntax_errors first_syntax_error_line";

/// What an expect line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `expect-file:` the file as a whole.
    File,
    /// `expect:` the named function (`def` / `fn`) starting on the next code line.
    Named,
    /// `expect(lambda:N):` the N-th (1-based) lambda / closure starting on the next line.
    Anonymous(usize),
}

/// One parsed expect line.
#[derive(Debug)]
struct Expectation {
    /// 1-based line of the expect comment.
    line: usize,
    target: Target,
    /// `key=value` pairs, in the order written.
    pairs: Vec<(String, String)>,
}

/// Everything found wrong, one line each, and what was checked.
#[derive(Default)]
struct Failures {
    lines: Vec<String>,
    checked: usize,
    expectations: usize,
    files: usize,
}

impl Failures {
    fn push(&mut self, path: &str, line: usize, message: impl AsRef<str>) {
        self.lines
            .push(format!("{path}:{line}: {}", message.as_ref()));
    }
}

#[test]
fn every_metric_fixture_matches_its_expectations() {
    check_fixtures("metrics", &Config::default());
}

/// Measures `fixtures/<language>/<folder>/` with `config`; fails with every mismatch.
pub(crate) fn check_fixtures(folder: &str, config: &Config) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut failures = Failures::default();
    for &spec in LANGUAGES {
        let syntax = Syntax::of(spec);
        let dir = root.join(spec.id).join(folder);
        check_folder(&dir, &syntax, config, &mut failures);
    }
    assert!(
        failures.files > 0,
        "no fixture files under {}",
        root.display()
    );
    assert!(
        failures.lines.is_empty(),
        "{} problem(s) in the metric fixtures ({} values checked, {} expect lines, {} files):\n{}",
        failures.lines.len(),
        failures.checked,
        failures.expectations,
        failures.files,
        failures.lines.join("\n")
    );
}

/// The runner must be able to fail: a wrong value, an expect line above no function, a file
/// without expectations and an unknown key are all reported, each with its line.
#[test]
fn the_fixture_runner_reports_every_kind_of_problem() {
    let dir = tempfile::Builder::new()
        .prefix("gatecheck-fixture-runner")
        .tempdir()
        .expect("temporary directory");
    let checked = "# expect: cyclomatic=2 cognitive=9 params=1 nesting=1 kind=method\n\
                   def f(x):\n    return 1 if x else 2\n\n\
                   # expect(lambda:2): params=1\n\
                   g = lambda: 0\n\n\
                   # expect: colour=3\n\
                   x = 1\n\
                   # expect cyclomatic=1\n";
    std::fs::write(dir.path().join("checked.py"), checked).expect("write fixture");
    std::fs::write(dir.path().join("unchecked.py"), "def h():\n    pass\n").expect("write");
    let mut failures = Failures::default();
    let syntax = Syntax::of(lang::by_id("python").expect("python is registered"));
    let config = Config::default();
    check_folder(dir.path(), &syntax, &config, &mut failures);
    let report = failures.lines.join("\n");
    for needle in [
        "checked.py:1: checked.f: cognitive expected 9, got 1",
        "checked.py:1: checked.f: kind expected method, got function",
        "checked.py:5: expect(lambda:2) matches no function: fewer than 2 lambda(s) start on line 6",
        "checked.py:8: unknown key `colour`",
        "checked.py:10: malformed expect line",
        "unchecked.py:1: no expectations",
    ] {
        assert!(report.contains(needle), "missing {needle:?} in:\n{report}");
    }
    assert_eq!(failures.lines.len(), 6, "unexpected problems:\n{report}");
}

/// Measures every fixture of one folder with `config` and compares it with its expect lines.
fn check_folder(folder: &Path, syntax: &Syntax, config: &Config, failures: &mut Failures) {
    let shown = |path: &Path| display_path(folder, path);
    let mut sources = fixture_files(folder, syntax.spec.extensions);
    sources.sort();
    if sources.is_empty() {
        return failures.push(&shown(folder), 0, "no fixture files");
    }
    let paths = [folder.to_path_buf()];
    let request = Request {
        paths: &paths,
        root: folder,
        config,
        threads: 0,
    };
    let analysis = match analyze::analyze(&request, &|_| {}) {
        Ok(analysis) => analysis,
        Err(e) => return failures.push(&shown(folder), 0, format!("analysis failed: {e}")),
    };
    for diagnostic in &analysis.diagnostics {
        failures.push(&shown(folder), 0, format!("diagnostic: {diagnostic:?}"));
    }
    for source in &sources {
        failures.files += 1;
        let relative = source.strip_prefix(folder).unwrap_or(source);
        match analysis.files.iter().find(|f| f.path == relative) {
            Some(file) => check_file(&shown(source), source, &file.metrics, syntax, failures),
            None => failures.push(&shown(source), 0, "not measured (see the diagnostics)"),
        }
    }
}

fn fixture_files(folder: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| extensions.contains(&e))
        })
        .collect()
}

/// `fixtures/python/metrics/x.py` for a fixture of this repository, else relative to `folder`.
fn display_path(folder: &Path, path: &Path) -> String {
    let shown = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .or_else(|_| path.strip_prefix(folder))
        .unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}

fn check_file(
    shown: &str,
    source: &Path,
    metrics: &FileMetrics,
    syntax: &Syntax,
    failures: &mut Failures,
) {
    let text = match std::fs::read_to_string(source) {
        Ok(text) => text,
        Err(e) => return failures.push(shown, 0, format!("cannot read: {e}")),
    };
    let lines: Vec<&str> = text.lines().collect();
    let expectations = parse_expectations(&lines, syntax, shown, failures);
    if expectations.is_empty() {
        failures.push(
            shown,
            1,
            "no expectations: add expect lines (fixtures/README.md)",
        );
    }
    failures.expectations += expectations.len();
    check_syntax_errors(shown, metrics, &expectations, failures);
    for expectation in &expectations {
        if expectation.target == Target::File {
            compare(shown, expectation, "file", &file_values(metrics), failures);
            continue;
        }
        match resolve(&lines, expectation, &metrics.functions, syntax) {
            Ok(f) => compare(
                shown,
                expectation,
                &f.qualified_name,
                &function_values(f),
                failures,
            ),
            Err(why) => failures.push(shown, expectation.line, why),
        }
    }
}

/// A fixture must parse cleanly, unless its `expect-file:` line says how many errors it has.
fn check_syntax_errors(
    shown: &str,
    metrics: &FileMetrics,
    expectations: &[Expectation],
    failures: &mut Failures,
) {
    let declared = expectations
        .iter()
        .any(|e| e.target == Target::File && e.pairs.iter().any(|(k, _)| k == "syntax_errors"));
    if !declared && metrics.syntax_errors > 0 {
        let line = metrics.first_syntax_error_line.unwrap_or(0);
        let count = metrics.syntax_errors;
        failures.push(
            shown,
            line,
            format!("{count} syntax error(s): fixtures must parse"),
        );
    }
}

/// Finds and parses every expect line; malformed ones are failures.
fn parse_expectations(
    lines: &[&str],
    syntax: &Syntax,
    shown: &str,
    failures: &mut Failures,
) -> Vec<Expectation> {
    let mut found = Vec::new();
    for (index, raw) in lines.iter().enumerate() {
        let Some(body) = raw.trim_start().strip_prefix(syntax.spec.line_comment) else {
            continue;
        };
        let parsed = split_head(body.trim(), syntax).and_then(|head| match head {
            Some((target, rest)) => parse_pairs(rest, target).map(|p| Some((target, p))),
            None => Ok(None),
        });
        match parsed {
            Ok(Some((target, pairs))) => found.push(Expectation {
                line: index + 1,
                target,
                pairs,
            }),
            Ok(None) => {}
            Err(why) => failures.push(shown, index + 1, why),
        }
    }
    found
}

/// The target of an expect line and the text of its pairs; `None` for any other comment
/// (prose that starts with "expected" included).
fn split_head<'b>(body: &'b str, syntax: &Syntax) -> Result<Option<(Target, &'b str)>, String> {
    if let Some(rest) = body.strip_prefix("expect:") {
        return Ok(Some((Target::Named, rest)));
    }
    if let Some(rest) = body.strip_prefix("expect-file:") {
        return Ok(Some((Target::File, rest)));
    }
    if let Some(after) = body.strip_prefix("expect(") {
        let (inner, rest) = after
            .split_once("):")
            .ok_or_else(|| format!("malformed expect line `{body}`"))?;
        return Ok(Some((parse_anonymous(inner, syntax)?, rest)));
    }
    let word = body.split(|c: char| c.is_whitespace() || c == ':').next();
    if matches!(word, Some("expect" | "expect-file")) {
        return Err(format!(
            "malformed expect line `{body}`: write `expect: key=value ...`"
        ));
    }
    Ok(None)
}

/// `lambda` / `lambda:N` (`closure` in Rust) to the N-th anonymous function of a line.
fn parse_anonymous(inner: &str, syntax: &Syntax) -> Result<Target, String> {
    let (word, index) = match inner.split_once(':') {
        Some((word, n)) => (word, n.parse::<usize>().ok().filter(|n| *n > 0)),
        None => (inner, Some(1)),
    };
    match index {
        Some(n) if word == syntax.anonymous => Ok(Target::Anonymous(n)),
        _ => Err(format!(
            "write `expect({0}):` or `expect({0}:N):` (N from 1), not `expect({inner}):`",
            syntax.anonymous
        )),
    }
}

fn parse_pairs(rest: &str, target: Target) -> Result<Vec<(String, String)>, String> {
    let keys = if target == Target::File {
        FILE_KEYS
    } else {
        FUNCTION_KEYS
    };
    let allowed: Vec<&str> = keys.split(' ').collect();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for token in rest.split_whitespace() {
        let (key, value) = token
            .split_once('=')
            .ok_or_else(|| format!("`{token}` is not key=value"))?;
        if !allowed.contains(&key) {
            return Err(format!(
                "unknown key `{key}` (allowed: {})",
                allowed.join(", ")
            ));
        }
        if value.is_empty() || pairs.iter().any(|(k, _)| k == key) {
            return Err(format!("key `{key}` is empty or given twice"));
        }
        pairs.push((key.to_owned(), value.to_owned()));
    }
    if pairs.is_empty() {
        return Err("an expect line with no key=value pairs checks nothing".to_owned());
    }
    Ok(pairs)
}

/// The function an expect line describes: for `expect:`, the named function starting on the
/// first line below it that is not blank, a comment or a decorator / attribute; for
/// `expect(lambda:N):`, the N-th anonymous function starting on the first line below it that
/// is not blank or a comment.
fn resolve<'a>(
    lines: &[&str],
    expectation: &Expectation,
    functions: &'a [FunctionMetrics],
    syntax: &Syntax,
) -> Result<&'a FunctionMetrics, String> {
    let named = expectation.target == Target::Named;
    let line = next_code_line(lines, expectation.line, syntax, named)
        .ok_or_else(|| "expect line matches no function: nothing follows it".to_owned())?;
    let on_line: Vec<&FunctionMetrics> =
        functions.iter().filter(|f| f.start_line == line).collect();
    let found = if let Target::Anonymous(n) = expectation.target {
        on_line.iter().filter(|f| is_anonymous(f)).nth(n - 1).ok_or_else(|| {
            let word = syntax.anonymous;
            format!("expect({word}:{n}) matches no function: fewer than {n} {word}(s) start on line {line}")
        })
    } else {
        let name = expectation
            .pairs
            .iter()
            .find(|(k, _)| k == "name")
            .map(|(_, v)| v);
        let wanted = |f: &&&FunctionMetrics| !is_anonymous(f) && name.is_none_or(|n| &f.name == n);
        on_line.iter().find(wanted).ok_or_else(|| {
            format!("expect matches no function: no named function starts on line {line}")
        })
    };
    found
        .copied()
        .map_err(|why| format!("{why} (starting there: {})", listing(&on_line)))
}

fn is_anonymous(f: &FunctionMetrics) -> bool {
    matches!(f.kind, FunctionKind::Lambda | FunctionKind::Closure)
}

fn listing(functions: &[&FunctionMetrics]) -> String {
    let names: Vec<String> = functions
        .iter()
        .map(|f| format!("{} ({})", f.qualified_name, kind_name(f.kind)))
        .collect();
    if names.is_empty() {
        "nothing".to_owned()
    } else {
        names.join(", ")
    }
}

/// The first line after `after` (1-based) that holds code, skipping blank lines, comment lines
/// (Rust block comments included) and, when asked, decorator / attribute lines.
fn next_code_line(
    lines: &[&str],
    after: usize,
    syntax: &Syntax,
    decorators: bool,
) -> Option<usize> {
    let mut in_block_comment = false;
    for (index, raw) in lines.iter().enumerate().skip(after) {
        let line = raw.trim();
        if let Some((open, close)) = syntax.spec.block_comment
            && (in_block_comment || line.starts_with(open))
        {
            in_block_comment = !line.contains(close);
            continue;
        }
        let decorator = decorators && syntax.spec.decorators.iter().any(|d| line.starts_with(d));
        if !(line.is_empty() || line.starts_with(syntax.spec.line_comment) || decorator) {
            return Some(index + 1);
        }
    }
    None
}

fn kind_name(kind: FunctionKind) -> &'static str {
    match kind {
        FunctionKind::Function => "function",
        FunctionKind::Method => "method",
        FunctionKind::Lambda => "lambda",
        FunctionKind::Closure => "closure",
    }
}

fn function_values(f: &FunctionMetrics) -> Vec<(&'static str, String)> {
    vec![
        ("cyclomatic", f.cyclomatic.to_string()),
        ("cognitive", f.cognitive.to_string()),
        ("length", f.length.to_string()),
        ("code_lines", f.code_lines.to_string()),
        ("params", f.params.to_string()),
        ("nesting", f.max_nesting.to_string()),
        ("start_line", f.start_line.to_string()),
        ("end_line", f.end_line.to_string()),
        ("kind", kind_name(f.kind).to_owned()),
        ("name", f.name.clone()),
        ("qualified", f.qualified_name.clone()),
    ]
}

fn file_values(m: &FileMetrics) -> Vec<(&'static str, String)> {
    let first_error = m
        .first_syntax_error_line
        .map_or_else(|| "none".to_owned(), |l| l.to_string());
    vec![
        ("lines", m.lines.to_string()),
        ("code_lines", m.code_lines.to_string()),
        ("comment_lines", m.comment_lines.to_string()),
        ("blank_lines", m.blank_lines.to_string()),
        ("functions", m.functions.len().to_string()),
        ("syntax_errors", m.syntax_errors.to_string()),
        ("first_syntax_error_line", first_error),
    ]
}

/// Compares every key of one expect line; each difference is one failure line.
fn compare(
    shown: &str,
    expectation: &Expectation,
    subject: &str,
    actual: &[(&str, String)],
    failures: &mut Failures,
) {
    for (key, expected) in &expectation.pairs {
        failures.checked += 1;
        let got = actual
            .iter()
            .find(|(k, _)| k == key)
            .map_or("?", |(_, v)| v.as_str());
        if got != expected {
            let message = format!("{subject}: {key} expected {expected}, got {got}");
            failures.push(shown, expectation.line, message);
        }
    }
}
