//! Where and when a measurement is taken: the machine fingerprint, the commit and branch, the
//! time. Samples are only compared with samples of the same machine fingerprint.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

/// The circumstances of one `perf run` or import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// Machine fingerprint: `os-arch-<n>cpu-<hash>`.
    pub machine: String,
    /// The commit measured, when known.
    pub commit: Option<String>,
    /// The branch measured, when known.
    pub branch: Option<String>,
    /// Seconds since the Unix epoch.
    pub timestamp: u64,
}

impl Context {
    /// The context of a measurement of the project in `dir`, now. The commit and branch come
    /// from `GATECHECK_COMMIT` / `GATECHECK_BRANCH` when set, else from `git` in `dir`
    /// (unknown when `dir` is not a git work tree or git is missing).
    #[must_use]
    pub fn detect(dir: &Path) -> Context {
        Context {
            machine: fingerprint(),
            commit: env_or_git("GATECHECK_COMMIT", dir, &["rev-parse", "HEAD"]),
            branch: env_or_git(
                "GATECHECK_BRANCH",
                dir,
                &["rev-parse", "--abbrev-ref", "HEAD"],
            )
            .filter(|b| b != "HEAD"),
            timestamp: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        }
    }
}

/// The machine fingerprint: OS, architecture, CPU count, and a hash of the host name, CPU
/// model and memory size, so that two machines of one CI pool with different hardware do not
/// share baselines. `GATECHECK_MACHINE` overrides it (for a pool of identical runners).
#[must_use]
pub fn fingerprint() -> String {
    if let Some(name) = std::env::var("GATECHECK_MACHINE")
        .ok()
        .filter(|n| !n.is_empty())
    {
        return name;
    }
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let host = nix::unistd::gethostname()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = proc_field(&cpuinfo, "model name");
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = proc_field(&meminfo, "MemTotal");
    let hash = fnv1a(format!("{host}\n{model}\n{memory}").as_bytes());
    format!(
        "{}-{}-{cpus}cpu-{:08x}",
        std::env::consts::OS,
        std::env::consts::ARCH,
        hash & 0xffff_ffff
    )
}

/// The value of the first `key: value` line of a /proc file.
fn proc_field<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim() == key)
        .map_or("", |(_, v)| v.trim())
}

/// 64-bit FNV-1a: a stable hash (std's hasher may change between Rust versions).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn env_or_git(var: &str, dir: &Path, args: &[&str]) -> Option<String> {
    if let Some(value) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
        return Some(value);
    }
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (output.status.success() && !text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn proc_fields_are_found() {
        let text = "processor\t: 0\nmodel name\t: Some CPU @ 2.0GHz\n";
        assert_eq!(proc_field(text, "model name"), "Some CPU @ 2.0GHz");
        assert_eq!(proc_field(text, "MemTotal"), "");
    }
}
