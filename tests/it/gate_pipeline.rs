//! Tests: the gate pipeline as a whole. Every row of the registry has a producer that
//! measures it when its input exists: a run given every kind of input (code with classes and
//! imports, layer and forbid rules, a coverage report, startup and response targets with a
//! history to compare against) reports no gate as `not_measured`. A registry row whose
//! producer records nothing fails here.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::net::TcpListener;

use gatecheck::registry::GATES;

use crate::perf_support::{Project, fixture, python, startup};

/// A port that was free a moment ago on 127.0.0.1.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// A configuration with every kind of gate input: rules, a startup and a response target.
fn every_input(port: u16) -> String {
    let server = [
        python().to_owned(),
        fixture("server.py"),
        port.to_string(),
        "30".to_owned(),
    ];
    let target = startup("nap", "sleep.py", &["0.01"], "runs = 3\nwarmup = 0");
    format!(
        "[performance]\nmax_startup_time = 600\nno_regression = false\n{target}\n\
         [[performance.response]]\nname = \"health\"\nurl = \"http://127.0.0.1:{port}/health\"\n\
         server = {server:?}\nrequests = 5\n\n\
         [[architecture.layers]]\norder = [\"app.web\", \"app.core\"]\n\n\
         [[architecture.forbid]]\nfrom = \"app.core\"\nto = [\"requests\"]\n"
    )
}

const CORE: &str = "\
class Store:
    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)

    def count(self):
        return len(self.items)

    def clear(self):
        self.items = []
";

#[test]
fn every_gate_of_the_registry_is_measured_when_its_input_exists() {
    let project = Project::new(&every_input(free_port()));
    for (path, text) in [
        ("app/__init__.py", ""),
        ("app/core.py", CORE),
        (
            "app/web.py",
            "from app.core import Store\n\n\ndef page():\n    return Store()\n",
        ),
    ] {
        let file = project.path(path);
        std::fs::create_dir_all(file.parent().expect("a parent")).expect("mkdir");
        std::fs::write(file, text).expect("write");
    }
    let coverage = project.path("lcov.info");
    std::fs::write(
        &coverage,
        "TN:\nSF:app/core.py\nDA:1,1\nDA:2,1\nDA:3,0\nend_of_record\n",
    )
    .expect("write the coverage report");
    // A first run gives the history that the second one is compared with (no_regression).
    let first = project.run(&["perf", "run"]);
    assert!(first.code <= 1, "{}", first.describe());
    let run = project.run(&[
        "check",
        "--with-perf",
        "--coverage",
        coverage.to_str().expect("UTF-8 path"),
        "--format",
        "json",
    ]);
    assert!(run.code <= 1, "{}", run.describe());
    let report = run.json();
    let unmeasured: Vec<&str> = report["gates"]
        .as_array()
        .expect("gates")
        .iter()
        .filter(|g| g["status"] == "not_measured")
        .filter_map(|g| g["gate"].as_str())
        .collect();
    assert_eq!(unmeasured, Vec::<&str>::new(), "gates without a producer");
    assert_eq!(
        report["gates"].as_array().map(Vec::len),
        Some(GATES.len()),
        "every registry row is reported"
    );
}
