//! Inline suppressions: `# gatecheck: ignore[max_complexity] reason` (or `// gatecheck: ...`
//! in Rust) on a function's `def`/`fn` line or on the line just above it (or above its
//! decorators / attributes) exempts that function from the named gates; `ignore` with no list
//! exempts it from all. `gatecheck: ignore-file[...]` anywhere exempts the whole file.
//! Suppressed items are counted and listed in reports, never hidden.

use crate::extract::DIRECTIVE_MARKER;

/// One directive found in a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// 1-based line of the comment.
    pub line: usize,
    /// The gates it names; empty means every gate.
    pub gates: Vec<String>,
    /// Whether it applies to the whole file.
    pub file_level: bool,
    /// The reason written after it, if any.
    pub reason: String,
}

impl Directive {
    /// Whether this directive exempts `gate`.
    #[must_use]
    pub fn covers(&self, gate: &str) -> bool {
        self.gates.is_empty() || self.gates.iter().any(|g| g == gate)
    }

    /// Whether this line-level directive sits on an item reported at `line` whose header
    /// (decorators, attributes) starts at `header_line`: on that line, or on the line above
    /// the line or the header.
    #[must_use]
    pub fn applies_to_lines(&self, line: usize, header_line: usize) -> bool {
        !self.file_level
            && (self.line == line || self.line + 1 == line || self.line + 1 == header_line)
    }
}

/// Parses the directive in one comment, if it holds one.
#[must_use]
pub fn parse(line: usize, comment: &str) -> Option<Directive> {
    let after = comment.split_once(DIRECTIVE_MARKER)?.1.trim_start();
    let (file_level, rest) = if let Some(rest) = after.strip_prefix("ignore-file") {
        (true, rest)
    } else {
        (false, after.strip_prefix("ignore")?)
    };
    let (gates, reason) = match rest.strip_prefix('[') {
        Some(list) => {
            let (names, reason) = list.split_once(']')?;
            let gates = names
                .split(',')
                .map(|g| g.trim().replace('-', "_"))
                .filter(|g| !g.is_empty())
                .collect();
            (gates, reason)
        }
        None if rest.is_empty() || rest.starts_with(char::is_whitespace) => (Vec::new(), rest),
        None => return None,
    };
    let reason = reason.trim().trim_end_matches("*/").trim().to_owned();
    Some(Directive {
        line,
        gates,
        file_level,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_gates_and_reason() {
        let d = parse(
            3,
            "# gatecheck: ignore[max_complexity, max-nesting] legacy parser",
        )
        .unwrap();
        assert_eq!(d.gates, vec!["max_complexity", "max_nesting"]);
        assert_eq!(d.reason, "legacy parser");
        assert!(!d.file_level);
    }

    #[test]
    fn bare_ignore_covers_everything() {
        let d = parse(1, "// gatecheck: ignore").unwrap();
        assert!(d.covers("max_function_length"));
    }

    #[test]
    fn file_level_and_non_directives() {
        assert!(
            parse(1, "# gatecheck: ignore-file[max_file_length]")
                .unwrap()
                .file_level
        );
        assert!(parse(1, "# gatecheck: ignored").is_none());
        assert!(parse(1, "# nothing here").is_none());
    }
}
