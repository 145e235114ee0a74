//! The real Prometheus components the tests start: Prometheus itself, the Pushgateway and
//! node_exporter, each on a free loopback port with its own temporary directory.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Child, PATIENCE, agent, free_port, get};

/// A running tool and its port; stopped (and its directory removed) when dropped.
pub(crate) struct Tool {
    _process: Child,
    pub(crate) port: u16,
    _dir: tempfile::TempDir,
}

impl Tool {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// Starts `program` with the arguments `args(port, dir)` and waits until `ready_path`
/// answers 200; retries on another port when the one picked was taken in between.
fn start(program: &str, ready_path: &str, args: impl Fn(u16, &Path) -> Vec<String>) -> Tool {
    let dir = tempfile::tempdir().expect("temp dir");
    for _attempt in 0..3 {
        let port = free_port();
        let mut command = Command::new(program);
        command
            .args(args(port, dir.path()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log_file(dir.path(), program)));
        let mut process = Child::spawn(&mut command, program);
        let url = format!("http://127.0.0.1:{port}{ready_path}");
        let started = Instant::now();
        while started.elapsed() < PATIENCE {
            if process_exited(&mut process) {
                break;
            }
            if agent().get(&url).call().is_ok_and(|r| r.status() == 200) {
                return Tool {
                    _process: process,
                    port,
                    _dir: dir,
                };
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let log = std::fs::read_to_string(dir.path().join("log")).unwrap_or_default();
    panic!("{program} did not become ready; its log:\n{log}");
}

fn log_file(dir: &Path, program: &str) -> std::fs::File {
    std::fs::File::create(dir.join("log")).unwrap_or_else(|e| panic!("log of {program}: {e}"))
}

fn process_exited(process: &mut Child) -> bool {
    process.child.try_wait().ok().flatten().is_some()
}

/// node_exporter with only its textfile collector, reading `textfile_dir`.
pub(crate) fn node_exporter(textfile_dir: &Path) -> Tool {
    let textfiles = format!("--collector.textfile.directory={}", textfile_dir.display());
    start("prometheus-node-exporter", "/metrics", |port, _| {
        vec![
            format!("--web.listen-address=127.0.0.1:{port}"),
            "--collector.disable-defaults".to_owned(),
            "--collector.textfile".to_owned(),
            textfiles.clone(),
        ]
    })
}

/// A Pushgateway keeping pushed metrics in memory only.
pub(crate) fn pushgateway() -> Tool {
    start("prometheus-pushgateway", "/-/ready", |port, _| {
        vec![format!("--web.listen-address=127.0.0.1:{port}")]
    })
}

/// Prometheus scraping every second: `gatecheck` (the address of a `gatecheck serve`) and
/// `pushgateway` (with `honor_labels`, as the Pushgateway's documentation asks).
pub(crate) fn prometheus(gatecheck: Option<&str>, pushgateway: Option<&str>) -> Tool {
    let mut config = String::from(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n",
    );
    if let Some(target) = gatecheck {
        config.push_str(&format!(
            "  - job_name: gatecheck\n    static_configs:\n      - targets: ['{target}']\n"
        ));
    }
    if let Some(target) = pushgateway {
        config.push_str(&format!(
            "  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['{target}']\n"
        ));
    }
    start("prometheus", "/-/ready", move |port, dir| {
        std::fs::write(dir.join("prometheus.yml"), &config).expect("write config");
        vec![
            format!("--config.file={}", dir.join("prometheus.yml").display()),
            format!("--storage.tsdb.path={}", dir.join("data").display()),
            format!("--web.listen-address=127.0.0.1:{port}"),
        ]
    })
}

/// Runs an instant query; returns its result vector (or scalar) as JSON.
pub(crate) fn query(prometheus: &Tool, expr: &str) -> Value {
    let url = prometheus.url("/api/v1/query");
    let mut response = agent()
        .get(&url)
        .query("query", expr)
        .call()
        .unwrap_or_else(|e| panic!("query {expr}: {e}"));
    let body = response.body_mut().read_to_string().expect("body");
    let json: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(json["status"], "success", "query {expr}: {body}");
    json["data"]["result"].clone()
}

/// Whether a query result holds data.
pub(crate) fn has_data(result: &Value) -> bool {
    match result {
        Value::Array(samples) => !samples.is_empty(),
        Value::Null => false,
        _ => true,
    }
}

/// Waits until `expr` returns data; returns the result.
pub(crate) fn wait_for_data(prometheus: &Tool, expr: &str) -> Value {
    let started = Instant::now();
    loop {
        let result = query(prometheus, expr);
        if has_data(&result) {
            return result;
        }
        if started.elapsed() > PATIENCE {
            let (_, targets) = get(&prometheus.url("/api/v1/targets"));
            panic!("`{expr}` has no data after {PATIENCE:?}; targets: {targets}");
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// The value of the first sample of a vector result.
pub(crate) fn first_value(result: &Value) -> f64 {
    result[0]["value"][1]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no sample value in {result}"))
}
