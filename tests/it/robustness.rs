//! Tests: robustness. Every hostile input of issue 3 point 10 is run through the real binary,
//! and each test asserts that
//!
//! - the process exits normally (0 or 1; never a signal, never a hang, never 2 for a bad file),
//! - standard output is one valid JSON report (`--format json`),
//! - the input has a diagnostic naming its path with a clear message, or — for input that is
//!   valid source (BOM, CRLF, CR-only line endings, an empty file, deep but legal nesting) — is
//!   measured with its real figures.
//!
//! Small samples live in `fixtures/broken/` (see its README.md); deep, big and special inputs
//! (FIFOs, devices, links, unreadable files, odd file names, deep directories) are generated in
//! a temporary directory at test time. Every child process runs under a hard [`TIMEOUT`]: a hang
//! is killed and fails the test instead of hanging CI. No test asserts wall time.
//!
//! CI runs as root, where `chmod 000` does not stop reads: the unreadable-file tests then run the
//! binary as `nobody` through `setpriv` (util-linux) and fail loudly when it is missing.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// The longest any child process may run before it is killed and the test fails.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A small, ordinary Python function: its figures are asserted wherever it appears.
const GOOD_PY: &str = "def good(a, b):\n    if a and b:\n        return 1\n    return 0\n";

// ---------------------------------------------------------------------------------------------
// Running child processes under a deadline
// ---------------------------------------------------------------------------------------------

/// What a finished child process left behind.
struct Finished {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: String,
}

/// Runs `cmd` (stdin closed, output captured) and waits at most [`TIMEOUT`]; on expiry the
/// child is killed and the test fails naming `what`.
fn run_child(mut cmd: Command, what: &str) -> Finished {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot start {cmd:?}: {e}"));
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    // Read both pipes on threads so that a child filling one of them never blocks.
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{what}: still running after {} s, killed: a hang (or pathological slowness) \
                     on this input",
                    TIMEOUT.as_secs()
                );
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("{what}: waiting for the child failed: {e}"),
        }
    };
    let stdout = out_reader.join().expect("stdout reader");
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr reader")).into_owned();
    Finished {
        status,
        stdout,
        stderr,
    }
}

/// Runs a helper tool (mkfifo, mknod, sh) and fails the test if it does not succeed.
fn run_tool(cmd: Command, what: &str) {
    let done = run_child(cmd, what);
    assert!(
        done.status.success(),
        "{what}: {} ({})",
        done.status,
        done.stderr.trim()
    );
}

/// How gatecheck is started.
#[derive(Clone, Copy, PartialEq, Eq)]
enum As {
    /// As the current user.
    Me,
    /// As an unprivileged user when the tests run as root (see [`unprivileged`]).
    Unprivileged,
}

/// One finished gatecheck run.
struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
    what: String,
}

impl Run {
    /// The JSON report on stdout; fails the test when it is not valid JSON or lacks the
    /// report's top-level shape.
    fn json(&self) -> Value {
        let report: Value = serde_json::from_slice(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: stdout is not valid JSON ({e}); stderr: {}\nstdout starts: {}",
                self.what,
                self.stderr,
                String::from_utf8_lossy(self.stdout.get(..2000).unwrap_or(&self.stdout))
            )
        });
        for key in ["schema_version", "summary", "files", "gates", "diagnostics"] {
            assert!(
                report.get(key).is_some(),
                "{}: the JSON report has no `{key}`",
                self.what
            );
        }
        for d in array(&report, "diagnostics") {
            for key in ["path", "stage", "message"] {
                assert!(
                    d[key].as_str().is_some_and(|s| !s.is_empty()),
                    "{}: diagnostic without a `{key}`: {d}",
                    self.what
                );
            }
        }
        report
    }
}

/// Runs `gatecheck ARGS` in `cwd` and asserts a normal exit: 0 or 1, never a signal (an abort,
/// a stack overflow), never 2 (a bad file is a diagnostic, not an error of the run).
fn gatecheck(cwd: &Path, args: &[&OsStr], who: As, what: &str) -> Run {
    let mut cmd = match who {
        As::Me => Command::new(binary()),
        As::Unprivileged => unprivileged(cwd),
    };
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("GATECHECK_FORMAT")
        .env_remove("NO_COLOR")
        .env("CI", "true");
    let done = run_child(cmd, what);
    let what = what.to_owned();
    if let Some(signal) = done.status.signal() {
        panic!(
            "{what}: gatecheck was killed by signal {signal}{} — a crash (SIGABRT 6 is a C \
             assertion, SIGSEGV 11 a stack overflow); stderr:\n{}",
            if done.status.core_dumped() {
                " (core dumped)"
            } else {
                ""
            },
            done.stderr
        );
    }
    let code = done.status.code().expect("exit code");
    assert!(
        code == 0 || code == 1,
        "{what}: exit status {code}, expected 0 or 1 (a bad input file must become a \
         diagnostic, not an error of the whole run); stderr:\n{}",
        done.stderr
    );
    Run {
        code,
        stdout: done.stdout,
        stderr: done.stderr,
        what,
    }
}

/// `gatecheck check PATH --format json` in `cwd`, with the checks of [`gatecheck`] and
/// [`Run::json`].
fn check_json(cwd: &Path, path: &OsStr, who: As, what: &str) -> (Run, Value) {
    let run = gatecheck(
        cwd,
        &[
            OsStr::new("check"),
            path,
            OsStr::new("--format"),
            OsStr::new("json"),
        ],
        who,
        what,
    );
    let report = run.json();
    (run, report)
}

/// `gatecheck check PATH` in text format: must exit normally too.
fn check_text(cwd: &Path, path: &OsStr, who: As, what: &str) -> Run {
    gatecheck(
        cwd,
        &[OsStr::new("check"), path, OsStr::new("--no-color")],
        who,
        what,
    )
}

fn binary() -> &'static Path {
    assert_cmd::cargo::cargo_bin!("gatecheck")
}

// ---------------------------------------------------------------------------------------------
// Running as an unprivileged user (root reads everything)
// ---------------------------------------------------------------------------------------------

/// The effective user id, without `unsafe`: the owner of a file this process creates.
fn euid() -> u32 {
    let probe = tempfile::NamedTempFile::new().expect("probe file");
    probe.as_file().metadata().expect("probe metadata").uid()
}

/// A command that starts gatecheck as an unprivileged user when the tests run as root (where
/// permission bits do not stop reads), else as the current user.
///
/// Under root it uses `setpriv --reuid=65534 --regid=65534 --clear-groups` on a link to (or a
/// copy of) the binary in the hidden directory `.bin/` of the world-readable tree `tree` (the
/// build directory may not be reachable by `nobody`; hidden directories are not analysed, and
/// the tree's removal removes it). A missing `setpriv` fails the test: never a silent skip.
fn unprivileged(tree: &Path) -> Command {
    if euid() != 0 {
        return Command::new(binary());
    }
    let setpriv = which("setpriv").unwrap_or_else(|| {
        panic!(
            "the tests run as root, where chmod 000 does not stop reads, so the unreadable-file \
             tests need `setpriv` (util-linux) to run gatecheck as an unprivileged user; it is \
             not on PATH — install util-linux"
        )
    });
    let bin_dir = tree.join(".bin");
    let bin = bin_dir.join("gatecheck");
    if !bin.exists() {
        fs::create_dir_all(&bin_dir).expect("create .bin");
        fs::set_permissions(&bin_dir, fs::Permissions::from_mode(0o755)).expect("chmod 755");
        if fs::hard_link(binary(), &bin).is_err() {
            fs::copy(binary(), &bin).expect("copy the gatecheck binary");
        }
        fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).expect("chmod 755");
    }
    let mut cmd = Command::new(setpriv);
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin);
    cmd
}

fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|candidate| candidate.is_file())
}

// ---------------------------------------------------------------------------------------------
// Building input trees
// ---------------------------------------------------------------------------------------------

/// A source tree in a temporary directory, readable by every user (for the `setpriv` runs),
/// with its own gatecheck.toml so that configuration discovery never leaves it.
struct Tree {
    dir: TempDir,
}

impl Tree {
    fn new() -> Tree {
        Tree::with_config("# robustness test: defaults\n")
    }

    fn with_config(config: &str) -> Tree {
        let dir = tempfile::Builder::new()
            .prefix("gatecheck-robust-")
            .tempdir()
            .expect("temp dir");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod 755");
        let tree = Tree { dir };
        tree.write("gatecheck.toml", config.as_bytes());
        tree
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: impl AsRef<Path>, bytes: &[u8]) -> PathBuf {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create dirs");
        }
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod 644");
        path
    }

    /// Copies `fixtures/broken/NAME` into the tree under the same name.
    fn fixture(&self, name: &str) -> PathBuf {
        let bytes =
            fs::read(broken(name)).unwrap_or_else(|e| panic!("fixtures/broken/{name}: {e}"));
        self.write(name, &bytes)
    }

    fn check(&self, what: &str) -> (Run, Value) {
        check_json(self.root(), self.root().as_os_str(), As::Me, what)
    }
}

fn broken(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/broken")
        .join(name)
}

/// 600 `if 1:` lines each indented one space deeper, with a string literal at the bottom: the
/// input that makes tree-sitter-python's scanner overflow its state buffer and abort().
fn indentation_staircase(levels: usize, indent: &str, newline: &str) -> String {
    let mut text = String::with_capacity(levels * levels / 2 * indent.len() + levels * 8);
    for level in 0..levels {
        text.push_str(&indent.repeat(level));
        text.push_str("if 1:");
        text.push_str(newline);
    }
    text.push_str(&indent.repeat(levels));
    text.push_str("'s'");
    text.push_str(newline);
    text
}

fn nested_parentheses_python(depth: usize) -> String {
    format!(
        "def deep():\n    return {}1{}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    )
}

fn nested_parentheses_rust(depth: usize) -> String {
    format!(
        "fn deep() -> i32 {{\n    {}1{}\n}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    )
}

fn nested_blocks_rust(depth: usize) -> String {
    format!(
        "fn deep() {{\n    {}{}\n}}\n",
        "{".repeat(depth),
        "}".repeat(depth)
    )
}

fn nested_ifs_rust(depth: usize) -> String {
    format!(
        "fn deep(x: bool) {{\n    {}{}\n}}\n",
        "if x { ".repeat(depth),
        "} ".repeat(depth)
    )
}

/// Creates a FIFO with mkfifo(1).
fn mkfifo(path: &Path) {
    let mut cmd = Command::new("mkfifo");
    cmd.arg(path);
    run_tool(cmd, "mkfifo (coreutils) creates the FIFO test input");
}

/// Creates a character device like /dev/null (1, 3) with mknod(1); `false` (after a loud message)
/// when that is not possible, which it only is as root.
fn mknod_char_device(path: &Path) -> bool {
    let mut cmd = Command::new("mknod");
    cmd.arg(path).args(["c", "1", "3"]);
    let done = run_child(cmd, "mknod");
    if done.status.success() {
        fs::set_permissions(path, fs::Permissions::from_mode(0o644)).expect("chmod device");
        true
    } else {
        eprintln!(
            "\n!!! SKIPPED: cannot create a character device at {} with mknod ({}; euid {}). \
             The device-file input is NOT tested in this run; run the tests as root to test it.\n",
            path.display(),
            done.stderr.trim(),
            euid()
        );
        false
    }
}

/// Makes a chain of `depth` directories named `name` below `base` with a Python file at the
/// bottom, by `cd`-ing one level at a time (absolute paths may exceed PATH_MAX).
fn deep_directory_chain(base: &Path, name: &str, depth: usize) {
    let script = format!(
        "cd \"$1\" && for i in $(seq {depth}); do mkdir {name} && cd -P {name} || exit 1; done; \
         printf 'def bottom():\\n    pass\\n' > f.py"
    );
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(script).arg("sh").arg(base);
    run_tool(cmd, "sh creates a deep directory chain");
}

// ---------------------------------------------------------------------------------------------
// Reading the report
// ---------------------------------------------------------------------------------------------

fn array<'a>(report: &'a Value, key: &str) -> &'a Vec<Value> {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("report has no `{key}` array"))
}

/// The file entry with this report path, if any.
fn file<'a>(report: &'a Value, path: &str) -> Option<&'a Value> {
    array(report, "files").iter().find(|f| f["path"] == path)
}

/// The file entry with this report path; fails the test, listing the report, when missing.
fn measured<'a>(report: &'a Value, path: &str) -> &'a Value {
    file(report, path).unwrap_or_else(|| {
        panic!(
            "{path} was not measured; files: {:?}; diagnostics: {}",
            paths(report, "files"),
            diagnostics_text(report)
        )
    })
}

/// Diagnostics for this report path.
fn diagnostics_for<'a>(report: &'a Value, path: &str) -> Vec<&'a Value> {
    array(report, "diagnostics")
        .iter()
        .filter(|d| d["path"] == path)
        .collect()
}

/// The one diagnostic for `path` whose message contains any of `words` (case-insensitive);
/// fails the test, listing every diagnostic, when there is none.
fn diagnostic<'a>(report: &'a Value, path: &str, words: &[&str]) -> &'a Value {
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
fn assert_skipped(report: &Value, path: &str, stage: &str, words: &[&str]) {
    let d = diagnostic(report, path, words);
    assert_eq!(d["severity"], "error", "{path}: {d}");
    assert_eq!(d["stage"], stage, "{path}: {d}");
    assert!(
        file(report, path).is_none(),
        "{path} has an error diagnostic but is also in files[]"
    );
}

fn has_error_diagnostic(report: &Value, path: &str) -> bool {
    diagnostics_for(report, path)
        .iter()
        .any(|d| d["severity"] == "error")
}

fn paths(report: &Value, key: &str) -> Vec<String> {
    array(report, key)
        .iter()
        .map(|v| v["path"].as_str().unwrap_or("?").to_owned())
        .collect()
}

fn diagnostics_text(report: &Value) -> String {
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
fn function<'a>(file: &'a Value, name: &str) -> &'a Value {
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
fn assert_lines(file: &Value, expected: [u64; 4]) {
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
fn assert_function(file: &Value, name: &str, expected: [u64; 8]) {
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
const ONE_IF: [u64; 8] = [2, 5, 4, 4, 2, 1, 1, 1];

/// Asserts the figures of [`GOOD_PY`] in the file at `path`.
fn assert_good(report: &Value, path: &str) {
    let good = measured(report, path);
    assert_lines(good, [4, 4, 0, 0]);
    assert_function(good, "good", [1, 4, 4, 4, 3, 2, 2, 1]);
}

fn gate_status<'a>(report: &'a Value, gate: &str) -> &'a Value {
    &array(report, "gates")
        .iter()
        .find(|g| g["gate"] == gate)
        .unwrap_or_else(|| panic!("no gate {gate}"))["status"]
}

// ---------------------------------------------------------------------------------------------
// Binary content, NUL bytes, encodings
// ---------------------------------------------------------------------------------------------

#[test]
fn binary_file_named_py_is_skipped_with_a_diagnostic() {
    let tree = Tree::new();
    tree.fixture("binary.py");
    tree.write("good.py", GOOD_PY.as_bytes());
    let (run, report) = tree.check("binary.py");
    assert_eq!(run.code, 0, "a skipped file fails no gate");
    assert_skipped(&report, "binary.py", "read", &["binary"]);
    assert_good(&report, "good.py");
}

#[test]
fn random_bytes_named_py_and_rs_are_skipped_with_a_diagnostic() {
    // Pseudo-random bytes (xorshift), 64 KiB each: NUL bytes and invalid UTF-8 everywhere.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut noise = || {
        (0..64 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[3]
            })
            .collect::<Vec<u8>>()
    };
    let tree = Tree::new();
    tree.write("noise.py", &noise());
    tree.write("noise.rs", &noise());
    let (_, report) = tree.check("random bytes");
    assert_skipped(&report, "noise.py", "read", &["binary"]);
    assert_skipped(&report, "noise.rs", "read", &["binary"]);
}

#[test]
fn nul_byte_inside_text_gets_a_diagnostic() {
    let tree = Tree::new();
    tree.fixture("nul.py");
    let (_, report) = tree.check("NUL byte in text");
    diagnostic(&report, "nul.py", &["NUL"]);
    assert!(
        has_error_diagnostic(&report, "nul.py") || file(&report, "nul.py").is_some(),
        "nul.py is neither measured nor skipped with an error"
    );
}

#[test]
fn nul_byte_after_the_binary_sniff_window_gets_a_diagnostic() {
    // A text file whose first NUL byte comes after the first 8 KiB: binary sniffing (as git
    // and ripgrep do it) does not see it, but the file still holds a NUL byte that the user
    // should hear about, whether the file is then skipped or measured.
    let mut text = Vec::new();
    text.extend_from_slice(b"# a long comment line to push the NUL byte out of the first 8 KiB\n");
    while text.len() < 10_000 {
        text.extend_from_slice(b"x = 1\n");
    }
    text.extend_from_slice(b"y = 2\0\n");
    text.extend_from_slice(GOOD_PY.as_bytes());
    let tree = Tree::new();
    tree.write("late_nul.py", &text);
    let (_, report) = tree.check("NUL byte after 8 KiB of text");
    diagnostic(&report, "late_nul.py", &["NUL"]);
}

#[test]
fn latin1_is_measured_with_an_encoding_warning() {
    let tree = Tree::new();
    tree.fixture("latin1.py");
    let (run, report) = tree.check("Latin-1 source");
    assert_eq!(run.code, 0);
    let d = diagnostic(&report, "latin1.py", &["UTF-8"]);
    assert_eq!(d["severity"], "warning", "{d}");
    assert!(
        d["message"].as_str().unwrap_or_default().contains("line 1"),
        "the message should say where the bad byte is: {d}"
    );
    let f = measured(&report, "latin1.py");
    assert_lines(f, [5, 4, 1, 0]);
    assert_function(f, "f", ONE_IF);
}

#[test]
fn utf16_with_bom_is_transcoded_with_a_warning_and_measured() {
    for name in ["utf16le.py", "utf16be.py"] {
        let tree = Tree::new();
        tree.fixture(name);
        let (run, report) = tree.check(name);
        assert_eq!(run.code, 0, "{name}");
        let d = diagnostic(&report, name, &["UTF-16"]);
        assert_eq!(d["severity"], "warning", "{d}");
        let f = measured(&report, name);
        assert_lines(f, [5, 4, 1, 0]);
        assert_function(f, "f", ONE_IF);
    }
}

#[test]
fn utf8_bom_is_measured_correctly() {
    let tree = Tree::new();
    tree.fixture("bom.py");
    tree.fixture("bom.rs");
    let (run, report) = tree.check("UTF-8 BOM");
    assert_eq!(run.code, 0);
    for name in ["bom.py", "bom.rs"] {
        assert!(
            diagnostics_for(&report, name).is_empty(),
            "{name}: a UTF-8 BOM is valid source, no diagnostic expected:\n{}",
            diagnostics_text(&report)
        );
    }
    let py = measured(&report, "bom.py");
    assert_lines(py, [5, 4, 1, 0]);
    assert_function(py, "f", ONE_IF);
    let rs = measured(&report, "bom.rs");
    assert_lines(rs, [7, 6, 1, 0]);
    assert_function(rs, "f", [2, 7, 6, 6, 2, 1, 1, 1]);
}

// ---------------------------------------------------------------------------------------------
// Line endings, empty files, syntax errors
// ---------------------------------------------------------------------------------------------

#[test]
fn crlf_line_endings_are_measured_correctly() {
    let tree = Tree::new();
    tree.fixture("crlf.py");
    tree.fixture("crlf.rs");
    let (run, report) = tree.check("CRLF");
    assert_eq!(run.code, 0);
    let py = measured(&report, "crlf.py");
    assert_lines(py, [7, 4, 2, 1]);
    assert_function(py, "f", ONE_IF);
    assert_eq!(py["syntax_errors"], 0);
    let rs = measured(&report, "crlf.rs");
    assert_lines(rs, [8, 6, 1, 1]);
    assert_function(rs, "f", [2, 8, 7, 6, 2, 1, 1, 1]);
    assert_eq!(rs["syntax_errors"], 0);
}

#[test]
fn cr_only_line_endings_are_measured_correctly() {
    let tree = Tree::new();
    tree.fixture("cr_only.py");
    let (run, report) = tree.check("CR-only line endings");
    assert_eq!(run.code, 0);
    // The same text as crlf.py: the same figures, not one 7-line-long line.
    let py = measured(&report, "cr_only.py");
    assert_lines(py, [7, 4, 2, 1]);
    assert_function(py, "f", ONE_IF);
    assert_eq!(py["syntax_errors"], 0);
}

#[test]
fn empty_files_are_measured_as_empty() {
    let tree = Tree::new();
    tree.fixture("empty.py");
    tree.fixture("empty.rs");
    let (run, report) = tree.check("empty files");
    assert_eq!(run.code, 0);
    for name in ["empty.py", "empty.rs"] {
        let f = measured(&report, name);
        assert_lines(f, [0, 0, 0, 0]);
        assert_eq!(f["functions"], serde_json::json!([]), "{name}");
        assert_eq!(f["syntax_errors"], 0, "{name}");
        assert!(!has_error_diagnostic(&report, name), "{name}");
    }
}

#[test]
fn syntax_errors_are_counted_and_fail_their_gate() {
    let tree = Tree::new();
    tree.fixture("syntax_error.py");
    tree.fixture("syntax_error.rs");
    let (run, report) = tree.check("syntax errors");
    assert_eq!(run.code, 1, "the syntax_errors gate (default 0) must fail");
    assert_eq!(gate_status(&report, "syntax_errors"), "failed");
    for (name, first_line) in [("syntax_error.py", 5), ("syntax_error.rs", 5)] {
        let f = measured(&report, name);
        assert!(
            f["syntax_errors"].as_u64().is_some_and(|n| n > 0),
            "{name}: syntax_errors = {}",
            f["syntax_errors"]
        );
        assert_eq!(f["first_syntax_error_line"], first_line, "{name}");
        // The valid function before the error is still measured.
        assert_eq!(function(f, "ok")["start_line"], 1, "{name}");
    }
    let gate = array(&report, "gates")
        .iter()
        .find(|g| g["gate"] == "syntax_errors")
        .expect("syntax_errors gate");
    let flagged: Vec<&str> = gate["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["path"].as_str())
        .collect();
    assert!(
        flagged.contains(&"syntax_error.py") && flagged.contains(&"syntax_error.rs"),
        "violations of syntax_errors: {flagged:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Deep nesting and the tree-sitter-python abort
// ---------------------------------------------------------------------------------------------

/// Deep but legal nesting: measured with its real figures, or (a documented limit) skipped with
/// a diagnostic naming the file. Either way, never a crash.
fn measured_or_explained<'a>(report: &'a Value, path: &str) -> Option<&'a Value> {
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

#[test]
fn hundred_thousand_nested_parentheses_python() {
    let tree = Tree::new();
    tree.write("parens.py", nested_parentheses_python(100_000).as_bytes());
    tree.write("good.py", GOOD_PY.as_bytes());
    let (_, report) = tree.check("100,000 nested parentheses (Python)");
    if let Some(f) = measured_or_explained(&report, "parens.py") {
        assert_eq!(f["lines"], 2);
        assert_function(f, "deep", [1, 2, 2, 2, 1, 0, 0, 0]);
    }
    assert_good(&report, "good.py");
}

#[test]
fn hundred_thousand_nested_parentheses_rust() {
    let tree = Tree::new();
    tree.write("parens.rs", nested_parentheses_rust(100_000).as_bytes());
    tree.write("good.py", GOOD_PY.as_bytes());
    let (_, report) = tree.check("100,000 nested parentheses (Rust)");
    if let Some(f) = measured_or_explained(&report, "parens.rs") {
        assert_eq!(f["lines"], 3);
        assert_function(f, "deep", [1, 3, 3, 3, 1, 0, 0, 0]);
    }
    assert_good(&report, "good.py");
}

#[test]
fn five_thousand_nested_blocks_python_are_refused_before_parsing() {
    // 5,000 `if 1:` levels need 12.5 MB of indentation: raise the size cap so that the
    // indentation guard, not the size cap, is what is tested.
    let tree = Tree::with_config("[limits]\nmax_file_bytes = 67108864\n");
    tree.write(
        "deep.py",
        indentation_staircase(5_000, " ", "\n").as_bytes(),
    );
    tree.write("good.py", GOOD_PY.as_bytes());
    let (_, report) = tree.check("5,000 nested Python blocks");
    assert_skipped(&report, "deep.py", "parse", &["indentation", "nest"]);
    assert_good(&report, "good.py");
}

#[test]
fn five_thousand_nested_blocks_rust() {
    let tree = Tree::new();
    tree.write("blocks.rs", nested_blocks_rust(5_000).as_bytes());
    tree.write("ifs.rs", nested_ifs_rust(5_000).as_bytes());
    tree.write("good.py", GOOD_PY.as_bytes());
    let (_, report) = tree.check("5,000 nested Rust blocks");
    if let Some(f) = measured_or_explained(&report, "blocks.rs") {
        assert_eq!(f["lines"], 3);
        assert_function(f, "deep", [1, 3, 3, 3, 1, 0, 0, 0]);
    }
    if let Some(f) = measured_or_explained(&report, "ifs.rs") {
        assert_eq!(f["lines"], 3);
        let deep = function(f, "deep");
        assert_eq!(deep["cyclomatic"], 5_001, "1 + one per `if`");
        assert_eq!(deep["max_nesting"], 5_000);
        // Cognitive complexity: each `if` scores 1 + its nesting: 5000 * 5001 / 2.
        assert_eq!(deep["cognitive"], 12_502_500);
    }
    assert_good(&report, "good.py");
}

#[test]
fn python_indentation_abort_is_caught_before_parsing() {
    // If this input reached tree-sitter-python, its scanner would abort() the whole process
    // (SIGABRT): the run must survive it, skip the file and measure the others.
    let tree = Tree::new();
    tree.write(
        "staircase.py",
        indentation_staircase(600, " ", "\n").as_bytes(),
    );
    tree.write("good.py", GOOD_PY.as_bytes());
    let (_, report) = tree.check("600-level indentation staircase with a string inside");
    assert_skipped(&report, "staircase.py", "parse", &["indentation", "nest"]);
    assert_good(&report, "good.py");
}

#[test]
fn python_indentation_abort_variants_do_not_crash() {
    // The same staircase written so that a guard that does not see lines exactly as the
    // grammar's scanner does would let it through: tab indentation, CRLF and CR-only line
    // endings, a BOM, UTF-16, blank lines, indented comments, comments at column 0 and
    // backslash continuation lines between the levels (the scanner skips comment lines and
    // joins continuations when it measures indentation). Each runs on its own, so that one
    // abort does not hide the others; all failures are reported together.
    let staircase = indentation_staircase(600, " ", "\n");
    let between = |filler: &str| -> Vec<u8> {
        let mut text = String::new();
        for (level, line) in staircase.lines().enumerate() {
            text.push_str(&filler.replace("{indent}", &" ".repeat(level)));
            text.push_str(line);
            text.push('\n');
        }
        text.into_bytes()
    };
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(staircase.encode_utf16().flat_map(u16::to_le_bytes));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "tabs.py",
            indentation_staircase(600, "\t", "\n").into_bytes(),
        ),
        (
            "crlf.py",
            indentation_staircase(600, " ", "\r\n").into_bytes(),
        ),
        ("cr.py", indentation_staircase(600, " ", "\r").into_bytes()),
        (
            "bom.py",
            [b"\xEF\xBB\xBF".as_slice(), staircase.as_bytes()].concat(),
        ),
        ("utf16.py", utf16),
        ("blank_lines.py", between("\n")),
        ("indented_comments.py", between("{indent}# a comment\n")),
        ("column0_comments.py", between("# a comment\n")),
        ("backslash_continuations.py", between("\\\n")),
        // Past the guard's limit, below the depth that crashes the scanner.
        ("mid.py", indentation_staircase(400, " ", "\n").into_bytes()),
    ];
    let mut failures = Vec::new();
    for (name, bytes) in cases {
        let outcome = std::panic::catch_unwind(|| {
            let tree = Tree::new();
            tree.write(name, &bytes);
            tree.write("good.py", GOOD_PY.as_bytes());
            let (_, report) = tree.check(&format!("indentation staircase variant {name}"));
            measured_or_explained(&report, name);
            assert_good(&report, "good.py");
        });
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{name}: {message}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} staircase variant(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Size cap
// ---------------------------------------------------------------------------------------------

#[test]
fn file_over_the_configured_size_cap_is_skipped() {
    let tree = Tree::with_config("[limits]\nmax_file_bytes = 1000\n");
    let mut big = String::new();
    while big.len() < 5_000 {
        big.push_str("x = 1  # filler line to make the file bigger than the cap\n");
    }
    tree.write("big.py", big.as_bytes());
    tree.write("good.py", GOOD_PY.as_bytes());
    let (run, report) = tree.check("5,000-byte file, 1,000-byte cap");
    assert_eq!(run.code, 0);
    let d = diagnostic(&report, "big.py", &["limit", "too big", "too large"]);
    assert_eq!(d["severity"], "error", "{d}");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("max_file_bytes")),
        "the message should name the setting to change: {d}"
    );
    assert!(file(&report, "big.py").is_none());
    assert_good(&report, "good.py");
}

#[test]
fn fifty_megabyte_file_is_skipped_under_the_default_cap() {
    let tree = Tree::new();
    let line = b"value = 'a line of filler to make a very large generated source file'\n";
    let mut big = Vec::with_capacity(50 * 1024 * 1024 + line.len());
    while big.len() < 50 * 1024 * 1024 {
        big.extend_from_slice(line);
    }
    assert!(big.len() as u64 > gatecheck::config::DEFAULT_MAX_FILE_BYTES);
    tree.write("huge.py", &big);
    drop(big);
    tree.write("good.py", GOOD_PY.as_bytes());
    let (run, report) = tree.check("50 MB file");
    assert_eq!(run.code, 0);
    let d = diagnostic(&report, "huge.py", &["limit", "too big", "too large"]);
    assert_eq!(d["severity"], "error", "{d}");
    assert_eq!(d["stage"], "read", "{d}");
    assert!(file(&report, "huge.py").is_none());
    assert_good(&report, "good.py");
}

// ---------------------------------------------------------------------------------------------
// Unreadable files, links, FIFOs, devices
// ---------------------------------------------------------------------------------------------

#[test]
fn unreadable_file_and_directory_are_skipped_with_a_diagnostic() {
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    let secret = tree.write("secret.py", b"def hidden():\n    pass\n");
    tree.write("locked/inner.py", b"def inner():\n    pass\n");
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    fs::set_permissions(tree.path("locked"), fs::Permissions::from_mode(0o000)).expect("chmod 000");
    let (run, report) = check_json(
        tree.root(),
        tree.root().as_os_str(),
        As::Unprivileged,
        "unreadable file and directory",
    );
    // Let the temporary directory be removed.
    fs::set_permissions(tree.path("locked"), fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(run.code, 0);
    assert_skipped(&report, "secret.py", "read", &["permission denied"]);
    diagnostic(&report, "locked", &["permission denied"]);
    assert!(file(&report, "locked/inner.py").is_none());
    assert_good(&report, "good.py");

    // The unreadable file given directly on the command line.
    let (_, report) = check_json(
        tree.root(),
        secret.as_os_str(),
        As::Unprivileged,
        "unreadable file given directly",
    );
    assert_skipped(&report, "secret.py", "read", &["permission denied"]);
}

#[test]
fn symlink_loop_and_dangling_symlink_get_diagnostics() {
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    tree.write("sub/inner.py", b"def inner():\n    pass\n");
    // A directory link to its own parent: following it would never end.
    symlink("..", tree.path("sub/up")).expect("symlink loop");
    // A link to nothing.
    symlink("missing.py", tree.path("dangling.py")).expect("dangling symlink");
    // Two file links pointing at each other.
    symlink("ping.py", tree.path("pong.py")).expect("symlink");
    symlink("pong.py", tree.path("ping.py")).expect("symlink");
    let (run, report) = tree.check("symlink loop and dangling symlink");
    assert_eq!(run.code, 0);
    assert_good(&report, "good.py");
    // Each real file once: the loop must not measure the tree again under sub/up/.
    assert_eq!(
        paths(&report, "files"),
        ["good.py", "sub/inner.py"],
        "files measured"
    );
    for name in ["dangling.py", "ping.py", "pong.py"] {
        diagnostic(&report, name, &["link"]);
    }
    // The directory link is not followed: the user must hear about it, not lose the files
    // below it without a word.
    diagnostic(&report, "sub/up", &["link", "loop"]);

    // The looping link given directly as the path to analyse: must terminate.
    let looping = tree.path("sub/up");
    let (_, report) = check_json(
        tree.root(),
        looping.as_os_str(),
        As::Me,
        "link loop given directly",
    );
    assert!(
        array(&report, "files").len() <= 2,
        "files: {:?}",
        paths(&report, "files")
    );
}

#[test]
fn fifo_named_py_does_not_hang_the_run() {
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    let fifo = tree.path("x.py");
    mkfifo(&fifo);
    let (run, report) = tree.check("FIFO named x.py in a directory");
    assert_eq!(run.code, 0);
    assert_skipped(&report, "x.py", "walk", &["FIFO", "not a regular file"]);
    assert_good(&report, "good.py");

    // The FIFO given directly on the command line: no writer will ever open it.
    let (_, report) = check_json(tree.root(), fifo.as_os_str(), As::Me, "FIFO given directly");
    diagnostic(&report, "x.py", &["FIFO", "not a regular file"]);
    assert!(file(&report, "x.py").is_none());
}

#[test]
fn character_device_named_py_is_skipped() {
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    let device = tree.path("dev.py");
    if !mknod_char_device(&device) {
        return;
    }
    let (run, report) = tree.check("character device named dev.py");
    assert_eq!(run.code, 0);
    assert_skipped(&report, "dev.py", "walk", &["device", "not a regular file"]);
    assert_good(&report, "good.py");

    let (_, report) = check_json(
        tree.root(),
        device.as_os_str(),
        As::Me,
        "device given directly",
    );
    diagnostic(&report, "dev.py", &["device", "not a regular file"]);
    assert!(file(&report, "dev.py").is_none());
}

// ---------------------------------------------------------------------------------------------
// File names and directory depth
// ---------------------------------------------------------------------------------------------

#[test]
fn non_utf8_file_names_keep_the_json_valid() {
    let tree = Tree::new();
    let cafe = OsStr::from_bytes(b"caf\xe9.py");
    tree.write(cafe, GOOD_PY.as_bytes());
    // A hostile file under a non-UTF-8 directory name: its diagnostic carries the bytes too.
    let dir = OsString::from_vec(b"d\xff".to_vec());
    let bad = Path::new(&dir).join("bin.py");
    fs::create_dir(tree.path(&dir)).expect("mkdir");
    tree.write(&bad, b"\x7fELF\0\0\0\0");
    let (run, report) = tree.check("non-UTF-8 file names");
    assert_eq!(run.code, 0);

    let entry = array(&report, "files")
        .iter()
        .find(|f| f["path_bytes"].is_array())
        .unwrap_or_else(|| {
            panic!(
                "no file entry with path_bytes: {:?}",
                paths(&report, "files")
            )
        });
    let bytes: Vec<u8> = entry["path_bytes"]
        .as_array()
        .expect("path_bytes")
        .iter()
        .map(|b| u8::try_from(b.as_u64().expect("byte")).expect("byte value"))
        .collect();
    assert_eq!(bytes, b"caf\xe9.py", "path_bytes holds the exact name");
    let lossy = entry["path"].as_str().expect("path");
    assert!(
        lossy.starts_with("caf") && lossy.ends_with(".py"),
        "path is the name written lossily: {lossy:?}"
    );
    assert_function(entry, "good", [1, 4, 4, 4, 3, 2, 2, 1]);

    let d = array(&report, "diagnostics")
        .iter()
        .find(|d| d["path_bytes"].is_array())
        .unwrap_or_else(|| {
            panic!(
                "no diagnostic with path_bytes:\n{}",
                diagnostics_text(&report)
            )
        });
    let bytes: Vec<u8> = d["path_bytes"]
        .as_array()
        .expect("path_bytes")
        .iter()
        .map(|b| u8::try_from(b.as_u64().expect("byte")).expect("byte value"))
        .collect();
    assert_eq!(bytes, b"d\xff/bin.py", "path_bytes of the diagnostic");
    assert!(
        d["message"].as_str().is_some_and(|m| m.contains("binary")),
        "{d}"
    );

    // The file given directly on the command line, and a root directory whose own name is
    // not UTF-8 (the report's `root` is written lossily).
    let (_, report) = check_json(
        tree.root(),
        tree.path(cafe).as_os_str(),
        As::Me,
        "non-UTF-8 file name given directly",
    );
    let entry = array(&report, "files")
        .first()
        .expect("the file is measured");
    assert!(entry["path_bytes"].is_array(), "{entry}");
    let (_, report) = check_json(
        tree.root(),
        tree.path(&dir).as_os_str(),
        As::Me,
        "non-UTF-8 root directory",
    );
    assert_skipped(&report, "bin.py", "read", &["binary"]);

    // The text report copes with the name too.
    check_text(
        tree.root(),
        tree.root().as_os_str(),
        As::Me,
        "non-UTF-8 names, text format",
    );
}

#[test]
fn two_thousand_deep_directory_chain() {
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    fs::create_dir(tree.path("chain")).expect("mkdir");
    deep_directory_chain(&tree.path("chain"), "d", 2_000);
    let (_, report) = tree.check("2,000-deep directory chain");
    assert_good(&report, "good.py");
    let bottom = format!("chain/{}f.py", "d/".repeat(2_000));
    deep_file_measured_or_explained(&report, &bottom, "chain");
}

#[test]
fn directory_chain_deeper_than_path_max() {
    // Absolute paths below this chain are longer than PATH_MAX (4,096 bytes).
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    fs::create_dir(tree.path("chain")).expect("mkdir");
    deep_directory_chain(&tree.path("chain"), "ddd", 2_000);
    let (_, report) = tree.check("directory chain past PATH_MAX");
    assert_good(&report, "good.py");
    let bottom = format!("chain/{}f.py", "ddd/".repeat(2_000));
    deep_file_measured_or_explained(&report, &bottom, "chain");
}

/// The file at the bottom of a deep chain is measured, or a walk diagnostic names a path in
/// the chain.
fn deep_file_measured_or_explained(report: &Value, bottom: &str, chain: &str) {
    if let Some(f) = file(report, bottom) {
        assert_function(f, "bottom", [1, 2, 2, 2, 1, 0, 0, 0]);
        return;
    }
    let explained = array(report, "diagnostics")
        .iter()
        .any(|d| d["path"].as_str().is_some_and(|p| p.starts_with(chain)) && d["stage"] == "walk");
    assert!(
        explained,
        "the file at the bottom of the chain is neither measured nor explained by a walk \
         diagnostic; files: {:?}; diagnostics:\n{}",
        paths(report, "files")
            .iter()
            .map(|p| p.chars().take(80).collect::<String>())
            .collect::<Vec<_>>(),
        diagnostics_text(report)
    );
}

// ---------------------------------------------------------------------------------------------
// Everything at once
// ---------------------------------------------------------------------------------------------

#[test]
fn one_bad_file_never_hides_the_good_ones() {
    // Every hostile input in one tree with one normal file; as root the run goes through
    // setpriv so that the unreadable file really is unreadable.
    let tree = Tree::with_config("[limits]\nmax_file_bytes = 16777216\n");
    tree.write("good.py", GOOD_PY.as_bytes());
    let mut hostile: Vec<String> = Vec::new();
    for name in [
        "binary.py",
        "nul.py",
        "latin1.py",
        "utf16le.py",
        "utf16be.py",
        "bom.py",
        "bom.rs",
        "crlf.py",
        "crlf.rs",
        "cr_only.py",
        "empty.py",
        "empty.rs",
        "syntax_error.py",
        "syntax_error.rs",
    ] {
        tree.fixture(name);
        hostile.push(name.to_owned());
    }
    let mut generated = |name: &str, bytes: &[u8]| {
        tree.write(name, bytes);
        hostile.push(name.to_owned());
    };
    generated("parens.py", nested_parentheses_python(100_000).as_bytes());
    generated("parens.rs", nested_parentheses_rust(100_000).as_bytes());
    generated("blocks.rs", nested_blocks_rust(5_000).as_bytes());
    generated("ifs.rs", nested_ifs_rust(5_000).as_bytes());
    // 12.5 MB, under this tree's 16 MiB cap: the indentation guard must catch it.
    generated(
        "deep.py",
        indentation_staircase(5_000, " ", "\n").as_bytes(),
    );
    generated(
        "staircase.py",
        indentation_staircase(600, " ", "\n").as_bytes(),
    );
    generated("huge.py", &vec![b'#'; 17 * 1024 * 1024]);
    generated("secret.py", b"def hidden():\n    pass\n");
    fs::set_permissions(tree.path("secret.py"), fs::Permissions::from_mode(0o000))
        .expect("chmod 000");
    generated(
        "late_nul.py",
        &[vec![b'#'; 9_000].as_slice(), b"\nx = 1\0\n"].concat(),
    );
    // Not in `hostile`: whether an unfollowed directory link gets a diagnostic is asserted by
    // `symlink_loop_and_dangling_symlink_get_diagnostics`; here it must only not loop.
    symlink("..", tree.path("up")).expect("symlink loop");
    symlink("missing.py", tree.path("dangling.py")).expect("dangling symlink");
    hostile.push("dangling.py".to_owned());
    mkfifo(&tree.path("fifo.py"));
    hostile.push("fifo.py".to_owned());
    if mknod_char_device(&tree.path("dev.py")) {
        hostile.push("dev.py".to_owned());
    }
    tree.write(OsStr::from_bytes(b"caf\xe9.py"), GOOD_PY.as_bytes());
    fs::create_dir(tree.path("chain")).expect("mkdir");
    deep_directory_chain(&tree.path("chain"), "d", 2_000);

    let (run, report) = check_json(
        tree.root(),
        tree.root().as_os_str(),
        As::Unprivileged,
        "every hostile input in one tree",
    );
    assert_eq!(run.code, 1, "the syntax errors fail their gate");
    assert_good(&report, "good.py");
    // Every hostile input is accounted for: measured, or named by a diagnostic.
    for name in &hostile {
        measured_or_explained(&report, name);
    }
    assert!(
        array(&report, "files")
            .iter()
            .any(|f| f["path_bytes"].is_array()),
        "the non-UTF-8 name is measured"
    );
    let summary = &report["summary"];
    assert_eq!(
        summary["files"].as_u64(),
        Some(array(&report, "files").len() as u64),
        "summary.files"
    );

    // The text format survives the same tree.
    let text = check_text(
        tree.root(),
        tree.root().as_os_str(),
        As::Unprivileged,
        "every hostile input, text format",
    );
    assert_eq!(text.code, 1);
    fs::set_permissions(tree.path("secret.py"), fs::Permissions::from_mode(0o644)).expect("chmod");
}
