//! The two test tiers. `cargo test` needs only Rust and `python3` (no pip packages); the tests
//! that also need one of the tools of [`Tool`] start with `require_tool!(Tool)`, and a check
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

/// A program (or Python module) some tests need beyond Rust and `python3`, in the order
/// README.md and `.ci/run` list them.
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

impl Tool {
    /// Every tool, in declaration order.
    pub(crate) const ALL: [Tool; 10] = [
        Tool::Jsonschema,
        Tool::CoveragePy,
        Tool::Xmllint,
        Tool::Promtool,
        Tool::Prometheus,
        Tool::NodeExporter,
        Tool::Pushgateway,
        Tool::Hyperfine,
        Tool::Dot,
        Tool::Mermaid,
    ];

    /// The first word of its row in README.md's tool table.
    fn readme_name(self) -> &'static str {
        match self {
            Tool::Jsonschema => "jsonschema",
            Tool::CoveragePy => "coverage",
            Tool::Mermaid => "mermaid",
            _ => self.ci_names()[0],
        }
    }

    /// What `.ci/run` looks for, in its `apt_tool` / `pip_tool` / `npm_tool` lines.
    fn ci_names(self) -> &'static [&'static str] {
        match self {
            Tool::Jsonschema => &["jsonschema"],
            Tool::CoveragePy => &["coverage"],
            Tool::Xmllint => &["xmllint"],
            Tool::Promtool => &["promtool"],
            Tool::Prometheus => &["prometheus"],
            Tool::NodeExporter => &["prometheus-node-exporter"],
            Tool::Pushgateway => &["prometheus-pushgateway"],
            Tool::Hyperfine => &["hyperfine"],
            Tool::Dot => &["dot"],
            Tool::Mermaid => &["node", "npm", "mermaid"],
        }
    }

    /// The name in a skip line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tool::Promtool => "promtool",
            Tool::Prometheus => "prometheus",
            Tool::NodeExporter => "prometheus-node-exporter",
            Tool::Pushgateway => "prometheus-pushgateway",
            Tool::Xmllint => "xmllint",
            Tool::Dot => "dot",
            Tool::Mermaid => "Mermaid (node with tests/mermaid/node_modules)",
            Tool::Hyperfine => "hyperfine",
            Tool::CoveragePy => "coverage.py (python3 -m coverage)",
            Tool::Jsonschema => "the python3 module jsonschema",
        }
    }

    /// What the tests check with it.
    pub(crate) fn checks(self) -> &'static str {
        match self {
            Tool::Promtool => "checks the Prometheus text output",
            Tool::Prometheus => {
                "scrapes gatecheck serve and the Pushgateway, runs the dashboard's queries"
            }
            Tool::NodeExporter => "reads the --output file with its textfile collector",
            Tool::Pushgateway => "receives check --push",
            Tool::Xmllint => "validates --format junit against fixtures/schemas/junit.xsd",
            Tool::Dot => "renders gatecheck graph --format dot",
            Tool::Mermaid => "parses gatecheck graph --format mermaid with Mermaid's own parser",
            Tool::Hyperfine => "writes the real export that perf import reads",
            Tool::CoveragePy => "writes the real coverage reports that --coverage reads",
            Tool::Jsonschema => {
                "validates reports against docs/report.schema.json and SARIF against its schema"
            }
        }
    }

    /// How to install it.
    pub(crate) fn install(self) -> &'static str {
        match self {
            Tool::Promtool | Tool::Prometheus => "apt-get install prometheus",
            Tool::NodeExporter => "apt-get install prometheus-node-exporter",
            Tool::Pushgateway => "apt-get install prometheus-pushgateway",
            Tool::Xmllint => "apt-get install libxml2-utils",
            Tool::Dot => "apt-get install graphviz",
            Tool::Mermaid => "Node.js 20 and npm, then npm ci --prefix tests/mermaid",
            Tool::Hyperfine => "apt-get install hyperfine",
            Tool::CoveragePy => "python3 -m pip install coverage",
            Tool::Jsonschema => "python3 -m pip install 'jsonschema>=4'",
        }
    }

    /// Whether it is installed (looked up once per test run).
    pub(crate) fn present(self) -> bool {
        static FOUND: [OnceLock<bool>; Tool::ALL.len()] =
            [const { OnceLock::new() }; Tool::ALL.len()];
        *FOUND[self as usize].get_or_init(|| self.look_up())
    }

    fn look_up(self) -> bool {
        match self {
            Tool::Promtool => on_path("promtool"),
            Tool::Prometheus => on_path("prometheus"),
            Tool::NodeExporter => on_path("prometheus-node-exporter"),
            Tool::Pushgateway => on_path("prometheus-pushgateway"),
            Tool::Xmllint => on_path("xmllint"),
            Tool::Dot => on_path("dot"),
            Tool::Mermaid => {
                on_path("node") && repo().join("tests/mermaid/node_modules/mermaid").is_dir()
            }
            Tool::Hyperfine => on_path("hyperfine"),
            Tool::CoveragePy => python_runs("import coverage"),
            Tool::Jsonschema => python_runs("import jsonschema; jsonschema.Draft202012Validator"),
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
    let why = format!("needs {} ({})", tool.name(), tool.checks());
    assert!(
        !tools_required(),
        "{what} {why}, which is missing; GATECHECK_REQUIRE_TOOLS or CI is set, so a missing \
         tool fails the test instead of skipping it: install it ({}), as .ci/run does",
        tool.install()
    );
    // Straight to the process's stderr, past libtest's capture of print!/eprint!: a plain
    // `cargo test` shows the line.
    let line = format!(
        "skipped {what}: {why}; install it ({}) or run bash .ci/run\n",
        tool.install()
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
    let expected: Vec<&str> = Tool::ALL
        .iter()
        .flat_map(|t| t.ci_names())
        .copied()
        .collect();
    assert_eq!(
        installed, expected,
        ".ci/run installs other tools than Tool::ALL"
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
    let expected: Vec<&str> = Tool::ALL.iter().map(|t| t.readme_name()).collect();
    assert_eq!(
        listed, expected,
        "README.md's tool table lists other tools than Tool::ALL"
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
