//! The JUnit XML format, which CI systems (GitLab, Jenkins, Azure, CircleCI) show as a test
//! report: one test suite per gate section, one passing test case per passing gate, one
//! failing test case per violation, a skipped case for a gate that was not measured and for
//! each suppressed violation. Written with `quick-junit` (cargo-nextest's writer).

use std::io::{self, Write};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use super::Emitter;
use super::{GateEntry, Report, ViolationEntry};
use crate::diagnostic::Severity;
use crate::gates::Status;
use crate::registry::Section;

/// JUnit XML ([`write`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Junit;

impl Emitter for Junit {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        write(report, out)
    }
}

/// Writes `report` as JUnit XML.
///
/// # Errors
/// Any error writing to `out`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut junit = JunitReport::new("gatecheck");
    junit.set_time(Duration::from_secs_f64(
        report.summary.duration_seconds.max(0.0),
    ));
    for section in Section::ALL {
        let mut suite = TestSuite::new(section.key());
        for gate in report.gates.iter().filter(|g| g.section == section.key()) {
            suite.add_test_cases(cases(gate));
        }
        junit.add_test_suite(suite);
    }
    if report.summary.skipped_files > 0 {
        junit.add_test_suite(skipped_files(report));
    }
    junit.serialize(out).map_err(io::Error::other)
}

/// A suite with one skipped case per file that could not be measured, so a CI test report
/// shows what the gates did not check.
fn skipped_files(report: &Report) -> TestSuite {
    let mut suite = TestSuite::new("unmeasured files");
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        let mut status = TestCaseStatus::skipped();
        status.set_message(format!("not measured: {}", d.message));
        let mut case = TestCase::new(d.path.clone(), status);
        case.set_classname("gatecheck.files");
        suite.add_test_case(case);
    }
    suite
}

fn cases(gate: &GateEntry) -> Vec<TestCase> {
    let classname = format!("gatecheck.{}", gate.gate);
    let mut cases: Vec<TestCase> = match gate.status {
        Status::Passed => vec![TestCase::new(gate.gate, TestCaseStatus::success())],
        Status::NotMeasured | Status::Disabled => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(if gate.status == Status::Disabled {
                "disabled by the configuration or --select/--ignore"
            } else {
                "not measured in this run"
            });
            vec![TestCase::new(gate.gate, status)]
        }
        Status::Failed => gate.violations.iter().map(|v| failure(gate, v)).collect(),
    };
    cases.extend(gate.suppressed.iter().map(|v| {
        let mut status = TestCaseStatus::skipped();
        let reason = v.reason.as_deref().unwrap_or_default();
        status.set_message(format!("suppressed: {reason}"));
        TestCase::new(case_name(v), status)
    }));
    for case in &mut cases {
        case.set_classname(classname.clone());
    }
    cases
}

fn failure(gate: &GateEntry, v: &ViolationEntry) -> TestCase {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status.set_message(v.describe(gate.gate));
    status.set_type(gate.gate);
    status.set_description(format!(
        "{}:{}: {}: {}",
        v.path,
        v.line,
        gate.gate,
        v.describe(gate.gate)
    ));
    TestCase::new(case_name(v), status)
}

/// `path:line item`: unique within a gate, and readable in a CI test list.
fn case_name(v: &ViolationEntry) -> String {
    format!("{}:{} {}", v.path, v.line, v.item)
}
