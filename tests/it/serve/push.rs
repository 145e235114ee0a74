//! `check --push` to a real Pushgateway, and a real Prometheus scraping the Pushgateway.

use std::process::Output;

use super::{free_port, get, metric, small_copy, tools};

fn check_with(project: &std::path::Path, args: &[&str]) -> Output {
    assert_cmd::cargo::cargo_bin_cmd!("gatecheck")
        .env_remove("GATECHECK_FORMAT")
        .arg("check")
        .arg(project)
        .args(args)
        .output()
        .expect("run gatecheck")
}

#[test]
fn push_reaches_the_pushgateway_and_prometheus_sees_it() {
    require_tool!(Pushgateway);
    require_tool!(Prometheus);
    let project = small_copy();
    let gateway = tools::pushgateway();
    let url = gateway.url("");
    let output = check_with(
        project.path(),
        &[
            "--format",
            "json",
            "--push",
            &url,
            "--push-job",
            "ci",
            "--push-instance",
            "runner-1",
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "the gates' verdict is kept: {output:?}"
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(
        report["summary"]["files"], 5,
        "--format still decides what is printed"
    );

    let (status, text) = get(&gateway.url("/metrics"));
    assert_eq!(status, 200);
    let series = "gatecheck_files{instance=\"runner-1\",job=\"ci\",language=\"python\"}";
    assert_eq!(metric(&text, series), Some(4.0), "{text}");
    assert!(
        text.contains("push_failure_time_seconds{instance=\"runner-1\",job=\"ci\"} 0"),
        "the Pushgateway took the push without complaint:\n{text}"
    );

    let prometheus = tools::prometheus(None, Some(&format!("127.0.0.1:{}", gateway.port)));
    let found = tools::wait_for_data(
        &prometheus,
        "gatecheck_files{job=\"ci\",instance=\"runner-1\",language=\"python\"}",
    );
    assert_eq!(tools::first_value(&found), 4.0);
    let gate = tools::wait_for_data(
        &prometheus,
        "gatecheck_gate_violations{job=\"ci\",gate=\"max_complexity\"}",
    );
    assert_eq!(tools::first_value(&gate), 2.0);
}

#[test]
fn a_failed_push_exits_2_and_says_where() {
    let project = small_copy();
    let closed = format!("http://127.0.0.1:{}", free_port());
    let output = check_with(project.path(), &["--push", &closed]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "cannot push the metrics to {closed}/metrics/job/gatecheck/instance/"
        )),
        "{stderr}"
    );

    require_tool!(Pushgateway, "the pushes to a real Pushgateway");
    let gateway = tools::pushgateway();
    let output = check_with(
        project.path(),
        &["--push", &gateway.url(""), "--push-instance", "a/b"],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--push-instance"), "{stderr}");
    let refused = check_with(project.path(), &["--push", &gateway.url("/nonexistent/")]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("refused the metrics with HTTP"), "{stderr}");
}
