//! The two test tiers. `cargo test` needs only Rust and `python3` (no pip packages); the tests
//! that also need one of the tools of [`SPECS`] start with `require_tool!(Tool)`, and a check
//! inside a larger test (promtool on an output, the JSON schema on a report) calls [`require`]
//! with the part it skips. When the tool is missing:
//!
//! - by default, the test (or that part of it) is skipped, with one line on stderr:
//!   `skipped <test>: needs <tool> (<what it checks>); install it (...) or run bash .ci/run`.
//!   The line is written to the process's stderr directly, past libtest's output capture, so a
//!   plain `cargo test` shows it (libtest still counts the test as passed);
//! - under `.ci/run` (`GATECHECK_REQUIRE_TOOLS=1`, or `CI` set, as every CI sets it) the test
//!   fails, naming the tool: CI never skips silently. `GATECHECK_REQUIRE_TOOLS=0` allows
//!   skipping even where `CI` is set.
//!
//! `.ci/run` installs every tool listed here; README.md lists them with what each checks.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::project::repo;

/// A program (or Python module) some tests need beyond Rust and `python3`; its [`Spec`] says
/// what it checks, how it is found and how it is installed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tool {
    /// Python's `jsonschema` module (draft 2020-12 support).
    Jsonschema,
    /// coverage.py (`python3 -m coverage`).
    CoveragePy,
    /// xmllint, for XML Schema validation.
    Xmllint,
    /// `promtool check metrics`.
    Promtool,
    /// The Prometheus server.
    Prometheus,
    /// node_exporter, for its textfile collector.
    NodeExporter,
    /// The Prometheus Pushgateway.
    Pushgateway,
    /// hyperfine.
    Hyperfine,
    /// Graphviz's `dot`.
    Dot,
    /// Mermaid's parser under Node.js (`tests/mermaid`).
    Mermaid,
}

/// One tool: what the skip line says, and how the tests find it.
pub(crate) struct Spec {
    tool: Tool,
    /// The name in a skip line.
    pub(crate) name: &'static str,
    /// What the tests check with it.
    pub(crate) checks: &'static str,
    /// How to install it.
    pub(crate) install: &'static str,
    found_by: Probe,
    /// The first word of its row in README.md's tool table.
    readme: &'static str,
    /// What `.ci/run` names in its `apt_tool` / `pip_tool` / `npm_tool` lines.
    ci_run: &'static [&'static str],
}

/// How a tool is found.
enum Probe {
    /// An executable of this name on `PATH`.
    OnPath(&'static str),
    /// `python3 -c SCRIPT` exits 0.
    Python(&'static str),
    /// `node` on `PATH`, and this directory of the repository.
    Node(&'static str),
}

/// Every tool, in the order README.md's table and `.ci/run` list them.
const SPECS: [Spec; 10] = [
    Spec {
        tool: Tool::Jsonschema,
        name: "the python3 module jsonschema",
        checks: "validates reports against docs/report.schema.json and SARIF against its schema",
        install: "python3 -m pip install 'jsonschema>=4'",
        found_by: Probe::Python("import jsonschema; jsonschema.Draft202012Validator"),
        readme: "jsonschema",
        ci_run: &["jsonschema"],
    },
    Spec {
        tool: Tool::CoveragePy,
        name: "coverage.py (python3 -m coverage)",
        checks: "writes the real coverage reports that --coverage reads",
        install: "python3 -m pip install coverage",
        found_by: Probe::Python("import coverage"),
        readme: "coverage",
        ci_run: &["coverage"],
    },
    Spec {
        tool: Tool::Xmllint,
        name: "xmllint",
        checks: "validates --format junit against fixtures/schemas/junit.xsd",
        install: "apt-get install libxml2-utils",
        found_by: Probe::OnPath("xmllint"),
        readme: "xmllint",
        ci_run: &["xmllint"],
    },
    Spec {
        tool: Tool::Promtool,
        name: "promtool",
        checks: "checks the Prometheus text output",
        install: "apt-get install prometheus",
        found_by: Probe::OnPath("promtool"),
        readme: "promtool",
        ci_run: &["promtool"],
    },
    Spec {
        tool: Tool::Prometheus,
        name: "prometheus",
        checks: "scrapes gatecheck serve and the Pushgateway, runs the dashboard's queries",
        install: "apt-get install prometheus",
        found_by: Probe::OnPath("prometheus"),
        readme: "prometheus",
        ci_run: &["prometheus"],
    },
    Spec {
        tool: Tool::NodeExporter,
        name: "prometheus-node-exporter",
        checks: "reads the --output file with its textfile collector",
        install: "apt-get install prometheus-node-exporter",
        found_by: Probe::OnPath("prometheus-node-exporter"),
        readme: "prometheus-node-exporter",
        ci_run: &["prometheus-node-exporter"],
    },
    Spec {
        tool: Tool::Pushgateway,
        name: "prometheus-pushgateway",
        checks: "receives check --push",
        install: "apt-get install prometheus-pushgateway",
        found_by: Probe::OnPath("prometheus-pushgateway"),
        readme: "prometheus-pushgateway",
        ci_run: &["prometheus-pushgateway"],
    },
    Spec {
        tool: Tool::Hyperfine,
        name: "hyperfine",
        checks: "writes the real export that perf import reads",
        install: "apt-get install hyperfine",
        found_by: Probe::OnPath("hyperfine"),
        readme: "hyperfine",
        ci_run: &["hyperfine"],
    },
    Spec {
        tool: Tool::Dot,
        name: "dot",
        checks: "renders gatecheck graph --format dot",
        install: "apt-get install graphviz",
        found_by: Probe::OnPath("dot"),
        readme: "dot",
        ci_run: &["dot"],
    },
    Spec {
        tool: Tool::Mermaid,
        name: "Mermaid (node with tests/mermaid/node_modules)",
        checks: "parses gatecheck graph --format mermaid with Mermaid's own parser",
        install: "Node.js 20 and npm, then npm ci --prefix tests/mermaid",
        found_by: Probe::Node("tests/mermaid/node_modules/mermaid"),
        readme: "mermaid",
        ci_run: &["node", "npm", "mermaid"],
    },
];

impl Tool {
    /// What it is and how it is found (SPECS is in the order of the variants: a test checks).
    pub(crate) fn spec(self) -> &'static Spec {
        &SPECS[self as usize]
    }

    /// Whether it is installed (looked up once per test run).
    pub(crate) fn present(self) -> bool {
        static FOUND: [OnceLock<bool>; SPECS.len()] = [const { OnceLock::new() }; SPECS.len()];
        *FOUND[self as usize].get_or_init(|| self.spec().found_by.finds())
    }
}

impl Probe {
    fn finds(&self) -> bool {
        match self {
            Probe::OnPath(program) => on_path(program),
            Probe::Python(script) => python_runs(script),
            Probe::Node(dir) => on_path("node") && repo().join(dir).is_dir(),
        }
    }
}

/// Whether an executable file `program` is in a directory of `PATH`.
fn on_path(program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let executable = |p: &Path| {
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| executable(&dir.join(program))))
}

/// Whether `python3 -c SCRIPT` exits 0.
fn python_runs(script: &str) -> bool {
    Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether tools are required (under `.ci/run`): `GATECHECK_REQUIRE_TOOLS` if set, else `CI`.
pub(crate) fn tools_required() -> bool {
    let yes = |v: String| !matches!(v.trim(), "" | "0" | "false" | "no");
    match std::env::var("GATECHECK_REQUIRE_TOOLS") {
        Ok(value) => yes(value),
        Err(_) => std::env::var("CI").is_ok_and(yes),
    }
}

/// `true` when `tool` is installed. When it is not: fails the test under `.ci/run` (see
/// [`tools_required`]); else prints one line saying what is skipped and why, and returns
/// `false`, and the caller returns. `part` names what is skipped when that is only a part of
/// the running test (`None`: the whole test).
pub(crate) fn require(tool: Tool, part: Option<&str>) -> bool {
    if tool.present() {
        return true;
    }
    let thread = std::thread::current();
    let test = thread
        .name()
        .filter(|n| *n != "main")
        .unwrap_or("this test");
    let what = part.map_or_else(|| test.to_owned(), |p| format!("{p} in {test}"));
    let spec = tool.spec();
    let why = format!("needs {} ({})", spec.name, spec.checks);
    assert!(
        !tools_required(),
        "{what} {why}, which is missing; GATECHECK_REQUIRE_TOOLS or CI is set, so a missing \
         tool fails the test instead of skipping it: install it ({}), as .ci/run does",
        spec.install
    );
    // Straight to the process's stderr, past libtest's capture of print!/eprint!: a plain
    // `cargo test` shows the line.
    let line = format!(
        "skipped {what}: {why}; install it ({}) or run bash .ci/run\n",
        spec.install
    );
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    false
}

/// At the top of a test that needs a [`Tool`] (`require_tool!(Promtool)`), or before the part
/// of it that does (`require_tool!(Pushgateway, "the pushes to a real Pushgateway")`): returns
/// from the test when the tool is missing, after one line saying so; fails under `.ci/run`.
macro_rules! require_tool {
    ($tool:ident) => {
        if !$crate::external::require($crate::external::Tool::$tool, None) {
            return;
        }
    };
    ($tool:ident, $part:expr) => {
        if !$crate::external::require($crate::external::Tool::$tool, Some($part)) {
            return;
        }
    };
}

#[test]
fn the_tool_lists_agree() {
    for (index, spec) in SPECS.iter().enumerate() {
        assert_eq!(
            spec.tool as usize, index,
            "SPECS is in the order of Tool's variants"
        );
    }
    let read = |path: &str| {
        std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
    };
    let ci_run = read(".ci/run");
    let installed: Vec<&str> = ci_run
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let kind = words.next()?;
            ["apt_tool", "pip_tool", "npm_tool"]
                .contains(&kind)
                .then_some(words.next()?)
        })
        .collect();
    let expected: Vec<&str> = SPECS.iter().flat_map(|s| s.ci_run).copied().collect();
    assert_eq!(
        installed, expected,
        ".ci/run installs other tools than SPECS"
    );

    let readme = read("README.md");
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Run and test"))
        .expect("README.md has the section \"Run and test on a fresh machine\"");
    let listed: Vec<&str> = section
        .lines()
        .filter_map(|line| line.strip_prefix("| `")?.split('`').next())
        .collect();
    let expected: Vec<&str> = SPECS.iter().map(|s| s.readme).collect();
    assert_eq!(
        listed, expected,
        "README.md's tool table lists other tools than SPECS"
    );
}

/// Runs the test binary itself on one dot-backed test with no tool on PATH: skipped with its
/// line by default, failed under `.ci/run`'s settings. So CI can never skip silently.
#[test]
fn a_missing_tool_skips_with_a_line_but_fails_under_ci() {
    let test = "graph_export::dot_ids_are_quoted_and_escaped";
    let empty = tempfile::tempdir().expect("temp dir");
    let run = |env: &[(&str, &str)]| {
        let mut command = Command::new(std::env::current_exe().expect("the test binary"));
        command
            .args([test, "--exact"])
            .env("PATH", empty.path())
            .env_remove("CI")
            .env_remove("GATECHECK_REQUIRE_TOOLS")
            .envs(env.iter().copied());
        let out = command.output().expect("run the test binary");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let skip_line = format!("skipped {test}: needs dot (");
    for env in [&[][..], &[("CI", "true"), ("GATECHECK_REQUIRE_TOOLS", "0")]] {
        let (passed, text) = run(env);
        assert!(
            passed && text.contains(&skip_line) && text.contains("1 passed"),
            "{env:?}: {text}"
        );
    }
    for env in [("CI", "true"), ("GATECHECK_REQUIRE_TOOLS", "1")] {
        let (passed, text) = run(&[env]);
        assert!(
            !passed && text.contains(&format!("{test} needs dot (")) && text.contains("1 failed"),
            "{env:?}: {text}"
        );
        assert!(!text.contains(&skip_line), "{env:?}: {text}");
    }
}
