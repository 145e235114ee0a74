//! The performance part of the text report: one line per target with its figures, the
//! failures, and the verdicts against the baseline.

use std::io::{self, Write};

use crate::perf::measure::{ResponseResult, StartupResult};
use crate::perf::run::PerfReport;
use crate::perf::stats::format_seconds;
use crate::perf::verdict::format_bytes;

/// Writes `perf` for people (nothing for `None`).
///
/// # Errors
/// Any error writing to `out`.
pub(super) fn write(perf: Option<&PerfReport>, out: &mut dyn Write) -> io::Result<()> {
    let Some(perf) = perf else { return Ok(()) };
    let commit = perf
        .commit
        .as_deref()
        .map_or("unknown", |c| c.get(..12).unwrap_or(c));
    writeln!(
        out,
        "performance (machine {}, commit {commit}, history {}{}):",
        perf.machine,
        perf.history,
        if perf.recorded { "" } else { ", not recorded" }
    )?;
    for s in &perf.startup {
        writeln!(out, "  {}", startup_line(s))?;
    }
    for r in &perf.response {
        writeln!(out, "  {}", response_line(r))?;
    }
    write_failures(perf, out)?;
    write_verdicts(perf, out)
}

fn write_failures(perf: &PerfReport, out: &mut dyn Write) -> io::Result<()> {
    let failures = perf
        .startup
        .iter()
        .filter_map(|s| s.failure.as_ref().map(|f| (&s.name, f)))
        .chain(
            perf.response
                .iter()
                .filter_map(|r| r.failure.as_ref().map(|f| (&r.name, f))),
        );
    for (name, f) in failures {
        writeln!(out, "  {name}: {} {}", f.what, f.reason)?;
        if !f.stderr_tail.is_empty() {
            writeln!(out, "    stderr: {}", f.stderr_tail.replace('\n', "\n    "))?;
        }
    }
    Ok(())
}

fn write_verdicts(perf: &PerfReport, out: &mut dyn Write) -> io::Result<()> {
    if perf.verdicts.is_empty() {
        return writeln!(
            out,
            "verdicts: no baseline yet ({}): the next runs will be compared with this one\n",
            perf.baseline
        );
    }
    writeln!(out, "verdicts (against {}):", perf.baseline)?;
    for v in &perf.verdicts {
        let again = if v.remeasured {
            " (measured twice: the first measurement was a regression)"
        } else {
            ""
        };
        writeln!(out, "  {}{again}", v.text)?;
    }
    writeln!(out)
}

fn startup_line(s: &StartupResult) -> String {
    let Some(w) = &s.wall else {
        return format!("startup {}: not measured", s.name);
    };
    let memory = s
        .peak_memory_bytes
        .map(|m| format!("; peak memory {}", format_bytes(m)))
        .unwrap_or_default();
    format!(
        "startup {}: median {}, p95 {}, min {}, max {}, MAD {} ({} runs){memory}",
        s.name,
        format_seconds(w.median),
        format_seconds(w.p95),
        format_seconds(w.min),
        format_seconds(w.max),
        format_seconds(w.mad),
        w.n
    )
}

fn response_line(r: &ResponseResult) -> String {
    let memory = r
        .peak_memory_bytes
        .map(|m| format!("; server peak memory {}", format_bytes(m)))
        .unwrap_or_default();
    let Some(l) = &r.latency else {
        return format!(
            "response {}: not measured, {} errors{memory}",
            r.name, r.errors
        );
    };
    format!(
        "response {}: p50 {}, p95 {}, p99 {}, {} errors of {} requests{memory}",
        r.name,
        format_seconds(l.p50),
        format_seconds(l.p95),
        format_seconds(l.p99),
        r.errors,
        r.requests
    )
}
