//! The Grafana dashboard (`grafana/dashboards/gatecheck.json`): its structure, and every query
//! in it run against a real Prometheus that scrapes a real `gatecheck serve`.

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;

use serde_json::Value;

use super::{Server, get, small_copy, tools};
use crate::perf_support::{fixture, python};
use crate::project::repo;

/// Metrics the dashboard shows that gatecheck does not export yet. Queries naming one of these
/// are not required to return data. Once a feature is merged, its names must be removed from
/// here: [`dashboard_names_only_metrics_gatecheck_exports`] fails, naming them, as soon as
/// `gatecheck serve` exports one.
const NOT_YET_EXPORTED: &[&str] = &[];

/// The values the test gives the dashboard's variables: the Prometheus job of the scrape,
/// "All" for the instance, and Grafana's interval variables as Grafana would set them for a
/// short range at a 1 s scrape interval.
const SUBSTITUTIONS: &[(&str, &str)] = &[
    ("$__rate_interval", "10s"),
    ("$__interval", "5s"),
    ("$__range", "1h"),
    ("$instance", ".*"),
    ("$job", "gatecheck"),
];

/// The small project with an LCOV coverage report where `gatecheck serve` finds it.
/// The small project with a coverage report and a performance history written by two real
/// `gatecheck perf run`s of a startup and a response target (two, so that the second has a
/// baseline and a verdict), so that every panel has data to show.
fn project_with_coverage() -> tempfile::TempDir {
    let project = small_copy();
    std::fs::copy(
        repo().join("fixtures/coverage/partial.info"),
        project.path().join("lcov.info"),
    )
    .expect("copy the coverage report");
    write_perf_history(project.path());
    project
}

fn write_perf_history(project: &Path) {
    let config = project.join("gatecheck.toml");
    let mut text = std::fs::read_to_string(&config).expect("read gatecheck.toml");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let python = python();
    let server = [python.to_owned(), fixture("server.py"), port.to_string()];
    text.push_str(&format!(
        "\n[[performance.startup]]\nname = \"cli\"\ncommand = [{python:?}, \"-c\", \"pass\"]\n\
         runs = 5\nwarmup = 0\n\n[[performance.response]]\nname = \"health\"\n\
         url = \"http://127.0.0.1:{port}/health\"\nserver = {server:?}\nrequests = 10\n"
    ));
    std::fs::write(&config, text).expect("write gatecheck.toml");
    for _ in 0..2 {
        let run = cargo_bin_cmd!("gatecheck")
            .args(["perf", "run", "--format", "json"])
            .current_dir(project)
            .output()
            .expect("run gatecheck perf run");
        // Exit 1 (a limit exceeded on a loaded machine) still records the run.
        assert!(
            matches!(run.status.code(), Some(0 | 1)),
            "gatecheck perf run: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    assert!(project.join(".gatecheck/history.jsonl").is_file());
}

fn dashboard() -> Value {
    let path = repo().join("grafana/dashboards/gatecheck.json");
    let text = std::fs::read_to_string(&path).expect("read the dashboard");
    serde_json::from_str(&text).expect("the dashboard is JSON")
}

/// Every panel, rows' nested panels included (a work list, no recursion).
fn panels(dashboard: &Value) -> Vec<&Value> {
    let mut pending: Vec<&Value> = dashboard["panels"]
        .as_array()
        .expect("panels")
        .iter()
        .collect();
    let mut all = Vec::new();
    while let Some(panel) = pending.pop() {
        if let Some(nested) = panel["panels"].as_array() {
            pending.extend(nested);
        }
        all.push(panel);
    }
    all
}

/// Every PromQL expression of the panels' targets.
fn expressions(dashboard: &Value) -> Vec<String> {
    panels(dashboard)
        .iter()
        .flat_map(|p| p["targets"].as_array().into_iter().flatten())
        .map(|t| t["expr"].as_str().expect("a target has an expr").to_owned())
        .collect()
}

/// The queries of the `label_values(SELECTOR, LABEL)` variables, as PromQL.
fn variable_queries(dashboard: &Value) -> Vec<String> {
    let variables = dashboard["templating"]["list"]
        .as_array()
        .expect("variables");
    variables
        .iter()
        .filter(|v| v["type"] == "query")
        .map(|v| {
            let query = v["query"]["query"]
                .as_str()
                .expect("a query variable's query");
            let inner = query
                .strip_prefix("label_values(")
                .and_then(|q| q.strip_suffix(')'))
                .expect("label_values(SELECTOR, LABEL)");
            let (selector, label) = inner.rsplit_once(',').expect("SELECTOR, LABEL");
            format!("count by ({}) ({selector})", label.trim())
        })
        .collect()
}

fn substitute(expr: &str) -> String {
    SUBSTITUTIONS
        .iter()
        .fold(expr.to_owned(), |e, (var, value)| e.replace(var, value))
}

/// The `gatecheck_*` metric names an expression names.
fn metric_names(expr: &str) -> BTreeSet<String> {
    expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .filter(|word| word.starts_with("gatecheck_"))
        .map(str::to_owned)
        .collect()
}

/// The series names an exposition text defines (histograms as `_bucket`, `_sum`, `_count`).
fn exported_names(exposition: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in exposition.lines() {
        let Some(rest) = line.strip_prefix("# TYPE ") else {
            continue;
        };
        let (name, kind) = rest.split_once(' ').expect("# TYPE name kind");
        if kind == "histogram" {
            for suffix in ["_bucket", "_sum", "_count"] {
                names.insert(format!("{name}{suffix}"));
            }
        } else {
            names.insert(name.to_owned());
        }
    }
    names
}

#[test]
fn dashboard_structure_is_sound() {
    let dashboard = dashboard();
    let panels = panels(&dashboard);
    let mut ids = BTreeSet::new();
    for panel in &panels {
        let id = panel["id"].as_u64().expect("every panel has a numeric id");
        assert!(ids.insert(id), "panel id {id} is used twice");
        assert!(
            panel["gridPos"]["w"].as_u64().is_some(),
            "panel {id} has a position"
        );
        if panel["type"] == "row" {
            continue;
        }
        let title = panel["title"].as_str().expect("title");
        assert_eq!(panel["datasource"]["uid"], "${datasource}", "panel {title}");
        let targets = panel["targets"].as_array().expect("targets");
        assert!(!targets.is_empty(), "panel {title} has no query");
        for target in targets {
            assert_eq!(
                target["datasource"]["uid"], "${datasource}",
                "{title}: {target}"
            );
            let expr = target["expr"].as_str().expect("expr");
            assert!(
                expr.contains(r#"job=~"$job""#),
                "{title}: {expr} ignores $job"
            );
            assert!(expr.contains(r#"instance=~"$instance""#), "{title}: {expr}");
        }
    }
    let variables = dashboard["templating"]["list"]
        .as_array()
        .expect("variables");
    let datasource = variables.iter().find(|v| v["name"] == "datasource");
    assert_eq!(
        datasource.map(|v| (v["type"].clone(), v["query"].clone())),
        Some((Value::from("datasource"), Value::from("prometheus")))
    );
    let rows: Vec<&str> = panels
        .iter()
        .filter(|p| p["type"] == "row")
        .filter_map(|p| p["title"].as_str())
        .collect();
    for wanted in [
        "Gate status",
        "Violations by gate",
        "distributions",
        "fan-out",
        "Coverage",
    ] {
        assert!(
            rows.iter().any(|r| r.contains(wanted)),
            "no row for {wanted}: {rows:?}"
        );
    }
    assert!(rows.iter().any(|r| r.contains("memory")) && rows.contains(&"Analysis"));
}

#[test]
fn dashboard_names_only_metrics_gatecheck_exports() {
    let project = project_with_coverage();
    let server = Server::start(project.path(), &[]);
    let scrape = server.wait_for("gatecheck_serve_analyses_total", |n| n >= 1.0);
    let exported = exported_names(&scrape);
    assert!(
        exported.contains("gatecheck_serve_scrapes_total"),
        "{exported:?}"
    );
    for &name in NOT_YET_EXPORTED {
        assert!(
            !exported.contains(name),
            "gatecheck serve exports {name} now: remove it from NOT_YET_EXPORTED in {}",
            file!()
        );
    }
    // The perf figures come from the history two `perf run`s wrote (no program runs here).
    let (status, body) = get(&server.url("/report.json"));
    assert_eq!(status, 200);
    let report: Value = serde_json::from_str(&body).expect("report.json is JSON");
    let entries: Vec<(&str, &str)> = report["perf_latest"]["entries"]
        .as_array()
        .expect("perf_latest.entries")
        .iter()
        .filter_map(|e| Some((e["target"].as_str()?, e["measure"].as_str()?)))
        .collect();
    assert_eq!(
        entries,
        [
            ("cli", "startup"),
            ("cli", "memory"),
            ("health", "memory"),
            ("health", "response")
        ],
        "{body}"
    );
    assert!(report.get("perf").is_none(), "serve runs no target");
    crate::reports::assert_valid(&report, "report.json");
    let dashboard = dashboard();
    let mut queries = expressions(&dashboard);
    queries.extend(variable_queries(&dashboard));
    for expr in &queries {
        for name in metric_names(expr) {
            assert!(
                exported.contains(&name),
                "the dashboard queries {name}, which gatecheck does not export: {expr}"
            );
        }
    }
}

#[test]
fn every_dashboard_query_returns_data_from_a_real_prometheus() {
    require_tool!(Prometheus);
    let project = project_with_coverage();
    let server = Server::start(project.path(), &[]);
    server.wait_for("gatecheck_serve_analyses_total", |n| n >= 1.0);
    let prometheus = tools::prometheus(Some(&server.addr.to_string()), None);
    // Two scrapes at least, so that rate() over $__rate_interval has data.
    tools::wait_for_data(&prometheus, "rate(gatecheck_serve_scrapes_total[10s]) > 0");

    let dashboard = dashboard();
    let mut queries = expressions(&dashboard);
    queries.extend(variable_queries(&dashboard));
    let mut checked = 0;
    for expr in &queries {
        let promql = substitute(expr);
        assert!(!promql.contains('$'), "a variable left in {promql}");
        let result = tools::query(&prometheus, &promql);
        assert!(
            tools::has_data(&result),
            "no data for `{promql}` (from `{expr}`)"
        );
        let text = result.to_string();
        assert!(!text.contains("NaN"), "`{promql}` gives NaN: {text}");
        checked += 1;
    }
    assert!(
        checked >= 30,
        "only {checked} of {} queries checked",
        queries.len()
    );
}
