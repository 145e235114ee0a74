//! Robustness test helpers: running gatecheck and helper tools as child processes under the
//! hard [`TIMEOUT`](super::TIMEOUT), as the current user or (under root) as an unprivileged one.

use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::TIMEOUT;
use super::report::array;

/// What a finished child process left behind.
pub(super) struct Finished {
    pub(super) status: ExitStatus,
    stdout: Vec<u8>,
    pub(super) stderr: String,
}

/// Runs `cmd` (stdin closed, output captured) and waits at most [`TIMEOUT`]; on expiry the
/// child is killed and the test fails naming `what`.
pub(super) fn run_child(mut cmd: Command, what: &str) -> Finished {
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
pub(super) fn run_tool(cmd: Command, what: &str) {
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
pub(super) enum As {
    /// As the current user.
    Me,
    /// As an unprivileged user when the tests run as root (see [`unprivileged`]).
    Unprivileged,
}

/// One finished gatecheck run.
pub(super) struct Run {
    pub(super) code: i32,
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
pub(super) fn check_json(cwd: &Path, path: &OsStr, who: As, what: &str) -> (Run, Value) {
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
pub(super) fn check_text(cwd: &Path, path: &OsStr, who: As, what: &str) -> Run {
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
pub(super) fn euid() -> u32 {
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
