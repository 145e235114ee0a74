//! The commented gatecheck.toml that `gatecheck init` writes, generated from the registry so
//! that it always lists every gate with its default.

use std::fmt::Write as _;

use crate::gates::registry::{GATES, Measure, Section, Threshold};

/// The text of a fresh gatecheck.toml holding every default.
#[must_use]
pub fn render() -> String {
    let mut out = String::from(
        "# gatecheck configuration: the quality gates this repository must pass.\n\
         # Every value below is the default; delete a line to keep the default.\n\
         # Docs: docs/metrics.md (what each number means), README.md (usage).\n\n\
         # Paths to leave out, in .gitignore syntax, relative to this file.\n\
         exclude = []\n",
    );
    for section in Section::ALL {
        let _ = write!(out, "\n[{}]\n", section.key());
        for gate in GATES.iter().filter(|g| g.section == section) {
            let note = if matches!(gate.measure, Measure::Project) {
                " (not measured yet: reported as not_measured)"
            } else {
                ""
            };
            let unit = if gate.unit.is_empty() {
                String::new()
            } else {
                format!(", in {}", gate.unit)
            };
            let _ = writeln!(out, "# {}{unit}{note}", gate.summary);
            let _ = writeln!(out, "{} = {}", gate.key, value(gate.default));
        }
    }
    out.push_str(
        "\n# Per-path thresholds; a later entry wins over an earlier one.\n\
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

fn value(t: Threshold) -> String {
    match t {
        Threshold::Count(n) => n.to_string(),
        Threshold::Number(x) => format!("{x:?}"),
        Threshold::Flag(b) => b.to_string(),
    }
}
