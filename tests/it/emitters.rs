//! Every output format of a report, snapshotted from one shared fixture report (ruff's
//! emitter tests): the small fixture project judged with a coverage report and a forbidden-import rule,
//! its run-dependent fields pinned. The test iterates every `--format` value, so a new format
//! fails here until its snapshot is reviewed and committed.
#![allow(
    clippy::expect_used,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use gatecheck::analyze::{self, Request};
use gatecheck::config::Config;
use gatecheck::coverage;
use gatecheck::graph::settings::ForbidRule;
use gatecheck::judge;
use gatecheck::report::Report;
use gatecheck::report::emit::{self, Format};
use gatecheck::report::text::{GroupBy, Text};

/// The shared fixture report.
pub(crate) fn fixture_report() -> Report {
    let root = Path::new("fixtures/projects/small");
    let mut config = Config::discover(root).expect("the fixture's config");
    // A rule the fixture breaks (pkg.core imports functools), so rule findings show too.
    config.architecture.forbid.push(ForbidRule {
        from: "pkg.core".to_owned(),
        to: vec!["functools".to_owned()],
    });
    let paths = [root.to_path_buf()];
    let request = Request {
        paths: &paths,
        root,
        config: &config,
        threads: 1,
    };
    let analysis = analyze::analyze(&request, &|_| {}).expect("the fixture analyses");
    let coverage = coverage::read_reports(&[PathBuf::from("fixtures/coverage/partial.info")], &[])
        .expect("the coverage fixture");
    let mut report = judge::report(&analysis, &config, coverage, None).expect("rules match");
    pin(&mut report);
    report
}

/// Fixes what depends on the machine and the moment: root, config path, version, times.
fn pin(report: &mut Report) {
    report.root = "/fixture/small".to_owned();
    report.config = Some("/fixture/small/gatecheck.toml".to_owned());
    report.tool.version = "0.0.0-fixture";
    report.summary.duration_seconds = 0.25;
    report.summary.timestamp_seconds = 1_800_000_000.0;
}

#[test]
fn every_format_writes_the_fixture_report_as_its_snapshot() {
    let report = fixture_report();
    for format in Format::value_variants() {
        let name = format
            .to_possible_value()
            .expect("a named format")
            .get_name()
            .to_owned();
        let bytes = emit::render(&report, *format, Text::default()).expect("renders");
        let mut text = String::from_utf8(bytes).expect("UTF-8");
        if *format == Format::Prometheus {
            text = without_absent_languages(&text, &report);
        }
        insta::assert_snapshot!(format!("emit_{name}"), text);
    }
}

/// The Prometheus text without the series of registered languages the report has no file of:
/// those must be zero (a series does not vanish with a language's last file), which is checked
/// here, and they are left out of the snapshot, so that registering a language does not
/// change it.
fn without_absent_languages(text: &str, report: &Report) -> String {
    let present: BTreeSet<&str> = report.files.iter().map(|f| f.language).collect();
    let mut kept = String::with_capacity(text.len());
    for line in text.lines() {
        let language = line
            .split_once("language=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(language, _)| language);
        match language {
            Some(language) if !present.contains(language) => {
                let value = line.rsplit(' ').next();
                assert_eq!(value, Some("0"), "a series of an absent language: {line}");
            }
            _ => {
                kept.push_str(line);
                kept.push('\n');
            }
        }
    }
    kept
}

#[test]
fn the_fixture_report_holds_every_kind_of_finding() {
    let report = fixture_report();
    let failed: Vec<&str> = report
        .gates
        .iter()
        .filter(|g| !g.violations.is_empty())
        .map(|g| g.gate)
        .collect();
    for gate in [
        "max_function_length",
        "min_test_coverage",
        "forbidden_imports",
    ] {
        assert!(failed.contains(&gate), "{gate} should fail: {failed:?}");
    }
    assert!(
        report.summary.suppressed > 0,
        "suppressed findings are shown too"
    );
}

/// The fixture report as text with `options`.
fn text(options: Text) -> String {
    let bytes = emit::render(&fixture_report(), Format::Text, options).expect("renders");
    String::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn text_fits_a_wide_and_a_narrow_terminal() {
    let wide = text(Text {
        width: Some(100),
        ..Text::default()
    });
    let narrow = text(Text {
        width: Some(60),
        ..Text::default()
    });
    for (name, out, width) in [
        ("text_width_100", &wide, 100),
        ("text_width_60", &narrow, 60),
    ] {
        let findings = out.lines().take_while(|l| !l.is_empty());
        for line in findings {
            assert!(line.chars().count() <= width, "{name}: {line}");
        }
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn text_statistics_verbose_and_grouping_by_gate() {
    let statistics = text(Text {
        statistics: true,
        ..Text::default()
    });
    insta::assert_snapshot!("text_statistics", statistics);
    let verbose = text(Text {
        verbose: true,
        group_by: GroupBy::Gate,
        ..Text::default()
    });
    insta::assert_snapshot!("text_verbose_by_gate", verbose);
}
