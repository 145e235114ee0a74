//! The lean spawner: the process that starts a measured command and reports its peak memory.
//!
//! Why a separate process: on Linux a child that was forked or vforked from a big parent
//! inherits, at `exec`, the parent's resident-set high-water mark (the kernel records the old
//! address space's peak in the child's `maxrss`). After an analysis of a large tree, gatecheck
//! itself may hold hundreds of MB, so `getrusage(RUSAGE_CHILDREN)` in gatecheck would report
//! that instead of the command's memory. gatecheck therefore runs `gatecheck __spawn`, which
//! starts fresh from `exec` (a few MB), starts the command from there, waits for it, and reads
//! `getrusage(RUSAGE_CHILDREN)`: the largest peak RSS of the command and of every descendant
//! that was waited for. It writes a [`SpawnReport`] to the file it was given.
//!
//! If gatecheck dies (Ctrl-C, a crash, `kill -9`) the spawner notices within
//! [`PARENT_POLL`] that its parent changed and kills its whole process group, so a measured
//! command or server never outlives the gatecheck that started it.
//!
//! The spawner catches SIGTERM (a handler that only sets a flag), so that `SIGTERM` to the
//! whole process group (how gatecheck stops a server) stops the command but not the spawner,
//! which still reports. The command starts with default signal dispositions: `exec` resets
//! caught signals, whereas a blocked or ignored SIGTERM would be inherited.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use std::time::Duration;

use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::{getpgrp, getppid};
use serde::{Deserialize, Serialize};

use crate::atomic_file;

/// How often the spawner checks that gatecheck, its parent, is still alive.
pub const PARENT_POLL: Duration = Duration::from_millis(200);

/// What the spawner found out about the command it ran.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SpawnReport {
    /// The command ran and ended (by itself or by a signal).
    Ended {
        /// Its exit code, when it exited.
        code: Option<i32>,
        /// The signal that ended it, when one did.
        signal: Option<i32>,
        /// Seconds from just before the spawn to the end of the wait.
        wall_seconds: f64,
        /// Largest peak resident set of the command and its waited-for descendants, in bytes.
        peak_rss_bytes: u64,
    },
    /// The command could not be started (not found, not executable...).
    SpawnFailed {
        /// Why, as the operating system said it.
        message: String,
    },
}

/// Why the spawner could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum SpawnerError {
    /// No command was given after `--`.
    #[error("gatecheck __spawn: no command given after --")]
    NoCommand,
    /// A system call failed.
    #[error("gatecheck __spawn: {call} failed")]
    System {
        /// The call.
        call: &'static str,
        /// The error.
        source: nix::Error,
    },
    /// The SIGTERM handler or the parent watch could not be set up.
    #[error("gatecheck __spawn: cannot set up signal handling: {0}")]
    Signal(std::io::Error),
    /// The report could not be written.
    #[error("gatecheck __spawn: cannot write the report {}", path.display())]
    Report {
        /// The report file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// Runs `command` (program then arguments) with this process's standard streams, waits for
/// it, and writes its [`SpawnReport`] to `report` as JSON.
///
/// # Errors
/// [`SpawnerError`] when SIGTERM cannot be caught, resource usage cannot be read or the
/// report cannot be written. A command that cannot be started is reported, not an error.
pub fn run(report: &Path, command: &[OsString]) -> Result<(), SpawnerError> {
    let (program, args) = command.split_first().ok_or(SpawnerError::NoCommand)?;
    // The flag is never read: catching SIGTERM is what keeps the spawner alive.
    signal_hook::flag::register(
        signal_hook::consts::SIGTERM,
        Arc::new(AtomicBool::new(false)),
    )
    .map_err(SpawnerError::Signal)?;
    watch_parent().map_err(SpawnerError::Signal)?;
    let started = Instant::now();
    let outcome = match Command::new(program).args(args).status() {
        Ok(status) => {
            let wall_seconds = started.elapsed().as_secs_f64();
            let usage =
                getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|source| SpawnerError::System {
                    call: "getrusage",
                    source,
                })?;
            SpawnReport::Ended {
                code: status.code(),
                signal: std::os::unix::process::ExitStatusExt::signal(&status),
                wall_seconds,
                // Linux reports ru_maxrss in KiB.
                peak_rss_bytes: u64::try_from(usage.max_rss()).unwrap_or(0) * 1024,
            }
        }
        Err(e) => SpawnReport::SpawnFailed {
            message: format!("cannot start {}: {e}", program.to_string_lossy()),
        },
    };
    let fail = |source| SpawnerError::Report {
        path: report.to_path_buf(),
        source,
    };
    let json = serde_json::to_vec(&outcome).map_err(|e| fail(e.into()))?;
    atomic_file::write(report, &json).map_err(fail)
}

/// A thread that kills this process group (the spawner and the command) once the parent that
/// started the spawner is gone: the command must not outlive a killed gatecheck.
fn watch_parent() -> std::io::Result<()> {
    let parent = getppid();
    std::thread::Builder::new()
        .name("gatecheck-parent".to_owned())
        .spawn(move || {
            loop {
                std::thread::sleep(PARENT_POLL);
                if getppid() != parent {
                    let _ = killpg(getpgrp(), Signal::SIGKILL);
                }
            }
        })?;
    Ok(())
}
