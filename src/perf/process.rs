//! Running one measured command: through the lean spawner (`gatecheck __spawn`, see
//! [`super::spawner`]), in a process group of its own, with its output drained into bounded
//! tails, a deadline, and the whole group killed when it passes or when the command ends
//! (so no grandchild outlives its measurement).

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{Id, WaitPidFlag, waitid};
use nix::unistd::Pid;
use tempfile::TempPath;

use super::spawner::SpawnReport;
use super::tail::{DEFAULT_TAIL_BYTES, Stream, Tail, drain};

/// How long the output of a finished command may take to reach its end: a descendant that left
/// the process group can hold the pipe open forever, and gatecheck does not wait for it.
const OUTPUT_GRACE: Duration = Duration::from_secs(2);

/// The hidden subcommand that runs the spawner.
pub const SPAWN_SUBCOMMAND: &str = "__spawn";

/// Where the spawner is: the gatecheck executable to run as `EXE __spawn --report FILE -- ...`.
#[derive(Clone, Debug)]
pub struct Spawner {
    /// The gatecheck executable.
    pub exe: PathBuf,
}

impl Spawner {
    /// The running gatecheck executable, as `/proc/self/exe`: that path names the running
    /// binary even after its file was replaced (an upgrade or a rebuild during a run), where
    /// [`std::env::current_exe`] would name a file that is gone.
    ///
    /// # Errors
    /// When neither `/proc/self/exe` nor the executable's path can be found.
    pub fn current() -> Result<Spawner, ProcessError> {
        let proc_exe = Path::new("/proc/self/exe");
        if proc_exe.exists() {
            return Ok(Spawner {
                exe: proc_exe.to_path_buf(),
            });
        }
        std::env::current_exe()
            .map(|exe| Spawner { exe })
            .map_err(ProcessError::Exe)
    }
}

/// Why a command could not be run at all (a command that fails is an [`Outcome`], not this).
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// gatecheck cannot find its own executable.
    #[error("cannot find the gatecheck executable to run the spawner: {0}")]
    Exe(std::io::Error),
    /// The spawner could not be started, or its plumbing failed.
    #[error("cannot start the spawner {}", exe.display())]
    Start {
        /// The gatecheck executable.
        exe: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// How a measured command ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// It ran to its end: exit code or signal, wall time and peak memory from the spawner.
    Ended {
        /// Exit code, when it exited.
        code: Option<i32>,
        /// The signal that ended it, when one did.
        signal: Option<i32>,
        /// Seconds from spawn to exit.
        wall_seconds: f64,
        /// Peak resident memory of the command tree, in bytes.
        peak_rss_bytes: u64,
    },
    /// It could not be started.
    SpawnFailed(String),
    /// It ran past its deadline; its whole process group was killed.
    TimedOut(Duration),
    /// The spawner ended without a report (killed from outside, or it failed).
    NoReport(String),
}

impl Outcome {
    /// Whether the command exited with status 0.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        matches!(self, Outcome::Ended { code: Some(0), .. })
    }

    /// One line for people: `exited with status 3`, `timed out after 2.0 s`...
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Outcome::Ended {
                code: Some(code), ..
            } => format!("exited with status {code}"),
            Outcome::Ended {
                signal: Some(signal),
                ..
            } => format!("was killed by signal {signal}"),
            Outcome::Ended { .. } => "ended".to_owned(),
            Outcome::SpawnFailed(message) => message.clone(),
            Outcome::TimedOut(after) => format!(
                "timed out after {:.1} s; its process group was killed",
                after.as_secs_f64()
            ),
            Outcome::NoReport(why) => format!("ended without a measurement ({why})"),
        }
    }
}

/// A finished command: how it ended and the ends of its output.
#[derive(Clone, Debug)]
pub struct Finished {
    /// How it ended.
    pub outcome: Outcome,
    /// The end of its standard output.
    pub stdout: Tail,
    /// The end of its standard error.
    pub stderr: Tail,
}

/// A command running under the spawner, in its own process group.
#[derive(Debug)]
pub struct Running {
    child: Child,
    group: Pid,
    report: TempPath,
    exited: Receiver<()>,
    has_exited: bool,
    outputs: Receiver<StreamTail>,
    started: Instant,
}

impl Running {
    /// Starts `command` (program then arguments) in `cwd` through `spawner`.
    ///
    /// # Errors
    /// [`ProcessError::Start`] when the spawner or its pipes and threads cannot be set up.
    pub fn start(
        spawner: &Spawner,
        command: &[String],
        cwd: &Path,
    ) -> Result<Running, ProcessError> {
        let fail = |source| ProcessError::Start {
            exe: spawner.exe.clone(),
            source,
        };
        let report = tempfile::Builder::new()
            .prefix("gatecheck-spawn-")
            .tempfile()
            .map_err(fail)?
            .into_temp_path();
        let mut args: Vec<OsString> = vec![
            SPAWN_SUBCOMMAND.into(),
            "--report".into(),
            report.as_os_str().to_owned(),
            "--".into(),
        ];
        args.extend(command.iter().map(OsString::from));
        let mut child = Command::new(&spawner.exe)
            .args(&args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(fail)?;
        let group = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
        let (exited, outputs) = match plumbing(&mut child, group) {
            Ok(receivers) => receivers,
            Err(e) => {
                kill_group(group, Signal::SIGKILL);
                let _ = child.wait();
                return Err(fail(e));
            }
        };
        Ok(Running {
            child,
            group,
            report,
            exited,
            has_exited: false,
            outputs,
            started: Instant::now(),
        })
    }

    /// Whether the command has ended (without waiting).
    pub fn has_exited(&mut self) -> bool {
        self.wait_until(Instant::now())
    }

    /// Waits until the command ends or `deadline` passes; whether it ended.
    pub fn wait_until(&mut self, deadline: Instant) -> bool {
        if !self.has_exited {
            let left = deadline.saturating_duration_since(Instant::now());
            self.has_exited = !matches!(
                self.exited.recv_timeout(left),
                Err(RecvTimeoutError::Timeout)
            );
        }
        self.has_exited
    }

    /// Waits for the command to end; past `timeout` its whole process group is killed.
    #[must_use]
    pub fn wait_timeout(mut self, timeout: Duration) -> Finished {
        if self.wait_until(self.started + timeout) {
            return self.finish(None);
        }
        kill_group(self.group, Signal::SIGKILL);
        self.finish(Some(Outcome::TimedOut(timeout)))
    }

    /// Stops a command that runs until told (a server): SIGTERM to its process group, then
    /// SIGKILL when it has not ended after `grace`.
    #[must_use]
    pub fn stop(mut self, grace: Duration) -> Finished {
        if !self.has_exited() {
            kill_group(self.group, Signal::SIGTERM);
            if !self.wait_until(Instant::now() + grace) {
                kill_group(self.group, Signal::SIGKILL);
                let outcome = Outcome::NoReport(format!(
                    "it did not stop within {:.1} s of SIGTERM and was killed",
                    grace.as_secs_f64()
                ));
                return self.finish(Some(outcome));
            }
        }
        self.finish(None)
    }

    /// Kills what is left of the group, reaps the spawner, collects the output tails and the
    /// spawner's report. `forced` overrides the report's outcome.
    fn finish(mut self, forced: Option<Outcome>) -> Finished {
        // The spawner is not reaped yet, so the group id cannot have been reused.
        kill_group(self.group, Signal::SIGKILL);
        let status = self.child.wait();
        self.has_exited = true; // reaped: `Drop` must not signal the group again
        let (stdout, stderr) = collect_tails(&self.outputs);
        let outcome = forced.unwrap_or_else(|| read_report(&self.report, status));
        Finished {
            outcome,
            stdout,
            stderr,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if !self.has_exited {
            kill_group(self.group, Signal::SIGKILL);
            let _ = self.child.wait();
        }
    }
}

/// A finished stream's tail, as the drain threads send it.
type StreamTail = (Stream, Tail);

/// Starts the threads that drain the child's output and watch for its exit.
fn plumbing(
    child: &mut Child,
    group: Pid,
) -> std::io::Result<(Receiver<()>, Receiver<StreamTail>)> {
    let (send, outputs) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        drain(out, Stream::Stdout, DEFAULT_TAIL_BYTES, send.clone())?;
    }
    if let Some(err) = child.stderr.take() {
        drain(err, Stream::Stderr, DEFAULT_TAIL_BYTES, send)?;
    }
    Ok((watch_exit(group)?, outputs))
}

/// Sends `signal` to process group `group`; a group that is already gone is fine.
fn kill_group(group: Pid, signal: Signal) {
    let _ = killpg(group, signal);
}

/// A thread that waits, without reaping, for `pid` to end, then sends once.
fn watch_exit(pid: Pid) -> std::io::Result<Receiver<()>> {
    let (send, exited) = mpsc::channel();
    std::thread::Builder::new()
        .name("gatecheck-wait".to_owned())
        .spawn(move || {
            let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT;
            while let Err(nix::Error::EINTR) = waitid(Id::Pid(pid), flags) {}
            let _ = send.send(());
        })?;
    Ok(exited)
}

/// The two tails, waiting at most [`OUTPUT_GRACE`] for the pipes to close.
fn collect_tails(outputs: &Receiver<StreamTail>) -> (Tail, Tail) {
    let deadline = Instant::now() + OUTPUT_GRACE;
    let (mut stdout, mut stderr) = (Tail::default(), Tail::default());
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(Instant::now());
        match outputs.recv_timeout(left) {
            Ok((Stream::Stdout, tail)) => stdout = tail,
            Ok((Stream::Stderr, tail)) => stderr = tail,
            Err(_) => break,
        }
    }
    (stdout, stderr)
}

fn read_report(path: &Path, status: std::io::Result<std::process::ExitStatus>) -> Outcome {
    let parsed = std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<SpawnReport>(&bytes).ok());
    match parsed {
        Some(SpawnReport::Ended {
            code,
            signal,
            wall_seconds,
            peak_rss_bytes,
        }) => Outcome::Ended {
            code,
            signal,
            wall_seconds,
            peak_rss_bytes,
        },
        Some(SpawnReport::SpawnFailed { message }) => Outcome::SpawnFailed(message),
        None => Outcome::NoReport(match status {
            Ok(status) => format!("the spawner {status}"),
            Err(e) => format!("the spawner could not be waited for: {e}"),
        }),
    }
}
