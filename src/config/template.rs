//! The commented gatecheck.toml that `gatecheck init` writes, generated from the registry so
//! that it always lists every gate with its default.

use std::fmt::Write as _;

use crate::registry::{GATES, GateDef, Measure, Section, Threshold};

/// What the template says about how a gate is measured, when it is not from the code alone.
fn note(gate: &GateDef) -> &'static str {
    match (gate.section, gate.measure) {
        (Section::Performance, _) => " (measured by `gatecheck perf run` and `check --with-perf`)",
        (_, Measure::Coverage) => {
            " (read from a coverage report: `check --coverage FILE`, or coverage.xml, lcov.info \
             or coverage.json found in the project; without one: not_measured)"
        }
        _ => "",
    }
}

/// The text of a fresh gatecheck.toml holding every default.
#[must_use]
pub fn render() -> String {
    let mut out = String::from(
        "# gatecheck configuration: the quality gates this repository must pass.\n\
         # Every value below is the default; delete a line to keep the default.\n\
         # Docs: docs/metrics.md (what each number means), README.md (usage).\n\n\
         # Paths to leave out, in .gitignore syntax, relative to this file, besides the\n\
         # directories left out by default (.git, virtual environments, build, dist, target,\n\
         # caches, node_modules...). `exclude = [...]` instead replaces those defaults.\n\
         extend_exclude = []\n",
    );
    for section in Section::ALL {
        let _ = write!(out, "\n[{}]\n", section.key());
        for gate in GATES
            .iter()
            .filter(|g| g.section == section && g.configurable())
        {
            let note = note(gate);
            let unit = if gate.unit.is_empty() {
                String::new()
            } else {
                format!(", in {}", gate.unit)
            };
            let _ = writeln!(out, "# {}{unit}{note}", gate.summary);
            let _ = writeln!(out, "{} = {}", gate.key, value(gate.default));
        }
        out.push_str(options(section));
    }
    out.push_str(
        "\n# Programs `gatecheck perf run` measures (docs/performance.md); uncomment to use.\n\
         # [[performance.startup]]\n\
         # name = \"cli\"\n\
         # command = [\"python\", \"-c\", \"import app\"]\n\
         # [[performance.response]]\n\
         # name = \"health\"\n\
         # url = \"http://127.0.0.1:8000/health\"\n\
         # server = [\"python\", \"-m\", \"app\"]\n\
         \n# Per-path thresholds; a later entry wins over an earlier one.\n\
         # [[overrides]]\n\
         # paths = [\"tests/**\"]\n\
         # max_function_length = 100\n\
         \n[limits]\n\
         # files larger than this are skipped with a diagnostic\n\
         max_file_bytes = 4194304\n\
         # a parse that takes longer is stopped with a diagnostic\n\
         parse_timeout_seconds = 10.0\n",
    );
    out
}

/// The options of a section that are not gates, after its gates.
fn options(section: Section) -> &'static str {
    match section {
        Section::CodeQuality => CODE_QUALITY_OPTIONS,
        Section::Architecture => ARCHITECTURE_OPTIONS,
        Section::Performance => "",
    }
}

/// The `[code_quality]` option (docs/metrics.md, "Nested functions: separate or fold").
const CODE_QUALITY_OPTIONS: &str = "\
# \"separate\": each nested function, lambda and closure is measured on its own; \"fold\": they
# also count for the function around them, as complexipy (cognitive) and radon (cyclomatic)
# count them, for teams that migrate from those tools
nested_functions = \"separate\"
";

/// The `[architecture]` options and rules, after its gates (docs/metrics.md, "Module graph").
const ARCHITECTURE_OPTIONS: &str = "\
# fan-out also counts distinct external packages
count_external = false
# imports under `if TYPE_CHECKING:` take part in cycle detection
type_only_in_cycles = false
# classes with fewer methods are not checked for cohesion
min_methods_for_cohesion = 4
# Layers, highest first: a lower layer may not import a higher one (gate `layers`).
# [[architecture.layers]]
# order = [\"app.web\", \"app.service\", \"app.domain\"]
# Forbidden imports, internal modules or external packages (gate `forbidden_imports`).
# [[architecture.forbid]]
# from = \"app.domain\"
# to = [\"app.web\", \"requests\"]
";

fn value(t: Threshold) -> String {
    match t {
        Threshold::Count(n) => n.to_string(),
        Threshold::Number(x) => format!("{x:?}"),
        Threshold::Flag(b) => b.to_string(),
        Threshold::Off => "false".to_owned(),
    }
}
