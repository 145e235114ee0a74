//! The Python adapter: grammar, extensions, module names and the pre-parse guard.

use std::sync::OnceLock;

use super::{ImportPath, ImportText, LanguageSpec, ModuleSystem, after_src};

/// Python.
pub(super) static SPEC: LanguageSpec = LanguageSpec {
    id: "python",
    extensions: &["py", "pyi"],
    grammar: || tree_sitter_python::LANGUAGE.into(),
    line_comment: "#",
    block_comment: None,
    decorators: &["@"],
    name_separator: ".",
    module_segments,
    module_system: ModuleSystem::Python,
    import_paths,
    guard: indentation_guard,
    compiled: OnceLock::new(),
};

/// `src/pkg/sub/mod.py` is `pkg.sub.mod`; a package's `__init__.py` is the package itself.
fn module_segments(parts: &[String]) -> Vec<String> {
    let mut segments = after_src(parts).to_vec();
    if segments.last().is_some_and(|s| s == "__init__") && segments.len() > 1 {
        segments.pop();
    }
    segments
}

/// `a.b` is one absolute path; `..a.b` is relative at level 2; `.` is the current package.
/// White space and line continuations inside a dotted name are dropped.
fn import_paths(text: &str, _: ImportText) -> Vec<ImportPath> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\\')
        .collect();
    let rest = compact.trim_start_matches('.');
    let level = compact.len() - rest.len();
    let segments = rest
        .split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    vec![ImportPath { level, segments }]
}

/// The most indentation widths the guard lets through.
///
/// tree-sitter-python's external scanner serialises its indentation stack into tree-sitter's
/// 1,024-byte state buffer at two bytes a level, after up to 257 bytes of string delimiters; a
/// stack of about 384 levels overflows it and the runtime aborts the whole process with a C
/// assertion that Rust cannot catch. Real code stays far below 100 levels; 300 leaves headroom.
pub(super) const MAX_INDENT_DEPTH: usize = 300;

/// Refuses files whose indentation could crash the grammar's scanner (see
/// [`MAX_INDENT_DEPTH`]).
///
/// The scanner's stack holds strictly increasing widths, each the indentation of some line as
/// the scanner measures it, so the number of distinct widths in the file bounds its depth
/// whatever strings, comments or brackets hide: a sound upper bound, not a guess at the
/// scanner's state.
fn indentation_guard(text: &str) -> Result<(), String> {
    let depth = indentation_bound(text);
    if depth > MAX_INDENT_DEPTH {
        return Err(format!(
            "indentation has {depth} different depths, more than the {MAX_INDENT_DEPTH} the \
             Python grammar can parse without crashing; the file was skipped (split the deep \
             nesting into functions)"
        ));
    }
    Ok(())
}

/// The number of distinct non-zero indentation widths, measured as the scanner measures them:
/// a space is 1, a tab 8, a form feed resets to 0, and a line holding only a backslash carries
/// its width over to the next line.
fn indentation_bound(text: &str) -> usize {
    let mut widths = std::collections::BTreeSet::new();
    let mut carried = 0usize;
    for line in text.split('\n') {
        let mut width = carried;
        carried = 0;
        let mut rest = "";
        for (i, ch) in line.char_indices() {
            match ch {
                ' ' => width += 1,
                '\t' => width += 8,
                '\x0c' | '\r' => width = 0,
                _ => {
                    rest = line.get(i..).unwrap_or_default();
                    break;
                }
            }
        }
        if rest.trim_end_matches('\r') == "\\" {
            carried = width;
        }
        if width > 0 {
            widths.insert(width);
        }
    }
    widths.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_paths_count_leading_dots() {
        let path = |t| import_paths(t, ImportText::Statement);
        let one = |level, segments: &[&str]| {
            vec![ImportPath {
                level,
                segments: segments.iter().map(|s| (*s).to_owned()).collect(),
            }]
        };
        assert_eq!(path("a.b.c"), one(0, &["a", "b", "c"]));
        assert_eq!(path("..a . b"), one(2, &["a", "b"]));
        assert_eq!(path("."), one(1, &[]));
        assert_eq!(path("...x"), one(3, &["x"]));
    }

    #[test]
    fn bound_counts_distinct_widths() {
        assert_eq!(indentation_bound("a\n b\n  c\n d\n"), 2);
        assert_eq!(
            indentation_bound("def f():\n    if x:\n        y\n    z\n"),
            2
        );
        assert_eq!(indentation_bound("\tx\n        y\n"), 1);
        assert_eq!(indentation_bound("  \\\n   x\n"), 2);
        assert_eq!(indentation_bound(""), 0);
    }

    #[test]
    fn guard_refuses_the_crashing_staircase() {
        let mut text = String::new();
        for i in 0..600 {
            text.push_str(&" ".repeat(i));
            text.push_str("if 1:\n");
        }
        text.push_str(&" ".repeat(600));
        text.push_str("'s'\n");
        assert!(indentation_guard(&text).is_err());
        assert!(indentation_guard("if 1:\n    pass\n").is_ok());
    }
}
